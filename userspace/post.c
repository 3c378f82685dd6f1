// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Posting work requests: WQEs are written into the mapped rings; only the
 * send queue's doorbell enters the kernel.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "zroce.h"

static _Atomic uint32_t *ring_index(struct zroce_uring *ring, uint32_t off)
{
	return (_Atomic uint32_t *)zroce_uring_word(ring, off);
}

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

static int zroce_rc_opcode_ok(enum ibv_wr_opcode op)
{
	switch (op) {
	case IBV_WR_SEND:
	case IBV_WR_SEND_WITH_IMM:
	case IBV_WR_SEND_WITH_INV:
	case IBV_WR_RDMA_WRITE:
	case IBV_WR_RDMA_WRITE_WITH_IMM:
	case IBV_WR_RDMA_READ:
	case IBV_WR_ATOMIC_CMP_AND_SWP:
	case IBV_WR_ATOMIC_FETCH_AND_ADD:
		return 1;
	default:
		return 0;
	}
}

static int zroce_wqe_inline(struct zroce_qp *qp, struct zroce_send_wqe *wqe,
			    const struct ibv_send_wr *wr)
{
	uint8_t *dst = (uint8_t *)(wqe + 1);
	uint32_t len = 0;
	int i;

	for (i = 0; i < wr->num_sge; i++) {
		if (wr->sg_list[i].length > qp->max_inline_data - len)
			return EINVAL;
		memcpy(dst + len, (void *)(uintptr_t)wr->sg_list[i].addr,
		       wr->sg_list[i].length);
		len += wr->sg_list[i].length;
	}
	wqe->num_sge = len;
	return 0;
}

static int zroce_wqe_build(struct zroce_qp *qp, struct zroce_send_wqe *wqe,
			   const struct ibv_send_wr *wr)
{
	if (qp->vqp.qp.qp_type != IBV_QPT_RC || !zroce_rc_opcode_ok(wr->opcode))
		return EINVAL;
	memset(wqe, 0, sizeof(*wqe));
	wqe->wr_id = wr->wr_id;
	wqe->opcode = wr->opcode;
	wqe->send_flags = wr->send_flags;
	wqe->ex = wr->opcode == IBV_WR_SEND_WITH_INV ? wr->invalidate_rkey :
						       wr->imm_data;
	if (wr->opcode == IBV_WR_ATOMIC_CMP_AND_SWP ||
	    wr->opcode == IBV_WR_ATOMIC_FETCH_AND_ADD) {
		wqe->wr.atomic.remote_addr = wr->wr.atomic.remote_addr;
		wqe->wr.atomic.rkey = wr->wr.atomic.rkey;
		wqe->wr.atomic.compare_add = wr->wr.atomic.compare_add;
		wqe->wr.atomic.swap = wr->wr.atomic.swap;
		wqe->send_flags &= ~IBV_SEND_INLINE;
	} else {
		wqe->wr.rdma.remote_addr = wr->wr.rdma.remote_addr;
		wqe->wr.rdma.rkey = wr->wr.rdma.rkey;
	}
	if ((wqe->send_flags & IBV_SEND_INLINE) &&
	    wr->opcode != IBV_WR_RDMA_READ)
		return zroce_wqe_inline(qp, wqe, wr);
	wqe->send_flags &= ~IBV_SEND_INLINE;
	if (wr->num_sge < 0 || (uint32_t)wr->num_sge > qp->max_send_sge)
		return EINVAL;
	wqe->num_sge = wr->num_sge;
	memcpy(wqe + 1, wr->sg_list, wr->num_sge * sizeof(struct ibv_sge));
	return 0;
}

int zroce_post_send(struct ibv_qp *ibqp, struct ibv_send_wr *wr,
		    struct ibv_send_wr **bad_wr)
{
	struct zroce_qp *qp = to_zqp(ibqp);
	struct zroce_uring *sq = &qp->sq;
	uint32_t prod, cons, posted = 0;
	int ret = 0;

	if (ibqp->state == IBV_QPS_RESET || ibqp->state == IBV_QPS_INIT ||
	    ibqp->state == IBV_QPS_RTR) {
		*bad_wr = wr;
		return EINVAL;
	}
	pthread_spin_lock(&qp->sq_lock);
	prod = atomic_load_explicit(ring_index(sq, ZROCE_RING_PROD_OFFSET),
				    memory_order_relaxed);
	cons = atomic_load_explicit(ring_index(sq, ZROCE_RING_CONS_OFFSET),
				    memory_order_acquire);
	for (; wr; wr = wr->next, prod++, posted++) {
		if (zroce_ring_full(prod, cons, sq->num_slots)) {
			ret = ENOMEM;
			break;
		}
		ret = zroce_wqe_build(qp, zroce_uring_slot(sq, prod), wr);
		if (ret)
			break;
	}
	atomic_store_explicit(ring_index(sq, ZROCE_RING_PROD_OFFSET), prod,
			      memory_order_release);
	pthread_spin_unlock(&qp->sq_lock);
	if (ret)
		*bad_wr = wr;
	if (posted) {
		int err = zroce_doorbell(ibqp);

		if (!ret)
			ret = err;
	}
	return ret;
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
	prod = atomic_load_explicit(ring_index(ring, ZROCE_RING_PROD_OFFSET),
				    memory_order_relaxed);
	cons = atomic_load_explicit(ring_index(ring, ZROCE_RING_CONS_OFFSET),
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
	atomic_store_explicit(ring_index(ring, ZROCE_RING_PROD_OFFSET), prod,
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
