// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Shared receive queues: a ring of receive WQEs that several QPs consume.
 */
#include <rdma/uverbs_ioctl.h>
#include "zroce.h"

static int zroce_check_srq_attr(const struct ib_srq_attr *attr)
{
	if (attr->max_wr > ZROCE_MAX_SRQ_WR || attr->max_sge > ZROCE_MAX_SGE)
		return -EINVAL;
	return 0;
}

int zroce_create_srq(struct ib_srq *ibsrq, struct ib_srq_init_attr *init,
		     struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibsrq->device);
	struct zroce_srq *srq = to_zsrq(ibsrq);
	struct zroce_create_srq_resp resp = {};
	struct ib_srq_attr *attr = &init->attr;
	u32 slot;
	int err;

	if (init->srq_type != IB_SRQT_BASIC)
		return -EOPNOTSUPP;
	err = zroce_check_srq_attr(attr);
	if (err)
		return err;
	if (udata && udata->outlen < sizeof(resp))
		return -EINVAL;

	slot = zroce_rq_slot_size(attr->max_sge);
	err = zroce_ring_init(&srq->ring, zroce_ring_slots(attr->max_wr ?: 1),
			      slot);
	if (err)
		return err;
	attr->max_wr = srq->ring.num_slots;
	attr->max_sge = min_t(u32, zroce_rq_slot_sges(slot), ZROCE_MAX_SGE);
	if (attr->srq_limit > attr->max_wr) {
		err = -EINVAL;
		goto err_destroy_ring;
	}
	spin_lock_init(&srq->lock);
	srq->attr = *attr;
	srq->limit = attr->srq_limit;

	err = xa_alloc_cyclic(&zdev->srqs, &srq->srqn, srq,
			      XA_LIMIT(1, ZROCE_MAX_SRQ), &zdev->next_srqn,
			      GFP_KERNEL);
	if (err < 0)
		goto err_destroy_ring;
	if (udata) {
		err = zroce_ring_publish(&srq->ring, udata, &resp.rq);
		if (err)
			goto err_erase;
		resp.srqn = srq->srqn;
		err = ib_copy_to_udata(udata, &resp, sizeof(resp));
		if (err)
			goto err_erase;
	}
	return 0;

err_erase:
	xa_erase(&zdev->srqs, srq->srqn);
err_destroy_ring:
	zroce_ring_destroy(&srq->ring);
	return err;
}

int zroce_modify_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr,
		     enum ib_srq_attr_mask mask, struct ib_udata *udata)
{
	struct zroce_srq *srq = to_zsrq(ibsrq);

	if (mask & ~(IB_SRQ_MAX_WR | IB_SRQ_LIMIT))
		return -EINVAL;
	if (mask & IB_SRQ_MAX_WR)
		return -EOPNOTSUPP;	/* resizing needs the data path */
	if ((mask & IB_SRQ_LIMIT) && attr->srq_limit > srq->attr.max_wr)
		return -EINVAL;
	if (mask & IB_SRQ_LIMIT) {
		/* arms the limit event; 0 disarms it */
		spin_lock_bh(&srq->lock);
		srq->limit = attr->srq_limit;
		spin_unlock_bh(&srq->lock);
	}
	return 0;
}

/*
 * Called under srq->lock once a WQE is taken: below the armed limit the
 * SRQ reports IB_EVENT_SRQ_LIMIT_REACHED once, and the limit disarms.
 */
bool zroce_srq_limit_hit(struct zroce_srq *srq, u32 prod)
{
	lockdep_assert_held(&srq->lock);
	if (!srq->limit || zroce_ring_used(prod, srq->cons) >= srq->limit)
		return false;
	srq->limit = 0;
	return true;
}

void zroce_srq_limit_event(struct zroce_srq *srq)
{
	struct ib_event ev = {
		.device = srq->ibsrq.device,
		.element.srq = &srq->ibsrq,
		.event = IB_EVENT_SRQ_LIMIT_REACHED,
	};

	if (srq->ibsrq.event_handler)
		srq->ibsrq.event_handler(&ev, srq->ibsrq.srq_context);
}

int zroce_query_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr)
{
	struct zroce_srq *srq = to_zsrq(ibsrq);

	*attr = srq->attr;
	spin_lock_bh(&srq->lock);
	attr->srq_limit = srq->limit;
	spin_unlock_bh(&srq->lock);
	return 0;
}

int zroce_destroy_srq(struct ib_srq *ibsrq, struct ib_udata *udata)
{
	struct zroce_srq *srq = to_zsrq(ibsrq);

	xa_erase(&to_zdev(ibsrq->device)->srqs, srq->srqn);
	zroce_ring_destroy(&srq->ring);
	return 0;
}

int zroce_post_srq_recv(struct ib_srq *ibsrq, const struct ib_recv_wr *wr,
			const struct ib_recv_wr **bad_wr)
{
	struct zroce_srq *srq = to_zsrq(ibsrq);

	if (ibsrq->uobject) {
		*bad_wr = wr;
		return -EOPNOTSUPP;
	}
	return zroce_post_recv_ring(&srq->ring, &srq->lock, srq->attr.max_sge,
				    wr, bad_wr);
}
