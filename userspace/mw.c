// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Memory windows.  A bind is a WQE the kernel's requester executes in SQ
 * order: type 1 windows through ibv_bind_mw, which gives the window its
 * next key; type 2 windows through a BIND_MW WR that names the new key.
 */
#include <errno.h>
#include <stdlib.h>

#include "zroce.h"

struct ibv_mw *zroce_alloc_mw(struct ibv_pd *pd, enum ibv_mw_type type)
{
	struct ib_uverbs_alloc_mw_resp resp;
	struct ibv_alloc_mw cmd;
	struct ibv_mw *mw;
	int ret;

	mw = calloc(1, sizeof(*mw));
	if (!mw) {
		errno = ENOMEM;
		return NULL;
	}
	ret = ibv_cmd_alloc_mw(pd, type, mw, &cmd, sizeof(cmd), &resp,
			       sizeof(resp));
	if (ret) {
		free(mw);
		errno = ret;
		return NULL;
	}
	return mw;
}

int zroce_dealloc_mw(struct ibv_mw *mw)
{
	int ret = ibv_cmd_dealloc_mw(mw);

	if (!ret)
		free(mw);
	return ret;
}

/* The bind fields of a BIND_MW WQE: mw gets rkey and the range of info */
int zroce_wqe_set_bind(struct zroce_send_wqe *wqe, struct ibv_mw *mw,
		       uint32_t rkey, const struct ibv_mw_bind_info *info)
{
	if (!mw || (info->length && !info->mr) ||
	    (info->mw_access_flags & IBV_ACCESS_ZERO_BASED))
		return EINVAL;
	wqe->wr.bind.addr = info->addr;
	wqe->wr.bind.length = info->length;
	wqe->wr.bind.mr_lkey = info->mr ? info->mr->lkey : 0;
	wqe->wr.bind.rkey = mw->rkey;
	wqe->wr.bind.new_rkey = rkey;
	wqe->wr.bind.access = info->mw_access_flags;
	return 0;
}

int zroce_bind_mw(struct ibv_qp *ibqp, struct ibv_mw *mw,
		  struct ibv_mw_bind *mw_bind)
{
	struct zroce_qp *qp = to_zqp(ibqp);
	uint32_t rkey = ibv_inc_rkey(mw->rkey);
	struct zroce_send_wqe *wqe;
	uint32_t prod, cons;
	int ret;

	if (!(zroce_send_ops(ibqp->qp_type) & IBV_QP_EX_WITH_BIND_MW) ||
	    !zroce_sq_ready(ibqp))
		return EINVAL;
	zroce_sq_begin(qp, &prod, &cons);
	if (zroce_ring_full(prod, cons, qp->sq.num_slots)) {
		zroce_sq_commit(qp, prod, false);
		return ENOMEM;
	}
	wqe = zroce_uring_slot(&qp->sq, prod);
	zroce_wqe_init(wqe, mw_bind->wr_id, IBV_WR_BIND_MW,
		       mw_bind->send_flags);
	ret = zroce_wqe_set_bind(wqe, mw, rkey, &mw_bind->bind_info);
	if (ret) {
		zroce_sq_commit(qp, prod, false);
		return ret;
	}
	ret = zroce_sq_commit(qp, prod + 1, true);
	if (!ret)
		mw->rkey = rkey;	/* the key the bind gives, as verbs says */
	return ret;
}
