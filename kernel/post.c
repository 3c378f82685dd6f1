// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * post_send and post_recv.  A process writes its WQEs into the mapped
 * rings itself and calls post_send only as the doorbell.  Kernel ULPs (the
 * MAD layer's QP1, ib_cm, rdma_cm users) hand over WR chains, which are
 * written into the same rings here, so the data path sees one kind of WQE.
 */
#include <rdma/ib_verbs.h>
#include "zroce.h"

/* The SGEs of wr, or its inline bytes, into the slot after wqe. */
static int zroce_wr_sges(struct zroce_qp *qp, const struct ib_send_wr *wr,
			 struct zroce_send_wqe *wqe)
{
	struct zroce_sge *sge = (struct zroce_sge *)(wqe + 1);
	u32 room = qp->sq.slot_size - sizeof(*wqe);
	u8 *data = (u8 *)(wqe + 1);
	u32 len = 0;
	int i;

	if (wr->num_sge < 0)
		return -EINVAL;
	if (!(wr->send_flags & IB_SEND_INLINE)) {
		if (wr->num_sge > qp->cap.max_send_sge)
			return -EINVAL;
		for (i = 0; i < wr->num_sge; i++) {
			sge[i].addr = wr->sg_list[i].addr;
			sge[i].length = wr->sg_list[i].length;
			sge[i].lkey = wr->sg_list[i].lkey;
		}
		wqe->num_sge = wr->num_sge;
		return 0;
	}
	/* inline SGEs of kernel ULPs hold kernel virtual addresses */
	for (i = 0; i < wr->num_sge; i++) {
		u32 n = wr->sg_list[i].length;

		if (n > min_t(u32, room, qp->cap.max_inline_data) - len)
			return -EINVAL;
		memcpy(data + len, (void *)(uintptr_t)wr->sg_list[i].addr, n);
		len += n;
	}
	wqe->num_sge = len;
	return 0;
}

/* The WQE of a kernel WR; its SGEs and inline data come next. */
static int zroce_wr_to_wqe(struct zroce_qp *qp, const struct ib_send_wr *wr,
			   struct zroce_send_wqe *wqe)
{
	memset(wqe, 0, sizeof(*wqe));
	wqe->wr_id = wr->wr_id;
	wqe->opcode = wr->opcode;
	wqe->send_flags = wr->send_flags;

	switch (wr->opcode) {
	case IB_WR_SEND_WITH_IMM:
	case IB_WR_RDMA_WRITE_WITH_IMM:
		wqe->ex = (__force u32)wr->ex.imm_data;
		break;
	case IB_WR_SEND_WITH_INV:
	case IB_WR_LOCAL_INV:
		wqe->ex = wr->ex.invalidate_rkey;
		break;
	case IB_WR_REG_MR:
		/* the MR's page list is in place: map_mr_sg came first */
		wqe->wr.bind.rkey = reg_wr(wr)->mr->lkey;
		wqe->wr.bind.new_rkey = reg_wr(wr)->key;
		wqe->wr.bind.access = reg_wr(wr)->access;
		return 0;
	case IB_WR_SEND:
	case IB_WR_RDMA_WRITE:
	case IB_WR_RDMA_READ:
	case IB_WR_ATOMIC_CMP_AND_SWP:
	case IB_WR_ATOMIC_FETCH_AND_ADD:
		break;
	default:
		return -EINVAL;
	}
	if (wr->opcode == IB_WR_LOCAL_INV)
		return 0;
	if (zroce_qp_is_ud(qp)) {
		wqe->wr.ud.ah = to_zah(ud_wr(wr)->ah)->ahn;
		wqe->wr.ud.remote_qpn = ud_wr(wr)->remote_qpn;
		wqe->wr.ud.remote_qkey = ud_wr(wr)->remote_qkey;
	} else if (wr->opcode == IB_WR_ATOMIC_CMP_AND_SWP ||
		   wr->opcode == IB_WR_ATOMIC_FETCH_AND_ADD) {
		wqe->wr.atomic.remote_addr = atomic_wr(wr)->remote_addr;
		wqe->wr.atomic.compare_add = atomic_wr(wr)->compare_add;
		wqe->wr.atomic.swap = atomic_wr(wr)->swap;
		wqe->wr.atomic.rkey = atomic_wr(wr)->rkey;
	} else if (wr->opcode != IB_WR_SEND && wr->opcode != IB_WR_SEND_WITH_IMM &&
		   wr->opcode != IB_WR_SEND_WITH_INV) {
		wqe->wr.rdma.remote_addr = rdma_wr(wr)->remote_addr;
		wqe->wr.rdma.rkey = rdma_wr(wr)->rkey;
	}
	return zroce_wr_sges(qp, wr, wqe);
}

/* Write the WRs of a kernel ULP into the SQ ring; the requester reads them. */
static int zroce_post_send_kernel(struct zroce_qp *qp,
				  const struct ib_send_wr *wr,
				  const struct ib_send_wr **bad_wr)
{
	struct zroce_ring *ring = &qp->sq;
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&qp->sq_lock, flags);
	for (; wr; wr = wr->next) {
		if (zroce_ring_full(ring->kidx,
				    smp_load_acquire(zroce_ring_word(ring,
						ZROCE_RING_CONS_OFFSET)),
				    ring->num_slots)) {
			err = -ENOMEM;
			break;
		}
		err = zroce_wr_to_wqe(qp, wr,
				      zroce_ring_slot_addr(ring, ring->kidx));
		if (err)
			break;
		ring->kidx++;
		smp_store_release(zroce_ring_word(ring, ZROCE_RING_PROD_OFFSET),
				  ring->kidx);
	}
	if (err)
		*bad_wr = wr;
	spin_unlock_irqrestore(&qp->sq_lock, flags);
	return err;
}

/*
 * The doorbell: the requester runs inline up to a budget.  A kernel ULP
 * may post with interrupts off (the MAD layer does); the work item sends
 * for it then.
 */
int zroce_post_send(struct ib_qp *ibqp, const struct ib_send_wr *wr,
		    const struct ib_send_wr **bad_wr)
{
	struct zroce_qp *qp = to_zqp(ibqp);
	enum ib_qp_state state = READ_ONCE(qp->attr.qp_state);
	int err = 0;

	if (ibqp->uobject && wr) {
		*bad_wr = wr;
		return -EINVAL;
	}
	if (!ibqp->uobject) {
		if (state == IB_QPS_RESET || state == IB_QPS_INIT ||
		    state == IB_QPS_RTR) {
			*bad_wr = wr;
			return -EINVAL;
		}
		err = zroce_post_send_kernel(qp, wr, bad_wr);
	}
	if (state == IB_QPS_ERR || irqs_disabled())
		zroce_req_kick(qp);	/* ERR: flushes */
	else
		zroce_req_run(qp, true);
	return err;
}

/* Queue receive WRs of a kernel ULP in the ring the RX path consumes. */
int zroce_post_recv_ring(struct zroce_ring *ring, spinlock_t *lock,
			 u32 max_sge, const struct ib_recv_wr *wr,
			 const struct ib_recv_wr **bad_wr)
{
	u32 *cons_word = zroce_ring_word(ring, ZROCE_RING_CONS_OFFSET);
	struct zroce_recv_wqe *wqe;
	struct zroce_sge *sge;
	unsigned long flags;
	int err = 0;
	int i;

	spin_lock_irqsave(lock, flags);
	for (; wr; wr = wr->next) {
		if (zroce_ring_full(ring->kidx, smp_load_acquire(cons_word),
				    ring->num_slots)) {
			err = -ENOMEM;
			break;
		}
		if (wr->num_sge < 0 || wr->num_sge > max_sge) {
			err = -EINVAL;
			break;
		}
		wqe = zroce_ring_slot_addr(ring, ring->kidx);
		wqe->wr_id = wr->wr_id;
		wqe->num_sge = wr->num_sge;
		sge = (struct zroce_sge *)(wqe + 1);
		for (i = 0; i < wr->num_sge; i++) {
			sge[i].addr = wr->sg_list[i].addr;
			sge[i].length = wr->sg_list[i].length;
			sge[i].lkey = wr->sg_list[i].lkey;
		}
		ring->kidx++;
		smp_store_release(zroce_ring_word(ring, ZROCE_RING_PROD_OFFSET),
				  ring->kidx);
	}
	if (err)
		*bad_wr = wr;
	spin_unlock_irqrestore(lock, flags);
	return err;
}

int zroce_post_recv(struct ib_qp *ibqp, const struct ib_recv_wr *wr,
		    const struct ib_recv_wr **bad_wr)
{
	struct zroce_qp *qp = to_zqp(ibqp);
	enum ib_qp_state state = READ_ONCE(qp->attr.qp_state);
	int err;

	if (ibqp->uobject || ibqp->srq) {
		*bad_wr = wr;
		return ibqp->srq ? -EINVAL : -EOPNOTSUPP;
	}

	if (state == IB_QPS_RESET) {
		*bad_wr = wr;
		return -EINVAL;
	}
	err = zroce_post_recv_ring(&qp->rq, &qp->rq_lock, qp->cap.max_recv_sge,
				   wr, bad_wr);
	if (state == IB_QPS_ERR)
		zroce_req_kick(qp);	/* flushes */
	return err;
}
