// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Completion queues: the kernel produces struct zroce_cqe into a mapped
 * ring; poll_cq consumes it without entering the kernel.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "zroce.h"

DECLARE_DRV_CMD(ucmd_resize_cq, ibv_resize_cq, ib_uverbs_resize_cq_resp,
		empty, zroce_resize_cq_resp);

/* A plain CQ is an extended one with the standard fields (cqex.c). */
struct ibv_cq *zroce_create_cq(struct ibv_context *ctx, int cqe,
			       struct ibv_comp_channel *channel,
			       int comp_vector)
{
	struct ibv_cq_init_attr_ex attr = {
		.cqe = cqe, .channel = channel, .comp_vector = comp_vector,
		.wc_flags = IBV_WC_STANDARD_FLAGS,
	};
	struct ibv_cq_ex *cq = zroce_create_cq_ex(ctx, &attr);

	return cq ? ibv_cq_ex_to_cq(cq) : NULL;
}

int zroce_resize_cq(struct ibv_cq *ibcq, int cqe)
{
	struct zroce_cq *cq = to_zcq(ibcq);
	struct ucmd_resize_cq_resp resp = {};
	struct ucmd_resize_cq cmd = {};
	struct zroce_uring new = {};
	int ret;

	pthread_spin_lock(&cq->lock);
	ret = ibv_cmd_resize_cq(ibcq, cqe, &cmd.ibv_cmd, sizeof(cmd),
				&resp.ibv_resp, sizeof(resp));
	if (!ret)
		ret = zroce_uring_map(ibcq->context, &new, &resp.drv_payload.cq);
	if (!ret) {
		zroce_uring_unmap(&cq->ring);
		cq->ring = new;
	}
	pthread_spin_unlock(&cq->lock);
	return ret;
}

int zroce_destroy_cq(struct ibv_cq *ibcq)
{
	struct zroce_cq *cq = to_zcq(ibcq);
	int ret;

	ret = ibv_cmd_destroy_cq(ibcq);
	if (ret)
		return ret;
	zroce_uring_unmap(&cq->ring);
	pthread_spin_destroy(&cq->lock);
	free(cq);
	return 0;
}

unsigned int zroce_wc_flags(uint32_t cqe_flags)
{
	return (cqe_flags & ZROCE_CQE_GRH ? IBV_WC_GRH : 0) |
	       (cqe_flags & ZROCE_CQE_WITH_IMM ? IBV_WC_WITH_IMM : 0) |
	       (cqe_flags & ZROCE_CQE_WITH_INV ? IBV_WC_WITH_INV : 0);
}

static void zroce_cqe_to_wc(const struct zroce_cqe *cqe, struct ibv_wc *wc)
{
	wc->wr_id = cqe->wr_id;
	wc->status = cqe->status;
	wc->opcode = cqe->opcode;
	wc->vendor_err = cqe->vendor_err;
	wc->byte_len = cqe->byte_len;
	wc->imm_data = cqe->ex;
	wc->qp_num = cqe->qp_num;
	wc->src_qp = cqe->src_qp;
	wc->wc_flags = zroce_wc_flags(cqe->wc_flags);
	wc->pkey_index = cqe->pkey_index;
	wc->slid = cqe->slid;
	wc->sl = cqe->sl;
	wc->dlid_path_bits = cqe->dlid_path_bits;
}

int zroce_poll_cq(struct ibv_cq *ibcq, int ne, struct ibv_wc *wc)
{
	struct zroce_cq *cq = to_zcq(ibcq);
	_Atomic uint32_t *prod_word, *cons_word;
	uint32_t prod, cons;
	int n;

	pthread_spin_lock(&cq->lock);
	prod_word = zroce_uring_word(&cq->ring, ZROCE_RING_PROD_OFFSET);
	cons_word = zroce_uring_word(&cq->ring, ZROCE_RING_CONS_OFFSET);
	cons = atomic_load_explicit(cons_word, memory_order_relaxed);
	prod = atomic_load_explicit(prod_word, memory_order_acquire);
	for (n = 0; n < ne && cons != prod; n++, cons++)
		zroce_cqe_to_wc(zroce_uring_slot(&cq->ring, cons), &wc[n]);
	atomic_store_explicit(cons_word, cons, memory_order_release);
	pthread_spin_unlock(&cq->lock);
	return n;
}

/*
 * Drop the CQEs of QP qpn that the process has not polled: a QP back in
 * RESET leaves nothing of its past traffic behind (mlx4 and mlx5 do the
 * same, and pyverbs' restate_qps() relies on it).  Slots [cons, prod)
 * belong to the consumer: the CQEs kept move up towards prod, and cons
 * moves past the freed slots.
 */
void zroce_cq_clean(struct ibv_cq *ibcq, uint32_t qpn)
{
	struct zroce_cq *cq = to_zcq(ibcq);
	_Atomic uint32_t *prod_word, *cons_word;
	uint32_t prod, cons, idx, dropped = 0;
	struct zroce_cqe *cqe;

	pthread_spin_lock(&cq->lock);
	prod_word = zroce_uring_word(&cq->ring, ZROCE_RING_PROD_OFFSET);
	cons_word = zroce_uring_word(&cq->ring, ZROCE_RING_CONS_OFFSET);
	cons = atomic_load_explicit(cons_word, memory_order_relaxed);
	prod = atomic_load_explicit(prod_word, memory_order_acquire);
	for (idx = prod; idx != cons; ) {
		cqe = zroce_uring_slot(&cq->ring, --idx);
		if (cqe->qp_num == qpn)
			dropped++;
		else if (dropped)
			memcpy(zroce_uring_slot(&cq->ring, idx + dropped), cqe,
			       sizeof(*cqe));
	}
	atomic_store_explicit(cons_word, cons + dropped, memory_order_release);
	pthread_spin_unlock(&cq->lock);
}
