// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The responder: executes incoming requests in PSN order, answers them
 * with ACKs, NAKs, READ responses and atomic ACKs, and replays READs and
 * atomics it already answered when a duplicate arrives.  Runs in softirq
 * under RCU; state under rq_lock; answers go out after the lock is dropped.
 * A request that needs a page of an ODP MR faulted in changes nothing and
 * is handed back (-EAGAIN) to be tried again from the QP's rx_work.
 */
#include <rdma/ib_mad.h>
#include "zroce.h"

static DEFINE_SPINLOCK(zroce_atomic_lock);	/* all responders' atomics */

/* Results of executing a request: a NAK code (>= 0) or one of these */
#define ZROCE_RESP_OK	(-1)
#define ZROCE_RESP_RNR	(-2)	/* no receive WQE */
#define ZROCE_RESP_DROP	(-3)	/* UC: drop the message, keep the WQE */
#define ZROCE_RESP_FAULT (-4)	/* an ODP fault first: nothing changed */

/* What to send once rq_lock is dropped */
struct zroce_answer {
	u8 syndrome;			/* for an ACK or NAK */
	u32 psn;
	bool ack;
	bool has_res;
	struct zroce_resp_res res;	/* a READ response or atomic ACK */
	u32 res_from;			/* first PSN of res to send */
	bool cqe_err;			/* a receive WQE completed in error */
};

struct ib_pd *zroce_rq_pd(struct zroce_qp *qp)
{
	return qp->ibqp.srq ? qp->ibqp.srq->pd : qp->ibqp.pd;
}

/*
 * Take the next receive WQE into resp.wqe: -EAGAIN if the queue is empty,
 * -EINVAL if its producer index is garbage.
 */
int zroce_resp_take_wqe(struct zroce_qp *qp)
{
	struct zroce_srq *srq = qp->ibqp.srq ? to_zsrq(qp->ibqp.srq) : NULL;
	struct zroce_ring *ring = srq ? &srq->ring : &qp->rq;
	u32 *cons = srq ? &srq->cons : &qp->resp.head;
	u32 max_sge = srq ? srq->attr.max_sge : qp->cap.max_recv_sge;
	struct zroce_resp *r = &qp->resp;
	bool limit = false;
	u32 prod;
	int ret = 0;

	if (srq)
		spin_lock(&srq->lock);
	prod = smp_load_acquire(zroce_ring_word(ring, ZROCE_RING_PROD_OFFSET));
	if (!zroce_ring_sane(prod, *cons, ring->num_slots)) {
		ret = -EINVAL;
	} else if (prod == *cons) {
		ret = -EAGAIN;
	} else {
		const struct zroce_recv_wqe *src =
			zroce_ring_slot_addr(ring, *cons);

		memcpy(&r->wqe, src, sizeof(r->wqe));
		if (r->wqe.num_sge > min(max_sge,
					 zroce_rq_slot_sges(ring->slot_size)))
			r->wqe.num_sge = U32_MAX;	/* fails as LOC_LEN */
		else
			memcpy(r->sge, src + 1,
			       r->wqe.num_sge * sizeof(r->sge[0]));
		(*cons)++;
		smp_store_release(zroce_ring_word(ring, ZROCE_RING_CONS_OFFSET),
				  *cons);
		limit = srq && zroce_srq_limit_hit(srq, prod);
	}
	if (srq)
		spin_unlock(&srq->lock);
	if (limit)
		zroce_srq_limit_event(srq);
	return ret;
}

/*
 * The receive WQE of the message under way: the one taken before, which a
 * dropped UC message leaves for the next, or the next in the queue.
 */
static int zroce_resp_hold_wqe(struct zroce_qp *qp)
{
	int err = 0;

	if (!qp->resp.wqe_held) {
		err = zroce_resp_take_wqe(qp);
		qp->resp.wqe_held = !err;
	}
	return err;
}

/* Complete the held receive WQE. */
static void zroce_recv_cqe(struct zroce_qp *qp, const struct zroce_hdr *h,
			   u8 opcode, enum ib_wc_status status, u32 len)
{
	struct zroce_cqe cqe = {
		.wr_id = qp->resp.wqe.wr_id,
		.status = status,
		.opcode = opcode,
		.byte_len = len,
		.qp_num = qp->ibqp.qp_num,
		.src_qp = qp->attr.dest_qp_num,
		.port_num = ZROCE_PORT,
	};

	if (h->mask & ZROCE_M_IMMDT) {
		cqe.ex = h->imm;
		cqe.wc_flags |= ZROCE_CQE_WITH_IMM;
	} else if ((h->mask & ZROCE_M_IETH) && status == IB_WC_SUCCESS) {
		cqe.ex = h->inv_rkey;
		cqe.wc_flags |= ZROCE_CQE_WITH_INV;
	}
	qp->resp.wqe_held = false;
	zroce_cq_post(to_zcq(qp->ibqp.recv_cq), &cqe, h->se);
}

static void zroce_nak(struct zroce_answer *a, u32 psn, u8 code)
{
	a->ack = true;
	a->psn = psn;
	a->syndrome = ZROCE_AETH_NAK(code);
}

/* A SEND packet; returns a NAK code, or -1 when it is fine. */
static int zroce_resp_send(struct zroce_qp *qp, const struct zroce_hdr *h,
			   struct sk_buff *skb, struct zroce_answer *a)
{
	struct zroce_resp *r = &qp->resp;
	struct zroce_sge_cursor cur;
	int status, err;

	if (h->mask & ZROCE_M_FIRST) {
		err = zroce_resp_hold_wqe(qp);
		if (err == -EAGAIN) {
			a->ack = true;
			a->psn = h->psn;
			a->syndrome = ZROCE_AETH_RNR(qp->attr.min_rnr_timer);
			return ZROCE_RESP_RNR;
		}
		if (err)
			return ZROCE_NAK_REMOTE_OP;
		r->recv_off = 0;
	}
	zroce_sge_cursor_init(&cur, r->sge, r->wqe.num_sge, r->recv_off);
	status = r->wqe.num_sge == U32_MAX ? IB_WC_LOC_LEN_ERR :
		 zroce_sge_scatter(qp, zroce_rq_pd(qp), &cur, skb, h->hdr_len,
				   h->payload_len);
	if (status == -EAGAIN)
		return ZROCE_RESP_FAULT;
	r->recv_off += h->payload_len;
	/* a UC message too long for the WQE is dropped (IBTA class D1) */
	if (status == IB_WC_LOC_LEN_ERR && qp->ibqp.qp_type == IB_QPT_UC &&
	    r->wqe.num_sge != U32_MAX)
		return ZROCE_RESP_DROP;
	if (status) {
		zroce_dbg(to_zdev(qp->ibqp.device),
			  "QP %u: receive WQE %llu (%u SGEs) failed %d at %u\n",
			  qp->ibqp.qp_num, r->wqe.wr_id, r->wqe.num_sge,
			  status, r->recv_off);
		zroce_recv_cqe(qp, h, IB_WC_RECV, status, r->recv_off);
		a->cqe_err = true;
		return status == IB_WC_LOC_LEN_ERR ? ZROCE_NAK_INVALID_REQ :
						     ZROCE_NAK_REMOTE_OP;
	}
	if (!(h->mask & ZROCE_M_LAST))
		return ZROCE_RESP_OK;
	/*
	 * Only a type 2 window bound to this QP, or a fast-register MR of its
	 * PD, may be invalidated remotely (IBTA 9.4.1.1.2); any other key is
	 * an invalid request.
	 */
	if ((h->mask & ZROCE_M_IETH) &&
	    zroce_invalidate(qp, h->inv_rkey, true)) {
		zroce_dbg(to_zdev(qp->ibqp.device),
			  "QP %u: rkey 0x%x cannot be invalidated\n",
			  qp->ibqp.qp_num, h->inv_rkey);
		zroce_recv_cqe(qp, h, IB_WC_RECV, IB_WC_REM_INV_REQ_ERR,
			       r->recv_off);
		a->cqe_err = true;
		return ZROCE_NAK_INVALID_REQ;
	}
	zroce_recv_cqe(qp, h, IB_WC_RECV, IB_WC_SUCCESS, r->recv_off);
	return ZROCE_RESP_OK;
}

/*
 * Hold [va, va + len) of mr for a request: ZROCE_RESP_OK with it held
 * (zroce_mr_access_end()), ZROCE_RESP_FAULT, or a NAK code.
 */
static int zroce_resp_access(struct zroce_mr *mr, u64 va, u32 len)
{
	int err;

	if (!mr)
		return ZROCE_NAK_REMOTE_ACCESS;
	err = zroce_mr_access_begin(mr, va, len);
	if (err)
		return err == -EAGAIN ? ZROCE_RESP_FAULT :
					ZROCE_NAK_REMOTE_ACCESS;
	return ZROCE_RESP_OK;
}

/* An RDMA WRITE packet. */
static int zroce_resp_write(struct zroce_qp *qp, const struct zroce_hdr *h,
			    struct sk_buff *skb, struct zroce_answer *a)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_resp *r = &qp->resp;
	struct zroce_mr *mr;
	int ret;

	if (!(qp->attr.qp_access_flags & IB_ACCESS_REMOTE_WRITE))
		return ZROCE_NAK_INVALID_REQ;
	/* a WRITE with immediate needs a receive WQE: RNR before any change */
	if ((h->mask & ZROCE_M_IMMDT) && zroce_resp_hold_wqe(qp)) {
		a->ack = true;
		a->psn = h->psn;
		a->syndrome = ZROCE_AETH_RNR(qp->attr.min_rnr_timer);
		return ZROCE_RESP_RNR;
	}
	if (h->mask & ZROCE_M_RETH) {
		r->write_va = h->va;
		r->write_rkey = h->rkey;
		r->write_left = h->dma_len;
		r->recv_off = h->dma_len;
	}
	if (h->payload_len > r->write_left)
		return ZROCE_NAK_INVALID_REQ;
	if (h->payload_len) {
		mr = zroce_mr_lookup(zdev, r->write_rkey, qp->ibqp.pd,
				     IB_ACCESS_REMOTE_WRITE, r->write_va,
				     h->payload_len, qp);
		ret = zroce_resp_access(mr, r->write_va, h->payload_len);
		if (ret != ZROCE_RESP_OK)
			return ret;
		ret = zroce_mr_from_skb(mr, r->write_va, skb, h->hdr_len,
					h->payload_len);
		zroce_mr_access_end(mr, h->payload_len);
		if (ret)
			return ZROCE_NAK_REMOTE_ACCESS;
	}
	r->write_va += h->payload_len;
	r->write_left -= h->payload_len;
	if (!(h->mask & ZROCE_M_LAST))
		return ZROCE_RESP_OK;
	if (r->write_left)
		return ZROCE_NAK_INVALID_REQ;
	if (h->mask & ZROCE_M_IMMDT)
		zroce_recv_cqe(qp, h, IB_WC_RECV_RDMA_WITH_IMM, IB_WC_SUCCESS,
			       r->recv_off);
	return ZROCE_RESP_OK;
}

/* An RDMA ATOMIC WRITE: 8 bytes to an aligned address, in one store. */
static int zroce_resp_atomic_write(struct zroce_qp *qp,
				   const struct zroce_hdr *h,
				   struct sk_buff *skb)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_mr *mr;
	struct page *page;
	u64 val, *p;
	int ret;

	if (!(qp->attr.qp_access_flags & IB_ACCESS_REMOTE_WRITE) ||
	    h->dma_len != sizeof(val) || h->payload_len != sizeof(val) ||
	    (h->va & 7))
		return ZROCE_NAK_INVALID_REQ;
	if (skb_copy_bits(skb, h->hdr_len, &val, sizeof(val)))
		return ZROCE_NAK_INVALID_REQ;
	mr = zroce_mr_lookup(zdev, h->rkey, qp->ibqp.pd, IB_ACCESS_REMOTE_WRITE,
			     h->va, sizeof(val), qp);
	ret = zroce_resp_access(mr, h->va, sizeof(val));
	if (ret != ZROCE_RESP_OK)
		return ret;
	spin_lock(&zroce_atomic_lock);
	p = zroce_mr_atomic_map(mr, h->va, &page);
	WRITE_ONCE(*p, val);
	if (page)
		kunmap_local(p);
	spin_unlock(&zroce_atomic_lock);
	zroce_mr_access_end(mr, sizeof(val));
	return ZROCE_RESP_OK;
}

static struct zroce_resp_res *zroce_res_new(struct zroce_qp *qp)
{
	struct zroce_resp *r = &qp->resp;
	u32 n = max_t(u8, qp->attr.max_dest_rd_atomic, 1);

	return &r->res[r->res_next++ % n];
}

/* An RDMA READ request: checked now, answered after the lock. */
static int zroce_resp_read(struct zroce_qp *qp, const struct zroce_hdr *h,
			   struct zroce_answer *a)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_resp_res *res;
	struct zroce_mr *mr;
	int ret;

	if (!(qp->attr.qp_access_flags & IB_ACCESS_REMOTE_READ))
		return ZROCE_NAK_INVALID_REQ;
	if (h->dma_len) {
		/* ODP: every page mapped before the READ is accepted */
		mr = zroce_mr_lookup(zdev, h->rkey, qp->ibqp.pd,
				     IB_ACCESS_REMOTE_READ, h->va, h->dma_len,
				     qp);
		ret = zroce_resp_access(mr, h->va, h->dma_len);
		if (ret != ZROCE_RESP_OK)
			return ret;
		zroce_mr_access_end(mr, h->dma_len);
	}
	res = zroce_res_new(qp);
	res->opcode = h->opcode;
	res->psn = h->psn;
	res->last_psn = zroce_psn_add(h->psn,
		max_t(u32, 1, DIV_ROUND_UP(h->dma_len, qp->mtu)) - 1);
	res->va = h->va;
	res->rkey = h->rkey;
	res->length = h->dma_len;
	res->valid = true;
	a->res = *res;
	a->has_res = true;
	a->res_from = h->psn;
	return ZROCE_RESP_OK;
}

static int zroce_resp_atomic(struct zroce_qp *qp, const struct zroce_hdr *h,
			     struct zroce_answer *a)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_resp_res *res;
	struct zroce_mr *mr;
	struct page *page;
	u64 *p, orig;
	int ret;

	if (!(qp->attr.qp_access_flags & IB_ACCESS_REMOTE_ATOMIC))
		return ZROCE_NAK_INVALID_REQ;
	if (h->va & 7)
		return ZROCE_NAK_INVALID_REQ;
	mr = zroce_mr_lookup(zdev, h->rkey, qp->ibqp.pd,
			     IB_ACCESS_REMOTE_ATOMIC, h->va, 8, qp);
	ret = zroce_resp_access(mr, h->va, sizeof(orig));
	if (ret != ZROCE_RESP_OK)
		return ret;

	spin_lock(&zroce_atomic_lock);
	p = zroce_mr_atomic_map(mr, h->va, &page);
	orig = *p;
	if (h->opcode == ZROCE_OP_RC_CMP_SWAP) {
		if (orig == h->compare)
			*p = h->swap_add;
	} else {
		*p = orig + h->swap_add;
	}
	if (page)
		kunmap_local(p);
	spin_unlock(&zroce_atomic_lock);
	zroce_mr_access_end(mr, sizeof(orig));

	res = zroce_res_new(qp);
	res->opcode = h->opcode;
	res->psn = h->psn;
	res->last_psn = h->psn;
	res->atomic_orig = orig;
	res->valid = true;
	a->res = *res;
	a->has_res = true;
	a->res_from = h->psn;
	return ZROCE_RESP_OK;
}

static void zroce_resp_ack(struct zroce_qp *qp, u8 syndrome, u32 psn,
			   u32 msn)
{
	struct zroce_hdr h = {
		.opcode = ZROCE_OP_RC_ACK,
		.pkey = IB_DEFAULT_PKEY_FULL,
		.dqpn = qp->attr.dest_qp_num,
		.psn = psn,
		.syndrome = syndrome,
		.msn = msn,
	};
	struct zroce_pkt pkt;

	if (!zroce_pkt_init(&pkt, to_zdev(qp->ibqp.device), &qp->av,
			    &qp->dst_cache, qp->src_port, &h, true))
		zroce_pkt_send(&pkt);
}

static void zroce_resp_atomic_ack(struct zroce_qp *qp,
				  const struct zroce_resp_res *res, u32 msn)
{
	struct zroce_hdr h = {
		.opcode = ZROCE_OP_RC_ATOMIC_ACK,
		.pkey = IB_DEFAULT_PKEY_FULL,
		.dqpn = qp->attr.dest_qp_num,
		.psn = res->psn,
		.syndrome = ZROCE_AETH_ACK(ZROCE_AETH_CREDITS_INVALID),
		.msn = msn,
		.atomic_orig = res->atomic_orig,
	};
	struct zroce_pkt pkt;

	if (!zroce_pkt_init(&pkt, to_zdev(qp->ibqp.device), &qp->av,
			    &qp->dst_cache, qp->src_port, &h, true))
		zroce_pkt_send(&pkt);
}

static u8 zroce_read_resp_opcode(u32 i, u32 n)
{
	if (n == 1)
		return ZROCE_OP_RC_RDMA_READ_RESPONSE_ONLY;
	if (!i)
		return ZROCE_OP_RC_RDMA_READ_RESPONSE_FIRST;
	return i == n - 1 ? ZROCE_OP_RC_RDMA_READ_RESPONSE_LAST :
			    ZROCE_OP_RC_RDMA_READ_RESPONSE_MIDDLE;
}

/* The payload of a READ response; -EAGAIN if an ODP page must come first. */
static int zroce_resp_read_put(struct zroce_pkt *pkt, struct zroce_mr *mr,
			       u64 va, u32 len)
{
	int err = zroce_mr_access_begin(mr, va, len);

	if (err)
		return err;
	err = zroce_pkt_put_mr(pkt, mr, va, len);
	zroce_mr_access_end(mr, len);
	return err;
}

/*
 * The READ response of res met a missing ODP page at PSN from: rx_work
 * goes on with it (struct zroce_read_defer).  If another waits already,
 * the fault is served in the background and the peer asks again.
 */
static void zroce_resp_read_defer(struct zroce_qp *qp,
				  const struct zroce_resp_res *res, u32 from,
				  u32 msn)
{
	struct zroce_read_defer *rd = &qp->read_defer;
	bool queued = false;

	spin_lock(&qp->rx_backlog.lock);
	if (!rd->pending || rd->resuming) {
		if (!rd->resuming)
			rd->tries = 0;
		queued = zroce_fault_take(&rd->fault);
		rd->res = *res;
		rd->from = from;
		rd->msn = msn;
		rd->pending = queued;
		rd->resuming = false;
	}
	spin_unlock(&qp->rx_backlog.lock);
	if (queued)
		queue_work(zroce_wq, &qp->rx_work);
	else
		zroce_fault_defer();
}

/* READ response packets of res from PSN from on, payload from the MR. */
static void zroce_resp_read_send(struct zroce_qp *qp,
				 const struct zroce_resp_res *res, u32 from,
				 u32 msn)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	u32 n = max_t(u32, 1, DIV_ROUND_UP(res->length, qp->mtu));
	u32 i = zroce_psn_diff(from, res->psn);
	struct zroce_hdr h = {
		.pkey = IB_DEFAULT_PKEY_FULL,
		.dqpn = qp->attr.dest_qp_num,
		.syndrome = ZROCE_AETH_ACK(ZROCE_AETH_CREDITS_INVALID),
		.msn = msn,
	};
	struct zroce_pkt pkt;
	struct zroce_mr *mr;
	u32 off;
	int err;

	for (; i < n; i++) {
		off = i * qp->mtu;
		h.opcode = zroce_read_resp_opcode(i, n);
		h.psn = zroce_psn_add(res->psn, i);
		h.payload_len = min(qp->mtu, res->length - off);
		mr = h.payload_len ?
		     zroce_mr_lookup(zdev, res->rkey, qp->ibqp.pd,
				     IB_ACCESS_REMOTE_READ, res->va + off,
				     h.payload_len, qp) : NULL;
		if (h.payload_len && !mr)
			return;		/* deregistered since */
		/* only pinned user pages are attached (zroce_pkt_put_mr()) */
		if (zroce_pkt_init(&pkt, zdev, &qp->av, &qp->dst_cache,
				   qp->src_port, &h,
				   mr && (!mr->umem || mr->odp)))
			return;
		err = mr ? zroce_resp_read_put(&pkt, mr, res->va + off,
					       h.payload_len) : 0;
		if (err) {
			zroce_pkt_abort(&pkt);
			if (err == -EAGAIN)
				zroce_resp_read_defer(qp, res, h.psn, msn);
			return;
		}
		zroce_pkt_send(&pkt);
	}
}

static void zroce_resp_answer(struct zroce_qp *qp,
			      const struct zroce_answer *a, u32 msn)
{
	if (a->ack)
		zroce_resp_ack(qp, a->syndrome, a->psn, msn);
	if (!a->has_res)
		return;
	if (a->res.opcode == ZROCE_OP_RC_RDMA_READ_REQUEST)
		zroce_resp_read_send(qp, &a->res, a->res_from, msn);
	else
		zroce_resp_atomic_ack(qp, &a->res, msn);
}

/*
 * From rx_work: serve the fault of the deferred READ response and send
 * the rest of it, or, if the pages are gone, NAK the READ.  Its packets
 * wait until this is done, so answers keep their order.
 */
void zroce_resp_read_resume(struct zroce_qp *qp)
{
	struct zroce_read_defer *rd = &qp->read_defer, copy;
	bool failed, give_up;

	spin_lock_bh(&qp->rx_backlog.lock);
	copy = *rd;
	rd->fault.mr = NULL;
	give_up = rd->tries++ >= ZROCE_RX_FAULT_TRIES;
	rd->resuming = !give_up;
	rd->pending = !give_up;
	spin_unlock_bh(&qp->rx_backlog.lock);
	if (give_up) {	/* the pages keep going: the peer asks again */
		zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_ODP_DROPPED, 1);
		zroce_fault_put(&copy.fault);
		return;
	}
	failed = zroce_odp_fault(&copy.fault) != 0;
	zroce_fault_put(&copy.fault);

	local_bh_disable();
	rcu_read_lock();
	if (failed) {
		zroce_resp_ack(qp, ZROCE_AETH_NAK(ZROCE_NAK_REMOTE_ACCESS),
			       copy.res.psn, copy.msn);
		zroce_qp_error(qp);
	} else {
		/* may defer again: then resuming is false */
		zroce_resp_read_send(qp, &copy.res, copy.from, copy.msn);
	}
	spin_lock(&qp->rx_backlog.lock);
	if (rd->resuming)
		rd->pending = rd->resuming = false;
	spin_unlock(&qp->rx_backlog.lock);
	rcu_read_unlock();
	local_bh_enable();
}

/* A request seen before: answer it again, execute nothing. */
static void zroce_resp_duplicate(struct zroce_qp *qp,
				 const struct zroce_hdr *h,
				 struct zroce_answer *a)
{
	struct zroce_resp *r = &qp->resp;
	u32 i;

	zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_DUPLICATES, 1);
	if (!(h->mask & (ZROCE_M_READ_REQ | ZROCE_M_ATOMIC))) {
		a->ack = true;
		a->psn = zroce_psn_add(r->psn, 0xffffff);
		a->syndrome = ZROCE_AETH_ACK(ZROCE_AETH_CREDITS_INVALID);
		return;
	}
	for (i = 0; i < max_t(u8, qp->attr.max_dest_rd_atomic, 1); i++) {
		const struct zroce_resp_res *res = &r->res[i];

		if (res->valid && res->opcode == h->opcode &&
		    zroce_psn_diff(h->psn, res->psn) >= 0 &&
		    zroce_psn_diff(h->psn, res->last_psn) <= 0) {
			a->res = *res;
			a->has_res = true;
			a->res_from = h->psn;
			return;
		}
	}
}

/* Whether h may follow the packets accepted so far. */
static bool zroce_resp_op_ok(const struct zroce_resp *r,
			     const struct zroce_hdr *h)
{
	bool send = h->mask & ZROCE_M_SEND, write = h->mask & ZROCE_M_WRITE;

	if (!r->in_msg)
		return !(h->mask & (ZROCE_M_SEND | ZROCE_M_WRITE)) ||
		       (h->mask & ZROCE_M_FIRST);
	if (h->mask & ZROCE_M_FIRST)
		return false;
	return r->msg_kind == (send ? ZROCE_M_SEND : write ? ZROCE_M_WRITE : 0);
}

static int zroce_resp_execute(struct zroce_qp *qp, const struct zroce_hdr *h,
			      struct sk_buff *skb, struct zroce_answer *a)
{
	u32 mtu = qp->mtu;

	if (!zroce_resp_op_ok(&qp->resp, h))
		return ZROCE_NAK_INVALID_REQ;
	if ((h->mask & (ZROCE_M_SEND | ZROCE_M_WRITE)) &&
	    (h->payload_len > mtu ||
	     (!(h->mask & ZROCE_M_LAST) && h->payload_len != mtu)))
		return ZROCE_NAK_INVALID_REQ;
	if (h->mask & ZROCE_M_SEND)
		return zroce_resp_send(qp, h, skb, a);
	if (h->mask & ZROCE_M_ATOMIC_WRITE)
		return zroce_resp_atomic_write(qp, h, skb);
	if (h->mask & ZROCE_M_WRITE)
		return zroce_resp_write(qp, h, skb, a);
	if (h->mask & ZROCE_M_READ_REQ)
		return zroce_resp_read(qp, h, a);
	return zroce_resp_atomic(qp, h, a);
}

/* Move the expected PSN and the message state past an executed request. */
static void zroce_resp_advance(struct zroce_qp *qp, const struct zroce_hdr *h,
			       struct zroce_answer *a)
{
	struct zroce_resp *r = &qp->resp;
	u32 npkts = 1;

	if (h->mask & ZROCE_M_READ_REQ)
		npkts = max_t(u32, 1, DIV_ROUND_UP(h->dma_len, qp->mtu));
	r->psn = zroce_psn_add(h->psn, npkts);
	r->nak_sent = false;
	if ((h->mask & ZROCE_M_FIRST) && !(h->mask & ZROCE_M_LAST)) {
		r->in_msg = true;
		r->msg_kind = h->mask & ZROCE_M_SEND ? ZROCE_M_SEND :
						      ZROCE_M_WRITE;
	}
	if ((h->mask & ZROCE_M_LAST) || !(h->mask & (ZROCE_M_SEND |
						     ZROCE_M_WRITE))) {
		r->in_msg = false;
		r->msn = (r->msn + 1) & 0xffffff;
	}
	if (h->ack_req && !a->has_res && !a->ack) {
		a->ack = true;
		a->psn = h->psn;
		a->syndrome = ZROCE_AETH_ACK(ZROCE_AETH_CREDITS_INVALID);
	}
}

/*
 * A UC request: nothing is acknowledged, so a PSN gap or a packet that
 * cannot be executed drops the message under way, and the next FIRST or
 * ONLY packet starts afresh from its own PSN.  The receive WQE of a
 * dropped SEND waits for the next message.  Called under rq_lock.
 */
static int zroce_resp_uc(struct zroce_qp *qp, const struct zroce_hdr *h,
			 struct sk_buff *skb)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_resp *r = &qp->resp;
	struct zroce_answer a = {};
	int ret;

	lockdep_assert_held(&qp->rq_lock);
	if (h->psn != r->psn || r->uc_drop) {
		if (!r->uc_drop) {
			/* the open message is cut short, or this one began
			 * in a lost packet
			 */
			zroce_count(zdev, ZROCE_CNT_SEQ_ERRS, 1);
			if (r->in_msg || !(h->mask & ZROCE_M_FIRST))
				zroce_count(zdev, ZROCE_CNT_UC_DROPPED, 1);
		}
		r->in_msg = false;
		r->uc_drop = !(h->mask & ZROCE_M_FIRST);
		if (r->uc_drop)
			return 0;
		r->psn = h->psn;
	}
	ret = zroce_resp_execute(qp, h, skb, &a);
	if (ret == ZROCE_RESP_OK)
		zroce_resp_advance(qp, h, &a);
	if (ret == ZROCE_RESP_OK || ret == ZROCE_RESP_FAULT)
		return ret == ZROCE_RESP_FAULT ? -EAGAIN : 0;
	zroce_dbg(zdev, "QP %u: UC message dropped (%d) at PSN %u\n",
		  qp->ibqp.qp_num, ret, h->psn);
	zroce_count(zdev, ret == ZROCE_RESP_RNR ? ZROCE_CNT_NO_RECV_WQE :
						 ZROCE_CNT_UC_DROPPED, 1);
	r->psn = zroce_psn_add(h->psn, 1);
	r->uc_drop = !(h->mask & ZROCE_M_LAST);
	r->in_msg = false;
	if (a.cqe_err)
		zroce_qp_error(qp);	/* the receive WQE itself was bad */
	return 0;
}

/* A request for qp: 0, or -EAGAIN with nothing done (see the top). */
int zroce_resp_rcv(struct zroce_qp *qp, const struct zroce_hdr *h,
		   struct sk_buff *skb)
{
	struct zroce_resp *r = &qp->resp;
	struct zroce_answer a = {};
	int diff, ret;
	u32 msn;

	if (!zroce_qp_state_rcv(READ_ONCE(qp->attr.qp_state)))
		return 0;
	spin_lock(&qp->rq_lock);
	if (qp->ibqp.qp_type == IB_QPT_UC) {
		ret = zroce_resp_uc(qp, h, skb);
		spin_unlock(&qp->rq_lock);
		return ret;
	}
	diff = zroce_psn_diff(h->psn, r->psn);
	if (diff > 0) {
		zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_SEQ_ERRS, 1);
		if (!r->nak_sent) {
			r->nak_sent = true;
			zroce_nak(&a, r->psn, ZROCE_NAK_PSN_SEQ);
		}
	} else if (diff < 0) {
		zroce_resp_duplicate(qp, h, &a);
	} else {
		ret = zroce_resp_execute(qp, h, skb, &a);
		if (ret == ZROCE_RESP_OK) {
			zroce_resp_advance(qp, h, &a);
		} else if (ret == ZROCE_RESP_FAULT) {
			spin_unlock(&qp->rq_lock);
			return -EAGAIN;
		} else if (ret == ZROCE_RESP_RNR) {
			zroce_count(to_zdev(qp->ibqp.device),
				    ZROCE_CNT_RNR_NAKS_SENT, 1);
		} else if (ret >= 0) {
			zroce_dbg(to_zdev(qp->ibqp.device),
				  "QP %u: NAK %d for opcode 0x%x PSN %u len %u\n",
				  qp->ibqp.qp_num, ret, h->opcode, h->psn,
				  h->payload_len);
			zroce_nak(&a, h->psn, ret);
			zroce_qp_error(qp);
		}
	}
	msn = r->msn;
	spin_unlock(&qp->rq_lock);
	zroce_resp_answer(qp, &a, msn);
	return 0;
}

/* The QP is in error: flush the receive queue (an SRQ is not flushed). */
void zroce_rq_flush(struct zroce_qp *qp)
{
	struct zroce_resp *r = &qp->resp;
	struct zroce_hdr h = {};
	bool last = false;
	u32 prod;

	spin_lock_bh(&qp->rq_lock);
	if (r->wqe_held)	/* taken for a message that never ended */
		zroce_recv_cqe(qp, &h, IB_WC_RECV, IB_WC_WR_FLUSH_ERR, 0);
	if (qp->ibqp.srq) {
		/* it takes no more WQEs from the SRQ (IBTA 11.6.3.3) */
		last = !r->last_wqe;
		r->last_wqe = true;
	}
	if (qp->ibqp.srq || !qp->rq.buf) {
		spin_unlock_bh(&qp->rq_lock);
		if (last)
			zroce_qp_event(qp, IB_EVENT_QP_LAST_WQE_REACHED);
		return;
	}
	prod = smp_load_acquire(zroce_ring_word(&qp->rq,
						ZROCE_RING_PROD_OFFSET));
	if (!zroce_ring_sane(prod, r->head, qp->rq.num_slots))
		prod = r->head;
	while (r->head != prod) {
		const struct zroce_recv_wqe *wqe =
			zroce_ring_slot_addr(&qp->rq, r->head);

		r->wqe.wr_id = READ_ONCE(wqe->wr_id);
		r->head++;
		smp_store_release(zroce_ring_word(&qp->rq,
						  ZROCE_RING_CONS_OFFSET),
				  r->head);
		zroce_recv_cqe(qp, &h, IB_WC_RECV, IB_WC_WR_FLUSH_ERR, 0);
	}
	spin_unlock_bh(&qp->rq_lock);
}
