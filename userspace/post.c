// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Posting work requests: WQEs are written into the mapped rings; only the
 * send queue's doorbell enters the kernel, and only while the kernel's
 * requester is idle (ZROCE_SQ_NEED_DOORBELL).
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "zroce.h"

/* A zero-WR POST_SEND on the command fd: the kernel drains the SQ. */
static int zroce_doorbell(struct ibv_qp *ibqp)
{
	struct ib_uverbs_post_send_resp resp;
	struct ibv_post_send cmd = {
		.hdr = {
			.command = IB_USER_VERBS_CMD_POST_SEND,
			.in_words = sizeof(cmd) / 4,
			.out_words = sizeof(resp) / 4,
		},
		.core_payload = {
			.response = (uintptr_t)&resp,
			.qp_handle = ibqp->handle,
			.wqe_size = sizeof(struct ib_uverbs_send_wr),
		},
	};

	if (write(ibqp->context->cmd_fd, &cmd, sizeof(cmd)) != sizeof(cmd))
		return errno;
	return 0;
}

#define ZROCE_UD_SEND_OPS \
	(IBV_QP_EX_WITH_SEND | IBV_QP_EX_WITH_SEND_WITH_IMM)
#define ZROCE_UC_SEND_OPS \
	(ZROCE_UD_SEND_OPS | IBV_QP_EX_WITH_RDMA_WRITE | \
	 IBV_QP_EX_WITH_RDMA_WRITE_WITH_IMM | IBV_QP_EX_WITH_BIND_MW | \
	 IBV_QP_EX_WITH_LOCAL_INV)
#define ZROCE_RC_SEND_OPS \
	(ZROCE_UC_SEND_OPS | IBV_QP_EX_WITH_SEND_WITH_INV | \
	 IBV_QP_EX_WITH_RDMA_READ | IBV_QP_EX_WITH_ATOMIC_CMP_AND_SWP | \
	 IBV_QP_EX_WITH_ATOMIC_FETCH_AND_ADD | IBV_QP_EX_WITH_ATOMIC_WRITE)

_Static_assert(IBV_WR_ATOMIC_WRITE == ZROCE_WR_ATOMIC_WRITE, "WR opcode");
_Static_assert(IBV_WC_ATOMIC_WRITE == ZROCE_WC_ATOMIC_WRITE, "WC opcode");

/* The send operations of a QP type, as IBV_QP_EX_WITH_* flags */
uint64_t zroce_send_ops(enum ibv_qp_type type)
{
	switch (type) {
	case IBV_QPT_RC:
		return ZROCE_RC_SEND_OPS;
	case IBV_QPT_UC:
		return ZROCE_UC_SEND_OPS;
	case IBV_QPT_UD:
		return ZROCE_UD_SEND_OPS;
	default:
		return 0;
	}
}

static uint64_t zroce_send_op_flag(enum ibv_wr_opcode op)
{
	switch (op) {
	case IBV_WR_SEND:
		return IBV_QP_EX_WITH_SEND;
	case IBV_WR_SEND_WITH_IMM:
		return IBV_QP_EX_WITH_SEND_WITH_IMM;
	case IBV_WR_SEND_WITH_INV:
		return IBV_QP_EX_WITH_SEND_WITH_INV;
	case IBV_WR_RDMA_WRITE:
		return IBV_QP_EX_WITH_RDMA_WRITE;
	case IBV_WR_RDMA_WRITE_WITH_IMM:
		return IBV_QP_EX_WITH_RDMA_WRITE_WITH_IMM;
	case IBV_WR_RDMA_READ:
		return IBV_QP_EX_WITH_RDMA_READ;
	case IBV_WR_ATOMIC_CMP_AND_SWP:
		return IBV_QP_EX_WITH_ATOMIC_CMP_AND_SWP;
	case IBV_WR_ATOMIC_FETCH_AND_ADD:
		return IBV_QP_EX_WITH_ATOMIC_FETCH_AND_ADD;
	case IBV_WR_ATOMIC_WRITE:
		return IBV_QP_EX_WITH_ATOMIC_WRITE;
	case IBV_WR_BIND_MW:
		return IBV_QP_EX_WITH_BIND_MW;
	case IBV_WR_LOCAL_INV:
		return IBV_QP_EX_WITH_LOCAL_INV;
	default:
		return 0;
	}
}

/* Whether op sends data from the WQE's payload, so that it may be inline */
bool zroce_send_op_inline(enum ibv_wr_opcode op)
{
	return op != IBV_WR_RDMA_READ && op != IBV_WR_ATOMIC_CMP_AND_SWP &&
	       op != IBV_WR_ATOMIC_FETCH_AND_ADD && op != IBV_WR_BIND_MW &&
	       op != IBV_WR_LOCAL_INV;
}

/* Sends are refused before RTS; in ERR the kernel flushes them. */
bool zroce_sq_ready(const struct ibv_qp *ibqp)
{
	return ibqp->state != IBV_QPS_RESET && ibqp->state != IBV_QPS_INIT &&
	       ibqp->state != IBV_QPS_RTR;
}

void zroce_wqe_init(struct zroce_send_wqe *wqe, uint64_t wr_id,
		    enum ibv_wr_opcode op, unsigned int flags)
{
	memset(wqe, 0, sizeof(*wqe));
	wqe->wr_id = wr_id;
	wqe->opcode = op;
	wqe->send_flags = flags & (IBV_SEND_FENCE | IBV_SEND_SIGNALED |
				   IBV_SEND_SOLICITED | IBV_SEND_INLINE);
	if (!zroce_send_op_inline(op))
		wqe->send_flags &= ~IBV_SEND_INLINE;
}

/* A UD WQE's destination: the kernel finds the AH by its number */
void zroce_wqe_set_ud(struct zroce_send_wqe *wqe, struct ibv_ah *ah,
		      uint32_t remote_qpn, uint32_t remote_qkey)
{
	wqe->wr.ud.ah = to_zah(ah)->ahn;
	wqe->wr.ud.remote_qpn = remote_qpn;
	wqe->wr.ud.remote_qkey = remote_qkey;
}

/* Append len bytes from addr to the WQE's inline payload. */
int zroce_wqe_inline_add(struct zroce_qp *qp, struct zroce_send_wqe *wqe,
			 const void *addr, size_t len)
{
	/* with INLINE, num_sge counts payload bytes (<= max_inline_data) */
	if (len > qp->max_inline_data - wqe->num_sge)
		return EINVAL;
	memcpy((uint8_t *)(wqe + 1) + wqe->num_sge, addr, len);
	wqe->num_sge += len;
	return 0;
}

/* The WQE's payload: the SGEs, or with INLINE the bytes they point to. */
int zroce_wqe_set_sges(struct zroce_qp *qp, struct zroce_send_wqe *wqe,
		       const struct ibv_sge *sg, size_t num_sge)
{
	const void *addr;
	size_t i;
	int ret;

	wqe->num_sge = 0;
	if (wqe->send_flags & IBV_SEND_INLINE) {
		for (i = 0; i < num_sge; i++) {
			addr = (const void *)(uintptr_t)sg[i].addr;
			ret = zroce_wqe_inline_add(qp, wqe, addr, sg[i].length);
			if (ret)
				return ret;
		}
		return 0;
	}
	if (num_sge > qp->max_send_sge)
		return EINVAL;
	wqe->num_sge = num_sge;
	memcpy(wqe + 1, sg, num_sge * sizeof(*sg));
	return 0;
}

static int zroce_wqe_build(struct zroce_qp *qp, struct zroce_send_wqe *wqe,
			   const struct ibv_send_wr *wr)
{
	enum ibv_qp_type type = qp->vqp.qp.qp_type;

	if (!(zroce_send_ops(type) & zroce_send_op_flag(wr->opcode)) ||
	    wr->num_sge < 0 || (type == IBV_QPT_UD && !wr->wr.ud.ah))
		return EINVAL;
	zroce_wqe_init(wqe, wr->wr_id, wr->opcode, wr->send_flags);
	wqe->ex = wr->opcode == IBV_WR_SEND_WITH_INV ||
		  wr->opcode == IBV_WR_LOCAL_INV ? wr->invalidate_rkey :
						   wr->imm_data;
	if (wr->opcode == IBV_WR_LOCAL_INV)
		return 0;
	if (wr->opcode == IBV_WR_BIND_MW) {
		/* type 1 windows are bound with ibv_bind_mw */
		if (!wr->bind_mw.mw || wr->bind_mw.mw->type != IBV_MW_TYPE_2)
			return EINVAL;
		return zroce_wqe_set_bind(wqe, wr->bind_mw.mw, wr->bind_mw.rkey,
					  &wr->bind_mw.bind_info);
	}
	if (type == IBV_QPT_UD) {
		zroce_wqe_set_ud(wqe, wr->wr.ud.ah, wr->wr.ud.remote_qpn,
				 wr->wr.ud.remote_qkey);
	} else if (wr->opcode == IBV_WR_ATOMIC_CMP_AND_SWP ||
	    wr->opcode == IBV_WR_ATOMIC_FETCH_AND_ADD) {
		wqe->wr.atomic.remote_addr = wr->wr.atomic.remote_addr;
		wqe->wr.atomic.rkey = wr->wr.atomic.rkey;
		wqe->wr.atomic.compare_add = wr->wr.atomic.compare_add;
		wqe->wr.atomic.swap = wr->wr.atomic.swap;
	} else {
		wqe->wr.rdma.remote_addr = wr->wr.rdma.remote_addr;
		wqe->wr.rdma.rkey = wr->wr.rdma.rkey;
	}
	return zroce_wqe_set_sges(qp, wqe, wr->sg_list, wr->num_sge);
}

/* Take sq_lock; read the producer index and the kernel's consumer index. */
void zroce_sq_begin(struct zroce_qp *qp, uint32_t *prod, uint32_t *cons)
{
	struct zroce_uring *sq = &qp->sq;

	pthread_spin_lock(&qp->sq_lock);
	*prod = atomic_load_explicit(zroce_uring_word(sq, ZROCE_RING_PROD_OFFSET),
				     memory_order_relaxed);
	*cons = atomic_load_explicit(zroce_uring_word(sq, ZROCE_RING_CONS_OFFSET),
				     memory_order_acquire);
}

/*
 * Publish the WQEs up to prod and drop sq_lock.  Enter the kernel only if
 * there are new WQEs and its requester is idle: a busy requester reads the
 * producer index again before it goes idle.
 */
int zroce_sq_commit(struct zroce_qp *qp, uint32_t prod, bool posted)
{
	struct zroce_uring *sq = &qp->sq;
	uint32_t ctrl;

	atomic_store_explicit(zroce_uring_word(sq, ZROCE_RING_PROD_OFFSET), prod,
			      memory_order_release);
	/* prod before ctrl; pairs with the kernel's smp_mb(), ctrl before prod */
	atomic_thread_fence(memory_order_seq_cst);
	ctrl = atomic_load_explicit(zroce_uring_word(sq, ZROCE_RING_CTRL_OFFSET),
				    memory_order_relaxed);
	pthread_spin_unlock(&qp->sq_lock);
	if (!posted || !(ctrl & ZROCE_SQ_NEED_DOORBELL))
		return 0;
	return zroce_doorbell(&qp->vqp.qp);
}

int zroce_post_send(struct ibv_qp *ibqp, struct ibv_send_wr *wr,
		    struct ibv_send_wr **bad_wr)
{
	struct zroce_qp *qp = to_zqp(ibqp);
	uint32_t prod, cons, posted = 0;
	int ret = 0, err;

	if (!zroce_sq_ready(ibqp)) {
		*bad_wr = wr;
		return EINVAL;
	}
	zroce_sq_begin(qp, &prod, &cons);
	for (; wr; wr = wr->next, prod++, posted++) {
		if (zroce_ring_full(prod, cons, qp->sq.num_slots)) {
			ret = ENOMEM;
			break;
		}
		ret = zroce_wqe_build(qp, zroce_uring_slot(&qp->sq, prod), wr);
		if (ret)
			break;
	}
	err = zroce_sq_commit(qp, prod, posted);
	if (ret)
		*bad_wr = wr;
	return ret ? ret : err;
}

/* Write receive WRs into ring; lock serialises producers. */
static int zroce_post_recv_ring(struct zroce_uring *ring,
				pthread_spinlock_t *lock, uint32_t max_sge,
				struct ibv_recv_wr *wr, struct ibv_recv_wr **bad)
{
	struct zroce_recv_wqe *wqe;
	uint32_t prod, cons;
	int ret = 0;

	pthread_spin_lock(lock);
	prod = atomic_load_explicit(zroce_uring_word(ring, ZROCE_RING_PROD_OFFSET),
				    memory_order_relaxed);
	cons = atomic_load_explicit(zroce_uring_word(ring, ZROCE_RING_CONS_OFFSET),
				    memory_order_acquire);
	for (; wr; wr = wr->next, prod++) {
		if (zroce_ring_full(prod, cons, ring->num_slots)) {
			ret = ENOMEM;
			break;
		}
		if (wr->num_sge < 0 || (uint32_t)wr->num_sge > max_sge) {
			ret = EINVAL;
			break;
		}
		wqe = zroce_uring_slot(ring, prod);
		wqe->wr_id = wr->wr_id;
		wqe->num_sge = wr->num_sge;
		wqe->reserved = 0;
		memcpy(wqe + 1, wr->sg_list, wr->num_sge * sizeof(struct ibv_sge));
	}
	atomic_store_explicit(zroce_uring_word(ring, ZROCE_RING_PROD_OFFSET), prod,
			      memory_order_release);
	pthread_spin_unlock(lock);
	if (ret)
		*bad = wr;
	return ret;
}

int zroce_post_recv(struct ibv_qp *ibqp, struct ibv_recv_wr *wr,
		    struct ibv_recv_wr **bad_wr)
{
	struct zroce_qp *qp = to_zqp(ibqp);

	if (ibqp->srq || ibqp->state == IBV_QPS_RESET) {
		*bad_wr = wr;
		return EINVAL;
	}
	return zroce_post_recv_ring(&qp->rq, &qp->rq_lock, qp->max_recv_sge,
				    wr, bad_wr);
}

int zroce_post_srq_recv(struct ibv_srq *ibsrq, struct ibv_recv_wr *wr,
			struct ibv_recv_wr **bad_wr)
{
	struct zroce_srq *srq = to_zsrq(ibsrq);

	return zroce_post_recv_ring(&srq->ring, &srq->lock, srq->max_sge, wr,
				    bad_wr);
}
