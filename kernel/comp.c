// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The completer: ACKs, NAKs, READ responses and atomic ACKs complete send
 * WQEs in order.  Runs in softirq with sq_lock held; what it unblocks is
 * sent by the QP's work item, never from here.  A response whose data
 * needs a page of an ODP MR faulted in changes nothing and is handed back
 * (-EAGAIN) to be tried again from the QP's rx_work.
 */
#include "zroce.h"

static u8 zroce_wc_opcode(u32 wr_opcode)
{
	switch (wr_opcode) {
	case IB_WR_RDMA_WRITE:
	case IB_WR_RDMA_WRITE_WITH_IMM:
		return IB_WC_RDMA_WRITE;
	case IB_WR_RDMA_READ:
		return IB_WC_RDMA_READ;
	case IB_WR_ATOMIC_CMP_AND_SWP:
		return IB_WC_COMP_SWAP;
	case IB_WR_ATOMIC_FETCH_AND_ADD:
		return IB_WC_FETCH_ADD;
	case IB_WR_BIND_MW:
		return IB_WC_BIND_MW;
	case IB_WR_LOCAL_INV:
		return IB_WC_LOCAL_INV;
	case IB_WR_REG_MR:
		return IB_WC_REG_MR;
	case ZROCE_WR_ATOMIC_WRITE:
		return ZROCE_WC_ATOMIC_WRITE;
	default:
		return IB_WC_SEND;
	}
}

/* A CQE for swqe if it is signalled or failed. */
void zroce_send_cqe(struct zroce_qp *qp, struct zroce_swqe *swqe,
		    enum ib_wc_status status)
{
	const struct zroce_send_wqe *wqe = swqe->wqe;
	struct zroce_cqe cqe = {
		.wr_id = wqe->wr_id,
		.status = status,
		.opcode = zroce_wc_opcode(wqe->opcode),
		.byte_len = swqe->length,
		.qp_num = qp->ibqp.qp_num,
		.port_num = ZROCE_PORT,
	};

	if (status == IB_WC_SUCCESS && qp->sq_sig_type != IB_SIGNAL_ALL_WR &&
	    !(wqe->send_flags & IB_SEND_SIGNALED))
		return;
	zroce_cq_post(to_zcq(qp->ibqp.send_cq), &cqe, false);
}

/* Complete the WQE at head and hand its slot back to the process. */
void zroce_sq_complete(struct zroce_qp *qp, enum ib_wc_status status)
{
	struct zroce_req *req = &qp->req;
	struct zroce_swqe *swqe = zroce_swqe_at(qp, req->head);

	lockdep_assert_held(&qp->sq_lock);
	swqe->started = false;
	if (zroce_wqe_is_rd_atomic(swqe->wqe) && req->inflight_rd &&
	    req->head != req->next)
		req->inflight_rd--;
	req->head++;
	/*
	 * Free the slot before the completion can be seen: a process on
	 * another CPU that polls it may post again at once, into this slot.
	 * swqe stays ours under sq_lock.
	 */
	smp_store_release(zroce_ring_word(&qp->sq, ZROCE_RING_CONS_OFFSET),
			  req->head);
	zroce_send_cqe(qp, swqe, status);
}

/* Everything up to psn is acknowledged: complete the SENDs and WRITEs. */
static void zroce_comp_acked(struct zroce_qp *qp, u32 psn)
{
	struct zroce_req *req = &qp->req;
	struct zroce_swqe *swqe;

	/* an ACK for a PSN not sent yet is a ghost */
	if (zroce_psn_diff(psn, req->psn) >= 0)
		return;
	if (zroce_psn_diff(psn, req->una_psn) >= 0)
		req->una_psn = zroce_psn_add(psn, 1);
	while (req->head != req->next) {
		swqe = zroce_swqe_at(qp, req->head);
		if (zroce_psn_diff(swqe->last_psn, psn) > 0 ||
		    zroce_wqe_is_rd_atomic(swqe->wqe))
			break;
		zroce_sq_complete(qp, IB_WC_SUCCESS);
	}
	req->retry = qp->attr.retry_cnt;
	zroce_req_timer(qp, true);
}

static enum ib_wc_status zroce_nak_status(u8 code)
{
	switch (code) {
	case ZROCE_NAK_REMOTE_ACCESS:
		return IB_WC_REM_ACCESS_ERR;
	case ZROCE_NAK_REMOTE_OP:
		return IB_WC_REM_OP_ERR;
	default:
		return IB_WC_REM_INV_REQ_ERR;
	}
}

static void zroce_comp_rnr(struct zroce_qp *qp, const struct zroce_hdr *h)
{
	struct zroce_req *req = &qp->req;
	u32 usec = zroce_rnr_timer_usec(h->syndrome & 0x1f);

	zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_RNR_NAKS_RCVD, 1);
	if (!req->rnr_retry) {
		zroce_swqe_at(qp, req->head)->status = IB_WC_RNR_RETRY_EXC_ERR;
		zroce_qp_error(qp);
		return;
	}
	if (req->rnr_retry != 7)
		req->rnr_retry--;
	zroce_req_rewind(qp, h->psn);
	req->rnr_wait = true;
	mod_timer(&qp->rnr_timer, jiffies + usecs_to_jiffies(usec));
}

/* ACK, RNR NAK or NAK; returns whether the requester may send more. */
static bool zroce_comp_ack(struct zroce_qp *qp, const struct zroce_hdr *h)
{
	u32 prev = zroce_psn_add(h->psn, 0xffffff);
	struct zroce_req *req = &qp->req;

	switch (zroce_aeth_type(h->syndrome)) {
	case ZROCE_AETH_T_ACK:
		zroce_comp_acked(qp, h->psn);
		req->rnr_retry = qp->attr.rnr_retry;
		return true;
	case ZROCE_AETH_T_RNR:
		zroce_comp_acked(qp, prev);
		zroce_comp_rnr(qp, h);
		return false;
	case ZROCE_AETH_T_NAK:
		zroce_comp_acked(qp, prev);
		if ((h->syndrome & 0x1f) == ZROCE_NAK_PSN_SEQ) {
			zroce_count(to_zdev(qp->ibqp.device),
				    ZROCE_CNT_SEQ_ERRS, 1);
			zroce_req_rewind(qp, h->psn);
			return true;
		}
		/* the WQE it is for may still be going out (offset) */
		if (req->head != req->next || req->offset) {
			zroce_swqe_at(qp, req->head)->status =
				zroce_nak_status(h->syndrome & 0x1f);
			zroce_qp_error(qp);
		}
		return false;
	default:
		return false;
	}
}

/*
 * The WQE at head if a READ or atomic response at psn is the next it
 * expects, or NULL.  A response beyond the expected one means some were
 * lost: ask again from the gap at once, once per gap.
 */
static struct zroce_swqe *zroce_comp_rd_wqe(struct zroce_qp *qp, u32 psn,
					    bool atomic, bool *kick)
{
	struct zroce_req *req = &qp->req;
	struct zroce_swqe *swqe;
	u32 expect;

	if (req->head == req->next)
		return NULL;
	swqe = zroce_swqe_at(qp, req->head);
	if (atomic != (swqe->wqe->opcode != IB_WR_RDMA_READ) ||
	    !zroce_wqe_is_rd_atomic(swqe->wqe))
		return NULL;
	expect = zroce_psn_add(swqe->first_psn, swqe->resp_bytes / qp->mtu);
	if (psn == expect)
		return swqe;
	zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_SEQ_ERRS, 1);
	if (zroce_psn_diff(psn, expect) > 0 && req->rd_gap_psn != expect) {
		req->rd_gap_psn = expect;
		zroce_req_rewind(qp, expect);
		*kick = true;
	}
	return NULL;
}

/* 1: the requester may send more; 0; or -EAGAIN (an ODP fault first). */
static int zroce_comp_read(struct zroce_qp *qp, const struct zroce_hdr *h,
			   struct sk_buff *skb)
{
	bool last = h->opcode == ZROCE_OP_RC_RDMA_READ_RESPONSE_LAST ||
		    h->opcode == ZROCE_OP_RC_RDMA_READ_RESPONSE_ONLY;
	struct zroce_sge_cursor cur;
	struct zroce_swqe *swqe;
	bool kick = false;
	int status;

	if (h->mask & ZROCE_M_AETH)
		zroce_comp_acked(qp, zroce_psn_add(h->psn, 0xffffff));
	swqe = zroce_comp_rd_wqe(qp, h->psn, false, &kick);
	if (!swqe)
		return kick;
	if (h->payload_len > swqe->length - swqe->resp_bytes ||
	    (!last && h->payload_len != qp->mtu) ||
	    (last && h->payload_len != swqe->length - swqe->resp_bytes)) {
		swqe->status = IB_WC_LOC_LEN_ERR;
		zroce_qp_error(qp);
		return false;
	}
	zroce_sge_cursor_init(&cur, (const void *)(swqe->wqe + 1),
			      swqe->wqe->num_sge, swqe->resp_bytes);
	status = zroce_sge_scatter(qp, qp->ibqp.pd, &cur, skb, h->hdr_len,
				   h->payload_len);
	if (status == -EAGAIN)
		return status;
	if (status) {
		swqe->status = status;
		zroce_qp_error(qp);
		return false;
	}
	swqe->resp_bytes += h->payload_len;
	qp->req.retry = qp->attr.retry_cnt;	/* progress */
	zroce_req_timer(qp, true);
	if (!last)
		return false;
	qp->req.una_psn = zroce_psn_add(h->psn, 1);
	qp->req.retry = qp->attr.retry_cnt;
	zroce_sq_complete(qp, IB_WC_SUCCESS);
	zroce_req_timer(qp, true);
	return true;
}

static int zroce_comp_atomic(struct zroce_qp *qp, const struct zroce_hdr *h)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	const struct zroce_sge *sge;
	struct zroce_swqe *swqe;
	struct zroce_mr *mr;
	u64 orig = h->atomic_orig;
	bool kick = false;
	int err;

	zroce_comp_acked(qp, zroce_psn_add(h->psn, 0xffffff));
	swqe = zroce_comp_rd_wqe(qp, h->psn, true, &kick);
	if (!swqe)
		return kick;
	sge = (const void *)(swqe->wqe + 1);
	mr = zroce_mr_lookup(zdev, sge->lkey, qp->ibqp.pd,
			     IB_ACCESS_LOCAL_WRITE, sge->addr, sizeof(orig),
			     NULL);
	err = mr ? zroce_mr_access_begin(mr, sge->addr, sizeof(orig)) :
		   -EFAULT;
	if (err == -EAGAIN)
		return err;
	if (err) {
		swqe->status = IB_WC_LOC_PROT_ERR;
		zroce_qp_error(qp);
		return false;
	}
	zroce_mr_copy(mr, sge->addr, &orig, sizeof(orig), true);
	zroce_mr_access_end(mr, sizeof(orig));
	qp->req.una_psn = zroce_psn_add(h->psn, 1);
	qp->req.retry = qp->attr.retry_cnt;
	zroce_sq_complete(qp, IB_WC_SUCCESS);
	zroce_req_timer(qp, true);
	return true;
}

/*
 * A response for the requester of qp; called under RCU in softirq.
 * Returns 0, or -EAGAIN with nothing done (see the top).
 */
int zroce_comp_rcv(struct zroce_qp *qp, const struct zroce_hdr *h,
		   struct sk_buff *skb)
{
	enum ib_qp_state state = READ_ONCE(qp->attr.qp_state);
	int kick;

	if (state != IB_QPS_RTS && state != IB_QPS_SQD)
		return 0;
	spin_lock(&qp->sq_lock);
	if (h->mask & ZROCE_M_READ_RESP)
		kick = zroce_comp_read(qp, h, skb);
	else if (h->mask & ZROCE_M_ATMACK)
		kick = zroce_comp_atomic(qp, h);
	else
		kick = zroce_comp_ack(qp, h);
	if (kick < 0) {
		spin_unlock(&qp->sq_lock);
		return kick;
	}
	/* a run under way sees the progress; else run if there is work */
	kick = kick && !qp->req.running && zroce_req_has_work(qp);
	spin_unlock(&qp->sq_lock);
	if (kick)
		zroce_req_kick(qp);
	return 0;
}

/* The QP is in error: complete every WQE, flushed unless it failed. */
void zroce_sq_flush(struct zroce_qp *qp)
{
	struct zroce_req *req = &qp->req;
	struct zroce_swqe *swqe;
	u32 prod;

	spin_lock_bh(&qp->sq_lock);
	prod = smp_load_acquire(zroce_ring_word(&qp->sq,
						ZROCE_RING_PROD_OFFSET));
	if (!zroce_ring_sane(prod, req->head, qp->sq.num_slots))
		prod = req->head;
	del_timer(&qp->retrans_timer);
	while (req->head != prod) {
		swqe = zroce_swqe_at(qp, req->head);
		if (!swqe->started) {
			/* never fetched: only its wr_id is needed */
			swqe->wqe = zroce_shadow_at(qp, req->head);
			memcpy(swqe->wqe, zroce_ring_slot_addr(&qp->sq,
							       req->head),
			       sizeof(*swqe->wqe));
			swqe->status = IB_WC_SUCCESS;
			swqe->length = 0;
		}
		zroce_sq_complete(qp, swqe->status ?: IB_WC_WR_FLUSH_ERR);
	}
	req->next = req->head;
	req->prod = req->head;
	req->offset = 0;
	req->inflight_rd = 0;
	zroce_req_arm(qp, true);
	smp_mb();	/* as in zroce_req_has_work() */
	prod = smp_load_acquire(zroce_ring_word(&qp->sq,
						ZROCE_RING_PROD_OFFSET));
	if (prod != req->head && zroce_ring_sane(prod, req->head,
						 qp->sq.num_slots)) {
		/* posted while we flushed, without a doorbell */
		zroce_req_arm(qp, false);
		zroce_req_kick(qp);
	}
	spin_unlock_bh(&qp->sq_lock);
}
