// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * User contexts and protection domains.
 */
#include <rdma/uverbs_ioctl.h>
#include "zroce.h"

int zroce_alloc_ucontext(struct ib_ucontext *uctx, struct ib_udata *udata)
{
	struct zroce_alloc_ucontext_resp resp = {
		.max_inline_data = ZROCE_MAX_INLINE,
		.max_send_sge = ZROCE_MAX_SGE,
		.max_recv_sge = ZROCE_MAX_SGE,
	};

	if (udata->inlen && !ib_is_udata_cleared(udata, 0, udata->inlen))
		return -EINVAL;
	if (udata->outlen < sizeof(resp))
		return -EINVAL;
	return ib_copy_to_udata(udata, &resp, sizeof(resp));
}

void zroce_dealloc_ucontext(struct ib_ucontext *uctx)
{
}

/*
 * The device is going away under a live process: the core destroys its
 * objects.  Nothing else to revoke: the ring pages the process mapped keep
 * their own references, so they stay valid (and unused) until it unmaps.
 */
void zroce_disassociate_ucontext(struct ib_ucontext *uctx)
{
}

int zroce_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	return 0;
}

int zroce_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	return 0;
}
