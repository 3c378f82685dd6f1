// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The requester: turns send WQEs into request packets.  The doorbell runs
 * it inline up to a budget; the QP's work item runs the rest, retransmits
 * (go-back-N from the oldest WQE not completed) and flushes the queues of
 * a QP in error.  Packets are built under sq_lock and sent after it is
 * dropped, so a packet that loops back may take the QP's locks.  A WQE
 * whose memory needs an ODP page faulted in stops the run (-EAGAIN); the
 * work item serves the fault, which may sleep, and runs again.
 */
#include <rdma/ib_mad.h>
#include "zroce.h"

#define ZROCE_MAX_INFLIGHT	256	/* packets not yet acknowledged */
#define ZROCE_ACKREQ_EVERY	16	/* packets between AckReq bits */

/* The total length of the WQE's SGEs, or -1 if it is not a valid length. */
static s64 zroce_wqe_sge_len(const struct zroce_send_wqe *wqe, u32 max_sge)
{
	const struct zroce_sge *sge = (const void *)(wqe + 1);
	u64 len = 0;
	u32 i;

	if (wqe->num_sge > max_sge)
		return -1;
	for (i = 0; i < wqe->num_sge; i++)
		len += sge[i].length;
	return len > (1U << 31) ? -1 : len;
}

/* The operations of IBTA's table 4.2 (transport services) for the QP */
static bool zroce_qp_op_ok(const struct zroce_qp *qp, u32 opcode)
{
	switch (opcode) {
	case IB_WR_SEND:
	case IB_WR_SEND_WITH_IMM:
		return true;
	case IB_WR_RDMA_WRITE:
	case IB_WR_RDMA_WRITE_WITH_IMM:
	case IB_WR_BIND_MW:
	case IB_WR_LOCAL_INV:
		return !zroce_qp_is_ud(qp);
	case IB_WR_REG_MR:
		return !zroce_qp_is_ud(qp) && !qp->ibqp.uobject;
	default:
		return qp->ibqp.qp_type == IB_QPT_RC;
	}
}

/*
 * Copy the WQE at idx out of the ring, then check the copy.  Returns 0 or
 * the completion status of a WQE the requester cannot execute.
 */
static int zroce_req_fetch(struct zroce_qp *qp, u32 idx)
{
	struct zroce_swqe *swqe = zroce_swqe_at(qp, idx);
	u32 slot = qp->sq.slot_size;
	struct zroce_send_wqe *wqe;
	s64 len;

	wqe = zroce_shadow_at(qp, idx);
	memcpy(wqe, zroce_ring_slot_addr(&qp->sq, idx), slot);
	swqe->wqe = wqe;
	swqe->started = true;
	swqe->status = IB_WC_SUCCESS;
	swqe->resp_bytes = 0;

	if (!zroce_qp_op_ok(qp, wqe->opcode))
		return IB_WC_LOC_QP_OP_ERR;
	switch (wqe->opcode) {
	case IB_WR_SEND:
	case IB_WR_SEND_WITH_IMM:
	case IB_WR_SEND_WITH_INV:
	case IB_WR_RDMA_WRITE:
	case IB_WR_RDMA_WRITE_WITH_IMM:
		if (wqe->send_flags & IB_SEND_INLINE) {
			if (wqe->num_sge > qp->cap.max_inline_data ||
			    wqe->num_sge > slot - sizeof(*wqe))
				return IB_WC_LOC_LEN_ERR;
			swqe->length = wqe->num_sge;
			return 0;
		}
		fallthrough;
	case IB_WR_RDMA_READ:
		len = zroce_wqe_sge_len(wqe, min(qp->cap.max_send_sge,
						 zroce_sq_slot_sges(slot)));
		if (len < 0)
			return IB_WC_LOC_LEN_ERR;
		swqe->length = len;
		return 0;
	case IB_WR_ATOMIC_CMP_AND_SWP:
	case IB_WR_ATOMIC_FETCH_AND_ADD:
		len = zroce_wqe_sge_len(wqe, 1);
		if (len != 8 || wqe->num_sge != 1)
			return IB_WC_LOC_LEN_ERR;
		swqe->length = 8;
		return 0;
	case ZROCE_WR_ATOMIC_WRITE:
		len = wqe->send_flags & IB_SEND_INLINE ? wqe->num_sge :
		      zroce_wqe_sge_len(wqe, min(qp->cap.max_send_sge,
						 zroce_sq_slot_sges(slot)));
		if (len != 8)
			return IB_WC_LOC_LEN_ERR;
		swqe->length = 8;
		return 0;
	case IB_WR_BIND_MW:
	case IB_WR_LOCAL_INV:
	case IB_WR_REG_MR:
		swqe->length = 0;
		return 0;
	default:
		return IB_WC_LOC_QP_OP_ERR;
	}
}

static u8 zroce_req_opcode(u32 op, bool first, bool last)
{
	bool send = op == IB_WR_SEND || op == IB_WR_SEND_WITH_IMM ||
		    op == IB_WR_SEND_WITH_INV;

	if (!last)
		return send ? (first ? ZROCE_OP_RC_SEND_FIRST :
				       ZROCE_OP_RC_SEND_MIDDLE) :
			      (first ? ZROCE_OP_RC_RDMA_WRITE_FIRST :
				       ZROCE_OP_RC_RDMA_WRITE_MIDDLE);
	switch (op) {
	case IB_WR_SEND:
		return first ? ZROCE_OP_RC_SEND_ONLY : ZROCE_OP_RC_SEND_LAST;
	case IB_WR_SEND_WITH_IMM:
		return first ? ZROCE_OP_RC_SEND_ONLY_IMM :
			       ZROCE_OP_RC_SEND_LAST_IMM;
	case IB_WR_SEND_WITH_INV:
		return first ? ZROCE_OP_RC_SEND_ONLY_INV :
			       ZROCE_OP_RC_SEND_LAST_INV;
	case IB_WR_RDMA_WRITE:
		return first ? ZROCE_OP_RC_RDMA_WRITE_ONLY :
			       ZROCE_OP_RC_RDMA_WRITE_LAST;
	case ZROCE_WR_ATOMIC_WRITE:
		return ZROCE_OP_RC_RDMA_ATOMIC_WRITE;	/* 8 bytes: one packet */
	default:
		return first ? ZROCE_OP_RC_RDMA_WRITE_ONLY_IMM :
			       ZROCE_OP_RC_RDMA_WRITE_LAST_IMM;
	}
}

static void zroce_req_hdr_init(struct zroce_qp *qp, struct zroce_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->pkey = IB_DEFAULT_PKEY_FULL;
	h->dqpn = qp->attr.dest_qp_num;
	h->psn = qp->req.psn;
}

/* The one request packet of a READ or an atomic. */
static int zroce_req_rd_atomic(struct zroce_qp *qp, struct zroce_swqe *swqe,
			       struct zroce_pkt *pkt)
{
	const struct zroce_send_wqe *wqe = swqe->wqe;
	struct zroce_req *req = &qp->req;
	struct zroce_sge_cursor cur;
	struct zroce_hdr h;
	u32 npkts = 1;
	int err;

	/* the response lands in softirq, which cannot fault ODP pages in */
	zroce_sge_cursor_init(&cur, (const void *)(wqe + 1), wqe->num_sge,
			      req->offset);
	rcu_read_lock();
	err = zroce_sge_ready(qp, &cur, swqe->length - req->offset);
	rcu_read_unlock();
	if (err)
		return err;
	zroce_req_hdr_init(qp, &h);
	h.ack_req = true;
	if (wqe->opcode == IB_WR_RDMA_READ) {
		/* a retry asks only for what has not arrived (offset) */
		h.opcode = ZROCE_OP_RC_RDMA_READ_REQUEST;
		h.va = wqe->wr.rdma.remote_addr + req->offset;
		h.rkey = wqe->wr.rdma.rkey;
		h.dma_len = swqe->length - req->offset;
		npkts = max_t(u32, 1, DIV_ROUND_UP(h.dma_len, qp->mtu));
	} else {
		h.opcode = wqe->opcode == IB_WR_ATOMIC_CMP_AND_SWP ?
			   ZROCE_OP_RC_CMP_SWAP : ZROCE_OP_RC_FETCH_ADD;
		h.va = wqe->wr.atomic.remote_addr;
		h.rkey = wqe->wr.atomic.rkey;
		h.swap_add = wqe->opcode == IB_WR_ATOMIC_CMP_AND_SWP ?
			     wqe->wr.atomic.swap : wqe->wr.atomic.compare_add;
		h.compare = wqe->wr.atomic.compare_add;
	}
	/* a packet that cannot be built is lost: the timer sends it again */
	zroce_pkt_init(pkt, to_zdev(qp->ibqp.device), &qp->av, &qp->dst_cache,
		       qp->src_port, &h, true);
	if (!req->offset) {
		swqe->first_psn = req->psn;
		swqe->last_psn = zroce_psn_add(req->psn, npkts - 1);
	}
	req->psn = zroce_psn_add(req->psn, npkts);
	req->offset = 0;
	req->inflight_rd++;
	req->next++;
	return 0;
}

/*
 * Armed, the requester is idle and the process rings the doorbell for its
 * next post (ZROCE_SQ_NEED_DOORBELL).  Disarmed, a run of the requester is
 * already due: the doorbell's, the work item's, or the one an awaited
 * response, the retransmit timer or the RNR timer will start.
 */
void zroce_req_arm(struct zroce_qp *qp, bool armed)
{
	lockdep_assert_held(&qp->sq_lock);
	qp->req.armed = armed;
	WRITE_ONCE(*zroce_ring_word(&qp->sq, ZROCE_RING_CTRL_OFFSET),
		   armed ? ZROCE_SQ_NEED_DOORBELL : 0);
}

/*
 * Read the producer index the process wrote; false if it is garbage.  New
 * WQEs disarm: this run will go on to look for more.
 */
static bool zroce_req_refill(struct zroce_qp *qp)
{
	u32 prod = smp_load_acquire(zroce_ring_word(&qp->sq,
						    ZROCE_RING_PROD_OFFSET));

	if (!zroce_ring_sane(prod, qp->req.head, qp->sq.num_slots) ||
	    zroce_ring_used(prod, qp->req.head) <
	    zroce_ring_used(qp->req.next, qp->req.head))
		return false;
	if (prod != qp->req.prod && qp->req.armed)
		zroce_req_arm(qp, false);
	qp->req.prod = prod;
	return true;
}

/*
 * Whether the WQE at next is the last one the process has posted: its
 * last packet asks for an ACK then.  Otherwise an ACK every
 * ZROCE_ACKREQ_EVERY packets is enough, which for a stream of small
 * messages halves the packets on the wire.
 */
static bool zroce_req_sq_drained(struct zroce_qp *qp)
{
	struct zroce_req *req = &qp->req;

	if (req->next + 1 != req->prod)
		return false;
	/* garbage in the ring: ask, and let zroce_req_next() fail the QP */
	return !zroce_req_refill(qp) || req->next + 1 == req->prod;
}

/* The next packet of a SEND or WRITE; returns a status on a bad SGE. */
static int zroce_req_send_write(struct zroce_qp *qp, struct zroce_swqe *swqe,
				struct zroce_pkt *pkt)
{
	const struct zroce_send_wqe *wqe = swqe->wqe;
	struct zroce_req *req = &qp->req;
	bool uc = qp->ibqp.qp_type == IB_QPT_UC;
	bool first = !req->offset, last;
	struct zroce_hdr h;
	u32 pay;
	int err;

	pay = min(qp->mtu, swqe->length - req->offset);
	last = req->offset + pay == swqe->length;
	zroce_req_hdr_init(qp, &h);
	h.opcode = zroce_req_opcode(wqe->opcode, first, last);
	h.payload_len = pay;
	h.se = last && (wqe->send_flags & IB_SEND_SOLICITED);
	if (uc)
		h.opcode |= ZROCE_OP_UC_SEND_FIRST;	/* UC rows mirror RC's */
	else
		h.ack_req = (last && zroce_req_sq_drained(qp)) ||
			    !(req->psn % ZROCE_ACKREQ_EVERY);
	if (first && (wqe->opcode == IB_WR_RDMA_WRITE ||
		      wqe->opcode == IB_WR_RDMA_WRITE_WITH_IMM ||
		      wqe->opcode == ZROCE_WR_ATOMIC_WRITE)) {
		h.va = wqe->wr.rdma.remote_addr;
		h.rkey = wqe->wr.rdma.rkey;
		h.dma_len = swqe->length;
	}
	h.imm = wqe->ex;
	h.inv_rkey = wqe->ex;

	/*
	 * Kernel ULPs send from DMA MRs: addresses, no pages to attach.  A UC
	 * WQE completes before its last packet leaves: copy its payload.  A
	 * packet that cannot be built is lost, and the requester goes on as
	 * if it had left: RC's timer sends it again, UC loses the message.
	 */
	if (!zroce_pkt_init(pkt, to_zdev(qp->ibqp.device), &qp->av,
			    &qp->dst_cache, qp->src_port, &h,
			    (wqe->send_flags & IB_SEND_INLINE) ||
			    wqe->num_sge > 4 || !qp->ibqp.uobject || uc)) {
		err = zroce_sge_gather(qp, wqe, req->offset, pay, pkt);
		if (err)
			return err;
	}
	if (first)
		swqe->first_psn = req->psn;
	req->psn = zroce_psn_add(req->psn, 1);
	req->offset += pay;
	if (last) {
		swqe->last_psn = h.psn;
		req->offset = 0;
		req->next++;
	}
	if (uc) {
		/* nothing acknowledges UC: a WQE is done once it is sent */
		req->una_psn = req->psn;
		if (last)
			zroce_sq_complete(qp, IB_WC_SUCCESS);
	}
	return 0;
}

/*
 * The packet of a UD WQE.  Nothing acknowledges it: the WQE completes now,
 * even if its packet was lost for want of a route or of memory.
 */
static int zroce_req_datagram(struct zroce_qp *qp, struct zroce_swqe *swqe,
			      struct zroce_pkt *pkt)
{
	struct zroce_req *req = &qp->req;
	int ret = zroce_ud_req(qp, swqe, pkt);

	if (ret)
		return ret;
	swqe->first_psn = req->psn;
	swqe->last_psn = req->psn;
	req->psn = zroce_psn_add(req->psn, 1);
	req->una_psn = req->psn;
	req->next++;
	zroce_sq_complete(qp, IB_WC_SUCCESS);
	return 0;
}

/*
 * Arm the retransmit timer while packets are outstanding, or stop it.
 * restart: the peer made progress, so the wait starts again.
 */
void zroce_req_timer(struct zroce_qp *qp, bool restart)
{
	u64 usec = 4096ULL << min_t(u8, qp->attr.timeout, 31) >> 10;
	struct zroce_req *req = &qp->req;

	if (qp->ibqp.qp_type != IB_QPT_RC)
		return;		/* only RC acknowledges */
	if (req->head == req->next && !req->offset) {
		del_timer(&qp->retrans_timer);
		return;
	}
	if (!qp->attr.timeout || qp->dying ||
	    (!restart && timer_pending(&qp->retrans_timer)))
		return;
	mod_timer(&qp->retrans_timer,
		  jiffies + max(usecs_to_jiffies(usec), msecs_to_jiffies(10)));
}

/* Whether the WQE at next may start now. */
static bool zroce_req_may_start(struct zroce_qp *qp, struct zroce_swqe *swqe)
{
	const struct zroce_send_wqe *wqe = swqe->wqe;
	struct zroce_req *req = &qp->req;

	if ((wqe->send_flags & IB_SEND_FENCE) && req->inflight_rd)
		return false;
	if (zroce_wqe_is_rd_atomic(wqe) &&
	    req->inflight_rd >= max_t(u8, qp->attr.max_rd_atomic, 1))
		return false;
	return true;
}

/*
 * Whether the SQ holds WQEs not sent yet; arms the doorbell if it does not.
 * False with the QP in error if the producer index is garbage.
 */
bool zroce_req_has_work(struct zroce_qp *qp)
{
	struct zroce_req *req = &qp->req;

	lockdep_assert_held(&qp->sq_lock);
	if (req->next != req->prod)
		return true;
	if (!zroce_req_refill(qp))
		goto garbage;
	if (req->next != req->prod)
		return true;
	zroce_req_arm(qp, true);
	/* ctrl before prod; pairs with the provider's fence, prod before ctrl */
	smp_mb();
	if (!zroce_req_refill(qp))
		goto garbage;
	return req->next != req->prod;

garbage:
	zroce_qp_fatal(qp);
	return false;
}

/*
 * Execute a WQE that sends nothing (bind a window, invalidate a key,
 * fast-register an MR) once the WQEs before it have completed, and
 * complete it.  Returns 0, or a completion status if it failed.
 */
static int zroce_req_local(struct zroce_qp *qp, struct zroce_swqe *swqe)
{
	const struct zroce_send_wqe *wqe = swqe->wqe;
	struct zroce_req *req = &qp->req;
	int status;

	switch (wqe->opcode) {
	case IB_WR_BIND_MW:
		status = zroce_mw_bind(qp, wqe);
		break;
	case IB_WR_REG_MR:
		status = zroce_frmr_reg(qp, wqe);
		break;
	default:
		status = zroce_invalidate(qp, wqe->ex, false) ?
			 IB_WC_LOC_QP_OP_ERR : 0;
		break;
	}
	if (status)
		return status;
	swqe->first_psn = req->psn;
	swqe->last_psn = zroce_psn_add(req->psn, -1);
	req->next++;
	zroce_sq_complete(qp, IB_WC_SUCCESS);
	return 0;
}

/*
 * Build the next packet.  Returns 1 with pkt built, or lost (pkt->skb
 * NULL) as it could be on the wire; 0 if there is nothing to send now; or
 * -EAGAIN for an ODP page to fault in first.
 */
static int zroce_req_next(struct zroce_qp *qp, struct zroce_pkt *pkt)
{
	struct zroce_req *req = &qp->req;
	struct zroce_swqe *swqe;
	int ret;

	lockdep_assert_held(&qp->sq_lock);
again:
	if (READ_ONCE(qp->attr.qp_state) != IB_QPS_RTS || req->rnr_wait)
		return 0;
	if (!zroce_req_has_work(qp) ||
	    zroce_psn_diff(req->psn, req->una_psn) >= ZROCE_MAX_INFLIGHT)
		return 0;

	swqe = zroce_swqe_at(qp, req->next);
	if (!swqe->started) {
		ret = zroce_req_fetch(qp, req->next);
		if (ret)
			goto err_wqe;
	}
	if (!req->offset && !zroce_req_may_start(qp, swqe))
		return 0;
	if (zroce_wqe_is_local(swqe->wqe)) {
		if (req->head != req->next)
			return 0;	/* the completer kicks us */
		ret = zroce_req_local(qp, swqe);
		if (ret)
			goto err_wqe;
		goto again;
	}
	if (req->offset && zroce_wqe_is_rd_atomic(swqe->wqe) &&
	    req->inflight_rd >= max_t(u8, qp->attr.max_rd_atomic, 1))
		return 0;

	if (zroce_qp_is_ud(qp))
		ret = zroce_req_datagram(qp, swqe, pkt);
	else if (zroce_wqe_is_rd_atomic(swqe->wqe))
		ret = zroce_req_rd_atomic(qp, swqe, pkt);
	else
		ret = zroce_req_send_write(qp, swqe, pkt);
	if (ret > 0)
		goto err_wqe;
	if (ret)
		return ret;
	zroce_req_timer(qp, false);
	return 1;

err_wqe:
	/* A WQE the requester cannot execute completes in error: the flush */
	swqe->status = ret;
	zroce_qp_error(qp);
	return 0;
}

/*
 * zroce_req_next(), with an ODP page it misses kept in req.fault for the
 * work item; after a fault that failed, a miss is an access error.
 */
static int zroce_req_next_mapped(struct zroce_qp *qp, struct zroce_pkt *pkt)
{
	struct zroce_req *req = &qp->req;
	struct zroce_fault f;
	int ret;

	zroce_fault_forbid(req->fault_failed);
	ret = zroce_req_next(qp, pkt);
	zroce_fault_forbid(false);
	req->fault_failed = false;
	if (ret != -EAGAIN)
		return ret;
	if (WARN_ON_ONCE(!zroce_fault_take(&f)))
		return ret;	/* no fault to serve: send_work tries again */
	/* an earlier run met one that send_work has not served yet */
	if (req->fault.mr)
		zroce_fault_put(&f);
	else
		req->fault = f;
	return ret;
}

/*
 * Send what the SQ holds, up to a budget; what is left goes to the work
 * item.  One run at a time: a run under way looks for work again after
 * each packet, so a post or a response that comes meanwhile (often inside
 * zroce_pkt_send() itself on loopback) leaves the work to it.  A run sends
 * from one CPU, and later runs of the work item from the same one: below
 * zroce there may be a queue per CPU (veth's backlog, a NIC's XPS
 * queues), and a message whose packets took two of them can arrive out
 * of order, which loses a UC message and costs RC a go-back-N.  So the
 * doorbell leaves a message half sent from another CPU to the work item.
 */
void zroce_req_run(struct zroce_qp *qp, bool doorbell)
{
	u32 budget = doorbell ? ZROCE_DOORBELL_BUDGET : ZROCE_WORK_BUDGET;
	struct zroce_req *req = &qp->req;
	struct zroce_pkt pkt;
	int cpu, ret = 0;
	bool kick;

	migrate_disable();
	cpu = smp_processor_id();
	spin_lock_bh(&qp->sq_lock);
	if (req->running || (doorbell && req->offset && req->cpu != cpu)) {
		kick = !req->running;
		goto unlock;
	}
	req->running = true;
	while (budget && (ret = zroce_req_next_mapped(qp, &pkt)) > 0) {
		WRITE_ONCE(req->cpu, cpu);
		spin_unlock_bh(&qp->sq_lock);
		if (pkt.skb)
			zroce_pkt_send(&pkt);
		budget--;
		spin_lock_bh(&qp->sq_lock);
	}
	req->running = false;
	kick = !budget || ret == -EAGAIN;
unlock:
	spin_unlock_bh(&qp->sq_lock);
	migrate_enable();
	if (kick)
		zroce_req_kick(qp);
}

/* Have send_work run the requester, on the CPU the last run sent from. */
void zroce_req_kick(struct zroce_qp *qp)
{
	queue_work_on(READ_ONCE(qp->req.cpu), zroce_wq, &qp->send_work);
}

/* Serve the ODP fault the requester met, if any; may sleep. */
static void zroce_req_fault(struct zroce_qp *qp, bool serve)
{
	struct zroce_fault f;
	bool failed;

	spin_lock_bh(&qp->sq_lock);
	f = qp->req.fault;
	qp->req.fault.mr = NULL;
	spin_unlock_bh(&qp->sq_lock);
	if (!f.mr)
		return;
	failed = serve && zroce_odp_fault(&f);
	zroce_fault_put(&f);
	spin_lock_bh(&qp->sq_lock);
	qp->req.fault_failed = failed;
	spin_unlock_bh(&qp->sq_lock);
}

void zroce_send_work(struct work_struct *work)
{
	struct zroce_qp *qp = container_of(work, struct zroce_qp, send_work);
	bool err = READ_ONCE(qp->attr.qp_state) == IB_QPS_ERR;

	zroce_req_fault(qp, !err);
	if (err) {
		zroce_sq_flush(qp);
		zroce_rq_flush(qp);
		return;
	}
	zroce_req_run(qp, false);
}

/*
 * Go back to PSN psn and send from there again (go-back-N): the WQE that
 * holds it restarts at that packet; a READ asks only for the bytes it has
 * not received yet.
 */
void zroce_req_rewind(struct zroce_qp *qp, u32 psn)
{
	struct zroce_req *req = &qp->req;
	struct zroce_swqe *swqe;
	u32 idx, rd = 0;

	lockdep_assert_held(&qp->sq_lock);
	/* a late NAK may name a PSN not sent again since the last rewind */
	if (zroce_psn_diff(psn, req->psn) >= 0)
		return;
	for (idx = req->head; idx != req->next; idx++) {
		swqe = zroce_swqe_at(qp, idx);
		if (zroce_psn_diff(psn, swqe->last_psn) <= 0)
			break;
		rd += zroce_wqe_is_rd_atomic(swqe->wqe);
	}
	if (idx == req->next && !req->offset)
		return;		/* nothing sent at or after psn */
	if (idx == req->next)
		swqe = zroce_swqe_at(qp, idx);
	if (zroce_psn_diff(psn, swqe->first_psn) < 0)
		psn = swqe->first_psn;
	if (swqe->wqe->opcode == IB_WR_RDMA_READ)
		psn = zroce_psn_add(swqe->first_psn,
				    swqe->resp_bytes / qp->mtu);
	/* WQEs after it are asked again from their start */
	while (req->next != idx && --req->next != idx)
		zroce_swqe_at(qp, req->next)->resp_bytes = 0;

	req->next = idx;
	req->psn = psn;
	req->offset = swqe->wqe->opcode == IB_WR_RDMA_READ ? swqe->resp_bytes :
		      zroce_psn_diff(psn, swqe->first_psn) * qp->mtu;
	req->inflight_rd = rd;
	zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_RETRANSMITS, 1);
}

void zroce_retrans_timer(struct timer_list *t)
{
	struct zroce_qp *qp = from_timer(qp, t, retrans_timer);
	struct zroce_req *req = &qp->req;
	bool kick = true;

	spin_lock(&qp->sq_lock);
	if (qp->dying || (req->head == req->next && !req->offset)) {
		kick = false;
	} else if (!req->retry) {
		zroce_swqe_at(qp, req->head)->status = IB_WC_RETRY_EXC_ERR;
		zroce_qp_error(qp);
		kick = false;
	} else {
		req->retry--;
		zroce_req_rewind(qp, req->una_psn);
	}
	spin_unlock(&qp->sq_lock);
	if (kick)
		zroce_req_kick(qp);
}

void zroce_rnr_timer(struct timer_list *t)
{
	struct zroce_qp *qp = from_timer(qp, t, rnr_timer);

	spin_lock(&qp->sq_lock);
	qp->req.rnr_wait = false;
	spin_unlock(&qp->sq_lock);
	if (!qp->dying)
		zroce_req_kick(qp);
}
