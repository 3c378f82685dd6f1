// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The ib_device: attributes, the port, and registration on a netdev.
 */
#include <linux/etherdevice.h>
#include <net/addrconf.h>
#include <rdma/ib_addr.h>
#include <rdma/ib_cache.h>
#include <rdma/ib_mad.h>
#include <rdma/uverbs_ioctl.h>
#include "compat.h"
#include "zroce.h"

static int zroce_query_device(struct ib_device *ibdev,
			      struct ib_device_attr *attr,
			      struct ib_udata *udata)
{
	if (udata && udata->inlen &&
	    !ib_is_udata_cleared(udata, 0, udata->inlen))
		return -EINVAL;

	memset(attr, 0, sizeof(*attr));
	attr->fw_ver = 1;
	attr->sys_image_guid = ibdev->node_guid;
	attr->max_mr_size = U64_MAX;
	attr->page_size_cap = PAGE_SIZE;
	attr->vendor_id = ZROCE_VENDOR_ID;
	attr->vendor_part_id = ZROCE_VENDOR_PART_ID;
	attr->max_qp = ZROCE_MAX_QP;
	attr->max_qp_wr = ZROCE_MAX_QP_WR;
	attr->device_cap_flags = IB_DEVICE_RC_RNR_NAK_GEN |
				 IB_DEVICE_CHANGE_PHY_PORT |
				 IB_DEVICE_SHUTDOWN_PORT |
				 IB_DEVICE_SYS_IMAGE_GUID |
				 IB_DEVICE_MEM_WINDOW |
				 IB_DEVICE_MEM_WINDOW_TYPE_2B |
				 IB_DEVICE_MEM_MGT_EXTENSIONS;
	attr->kernel_cap_flags = IBK_ALLOW_USER_UNREG | IBK_ON_DEMAND_PAGING;
	/* what works on ODP memory (odp.c), per transport */
	attr->odp_caps.general_caps = IB_ODP_SUPPORT | IB_ODP_SUPPORT_IMPLICIT;
	attr->odp_caps.per_transport_caps.rc_odp_caps =
		IB_ODP_SUPPORT_SEND | IB_ODP_SUPPORT_RECV |
		IB_ODP_SUPPORT_WRITE | IB_ODP_SUPPORT_READ |
		IB_ODP_SUPPORT_ATOMIC | IB_ODP_SUPPORT_SRQ_RECV;
	attr->odp_caps.per_transport_caps.uc_odp_caps =
		IB_ODP_SUPPORT_SEND | IB_ODP_SUPPORT_RECV |
		IB_ODP_SUPPORT_WRITE | IB_ODP_SUPPORT_SRQ_RECV;
	attr->odp_caps.per_transport_caps.ud_odp_caps =
		IB_ODP_SUPPORT_SEND | IB_ODP_SUPPORT_RECV |
		IB_ODP_SUPPORT_SRQ_RECV;
	attr->max_send_sge = ZROCE_MAX_SGE;
	attr->max_recv_sge = ZROCE_MAX_SGE;
	attr->max_sge_rd = ZROCE_MAX_SGE;
	attr->max_cq = ZROCE_MAX_CQ;
	attr->max_cqe = ZROCE_MAX_CQE;
	attr->max_mr = ZROCE_MAX_MR;
	attr->max_mw = ZROCE_MAX_MR;	/* windows share the key space */
	attr->max_mcast_grp = ZROCE_MAX_MCAST_GRP;
	attr->max_mcast_qp_attach = ZROCE_MAX_MCAST_QP;
	attr->max_total_mcast_qp_attach = ZROCE_MAX_MCAST_GRP *
					  ZROCE_MAX_MCAST_QP;
	attr->max_fast_reg_page_list_len = ZROCE_FRMR_MAX_PAGES;
	attr->max_pd = ZROCE_MAX_PD;
	attr->max_qp_rd_atom = ZROCE_MAX_RD_ATOMIC;
	attr->max_qp_init_rd_atom = ZROCE_MAX_RD_ATOMIC;
	attr->max_res_rd_atom = ZROCE_MAX_RD_ATOMIC * ZROCE_MAX_QP;
	attr->atomic_cap = IB_ATOMIC_HCA;
	attr->max_ah = ZROCE_MAX_AH;
	attr->max_srq = ZROCE_MAX_SRQ;
	attr->max_srq_wr = ZROCE_MAX_SRQ_WR;
	attr->max_srq_sge = ZROCE_MAX_SGE;
	attr->max_pkeys = 1;
	attr->local_ca_ack_delay = 15;
	/* completion timestamps count ns of CLOCK_MONOTONIC: 1 GHz */
	attr->hca_core_clock = NSEC_PER_SEC / 1000;	/* kHz */
	attr->timestamp_mask = U64_MAX;
	return 0;
}

static bool zroce_link_up(const struct net_device *ndev)
{
	return netif_running(ndev) && netif_oper_up(ndev);
}

static int zroce_query_port(struct ib_device *ibdev, u32 port,
			    struct ib_port_attr *attr)
{
	struct net_device *ndev = to_zdev(ibdev)->ndev;
	bool up = zroce_link_up(ndev);
	int err;

	/* The core zeroed attr and range-checked port. */
	attr->state = up ? IB_PORT_ACTIVE : IB_PORT_DOWN;
	attr->phys_state = up ? IB_PORT_PHYS_STATE_LINK_UP :
				IB_PORT_PHYS_STATE_DISABLED;
	attr->max_mtu = IB_MTU_4096;
	attr->active_mtu = zroce_port_mtu(to_zdev(ibdev));
	attr->gid_tbl_len = ZROCE_GID_TBL_LEN;
	attr->port_cap_flags = IB_PORT_CM_SUP | IB_PORT_REINIT_SUP |
			       IB_PORT_VENDOR_CLASS_SUP |
			       IB_PORT_BOOT_MGMT_SUP;
	attr->max_msg_sz = 1U << 31;
	attr->pkey_tbl_len = 1;
	attr->bad_pkey_cntr = 0;
	attr->qkey_viol_cntr = 0;
	attr->max_vl_num = 1;

	err = ib_get_eth_speed(ibdev, port, &attr->active_speed,
			       &attr->active_width);
	if (err)
		zroce_dbg(to_zdev(ibdev), "no link speed: %d\n", err);
	return 0;
}

static int zroce_get_port_immutable(struct ib_device *ibdev, u32 port,
				    struct ib_port_immutable *immutable)
{
	immutable->core_cap_flags = RDMA_CORE_PORT_IBA_ROCE_UDP_ENCAP;
	immutable->pkey_tbl_len = 1;
	immutable->gid_tbl_len = ZROCE_GID_TBL_LEN;
	immutable->max_mad_size = IB_MGMT_MAD_SIZE;
	return 0;
}

static enum rdma_link_layer zroce_get_link_layer(struct ib_device *ibdev,
						 u32 port)
{
	return IB_LINK_LAYER_ETHERNET;
}

static int zroce_query_pkey(struct ib_device *ibdev, u32 port, u16 index,
			    u16 *pkey)
{
	if (index)
		return -EINVAL;
	*pkey = IB_DEFAULT_PKEY_FULL;
	return 0;
}

static int zroce_modify_port(struct ib_device *ibdev, u32 port, int mask,
			     struct ib_port_modify *props)
{
	/* Nothing of the IB port (SM, capability mask) applies on RoCE. */
	return 0;
}

static void zroce_get_dev_fw_str(struct ib_device *ibdev, char *str)
{
	snprintf(str, IB_FW_VERSION_NAME_MAX, "%u", ZROCE_ABI_VERSION);
}

/* Report a change of the netdev's link as a port event, once. */
void zroce_port_event(struct zroce_dev *zdev)
{
	bool up = zroce_link_up(zdev->ndev);
	struct ib_event ev = {
		.device = &zdev->ibdev,
		.element.port_num = ZROCE_PORT,
		.event = up ? IB_EVENT_PORT_ACTIVE : IB_EVENT_PORT_ERR,
	};

	if (xchg(&zdev->port_active, up) == up)
		return;
	zroce_dbg(zdev, "port %s\n", up ? "active" : "down");
	ib_dispatch_event(&ev);
}

/* The netdev is going away, and the device with it. */
void zroce_dev_fatal(struct zroce_dev *zdev)
{
	struct ib_event ev = {
		.device = &zdev->ibdev,
		.element.port_num = ZROCE_PORT,
		.event = IB_EVENT_DEVICE_FATAL,
	};

	ib_dispatch_event(&ev);
}

static void zroce_dealloc_driver(struct ib_device *ibdev)
{
	struct zroce_dev *zdev = to_zdev(ibdev);

	WARN_ON(!xa_empty(&zdev->qps));
	WARN_ON(!xa_empty(&zdev->mrs));
	WARN_ON(!xa_empty(&zdev->srqs));
	WARN_ON(!xa_empty(&zdev->ahs));
	WARN_ON(!list_empty(&zdev->mcgs));	/* QPs leave as they go */
	mutex_destroy(&zdev->mcg_lock);
	WARN_ON(!xa_empty(&zdev->cqs));
	zroce_devs_del(zdev);
	zroce_net_detach(zdev);
	dev_put(zdev->ndev);
}

const struct ib_device_ops zroce_dev_ops = {
	.owner = THIS_MODULE,
	.driver_id = ZROCE_DRIVER_ID,
	.uverbs_abi_ver = ZROCE_ABI_VERSION,

	.alloc_hw_port_stats = zroce_alloc_hw_port_stats,
	.alloc_mr = zroce_alloc_mr,
	.alloc_mw = zroce_alloc_mw,
	.alloc_pd = zroce_alloc_pd,
	.alloc_ucontext = zroce_alloc_ucontext,
	.attach_mcast = zroce_attach_mcast,
	.create_ah = zroce_create_ah,
	.create_cq = ZROCE_CREATE_CQ,
	.create_qp = zroce_create_qp,
	.create_srq = zroce_create_srq,
	.create_user_ah = zroce_create_ah,
	.dealloc_driver = zroce_dealloc_driver,
	.dealloc_mw = zroce_dealloc_mw,
	.dealloc_pd = zroce_dealloc_pd,
	.dealloc_ucontext = zroce_dealloc_ucontext,
	.detach_mcast = zroce_detach_mcast,
	.dereg_mr = zroce_dereg_mr,
	.destroy_ah = zroce_destroy_ah,
	.destroy_cq = zroce_destroy_cq,
	.destroy_qp = zroce_destroy_qp,
	.destroy_srq = zroce_destroy_srq,
	.disassociate_ucontext = zroce_disassociate_ucontext,
	.get_dev_fw_str = zroce_get_dev_fw_str,
	.get_dma_mr = zroce_get_dma_mr,
	.get_hw_stats = zroce_get_hw_stats,
	.get_link_layer = zroce_get_link_layer,
	.get_port_immutable = zroce_get_port_immutable,
	.map_mr_sg = zroce_map_mr_sg,
	.mmap = zroce_mmap,
	.mmap_free = zroce_mmap_free,
	.modify_port = zroce_modify_port,
	.modify_qp = zroce_modify_qp,
	.modify_srq = zroce_modify_srq,
	.poll_cq = zroce_poll_cq,
	.post_recv = zroce_post_recv,
	.post_send = zroce_post_send,
	.post_srq_recv = zroce_post_srq_recv,
	.query_ah = zroce_query_ah,
	.query_device = zroce_query_device,
	.query_pkey = zroce_query_pkey,
	.query_port = zroce_query_port,
	.query_qp = zroce_query_qp,
	.query_srq = zroce_query_srq,
	.reg_user_mr = zroce_reg_user_mr,
	.advise_mr = zroce_advise_mr,
	.req_notify_cq = zroce_req_notify_cq,
	.rereg_user_mr = zroce_rereg_user_mr,
	.resize_cq = zroce_resize_cq,

	INIT_RDMA_OBJ_SIZE(ib_ah, zroce_ah, ibah),
	INIT_RDMA_OBJ_SIZE(ib_cq, zroce_cq, ibcq),
	INIT_RDMA_OBJ_SIZE(ib_mw, zroce_mw, ibmw),
	INIT_RDMA_OBJ_SIZE(ib_pd, zroce_pd, ibpd),
	INIT_RDMA_OBJ_SIZE(ib_qp, zroce_qp, ibqp),
	INIT_RDMA_OBJ_SIZE(ib_srq, zroce_srq, ibsrq),
	INIT_RDMA_OBJ_SIZE(ib_ucontext, zroce_ucontext, ibuc),
};

static void zroce_init_ibdev(struct zroce_dev *zdev, struct net_device *ndev)
{
	struct ib_device *ibdev = &zdev->ibdev;

	ibdev->node_type = RDMA_NODE_IB_CA;
	ibdev->phys_port_cnt = 1;
	ibdev->num_comp_vectors = num_possible_cpus();
	ibdev->local_dma_lkey = 0;
	/* write() commands uverbs offers only to drivers that ask: the SQ
	 * doorbell and arming a CQ.
	 */
	ibdev->uverbs_cmd_mask |= BIT_ULL(IB_USER_VERBS_CMD_POST_SEND) |
				  BIT_ULL(IB_USER_VERBS_CMD_REQ_NOTIFY_CQ);
	addrconf_addr_eui48((u8 *)&ibdev->node_guid, ndev->dev_addr);
	strscpy(ibdev->node_desc, "zroce", sizeof(ibdev->node_desc));
	ib_set_device_ops(ibdev, &zroce_dev_ops);

	xa_init_flags(&zdev->qps, XA_FLAGS_ALLOC);
	xa_init_flags(&zdev->mrs, XA_FLAGS_ALLOC1);
	xa_init_flags(&zdev->srqs, XA_FLAGS_ALLOC1);
	xa_init_flags(&zdev->ahs, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
	xa_init_flags(&zdev->cqs, XA_FLAGS_ALLOC1);
	zdev->next_qpn = ZROCE_MIN_QPN;
	INIT_LIST_HEAD(&zdev->list);
	mutex_init(&zdev->mcg_lock);
	INIT_LIST_HEAD(&zdev->mcgs);
}

/* Create and register an ib_device on ndev; the caller serialises adds. */
int zroce_dev_add(const char *name, struct net_device *ndev)
{
	struct zroce_dev *zdev;
	int err;

	zdev = ib_alloc_device(zroce_dev, ibdev);
	if (!zdev)
		return -ENOMEM;
	zroce_init_ibdev(zdev, ndev);
	dev_hold(ndev);
	zdev->ndev = ndev;

	err = ib_device_set_netdev(&zdev->ibdev, ndev, ZROCE_PORT);
	if (err)
		goto err_dealloc;

	err = zroce_net_attach(zdev);
	if (err)
		goto err_dealloc;
	zroce_devs_add(zdev);

	/*
	 * The NIC under the netdev, if any, is the device's parent: sysfs
	 * then shows device/net, as for a RoCE NIC.  DMA stays virtual.
	 */
	zdev->ibdev.dev.parent = ndev->dev.parent;
	zroce_mark_name_assigned_by_user(&zdev->ibdev);
	zdev->port_active = zroce_link_up(ndev);
	err = ib_register_device(&zdev->ibdev, name, NULL);
	if (err)
		goto err_dealloc;
	return 0;

err_dealloc:
	ib_dealloc_device(&zdev->ibdev);	/* calls dealloc_driver */
	return err;
}
