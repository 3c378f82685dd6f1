// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The UDP/4791 sockets, one pair per network namespace that holds a zroce
 * device, and the way from a received datagram to its device.
 */
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/udp_tunnel.h>
#include <rdma/ib_cache.h>
#include "compat.h"
#include "zroce.h"

static LIST_HEAD(zroce_nets);		/* under zroce_net_lock */
static DEFINE_MUTEX(zroce_net_lock);
static LIST_HEAD(zroce_devs);		/* RCU; writers under zroce_net_lock */

void zroce_devs_add(struct zroce_dev *zdev)
{
	mutex_lock(&zroce_net_lock);
	list_add_tail_rcu(&zdev->list, &zroce_devs);
	mutex_unlock(&zroce_net_lock);
}

void zroce_devs_del(struct zroce_dev *zdev)
{
	mutex_lock(&zroce_net_lock);
	list_del_rcu(&zdev->list);
	mutex_unlock(&zroce_net_lock);
	synchronize_rcu();
}

/* The device a datagram that arrived on skb->dev is for. */
static struct zroce_dev *zroce_dev_for_skb(struct sock *sk,
					   struct sk_buff *skb)
{
	bool v4 = skb->protocol == htons(ETH_P_IP);
	struct net_device *ndev = skb->dev, *owner = NULL;
	union ib_gid dgid;
	struct zroce_dev *zdev;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "zroce_devs needs RCU");

	if (!(ndev->flags & IFF_LOOPBACK)) {
		list_for_each_entry_rcu(zdev, &zroce_devs, list)
			if (zdev->ndev == ndev)
				return zdev;
		return NULL;
	}

	/*
	 * Looped back: the device whose netdev holds the destination address,
	 * else (an address of an upper device, a VLAN say) the one whose GID
	 * table has it.
	 */
	if (v4) {
		owner = __ip_dev_find(sock_net(sk), ip_hdr(skb)->daddr, false);
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr,
				       (struct in6_addr *)&dgid);
	} else {
		memcpy(&dgid, &ipv6_hdr(skb)->daddr, sizeof(dgid));
	}
	list_for_each_entry_rcu(zdev, &zroce_devs, list)
		if (v4 ? zdev->ndev == owner :
		    ipv6_chk_addr(sock_net(sk), &ipv6_hdr(skb)->daddr,
				  zdev->ndev, 0))
			return zdev;
	list_for_each_entry_rcu(zdev, &zroce_devs, list) {
		const struct ib_gid_attr *attr;

		if (!net_eq(dev_net(zdev->ndev), sock_net(sk)))
			continue;
		attr = rdma_find_gid_by_port(&zdev->ibdev, &dgid,
					     IB_GID_TYPE_ROCE_UDP_ENCAP,
					     ZROCE_PORT, NULL);
		if (!IS_ERR(attr)) {
			rdma_put_gid_attr(attr);
			return zdev;
		}
	}
	return NULL;
}

/* skb->data at the UDP header; local: built by zroce_pkt_send() here */
static void zroce_net_deliver(struct sock *sk, struct sk_buff *skb,
			      bool local)
{
	struct zroce_dev *zdev;

	rcu_read_lock();
	zdev = zroce_dev_for_skb(sk, skb);
	if (zdev && pskb_may_pull(skb, sizeof(struct udphdr))) {
		__skb_pull(skb, sizeof(struct udphdr));
		zroce_rcv(zdev, skb, local);
	} else {
		kfree_skb(skb);
	}
	rcu_read_unlock();
}

/* UDP encapsulation handler: runs in softirq */
static int zroce_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	zroce_net_deliver(sk, skb, false);
	return 0;
}

/*
 * A packet routed to an address of this host, skb->data at its IP header:
 * received at once, as it would arrive from lo, without the trip through
 * the IP stack and the backlog (rdma_rxe shortcuts its own device the same
 * way).  The receive path then runs in the caller's context, with BHs off
 * as in softirq; the caller holds no QP lock.  Such a packet never left
 * memory and carries no ICRC (zroce_pkt_crc()).
 */
void zroce_net_rcv_local(struct sock *sk, struct sk_buff *skb)
{
	bool forbid;

	skb->dev = skb_dst(skb)->dev;
	skb->pkt_type = PACKET_HOST;
	__skb_pull(skb, skb_transport_offset(skb));
	local_bh_disable();
	/* the sender's failed fault says nothing of the receiver's pages */
	forbid = zroce_fault_forbid(false);
	zroce_net_deliver(sk, skb, true);
	zroce_fault_forbid(forbid);
	local_bh_enable();
}

static struct socket *zroce_sock_open(struct net *net, bool ipv6)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.encap_type = 1,
		.encap_rcv = zroce_encap_rcv,
	};
	struct udp_port_cfg cfg = {
		.family = ipv6 ? AF_INET6 : AF_INET,
		.local_udp_port = htons(ZROCE_UDP_PORT),
		.ipv6_v6only = 1,
		.use_udp6_rx_checksums = 0,
	};
	struct socket *sock;
	int err;

	err = udp_sock_create(net, &cfg, &sock);
	if (err)
		return ERR_PTR(err);
	setup_udp_tunnel_sock(net, sock, &tcfg);
	/* our multicast reaches QPs of this host attached to the group */
	if (!ipv6)
		zroce_sock_mc_loop(sock->sk);
	return sock;
}

static struct zroce_net *zroce_net_create(struct net *net)
{
	struct zroce_net *znet;

	znet = kzalloc(sizeof(*znet), GFP_KERNEL);
	if (!znet)
		return ERR_PTR(-ENOMEM);
	znet->sock4 = zroce_sock_open(net, false);
	if (IS_ERR(znet->sock4))
		goto err_free;
	if (ipv6_mod_enabled()) {
		znet->sock6 = zroce_sock_open(net, true);
		if (IS_ERR(znet->sock6))
			goto err_release4;
	} else {
		znet->sock6 = NULL;
	}
	znet->net = net;
	refcount_set(&znet->users, 1);
	list_add(&znet->list, &zroce_nets);
	return znet;

err_release4:
	udp_tunnel_sock_release(znet->sock4);
	znet->sock4 = znet->sock6;
err_free:
	pr_err("cannot bind UDP port %u: %ld\n", ZROCE_UDP_PORT,
	       PTR_ERR(znet->sock4));
	kfree(znet);
	return ERR_PTR(-EADDRINUSE);
}

/*
 * Bind the device to the sockets of its netdev's namespace.  The namespace
 * cannot go away first: it waits for the netdev, which waits for the
 * device's reference, dropped in dealloc_driver after zroce_net_detach().
 */
int zroce_net_attach(struct zroce_dev *zdev)
{
	struct net *net = dev_net(zdev->ndev);
	struct zroce_net *znet;
	int err = 0;

	mutex_lock(&zroce_net_lock);
	list_for_each_entry(znet, &zroce_nets, list) {
		if (net_eq(znet->net, net)) {
			refcount_inc(&znet->users);
			goto out;
		}
	}
	znet = zroce_net_create(net);
	if (IS_ERR(znet))
		err = PTR_ERR(znet);
out:
	if (!err)
		zdev->znet = znet;
	mutex_unlock(&zroce_net_lock);
	return err;
}

void zroce_net_detach(struct zroce_dev *zdev)
{
	struct zroce_net *znet = zdev->znet;

	if (!znet)
		return;
	mutex_lock(&zroce_net_lock);
	if (refcount_dec_and_test(&znet->users)) {
		list_del(&znet->list);
		if (znet->sock6)
			udp_tunnel_sock_release(znet->sock6);
		udp_tunnel_sock_release(znet->sock4);
		kfree(znet);
	}
	mutex_unlock(&zroce_net_lock);
	zdev->znet = NULL;
}
