// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The layout of uapi/rdma/zroce-abi.h is ABI: every size and offset the
 * kernel and the provider agree on is pinned here.
 */
#include <stddef.h>
#include <infiniband/verbs.h>
#include <rdma/zroce-abi.h>

#include "check.h"

#define SIZE(t, n) _Static_assert(sizeof(struct t) == (n), "size of " #t)
#define OFF(t, m, n) \
	_Static_assert(offsetof(struct t, m) == (n), "offset of " #t "." #m)

SIZE(zroce_ring_info, 24);
SIZE(zroce_sge, 16);
SIZE(zroce_send_wqe, 64);
OFF(zroce_send_wqe, wr, 24);
OFF(zroce_send_wqe, wr.atomic.rkey, 48);
OFF(zroce_send_wqe, wr.ud.remote_qkey, 32);
SIZE(zroce_recv_wqe, 16);
SIZE(zroce_cqe, 64);
OFF(zroce_cqe, qp_num, 28);
OFF(zroce_cqe, pkey_index, 40);
OFF(zroce_cqe, timestamp, 48);
SIZE(zroce_alloc_ucontext_resp, 16);
SIZE(zroce_create_cq_resp, 32);
SIZE(zroce_resize_cq_resp, 24);
SIZE(zroce_create_qp_resp, 56);
SIZE(zroce_create_srq_resp, 32);
SIZE(zroce_create_ah_resp, 8);
_Static_assert(_Alignof(struct zroce_create_ah_resp) == 4,
	       "follows a 4-byte core response");

/* struct zroce_sge is copied from struct ibv_sge as is. */
_Static_assert(sizeof(struct ibv_sge) == sizeof(struct zroce_sge), "sge");
_Static_assert(offsetof(struct ibv_sge, lkey) ==
	       offsetof(struct zroce_sge, lkey), "sge lkey");

int main(void)
{
	/* Indices sit on their own cache lines, before the slots. */
	CHECK(ZROCE_RING_CONS_OFFSET - ZROCE_RING_PROD_OFFSET >= 64);
	CHECK(ZROCE_RING_CTRL_OFFSET - ZROCE_RING_CONS_OFFSET >= 64);
	CHECK(ZROCE_RING_DATA_OFFSET - ZROCE_RING_CTRL_OFFSET >= 64);
	CHECK(ZROCE_DRIVER_ID > 0xff);
	return check_result("abi_uapi");
}
