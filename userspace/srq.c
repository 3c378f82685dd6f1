// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Shared receive queues.
 */
#include <errno.h>
#include <stdlib.h>

#include "zroce.h"

DECLARE_DRV_CMD(ucmd_create_srq, ibv_create_srq, ib_uverbs_create_srq_resp,
		empty, zroce_create_srq_resp);

struct ibv_srq *zroce_create_srq(struct ibv_pd *pd,
				 struct ibv_srq_init_attr *attr)
{
	struct ucmd_create_srq_resp resp = {};
	struct ucmd_create_srq cmd = {};
	struct zroce_srq *srq;
	int ret;

	srq = calloc(1, sizeof(*srq));
	if (!srq) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_spin_init(&srq->lock, PTHREAD_PROCESS_PRIVATE);

	ret = ibv_cmd_create_srq(pd, &srq->vsrq.srq, attr, &cmd.ibv_cmd,
				 sizeof(cmd), &resp.ibv_resp, sizeof(resp));
	if (ret)
		goto err_free;
	ret = zroce_uring_map(pd->context, &srq->ring, &resp.drv_payload.rq);
	if (ret)
		goto err_destroy_srq;
	srq->srqn = resp.drv_payload.srqn;
	srq->max_sge = zroce_rq_slot_sges(srq->ring.slot_size);
	if (srq->max_sge > to_zctx(pd->context)->max_recv_sge)
		srq->max_sge = to_zctx(pd->context)->max_recv_sge;
	return &srq->vsrq.srq;

err_destroy_srq:
	ibv_cmd_destroy_srq(&srq->vsrq.srq);
err_free:
	pthread_spin_destroy(&srq->lock);
	free(srq);
	errno = ret;
	return NULL;
}

int zroce_modify_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr,
		     int mask)
{
	struct ibv_modify_srq cmd;

	return ibv_cmd_modify_srq(ibsrq, attr, mask, &cmd, sizeof(cmd));
}

int zroce_query_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr)
{
	struct ibv_query_srq cmd;

	return ibv_cmd_query_srq(ibsrq, attr, &cmd, sizeof(cmd));
}

int zroce_destroy_srq(struct ibv_srq *ibsrq)
{
	struct zroce_srq *srq = to_zsrq(ibsrq);
	int ret;

	ret = ibv_cmd_destroy_srq(ibsrq);
	if (ret)
		return ret;
	zroce_uring_unmap(&srq->ring);
	pthread_spin_destroy(&srq->lock);
	free(srq);
	return 0;
}
