// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Queue pairs: creation maps the send and receive rings the kernel made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zroce.h"

DECLARE_DRV_CMD(ucmd_create_qp_ex, ibv_create_qp_ex,
		ib_uverbs_ex_create_qp_resp, empty, zroce_create_qp_resp);

#define ZROCE_QP_INIT_ATTR_MASK \
	(IBV_QP_INIT_ATTR_PD | IBV_QP_INIT_ATTR_CREATE_FLAGS | \
	 IBV_QP_INIT_ATTR_SEND_OPS_FLAGS)

/* EOPNOTSUPP, not EINVAL, for what zroce lacks: tests then skip. */
static bool zroce_qp_attr_supported(const struct ibv_qp_init_attr_ex *attr)
{
	if (attr->comp_mask & ~ZROCE_QP_INIT_ATTR_MASK)
		return false;
	return !(attr->comp_mask & IBV_QP_INIT_ATTR_SEND_OPS_FLAGS) ||
	       !(attr->send_ops_flags & ~zroce_send_ops(attr->qp_type));
}

static void zroce_qp_free(struct zroce_qp *qp)
{
	zroce_uring_unmap(&qp->rq);
	zroce_uring_unmap(&qp->sq);
	pthread_spin_destroy(&qp->rq_lock);
	pthread_spin_destroy(&qp->sq_lock);
	free(qp);
}

static int zroce_qp_map(struct zroce_qp *qp, struct ibv_context *ctx,
			const struct zroce_create_qp_resp *resp)
{
	int ret;

	ret = zroce_uring_map(ctx, &qp->sq, &resp->sq);
	if (ret || !resp->rq.num_slots)
		return ret;
	return zroce_uring_map(ctx, &qp->rq, &resp->rq);
}

struct ibv_qp *zroce_create_qp_ex(struct ibv_context *ctx,
				  struct ibv_qp_init_attr_ex *attr)
{
	struct ucmd_create_qp_ex_resp resp = {};
	struct ucmd_create_qp_ex cmd = {};
	struct zroce_qp *qp;
	int ret;

	if (!zroce_qp_attr_supported(attr)) {
		errno = EOPNOTSUPP;
		return NULL;
	}
	qp = calloc(1, sizeof(*qp));
	if (!qp) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_spin_init(&qp->sq_lock, PTHREAD_PROCESS_PRIVATE);
	pthread_spin_init(&qp->rq_lock, PTHREAD_PROCESS_PRIVATE);

	ret = ibv_cmd_create_qp_ex2(ctx, &qp->vqp, attr, &cmd.ibv_cmd,
				    sizeof(cmd), &resp.ibv_resp, sizeof(resp));
	if (ret)
		goto err_free;
	ret = zroce_qp_map(qp, ctx, &resp.drv_payload);
	if (ret)
		goto err_destroy_qp;
	qp->max_inline_data = resp.drv_payload.max_inline_data;
	qp->max_send_sge = zroce_sq_slot_sges(qp->sq.slot_size);
	if (qp->max_send_sge > to_zctx(ctx)->max_send_sge)
		qp->max_send_sge = to_zctx(ctx)->max_send_sge;
	qp->max_recv_sge = qp->rq.map ? zroce_rq_slot_sges(qp->rq.slot_size) : 0;
	if (qp->max_recv_sge > to_zctx(ctx)->max_recv_sge)
		qp->max_recv_sge = to_zctx(ctx)->max_recv_sge;
	/* after the command: ibv_cmd_create_qp_ex2() clears vqp.comp_mask */
	if (attr->comp_mask & IBV_QP_INIT_ATTR_SEND_OPS_FLAGS)
		zroce_qp_ex_init(qp, attr->send_ops_flags);
	return &qp->vqp.qp;

err_destroy_qp:
	ibv_cmd_destroy_qp(&qp->vqp.qp);
err_free:
	zroce_qp_free(qp);
	errno = ret;
	return NULL;
}

struct ibv_qp *zroce_create_qp(struct ibv_pd *pd,
			       struct ibv_qp_init_attr *attr)
{
	struct ibv_qp_init_attr_ex ex = {
		.qp_context = attr->qp_context,
		.send_cq = attr->send_cq,
		.recv_cq = attr->recv_cq,
		.srq = attr->srq,
		.cap = attr->cap,
		.qp_type = attr->qp_type,
		.sq_sig_all = attr->sq_sig_all,
		.comp_mask = IBV_QP_INIT_ATTR_PD,
		.pd = pd,
	};
	struct ibv_qp *qp;

	qp = zroce_create_qp_ex(pd->context, &ex);
	if (qp)
		attr->cap = ex.cap;
	return qp;
}

int zroce_query_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr, int mask,
		   struct ibv_qp_init_attr *init)
{
	struct ibv_query_qp cmd;

	return ibv_cmd_query_qp(ibqp, attr, mask, init, &cmd, sizeof(cmd));
}

int zroce_modify_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr, int mask)
{
	struct ibv_modify_qp cmd;
	int ret;

	ret = ibv_cmd_modify_qp(ibqp, attr, mask, &cmd, sizeof(cmd));
	if (ret || !(mask & IBV_QP_STATE) || attr->qp_state != IBV_QPS_RESET)
		return ret;
	/* the kernel emptied the rings: no later CQE can be of this QP */
	zroce_cq_clean(ibqp->recv_cq, ibqp->qp_num);
	if (ibqp->send_cq != ibqp->recv_cq)
		zroce_cq_clean(ibqp->send_cq, ibqp->qp_num);
	return 0;
}

int zroce_destroy_qp(struct ibv_qp *ibqp)
{
	int ret = ibv_cmd_destroy_qp(ibqp);

	if (!ret)
		zroce_qp_free(to_zqp(ibqp));
	return ret;
}

/*
 * Whether the data of op lands in memory in order: it does for every
 * operation, since the kernel places each packet of a QP in PSN order and
 * drops any that comes early (RC asks again, UC drops the message).
 */
int zroce_query_qp_data_in_order(struct ibv_qp *qp, enum ibv_wr_opcode op,
				 uint32_t flags)
{
	return flags ? 0 : 1;
}
