// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Host test for userspace/pabi34.h.  Most checks are the _Static_asserts in
 * the header and below; main() adds runtime checks of the macros and inline
 * helpers.  Prints nothing; exit status is the number of the first failed
 * check (0 = pass).
 *
 * Needs no libibverbs at link time: the two private functions the macros
 * reach are replaced by recording mocks below.
 *
 *   gcc -Wall -Wextra -Werror -std=gnu11 -I userspace \
 *	-o abi_pabi34 tests/unit/abi_pabi34.c && ./abi_pabi34
 */
#include <stdlib.h>
#include <string.h>

#include "pabi34.h"

#define SAME_TYPE(a, b)						\
	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define OP_TYPE(op) __typeof__(((struct verbs_context_ops *)NULL)->op)
#define VCTX_TYPE(op) __typeof__(((struct verbs_context *)NULL)->op)

/* Helpers that providers plug in directly as ops */
_Static_assert(SAME_TYPE(&ibv_cmd_req_notify_cq, OP_TYPE(req_notify_cq)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_attach_mcast, OP_TYPE(attach_mcast)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_detach_mcast, OP_TYPE(detach_mcast)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_dealloc_pd, OP_TYPE(dealloc_pd)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_dealloc_mw, OP_TYPE(dealloc_mw)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_dereg_mr, OP_TYPE(dereg_mr)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_destroy_cq, OP_TYPE(destroy_cq)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_destroy_qp, OP_TYPE(destroy_qp)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_destroy_srq, OP_TYPE(destroy_srq)), "");
_Static_assert(SAME_TYPE(&ibv_cmd_destroy_ah, OP_TYPE(destroy_ah)), "");

/* Ops that also have a slot in the public struct verbs_context */
#define SAME_AS_VCTX(op)						\
	_Static_assert(SAME_TYPE(OP_TYPE(op), VCTX_TYPE(op)), #op)
SAME_AS_VCTX(advise_mr);
SAME_AS_VCTX(alloc_dm);
SAME_AS_VCTX(alloc_null_mr);
SAME_AS_VCTX(alloc_parent_domain);
SAME_AS_VCTX(alloc_td);
SAME_AS_VCTX(attach_counters_point_flow);
SAME_AS_VCTX(close_xrcd);
SAME_AS_VCTX(create_counters);
SAME_AS_VCTX(create_cq_ex);
SAME_AS_VCTX(create_flow_action_esp);
SAME_AS_VCTX(create_qp_ex);
SAME_AS_VCTX(create_rwq_ind_table);
SAME_AS_VCTX(create_srq_ex);
SAME_AS_VCTX(create_wq);
SAME_AS_VCTX(dealloc_td);
SAME_AS_VCTX(destroy_counters);
SAME_AS_VCTX(destroy_flow_action);
SAME_AS_VCTX(destroy_rwq_ind_table);
SAME_AS_VCTX(destroy_wq);
SAME_AS_VCTX(free_dm);
SAME_AS_VCTX(get_srq_num);
SAME_AS_VCTX(modify_cq);
SAME_AS_VCTX(modify_flow_action_esp);
SAME_AS_VCTX(modify_qp_rate_limit);
SAME_AS_VCTX(modify_wq);
SAME_AS_VCTX(open_qp);
SAME_AS_VCTX(open_xrcd);
SAME_AS_VCTX(post_srq_ops);
SAME_AS_VCTX(query_device_ex);
SAME_AS_VCTX(query_rt_values);
SAME_AS_VCTX(read_counters);
SAME_AS_VCTX(reg_dm_mr);

/* Also part of the private ABI the provider relies on */
_Static_assert(VERBS_MATCH_SENTINEL == 0 && VERBS_MATCH_PCI == 1 &&
	       VERBS_MATCH_MODALIAS == 2 && VERBS_MATCH_DRIVER_ID == 3, "");
_Static_assert(VERBS_QP_XRCD == 1 && VERBS_QP_EX == 2, "");
_Static_assert(IBV_MR_TYPE_MR == 0 && IBV_MR_TYPE_DMABUF_MR == 3, "");
_Static_assert(IBV_GID_TYPE_SYSFS_ROCE_V2 == 1, "");
_Static_assert(CREATE_CQ_CMD_FLAGS_TS_IGNORED_EX == 1, "");
_Static_assert(IBVERBS_PABI_VERSION == 34, "");

/* DECLARE_DRV_CMD, in the shapes a provider uses */
struct t_mminfo {
	__aligned_u64 offset;
	__u32 size;
	__u32 pad;
};

struct t_cq_resp {
	struct t_mminfo mi;
};

struct t_qp_resp {
	struct t_mminfo rq_mi;
	struct t_mminfo sq_mi;
};

struct t_u32 {
	__u32 val;
};

struct t_mr_req {
	__aligned_u64 start;
};

DECLARE_DRV_CMD(t_alloc_context, ibv_get_context, ib_uverbs_get_context_resp,
		empty, t_cq_resp);
DECLARE_DRV_CMD(t_alloc_pd, ibv_alloc_pd, ib_uverbs_alloc_pd_resp,
		empty, t_u32);
DECLARE_DRV_CMD(t_create_ah, ibv_create_ah, ib_uverbs_create_ah_resp,
		empty, t_u32);
DECLARE_DRV_CMD(t_reg_mr, ibv_reg_mr, ib_uverbs_reg_mr_resp,
		t_mr_req, empty);
DECLARE_DRV_CMD(t_create_cq, ibv_create_cq, ib_uverbs_create_cq_resp,
		empty, t_cq_resp);
DECLARE_DRV_CMD(t_create_cq_ex, ibv_create_cq_ex,
		ib_uverbs_ex_create_cq_resp, empty, t_cq_resp);
DECLARE_DRV_CMD(t_create_qp, ibv_create_qp, ib_uverbs_create_qp_resp,
		empty, t_qp_resp);
DECLARE_DRV_CMD(t_create_qp_ex, ibv_create_qp_ex,
		ib_uverbs_ex_create_qp_resp, empty, t_qp_resp);
DECLARE_DRV_CMD(t_modify_srq, ibv_modify_srq, empty, t_mr_req, empty);
DECLARE_DRV_CMD(t_resize_cq, ibv_resize_cq, ib_uverbs_resize_cq_resp,
		empty, t_cq_resp);

_Static_assert(sizeof(struct t_alloc_pd_resp) == 8, "");
_Static_assert(sizeof(struct t_create_qp_resp) == 64, "");
_Static_assert(sizeof(struct t_reg_mr) == 56, "");
_Static_assert(sizeof(struct t_create_cq_ex_resp) == 32, "");
_Static_assert(PABI34_CMD_ALIGN(ibv_create_qp) == 4, "");
_Static_assert(PABI34_CMD_ALIGN(ibv_create_qp_ex) == 8, "");

/* A provider context and device as a provider lays them out */
struct t_context {
	int before;
	struct verbs_context ibv_ctx;
	int after;
};

struct t_device {
	struct verbs_device ibv_dev;
	int abi_version;
};

static const struct verbs_match_ent t_table[] = {
	VERBS_DRIVER_ID(0x7E00),
	VERBS_NAME_MATCH("zroce", NULL),
	VERBS_MODALIAS_MATCH("pci:v00001234d*", &t_table[0]),
	VERBS_MATCH_END,
};

static const struct verbs_device_ops t_dev_ops = {
	.name = "t",
	.match_min_abi_version = 1,
	.match_max_abi_version = 1,
	.match_table = t_table,
};

/* Mocks of the two libibverbs entry points the macros call */
static const struct verbs_device_ops *registered;
static size_t seen_size;
static uintptr_t seen_offset;
static uint32_t seen_driver_id;

void verbs_register_driver_34(const struct verbs_device_ops *ops)
{
	registered = ops;
}

void *_verbs_init_and_alloc_context(struct ibv_device *device, int cmd_fd,
				    size_t alloc_size,
				    struct verbs_context *context_offset,
				    uint32_t driver_id)
{
	(void)device;
	(void)cmd_fd;
	seen_size = alloc_size;
	seen_offset = (uintptr_t)context_offset;
	seen_driver_id = driver_id;
	return calloc(1, alloc_size);
}

PROVIDER_DRIVER(t, t_dev_ops);

static int check_match_table(void)
{
	if (t_table[0].kind != VERBS_MATCH_DRIVER_ID ||
	    t_table[0].u.driver_id != 0x7E00 || t_table[0].driver_data)
		return 1;
	if (t_table[1].kind != VERBS_MATCH_MODALIAS ||
	    strcmp(t_table[1].u.modalias, "rdma_device:*Nzroce*") ||
	    t_table[1].driver_data)
		return 1;
	if (t_table[2].kind != VERBS_MATCH_MODALIAS ||
	    t_table[2].driver_data != &t_table[0])
		return 1;
	if (t_table[3].kind != VERBS_MATCH_SENTINEL ||
	    t_table[3].u.driver_id || t_table[3].driver_data)
		return 1;
	return 0;
}

static int check_registration(void)
{
	/* the constructor must already have run */
	return registered != &t_dev_ops;
}

static int check_alloc_context(void)
{
	struct t_context *ctx = NULL;
	int ret;

	ctx = verbs_init_and_alloc_context(NULL, -1, ctx, ibv_ctx, 0x7E00);
	ret = !ctx || seen_size != sizeof(struct t_context) ||
	      seen_offset != offsetof(struct t_context, ibv_ctx) ||
	      seen_driver_id != 0x7E00;
	free(ctx);
	return ret;
}

static int check_device(void)
{
	struct t_device dev = { .abi_version = 1 };
	struct ibv_device *ibdev = &dev.ibv_dev.device;

	return verbs_get_device(ibdev) != &dev.ibv_dev;
}

static int check_mr(void)
{
	struct verbs_mr vmr = { .mr_type = IBV_MR_TYPE_MR };

	return verbs_get_mr(&vmr.ibv_mr) != &vmr;
}

static int check_qp(void)
{
	struct verbs_qp vqp;

	memset(&vqp, 0, sizeof(vqp));
	vqp.qp_ex.qp_base.qp_num = 0x123456;
	vqp.comp_mask = VERBS_QP_EX;
	return vqp.qp.qp_num != 0x123456 ||
	       (char *)&vqp.comp_mask - (char *)&vqp <
	       (ptrdiff_t)sizeof(struct ibv_qp_ex);
}

static int check_cq(void)
{
	struct verbs_cq vcq;

	memset(&vcq, 0, sizeof(vcq));
	vcq.cq_ex.cqe = 77;
	return vcq.cq.cqe != 77 || sizeof(vcq) != sizeof(struct ibv_cq_ex);
}

static int check_cmd_buffers(void)
{
	struct t_create_qp cmd;
	struct t_create_qp_resp resp;

	memset(&cmd, 0, sizeof(cmd));
	memset(&resp, 0, sizeof(resp));
	cmd.ibv_cmd.core_payload.user_handle = 1;
	resp.drv_payload.sq_mi.size = 4096;
	/* bytes past the core part are the driver udata */
	return (char *)&cmd.drv_payload - (char *)&cmd !=
	       (ptrdiff_t)sizeof(struct ibv_create_qp) ||
	       (char *)&resp.drv_payload - (char *)&resp !=
	       (ptrdiff_t)sizeof(struct ib_uverbs_create_qp_resp) ||
	       sizeof(cmd) - sizeof(cmd.ibv_cmd) != 0 ||
	       resp.ibv_resp.qp_handle != 0;
}

int main(void)
{
	static int (*const checks[])(void) = {
		check_match_table,
		check_registration,
		check_alloc_context,
		check_device,
		check_mr,
		check_qp,
		check_cq,
		check_cmd_buffers,
	};
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (checks[i]())
			return (int)i + 1;
	return 0;
}
