// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Completion queues: a ring of struct zroce_cqe that the kernel produces
 * and the provider (or a kernel ULP through poll_cq) consumes.
 */
#include <rdma/uverbs_ioctl.h>
#include "compat.h"
#include "zroce.h"

static int zroce_cq_ring_init(struct zroce_ring *ring, int cqe)
{
	u32 slots = zroce_ring_slots(cqe);

	if (!slots)
		return -EINVAL;
	return zroce_ring_init(ring, slots, sizeof(struct zroce_cqe));
}

int zroce_create_cq_udata(struct ib_cq *ibcq,
			  const struct ib_cq_init_attr *attr,
			  struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibcq->device);
	struct zroce_cq *cq = to_zcq(ibcq);
	struct zroce_create_cq_resp resp = {};
	int err;

	if (attr->flags & ~IB_UVERBS_CQ_FLAGS_TIMESTAMP_COMPLETION)
		return -EOPNOTSUPP;
	if (attr->cqe < 1 || attr->cqe > ZROCE_MAX_CQE)
		return -EINVAL;
	if (udata && udata->outlen < sizeof(resp))
		return -EINVAL;

	spin_lock_init(&cq->lock);
	cq->timestamp = attr->flags & IB_UVERBS_CQ_FLAGS_TIMESTAMP_COMPLETION;
	err = zroce_cq_ring_init(&cq->ring, attr->cqe);
	if (err)
		return err;
	ibcq->cqe = cq->ring.num_slots;

	err = xa_alloc_cyclic(&zdev->cqs, &cq->cqn, cq,
			      XA_LIMIT(1, ZROCE_MAX_CQ), &zdev->next_cqn,
			      GFP_KERNEL);
	if (err < 0)
		goto err_destroy_ring;

	if (udata) {
		err = zroce_ring_publish(&cq->ring, udata, &resp.cq);
		if (err)
			goto err_erase;
		resp.cqn = cq->cqn;
		err = ib_copy_to_udata(udata, &resp, sizeof(resp));
		if (err)
			goto err_erase;
	}
	return 0;

err_erase:
	xa_erase(&zdev->cqs, cq->cqn);
err_destroy_ring:
	zroce_ring_destroy(&cq->ring);
	return err;
}

int zroce_create_cq_attrs(struct ib_cq *ibcq,
			  const struct ib_cq_init_attr *attr,
			  struct uverbs_attr_bundle *attrs)
{
	return zroce_create_cq_udata(ibcq, attr,
				     attrs ? &attrs->driver_udata : NULL);
}

/* Copy the CQEs not yet consumed from old into the empty ring new. */
static int zroce_cq_move(struct zroce_ring *old, struct zroce_ring *new)
{
	u32 prod = old->kidx;
	u32 cons = READ_ONCE(*zroce_ring_word(old, ZROCE_RING_CONS_OFFSET));
	u32 n, i;

	if (!zroce_ring_sane(prod, cons, old->num_slots))
		return -EINVAL;
	n = zroce_ring_used(prod, cons);
	if (n > new->num_slots)
		return -EINVAL;
	for (i = 0; i < n; i++)
		memcpy(zroce_ring_slot_addr(new, i),
		       zroce_ring_slot_addr(old, cons + i),
		       sizeof(struct zroce_cqe));
	new->kidx = n;
	smp_store_release(zroce_ring_word(new, ZROCE_RING_PROD_OFFSET), n);
	return 0;
}

int zroce_resize_cq(struct ib_cq *ibcq, int cqe, struct ib_udata *udata)
{
	struct zroce_cq *cq = to_zcq(ibcq);
	struct zroce_resize_cq_resp resp = {};
	struct zroce_ring new, old;
	int err;

	if (cqe < 1 || cqe > ZROCE_MAX_CQE)
		return -EINVAL;
	if (udata && udata->outlen < sizeof(resp))
		return -EINVAL;

	err = zroce_cq_ring_init(&new, cqe);
	if (err)
		return err;
	if (udata) {
		err = zroce_ring_publish(&new, udata, &resp.cq);
		if (err)
			goto err_destroy_new;
	}

	spin_lock_irq(&cq->lock);
	err = zroce_cq_move(&cq->ring, &new);
	if (!err) {
		old = cq->ring;
		cq->ring = new;
		ibcq->cqe = new.num_slots;
	}
	spin_unlock_irq(&cq->lock);
	if (err)
		goto err_destroy_new;

	if (udata) {
		/*
		 * The new ring is live; if the process cannot learn of it,
		 * its CQ is unusable, which is what it asked for by failing.
		 */
		err = ib_copy_to_udata(udata, &resp, sizeof(resp));
	}
	zroce_ring_destroy(&old);
	return err;

err_destroy_new:
	zroce_ring_destroy(&new);
	return err;
}

static void zroce_cq_error(struct zroce_cq *cq)
{
	struct ib_cq *ibcq = &cq->ibcq;
	struct ib_event ev = {
		.device = ibcq->device,
		.element.cq = ibcq,
		.event = IB_EVENT_CQ_ERR,
	};

	if (ibcq->event_handler)
		ibcq->event_handler(&ev, ibcq->cq_context);
}

/*
 * Post one CQE.  A full ring (or a consumer index the process corrupted)
 * is a CQ overrun: the CQE is lost and the CQ reports IB_EVENT_CQ_ERR.
 */
int zroce_cq_post(struct zroce_cq *cq, const struct zroce_cqe *cqe,
		  bool solicited)
{
	struct zroce_ring *ring = &cq->ring;
	struct zroce_cqe *slot;
	bool notify = false;
	unsigned long flags;
	u32 cons;

	spin_lock_irqsave(&cq->lock, flags);
	cons = smp_load_acquire(zroce_ring_word(ring, ZROCE_RING_CONS_OFFSET));
	if (cq->overflow || zroce_ring_full(ring->kidx, cons, ring->num_slots) ||
	    !zroce_ring_sane(ring->kidx, cons, ring->num_slots)) {
		bool first = !cq->overflow;

		cq->overflow = true;
		spin_unlock_irqrestore(&cq->lock, flags);
		if (first)
			zroce_cq_error(cq);
		return -ENOSPC;
	}
	slot = zroce_ring_slot_addr(ring, ring->kidx);
	memcpy(slot, cqe, sizeof(*cqe));
	/* the device clock is CLOCK_MONOTONIC in ns (hca_core_clock) */
	if (cq->timestamp)
		slot->timestamp = ktime_get_ns();
	ring->kidx++;
	smp_store_release(zroce_ring_word(ring, ZROCE_RING_PROD_OFFSET),
			  ring->kidx);
	/* an unsuccessful completion wakes a CQ armed for solicited ones */
	if (cq->notify == IB_CQ_NEXT_COMP ||
	    (cq->notify == IB_CQ_SOLICITED &&
	     (solicited || cqe->status != IB_WC_SUCCESS))) {
		cq->notify = 0;
		notify = true;
	}
	spin_unlock_irqrestore(&cq->lock, flags);

	if (notify && cq->ibcq.comp_handler)
		cq->ibcq.comp_handler(&cq->ibcq, cq->ibcq.cq_context);
	return 0;
}

int zroce_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata)
{
	struct zroce_cq *cq = to_zcq(ibcq);

	xa_erase(&to_zdev(ibcq->device)->cqs, cq->cqn);
	zroce_ring_destroy(&cq->ring);
	return 0;
}

static void zroce_cqe_to_wc(struct zroce_dev *zdev,
			    const struct zroce_cqe *cqe, struct ib_wc *wc)
{
	struct zroce_qp *qp = xa_load(&zdev->qps, cqe->qp_num);

	memset(wc, 0, sizeof(*wc));
	wc->qp = qp ? &qp->ibqp : NULL;
	wc->wr_id = cqe->wr_id;
	wc->status = cqe->status;
	wc->opcode = cqe->opcode;
	wc->vendor_err = cqe->vendor_err;
	wc->byte_len = cqe->byte_len;
	wc->ex.imm_data = (__force __be32)cqe->ex;
	wc->src_qp = cqe->src_qp;
	wc->wc_flags = (cqe->wc_flags & ZROCE_CQE_GRH ? IB_WC_GRH : 0) |
		       (cqe->wc_flags & ZROCE_CQE_WITH_IMM ? IB_WC_WITH_IMM : 0) |
		       (cqe->wc_flags & ZROCE_CQE_WITH_INV ?
			IB_WC_WITH_INVALIDATE : 0);
	wc->pkey_index = cqe->pkey_index;
	wc->sl = cqe->sl;
	wc->port_num = cqe->port_num;
	if (cqe->net_type) {
		/* ib_init_ah_attr_from_wc() cannot tell IPv4 from the GRH */
		wc->network_hdr_type = cqe->net_type == ZROCE_CQE_NET_IPV4 ?
				       RDMA_NETWORK_IPV4 : RDMA_NETWORK_IPV6;
		wc->wc_flags |= IB_WC_WITH_NETWORK_HDR_TYPE;
	}
}

/* poll_cq of kernel ULPs; user CQs are polled by the provider. */
int zroce_poll_cq(struct ib_cq *ibcq, int num, struct ib_wc *wc)
{
	struct zroce_cq *cq = to_zcq(ibcq);
	struct zroce_ring *ring = &cq->ring;
	u32 *cons_word = zroce_ring_word(ring, ZROCE_RING_CONS_OFFSET);
	unsigned long flags;
	u32 cons;
	int n;

	spin_lock_irqsave(&cq->lock, flags);
	cons = READ_ONCE(*cons_word);
	for (n = 0; n < num && cons != ring->kidx; n++, cons++)
		zroce_cqe_to_wc(to_zdev(ibcq->device),
				zroce_ring_slot_addr(ring, cons), &wc[n]);
	smp_store_release(cons_word, cons);
	spin_unlock_irqrestore(&cq->lock, flags);
	return n;
}

int zroce_req_notify_cq(struct ib_cq *ibcq, enum ib_cq_notify_flags flags)
{
	struct zroce_cq *cq = to_zcq(ibcq);
	struct zroce_ring *ring = &cq->ring;
	unsigned long irqflags;
	int ret = 0;

	spin_lock_irqsave(&cq->lock, irqflags);
	if (cq->notify != IB_CQ_NEXT_COMP)
		cq->notify = flags & IB_CQ_SOLICITED_MASK;
	if ((flags & IB_CQ_REPORT_MISSED_EVENTS) &&
	    READ_ONCE(*zroce_ring_word(ring, ZROCE_RING_CONS_OFFSET)) !=
	    ring->kidx)
		ret = 1;
	spin_unlock_irqrestore(&cq->lock, irqflags);
	return ret;
}
