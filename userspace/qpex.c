// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The extended send API (struct ibv_qp_ex, ibv_wr_*): wr_start takes the
 * SQ lock, each builder starts a WQE in the next SQ slot and the setters
 * fill it in place; wr_complete publishes them all at once, as
 * ibv_post_send does.  The calls return nothing, so the first error is
 * kept and wr_complete reports it instead of publishing.
 */
#include <errno.h>
#include <string.h>

#include "zroce.h"

static void zroce_wr_fail(struct zroce_qp *qp, int err)
{
	if (!qp->wr_err)
		qp->wr_err = err;
	qp->wr_wqe = NULL;
}

/* Start a WQE in the next slot; NULL after an error. */
static struct zroce_send_wqe *zroce_wr_new(struct ibv_qp_ex *ibqpx,
					   enum ibv_wr_opcode op)
{
	struct zroce_qp *qp = to_zqpx(ibqpx);
	struct zroce_send_wqe *wqe;

	if (qp->wr_err)
		return NULL;
	if (zroce_ring_full(qp->wr_prod, qp->wr_cons, qp->sq.num_slots)) {
		zroce_wr_fail(qp, ENOMEM);
		return NULL;
	}
	wqe = zroce_uring_slot(&qp->sq, qp->wr_prod++);
	zroce_wqe_init(wqe, ibqpx->wr_id, op, ibqpx->wr_flags);
	qp->wr_wqe = wqe;
	return wqe;
}

/* The WQE the setters fill; a setter before any builder is an error. */
static struct zroce_send_wqe *zroce_wr_cur(struct zroce_qp *qp)
{
	if (!qp->wr_wqe && !qp->wr_err)
		qp->wr_err = EINVAL;
	return qp->wr_wqe;
}

static void zroce_wr_send(struct ibv_qp_ex *ibqpx)
{
	zroce_wr_new(ibqpx, IBV_WR_SEND);
}

static void zroce_wr_send_imm(struct ibv_qp_ex *ibqpx, __be32 imm_data)
{
	struct zroce_send_wqe *wqe = zroce_wr_new(ibqpx, IBV_WR_SEND_WITH_IMM);

	if (wqe)
		wqe->ex = imm_data;
}

static void zroce_wr_send_inv(struct ibv_qp_ex *ibqpx, uint32_t rkey)
{
	struct zroce_send_wqe *wqe = zroce_wr_new(ibqpx, IBV_WR_SEND_WITH_INV);

	if (wqe)
		wqe->ex = rkey;
}

static void zroce_wr_local_inv(struct ibv_qp_ex *ibqpx, uint32_t rkey)
{
	struct zroce_send_wqe *wqe = zroce_wr_new(ibqpx, IBV_WR_LOCAL_INV);

	if (wqe)
		wqe->ex = rkey;
}

static void zroce_wr_bind_mw(struct ibv_qp_ex *ibqpx, struct ibv_mw *mw,
			     uint32_t rkey,
			     const struct ibv_mw_bind_info *info)
{
	struct zroce_send_wqe *wqe = zroce_wr_new(ibqpx, IBV_WR_BIND_MW);

	if (!wqe)
		return;
	if (!mw || mw->type != IBV_MW_TYPE_2 ||
	    zroce_wqe_set_bind(wqe, mw, rkey, info))
		zroce_wr_fail(to_zqpx(ibqpx), EINVAL);
}

static struct zroce_send_wqe *zroce_wr_rdma(struct ibv_qp_ex *ibqpx,
					    enum ibv_wr_opcode op,
					    uint32_t rkey, uint64_t remote_addr)
{
	struct zroce_send_wqe *wqe = zroce_wr_new(ibqpx, op);

	if (wqe) {
		wqe->wr.rdma.remote_addr = remote_addr;
		wqe->wr.rdma.rkey = rkey;
	}
	return wqe;
}

/* The 8 bytes travel in the WQE, whatever the QP's inline limit. */
static void zroce_wr_atomic_write(struct ibv_qp_ex *ibqpx, uint32_t rkey,
				  uint64_t remote_addr, const void *data)
{
	struct zroce_send_wqe *wqe = zroce_wr_rdma(ibqpx, IBV_WR_ATOMIC_WRITE,
						   rkey, remote_addr);

	if (!wqe)
		return;
	wqe->send_flags |= IBV_SEND_INLINE;
	memcpy(wqe + 1, data, 8);
	wqe->num_sge = 8;
	to_zqpx(ibqpx)->wr_wqe = NULL;	/* no SGE or inline setter follows */
}

static void zroce_wr_rdma_write(struct ibv_qp_ex *ibqpx, uint32_t rkey,
				uint64_t remote_addr)
{
	zroce_wr_rdma(ibqpx, IBV_WR_RDMA_WRITE, rkey, remote_addr);
}

static void zroce_wr_rdma_write_imm(struct ibv_qp_ex *ibqpx, uint32_t rkey,
				    uint64_t remote_addr, __be32 imm_data)
{
	struct zroce_send_wqe *wqe;

	wqe = zroce_wr_rdma(ibqpx, IBV_WR_RDMA_WRITE_WITH_IMM, rkey,
			    remote_addr);
	if (wqe)
		wqe->ex = imm_data;
}

static void zroce_wr_rdma_read(struct ibv_qp_ex *ibqpx, uint32_t rkey,
			       uint64_t remote_addr)
{
	zroce_wr_rdma(ibqpx, IBV_WR_RDMA_READ, rkey, remote_addr);
}

static void zroce_wr_atomic(struct ibv_qp_ex *ibqpx, enum ibv_wr_opcode op,
			    uint32_t rkey, uint64_t remote_addr,
			    uint64_t compare_add, uint64_t swap)
{
	struct zroce_send_wqe *wqe = zroce_wr_new(ibqpx, op);

	if (!wqe)
		return;
	wqe->wr.atomic.remote_addr = remote_addr;
	wqe->wr.atomic.rkey = rkey;
	wqe->wr.atomic.compare_add = compare_add;
	wqe->wr.atomic.swap = swap;
}

static void zroce_wr_atomic_cmp_swp(struct ibv_qp_ex *ibqpx, uint32_t rkey,
				    uint64_t remote_addr, uint64_t compare,
				    uint64_t swap)
{
	zroce_wr_atomic(ibqpx, IBV_WR_ATOMIC_CMP_AND_SWP, rkey, remote_addr,
			compare, swap);
}

static void zroce_wr_atomic_fetch_add(struct ibv_qp_ex *ibqpx, uint32_t rkey,
				      uint64_t remote_addr, uint64_t add)
{
	zroce_wr_atomic(ibqpx, IBV_WR_ATOMIC_FETCH_AND_ADD, rkey, remote_addr,
			add, 0);
}

static void zroce_wr_set_ud_addr(struct ibv_qp_ex *ibqpx, struct ibv_ah *ah,
				 uint32_t remote_qpn, uint32_t remote_qkey)
{
	struct zroce_send_wqe *wqe = zroce_wr_cur(to_zqpx(ibqpx));

	if (wqe)
		zroce_wqe_set_ud(wqe, ah, remote_qpn, remote_qkey);
}

static void zroce_wr_set_sge_list(struct ibv_qp_ex *ibqpx, size_t num_sge,
				  const struct ibv_sge *sg_list)
{
	struct zroce_qp *qp = to_zqpx(ibqpx);
	struct zroce_send_wqe *wqe = zroce_wr_cur(qp);
	int ret;

	if (!wqe)
		return;
	ret = zroce_wqe_set_sges(qp, wqe, sg_list, num_sge);
	if (ret)
		zroce_wr_fail(qp, ret);
}

static void zroce_wr_set_sge(struct ibv_qp_ex *ibqpx, uint32_t lkey,
			     uint64_t addr, uint32_t length)
{
	const struct ibv_sge sge = {
		.addr = addr,
		.length = length,
		.lkey = lkey,
	};

	zroce_wr_set_sge_list(ibqpx, 1, &sge);
}

static void zroce_wr_set_inline_data_list(struct ibv_qp_ex *ibqpx,
					  size_t num_buf,
					  const struct ibv_data_buf *buf_list)
{
	struct zroce_qp *qp = to_zqpx(ibqpx);
	struct zroce_send_wqe *wqe = zroce_wr_cur(qp);
	size_t i;
	int ret;

	if (!wqe)
		return;
	if (!zroce_send_op_inline(wqe->opcode)) {
		zroce_wr_fail(qp, EINVAL);
		return;
	}
	wqe->send_flags |= IBV_SEND_INLINE;
	wqe->num_sge = 0;
	for (i = 0; i < num_buf; i++) {
		ret = zroce_wqe_inline_add(qp, wqe, buf_list[i].addr,
					   buf_list[i].length);
		if (ret) {
			zroce_wr_fail(qp, ret);
			return;
		}
	}
}

static void zroce_wr_set_inline_data(struct ibv_qp_ex *ibqpx, void *addr,
				     size_t length)
{
	const struct ibv_data_buf buf = {
		.addr = addr,
		.length = length,
	};

	zroce_wr_set_inline_data_list(ibqpx, 1, &buf);
}

static void zroce_wr_start(struct ibv_qp_ex *ibqpx)
{
	struct zroce_qp *qp = to_zqpx(ibqpx);

	zroce_sq_begin(qp, &qp->wr_first, &qp->wr_cons);
	qp->wr_prod = qp->wr_first;
	qp->wr_wqe = NULL;
	qp->wr_err = 0;
}

static int zroce_wr_complete(struct ibv_qp_ex *ibqpx)
{
	struct zroce_qp *qp = to_zqpx(ibqpx);
	int ret = qp->wr_err;

	if (!ret && !zroce_sq_ready(&ibqpx->qp_base))
		ret = EINVAL;
	if (ret) {
		pthread_spin_unlock(&qp->sq_lock);
		return ret;
	}
	return zroce_sq_commit(qp, qp->wr_prod, qp->wr_prod != qp->wr_first);
}

/* The slots written since wr_start lie past the producer index: unseen. */
static void zroce_wr_abort(struct ibv_qp_ex *ibqpx)
{
	pthread_spin_unlock(&to_zqpx(ibqpx)->sq_lock);
}

/*
 * Install the builders of the operations asked for (create checked them
 * against zroce_send_ops()), the setters, and mark the QP extended so that
 * ibv_qp_to_qp_ex() returns it.
 */
void zroce_qp_ex_init(struct zroce_qp *qp, uint64_t send_ops)
{
	struct ibv_qp_ex *qpx = &qp->vqp.qp_ex;

	if (send_ops & IBV_QP_EX_WITH_SEND)
		qpx->wr_send = zroce_wr_send;
	if (send_ops & IBV_QP_EX_WITH_SEND_WITH_IMM)
		qpx->wr_send_imm = zroce_wr_send_imm;
	if (send_ops & IBV_QP_EX_WITH_SEND_WITH_INV)
		qpx->wr_send_inv = zroce_wr_send_inv;
	if (send_ops & IBV_QP_EX_WITH_RDMA_WRITE)
		qpx->wr_rdma_write = zroce_wr_rdma_write;
	if (send_ops & IBV_QP_EX_WITH_RDMA_WRITE_WITH_IMM)
		qpx->wr_rdma_write_imm = zroce_wr_rdma_write_imm;
	if (send_ops & IBV_QP_EX_WITH_RDMA_READ)
		qpx->wr_rdma_read = zroce_wr_rdma_read;
	if (send_ops & IBV_QP_EX_WITH_ATOMIC_CMP_AND_SWP)
		qpx->wr_atomic_cmp_swp = zroce_wr_atomic_cmp_swp;
	if (send_ops & IBV_QP_EX_WITH_ATOMIC_FETCH_AND_ADD)
		qpx->wr_atomic_fetch_add = zroce_wr_atomic_fetch_add;
	if (send_ops & IBV_QP_EX_WITH_ATOMIC_WRITE)
		qpx->wr_atomic_write = zroce_wr_atomic_write;
	if (send_ops & IBV_QP_EX_WITH_BIND_MW)
		qpx->wr_bind_mw = zroce_wr_bind_mw;
	if (send_ops & IBV_QP_EX_WITH_LOCAL_INV)
		qpx->wr_local_inv = zroce_wr_local_inv;
	if (qp->vqp.qp.qp_type == IBV_QPT_UD)
		qpx->wr_set_ud_addr = zroce_wr_set_ud_addr;
	qpx->wr_set_sge = zroce_wr_set_sge;
	qpx->wr_set_sge_list = zroce_wr_set_sge_list;
	qpx->wr_set_inline_data = zroce_wr_set_inline_data;
	qpx->wr_set_inline_data_list = zroce_wr_set_inline_data_list;
	qpx->wr_start = zroce_wr_start;
	qpx->wr_complete = zroce_wr_complete;
	qpx->wr_abort = zroce_wr_abort;
	qp->vqp.comp_mask |= VERBS_QP_EX;
}
