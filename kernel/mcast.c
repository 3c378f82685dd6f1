// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * UD multicast.  A group is a multicast GID: an IPv6 group, or an IPv4 one
 * mapped into IPv6.  The first QP attached makes the netdev join the IP
 * group, which programs its multicast filter and lets the IP stack take
 * the group's datagrams (and loop back our own); the last detach leaves
 * it.  A datagram for QPN 0xffffff goes to every QP attached to the group
 * of its destination address.
 *
 * A group's QP list is copied on every change and swapped in under RCU,
 * so the receive path reads it without a lock.
 */
#include <linux/igmp.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include "zroce.h"

struct zroce_mcg {
	struct list_head list;		/* zdev->mcgs, RCU */
	union ib_gid gid;
	u32 nqps;
	u32 qpn[ZROCE_MAX_MCAST_QP];
	struct rcu_head rcu;
};

static struct zroce_mcg *zroce_mcg_find(struct zroce_dev *zdev,
					const union ib_gid *gid)
{
	struct zroce_mcg *mcg;

	list_for_each_entry_rcu(mcg, &zdev->mcgs, list,
				lockdep_is_held(&zdev->mcg_lock))
		if (!memcmp(&mcg->gid, gid, sizeof(*gid)))
			return mcg;
	return NULL;
}

/* Join (or leave) the IP group of gid on the netdev. */
static int zroce_mcg_ip(struct zroce_dev *zdev, const union ib_gid *gid,
			bool join)
{
	const struct in6_addr *a6 = (const struct in6_addr *)gid->raw;
	struct in_device *in_dev;
	int err = 0;

	rtnl_lock();
	if (ipv6_addr_v4mapped(a6)) {
		in_dev = __in_dev_get_rtnl(zdev->ndev);
		if (!in_dev)
			err = -ENODEV;
		else if (join)
			ip_mc_inc_group(in_dev, a6->s6_addr32[3]);
		else
			ip_mc_dec_group(in_dev, a6->s6_addr32[3]);
	} else if (join) {
		err = ipv6_dev_mc_inc(zdev->ndev, a6);
	} else {
		err = ipv6_dev_mc_dec(zdev->ndev, a6);
	}
	rtnl_unlock();
	return err;
}

/* A copy of old with qpn added, or left out when drop */
static struct zroce_mcg *zroce_mcg_copy(const struct zroce_mcg *old, u32 qpn,
					bool drop)
{
	struct zroce_mcg *mcg = kzalloc(sizeof(*mcg), GFP_KERNEL);
	u32 i;

	if (!mcg)
		return NULL;
	mcg->gid = old->gid;
	for (i = 0; i < old->nqps; i++)
		if (!drop || old->qpn[i] != qpn)
			mcg->qpn[mcg->nqps++] = old->qpn[i];
	if (!drop)
		mcg->qpn[mcg->nqps++] = qpn;
	return mcg;
}

static int zroce_mcg_attach(struct zroce_dev *zdev, const union ib_gid *gid,
			    u32 qpn)
{
	struct zroce_mcg *old = zroce_mcg_find(zdev, gid), *mcg;
	struct zroce_mcg empty = { .gid = *gid };
	u32 i;
	int err;

	lockdep_assert_held(&zdev->mcg_lock);
	for (i = 0; old && i < old->nqps; i++)
		if (old->qpn[i] == qpn)
			return 0;	/* attached already */
	if (old ? old->nqps == ZROCE_MAX_MCAST_QP :
		  zdev->nmcgs == ZROCE_MAX_MCAST_GRP)
		return -ENOMEM;
	mcg = zroce_mcg_copy(old ?: &empty, qpn, false);
	if (!mcg)
		return -ENOMEM;
	if (old) {
		list_replace_rcu(&old->list, &mcg->list);
		kfree_rcu(old, rcu);
		return 0;
	}
	err = zroce_mcg_ip(zdev, gid, true);
	if (err) {
		kfree(mcg);
		return err;
	}
	list_add_rcu(&mcg->list, &zdev->mcgs);
	zdev->nmcgs++;
	return 0;
}

static int zroce_mcg_detach(struct zroce_dev *zdev, const union ib_gid *gid,
			    u32 qpn)
{
	struct zroce_mcg *old = zroce_mcg_find(zdev, gid), *mcg;
	u32 i;

	lockdep_assert_held(&zdev->mcg_lock);
	for (i = 0; old && i < old->nqps && old->qpn[i] != qpn; i++)
		;
	if (!old || i == old->nqps)
		return -EINVAL;
	if (old->nqps == 1) {
		list_del_rcu(&old->list);
		zdev->nmcgs--;
		zroce_mcg_ip(zdev, gid, false);
	} else {
		mcg = zroce_mcg_copy(old, qpn, true);
		if (!mcg)
			return -ENOMEM;
		list_replace_rcu(&old->list, &mcg->list);
	}
	kfree_rcu(old, rcu);
	return 0;
}

/* ib_core has checked that gid is multicast and the QP is UD. */
int zroce_attach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid)
{
	struct zroce_dev *zdev = to_zdev(ibqp->device);
	int err;

	mutex_lock(&zdev->mcg_lock);
	err = zroce_mcg_attach(zdev, gid, ibqp->qp_num);
	mutex_unlock(&zdev->mcg_lock);
	zroce_dbg(zdev, "QP %u joins %pI6: %d\n", ibqp->qp_num, gid->raw, err);
	return err;
}

int zroce_detach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid)
{
	struct zroce_dev *zdev = to_zdev(ibqp->device);
	int err;

	mutex_lock(&zdev->mcg_lock);
	err = zroce_mcg_detach(zdev, gid, ibqp->qp_num);
	mutex_unlock(&zdev->mcg_lock);
	return err;
}

/* A QP going away leaves every group it is still in. */
void zroce_mcast_qp_gone(struct zroce_qp *qp)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_mcg *mcg, *next;
	union ib_gid gid;

	mutex_lock(&zdev->mcg_lock);
	list_for_each_entry_safe(mcg, next, &zdev->mcgs, list) {
		gid = mcg->gid;
		zroce_mcg_detach(zdev, &gid, qp->ibqp.qp_num);
	}
	mutex_unlock(&zdev->mcg_lock);
}

/*
 * A datagram for the multicast QPN: a copy to each QP attached to the
 * group of its destination address.  Under RCU in softirq.
 */
void zroce_mcast_rcv(struct zroce_dev *zdev, const struct zroce_hdr *h,
		     struct sk_buff *skb)
{
	const struct zroce_mcg *mcg;
	struct zroce_qp *qp;
	union ib_gid gid;
	u32 i;

	if (skb->protocol == htons(ETH_P_IP))
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr,
				       (struct in6_addr *)&gid);
	else
		memcpy(&gid, &ipv6_hdr(skb)->daddr, sizeof(gid));
	mcg = zroce_mcg_find(zdev, &gid);
	if (!mcg) {
		zroce_count(zdev, ZROCE_CNT_NO_QP, 1);
		return;
	}
	for (i = 0; i < mcg->nqps; i++) {
		qp = xa_load(&zdev->qps, mcg->qpn[i]);
		if (!qp || !zroce_qp_get(qp))
			continue;
		/* one datagram, many QPs: none waits for another's fault */
		if (qp->ibqp.qp_type == IB_QPT_UD &&
		    zroce_ud_rcv(qp, h, skb) == -EAGAIN) {
			zroce_count(zdev, ZROCE_CNT_ODP_DROPPED, 1);
			zroce_fault_defer();
		}
		zroce_qp_put(qp);
	}
}
