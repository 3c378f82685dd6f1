// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Address handles.  On RoCE an address always carries a GRH; the core has
 * resolved the destination MAC and the source GID attribute already.
 */
#include <linux/etherdevice.h>
#include <rdma/ib_cache.h>
#include <rdma/uverbs_ioctl.h>
#include "zroce.h"

/* Check an address vector of an AH or a connected QP. */
int zroce_check_av(struct zroce_dev *zdev, const struct rdma_ah_attr *av)
{
	const struct ib_global_route *grh;

	if (av->type != RDMA_AH_ATTR_TYPE_ROCE ||
	    !(rdma_ah_get_ah_flags(av) & IB_AH_GRH)) {
		zroce_dbg(zdev, "address without a GRH\n");
		return -EINVAL;
	}
	if (rdma_ah_get_port_num(av) != ZROCE_PORT)
		return -EINVAL;

	grh = rdma_ah_read_grh(av);
	if (!grh->sgid_attr ||
	    grh->sgid_attr->gid_type != IB_GID_TYPE_ROCE_UDP_ENCAP) {
		zroce_dbg(zdev, "source GID %u is not RoCEv2\n",
			  grh->sgid_index);
		return -EINVAL;
	}
	return 0;
}

static void zroce_av_to_ah(struct zroce_ah *ah, const struct rdma_ah_attr *av)
{
	const struct ib_global_route *grh = rdma_ah_read_grh(av);

	ah->dgid = grh->dgid;
	ah->flow_label = grh->flow_label;
	ah->sgid_index = grh->sgid_index;
	ah->hop_limit = grh->hop_limit;
	ah->traffic_class = grh->traffic_class;
	ah->sl = rdma_ah_get_sl(av);
	ether_addr_copy(ah->dmac, av->roce.dmac);
}

static void zroce_erase_ah(struct zroce_dev *zdev, struct zroce_ah *ah)
{
	unsigned long flags;

	xa_lock_irqsave(&zdev->ahs, flags);
	__xa_erase(&zdev->ahs, ah->ahn);
	xa_unlock_irqrestore(&zdev->ahs, flags);
}

int zroce_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
		    struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibah->device);
	struct zroce_ah *ah = to_zah(ibah);
	struct zroce_create_ah_resp resp = {};
	unsigned long flags;
	int err;

	err = zroce_check_av(zdev, init->ah_attr);
	if (err)
		return err;
	if (udata && udata->outlen && udata->outlen < sizeof(resp))
		return -EINVAL;

	zroce_av_to_ah(ah, init->ah_attr);
	err = zroce_av_from_attr(&ah->av, init->ah_attr);
	if (err)
		return err;
	/* create_ah and destroy_ah may run in any context */
	xa_lock_irqsave(&zdev->ahs, flags);
	err = __xa_alloc_cyclic(&zdev->ahs, &ah->ahn, ah,
				XA_LIMIT(1, ZROCE_MAX_AH), &zdev->next_ahn,
				GFP_ATOMIC);
	xa_unlock_irqrestore(&zdev->ahs, flags);
	if (err < 0)
		return err == -EBUSY ? -ENOMEM : err;

	if (udata && udata->outlen) {
		resp.ahn = ah->ahn;
		err = ib_copy_to_udata(udata, &resp, sizeof(resp));
		if (err)
			goto err_erase;
	}
	return 0;

err_erase:
	zroce_erase_ah(zdev, ah);
	return err;
}

int zroce_query_ah(struct ib_ah *ibah, struct rdma_ah_attr *attr)
{
	struct zroce_ah *ah = to_zah(ibah);

	memset(attr, 0, sizeof(*attr));
	attr->type = RDMA_AH_ATTR_TYPE_ROCE;
	rdma_ah_set_port_num(attr, ZROCE_PORT);
	rdma_ah_set_sl(attr, ah->sl);
	rdma_ah_set_grh(attr, &ah->dgid, ah->flow_label, ah->sgid_index,
			ah->hop_limit, ah->traffic_class);
	ether_addr_copy(attr->roce.dmac, ah->dmac);
	return 0;
}

int zroce_destroy_ah(struct ib_ah *ibah, u32 flags)
{
	zroce_erase_ah(to_zdev(ibah->device), to_zah(ibah));
	return 0;
}
