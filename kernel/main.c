// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * zroce: a software RoCEv2 device on any Ethernet netdev.
 *
 * Module life cycle: the "zroce" rdma link type and the netdev notifier
 * that follows the netdevs the devices sit on.
 */
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <rdma/rdma_netlink.h>
#include "zroce.h"

/* Serialises the lookup and the registration of rdma link add. */
static DEFINE_MUTEX(zroce_link_lock);

static int zroce_newlink(const char *name, struct net_device *ndev)
{
	struct ib_device *old;
	int err;

	if (ndev->type != ARPHRD_ETHER || is_vlan_dev(ndev)) {
		pr_err("%s: %s is not an Ethernet device zroce can use\n",
		       name, netdev_name(ndev));
		return -EINVAL;
	}

	mutex_lock(&zroce_link_lock);
	old = ib_device_get_by_netdev(ndev, ZROCE_DRIVER_ID);
	if (old) {
		pr_err("%s: %s already has zroce device %s\n", name,
		       netdev_name(ndev), dev_name(&old->dev));
		ib_device_put(old);
		err = -EEXIST;
		goto out_unlock;
	}
	err = zroce_dev_add(name, ndev);
out_unlock:
	mutex_unlock(&zroce_link_lock);
	return err;
}

static struct rdma_link_ops zroce_link_ops = {
	.type = "zroce",
	.newlink = zroce_newlink,
};

static int zroce_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *ndev = netdev_notifier_info_to_dev(ptr);
	struct ib_device *ibdev;

	ibdev = ib_device_get_by_netdev(ndev, ZROCE_DRIVER_ID);
	if (!ibdev)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_UNREGISTER:
		zroce_dev_fatal(to_zdev(ibdev));
		ib_unregister_device_queued(ibdev);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		zroce_port_event(to_zdev(ibdev));
		break;
	default:
		break;
	}
	ib_device_put(ibdev);
	return NOTIFY_OK;
}

static struct notifier_block zroce_netdev_nb = {
	.notifier_call = zroce_netdev_event,
};

/*
 * Requesters past the doorbell budget, retransmissions, flushes, ODP
 * faults.  Per CPU: zroce_req_kick() keeps a QP's sends on one CPU.
 */
struct workqueue_struct *zroce_wq;

static int __init zroce_init(void)
{
	int err;

	zroce_wq = alloc_workqueue("zroce", WQ_MEM_RECLAIM | WQ_CPU_INTENSIVE, 0);
	if (!zroce_wq)
		return -ENOMEM;
	zroce_crc_init();
	err = register_netdevice_notifier(&zroce_netdev_nb);
	if (err)
		goto err_destroy_wq;
	rdma_link_register(&zroce_link_ops);
	return 0;

err_destroy_wq:
	zroce_crc_exit();
	destroy_workqueue(zroce_wq);
	return err;
}

static void __exit zroce_exit(void)
{
	rdma_link_unregister(&zroce_link_ops);
	unregister_netdevice_notifier(&zroce_netdev_nb);
	ib_unregister_driver(ZROCE_DRIVER_ID);
	zroce_crc_exit();
	destroy_workqueue(zroce_wq);
}

module_init(zroce_init);
module_exit(zroce_exit);

MODULE_DESCRIPTION("zroce: software RoCEv2 RDMA device");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_ALIAS_RDMA_LINK("zroce");
