// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * zroce provider: binding to zroce devices, the context and its ops.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zroce.h"

DECLARE_DRV_CMD(ucmd_get_context, ibv_get_context,
		ib_uverbs_get_context_resp, empty, zroce_alloc_ucontext_resp);

static int zroce_query_device(struct ibv_context *ctx,
			      const struct ibv_query_device_ex_input *input,
			      struct ibv_device_attr_ex *attr, size_t attr_size)
{
	struct ib_uverbs_ex_query_device_resp resp;
	size_t resp_size = sizeof(resp);
	int ret;

	ret = ibv_cmd_query_device_any(ctx, input, attr, attr_size, &resp,
				       &resp_size);
	if (ret)
		return ret;
	snprintf(attr->orig_attr.fw_ver, sizeof(attr->orig_attr.fw_ver),
		 "%llu", (unsigned long long)resp.base.fw_ver);
	return 0;
}

static int zroce_query_port(struct ibv_context *ctx, uint8_t port,
			    struct ibv_port_attr *attr)
{
	struct ibv_query_port cmd;

	return ibv_cmd_query_port(ctx, port, attr, &cmd, sizeof(cmd));
}

static void zroce_free_context(struct ibv_context *ibctx)
{
	struct zroce_context *ctx = to_zctx(ibctx);

	verbs_uninit_context(&ctx->ibv_ctx);
	free(ctx);
}

static const struct verbs_context_ops zroce_ctx_ops = {
	.advise_mr = zroce_advise_mr,
	.alloc_mw = zroce_alloc_mw,
	.alloc_pd = zroce_alloc_pd,
	.attach_mcast = ibv_cmd_attach_mcast,
	.bind_mw = zroce_bind_mw,
	.create_ah = zroce_create_ah,
	.create_cq = zroce_create_cq,
	.create_cq_ex = zroce_create_cq_ex,
	.create_qp = zroce_create_qp,
	.create_qp_ex = zroce_create_qp_ex,
	.create_srq = zroce_create_srq,
	.dealloc_mw = zroce_dealloc_mw,
	.dealloc_pd = zroce_dealloc_pd,
	.dereg_mr = zroce_dereg_mr,
	.destroy_ah = zroce_destroy_ah,
	.destroy_cq = zroce_destroy_cq,
	.destroy_qp = zroce_destroy_qp,
	.destroy_srq = zroce_destroy_srq,
	.detach_mcast = ibv_cmd_detach_mcast,
	.free_context = zroce_free_context,
	.modify_qp = zroce_modify_qp,
	.modify_srq = zroce_modify_srq,
	.poll_cq = zroce_poll_cq,
	.post_recv = zroce_post_recv,
	.post_send = zroce_post_send,
	.post_srq_recv = zroce_post_srq_recv,
	.query_device_ex = zroce_query_device,
	.query_port = zroce_query_port,
	.query_qp = zroce_query_qp,
	.query_qp_data_in_order = zroce_query_qp_data_in_order,
	.query_rt_values = zroce_query_rt_values,
	.query_srq = zroce_query_srq,
	.reg_mr = zroce_reg_mr,
	.req_notify_cq = ibv_cmd_req_notify_cq,
	.rereg_mr = zroce_rereg_mr,
	.resize_cq = zroce_resize_cq,
};

static struct verbs_context *zroce_alloc_context(struct ibv_device *ibdev,
						 int cmd_fd,
						 void *private_data)
{
	struct ucmd_get_context_resp resp = {};
	struct ucmd_get_context cmd = {};
	struct zroce_context *ctx;

	ctx = verbs_init_and_alloc_context(ibdev, cmd_fd, ctx, ibv_ctx,
					   ZROCE_DRIVER_ID);
	if (!ctx)
		return NULL;

	if (ibv_cmd_get_context(&ctx->ibv_ctx, &cmd.ibv_cmd, sizeof(cmd),
				&resp.ibv_resp, sizeof(resp)))
		goto err_uninit;

	ctx->max_inline_data = resp.drv_payload.max_inline_data;
	ctx->max_send_sge = resp.drv_payload.max_send_sge;
	ctx->max_recv_sge = resp.drv_payload.max_recv_sge;
	verbs_set_ops(&ctx->ibv_ctx, &zroce_ctx_ops);
	return &ctx->ibv_ctx;

err_uninit:
	verbs_uninit_context(&ctx->ibv_ctx);
	free(ctx);
	return NULL;
}

static struct verbs_device *zroce_alloc_device(struct verbs_sysfs_dev *sdev)
{
	struct zroce_device *dev = calloc(1, sizeof(*dev));

	return dev ? &dev->ibv_dev : NULL;
}

static void zroce_uninit_device(struct verbs_device *vdev)
{
	free(container_of(vdev, struct zroce_device, ibv_dev));
}

/* Only the driver id: whatever name the user gave, and never another's. */
static const struct verbs_match_ent zroce_match_table[] = {
	VERBS_DRIVER_ID(ZROCE_DRIVER_ID),
	VERBS_MATCH_END,
};

static const struct verbs_device_ops zroce_dev_ops = {
	.name = "zroce",
	.match_min_abi_version = ZROCE_ABI_VERSION,
	.match_max_abi_version = ZROCE_ABI_VERSION,
	.match_table = zroce_match_table,
	.alloc_device = zroce_alloc_device,
	.uninit_device = zroce_uninit_device,
	.alloc_context = zroce_alloc_context,
};

PROVIDER_DRIVER(zroce, zroce_dev_ops);
