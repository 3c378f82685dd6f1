// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Building and sending one RoCEv2 packet: route, IP and UDP headers, the
 * transport headers, the payload (copied into the head or attached as page
 * fragments), the pad and the ICRC, computed in the same pass.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dst_cache.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp.h>
#include <rdma/ib_cache.h>
#include <zroce/icrc.h>
#include "zroce.h"

/* Fill an address vector from a verbs one whose source GID is resolved. */
int zroce_av_from_attr(struct zroce_av *av, const struct rdma_ah_attr *attr)
{
	const struct ib_global_route *grh = rdma_ah_read_grh(attr);

	if (!grh->sgid_attr)
		return -EINVAL;
	av->sgid = grh->sgid_attr->gid;
	av->dgid = grh->dgid;
	av->flow_label = grh->flow_label;
	av->traffic_class = grh->traffic_class;
	av->hop_limit = grh->hop_limit ?: 64;
	av->ipv4 = ipv6_addr_v4mapped((struct in6_addr *)&av->dgid);
	if (av->ipv4 != ipv6_addr_v4mapped((struct in6_addr *)&av->sgid))
		return -EINVAL;
	return 0;
}

static struct dst_entry *zroce_route4(struct zroce_dev *zdev,
				      const struct zroce_av *av,
				      struct dst_cache *dc)
{
	struct flowi4 fl4 = {
		.flowi4_oif = zdev->ndev->ifindex,
		.flowi4_proto = IPPROTO_UDP,
	};
	struct rtable *rt;
	__be32 saddr;

	if (dc) {
		rt = dst_cache_get_ip4(dc, &saddr);
		if (rt)
			return &rt->dst;
	}
	memcpy(&fl4.daddr, &av->dgid.raw[12], 4);
	memcpy(&fl4.saddr, &av->sgid.raw[12], 4);
	rt = ip_route_output_key(dev_net(zdev->ndev), &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (dc)
		dst_cache_set_ip4(dc, &rt->dst, fl4.saddr);
	return &rt->dst;
}

static struct dst_entry *zroce_route6(struct zroce_dev *zdev,
				      const struct zroce_av *av,
				      struct dst_cache *dc)
{
	struct flowi6 fl6 = {
		.flowi6_oif = zdev->ndev->ifindex,
		.flowi6_proto = IPPROTO_UDP,
	};
	struct dst_entry *dst;
	struct in6_addr saddr;

	if (!zdev->znet->sock6)
		return ERR_PTR(-EAFNOSUPPORT);
	if (dc) {
		dst = dst_cache_get_ip6(dc, &saddr);
		if (dst)
			return dst;
	}
	memcpy(&fl6.daddr, &av->dgid, sizeof(fl6.daddr));
	memcpy(&fl6.saddr, &av->sgid, sizeof(fl6.saddr));
	dst = ipv6_stub->ipv6_dst_lookup_flow(dev_net(zdev->ndev),
					      zdev->znet->sock6->sk, &fl6,
					      NULL);
	if (!IS_ERR(dst) && dc)
		dst_cache_set_ip6(dc, dst, &fl6.saddr);
	return dst;
}

/* IP and UDP headers of a packet of udp_len UDP payload bytes. */
static void zroce_net_hdr(struct zroce_pkt *pkt, const struct zroce_av *av,
			  u16 src_port, u32 udp_len)
{
	struct udphdr *uh;

	memset(pkt->net_hdr, 0, sizeof(pkt->net_hdr));
	if (pkt->ipv4) {
		struct iphdr *iph = (struct iphdr *)pkt->net_hdr;

		iph->version = 4;
		iph->ihl = 5;
		iph->tos = av->traffic_class;
		iph->tot_len = htons(sizeof(*iph) + sizeof(*uh) + udp_len);
		iph->frag_off = htons(IP_DF);
		iph->ttl = av->hop_limit;
		iph->protocol = IPPROTO_UDP;
		memcpy(&iph->saddr, &av->sgid.raw[12], 4);
		memcpy(&iph->daddr, &av->dgid.raw[12], 4);
		pkt->net_hdr_len = sizeof(*iph);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)pkt->net_hdr;

		ip6_flow_hdr(ip6, av->traffic_class,
			     htonl(av->flow_label & IPV6_FLOWLABEL_MASK));
		ip6->payload_len = htons(sizeof(*uh) + udp_len);
		ip6->nexthdr = IPPROTO_UDP;
		ip6->hop_limit = av->hop_limit;
		memcpy(&ip6->saddr, &av->sgid, sizeof(ip6->saddr));
		memcpy(&ip6->daddr, &av->dgid, sizeof(ip6->daddr));
		pkt->net_hdr_len = sizeof(*ip6);
	}
	uh = (struct udphdr *)(pkt->net_hdr + pkt->net_hdr_len);
	uh->source = htons(src_port);
	uh->dest = htons(ZROCE_UDP_PORT);
	uh->len = htons(sizeof(*uh) + udp_len);
	pkt->net_hdr_len += sizeof(*uh);
}

/*
 * Run the ICRC over p.  A packet routed to this host is delivered in
 * memory (zroce_net_rcv_local()) and never crosses a wire, so it carries
 * no ICRC, as the kernel's own loopback skips checksums.
 */
static void zroce_pkt_crc(struct zroce_pkt *pkt, const void *p, u32 len)
{
	if (!pkt->local)
		pkt->crc = zroce_crc32(pkt->crc, p, len);
}

/*
 * Start a packet to av carrying the transport headers of h and
 * h->payload_len payload bytes, which the caller adds next: into the head
 * if linear or the payload is small, else as page fragments.  dc, if set,
 * caches the route (a QP's); BH must be disabled.  A packet that cannot
 * be started, for want of a route or of memory, is lost as it could be on
 * the wire: the error is counted and pkt->skb is NULL.
 */
int zroce_pkt_init(struct zroce_pkt *pkt, struct zroce_dev *zdev,
		   const struct zroce_av *av, struct dst_cache *dc,
		   u16 src_port, const struct zroce_hdr *h, bool linear)
{
	struct net_device *ndev = zdev->ndev;
	u32 hdr_len = zroce_opinfo(h->opcode)->hdr_len;
	struct zroce_hdr hdr = *h;
	u32 udp_len, head;
	void *bth;

	pkt->zdev = zdev;
	pkt->skb = NULL;
	pkt->ipv4 = av->ipv4;
	pkt->payload_len = h->payload_len;
	pkt->put = 0;
	pkt->pad = zroce_pad_cnt(h->payload_len);
	udp_len = hdr_len + h->payload_len + pkt->pad + ZROCE_ICRC_LEN;

	pkt->dst = pkt->ipv4 ? zroce_route4(zdev, av, dc) :
			       zroce_route6(zdev, av, dc);
	if (IS_ERR(pkt->dst)) {
		zroce_count(zdev, ZROCE_CNT_TX_DROPPED, 1);
		return PTR_ERR(pkt->dst);
	}
	pkt->local = pkt->dst->dev->flags & IFF_LOOPBACK;

	head = linear || h->payload_len <= ZROCE_TX_COPY_MAX ?
	       h->payload_len : 0;
	pkt->skb = alloc_skb(LL_RESERVED_SPACE(ndev) + sizeof(pkt->net_hdr) +
			     hdr_len + head + pkt->pad + ZROCE_ICRC_LEN,
			     GFP_ATOMIC);
	if (!pkt->skb) {
		dst_release(pkt->dst);
		zroce_count(zdev, ZROCE_CNT_TX_DROPPED, 1);
		return -ENOMEM;
	}
	skb_reserve(pkt->skb, LL_RESERVED_SPACE(ndev) + sizeof(pkt->net_hdr));
	bth = skb_put(pkt->skb, hdr_len);
	hdr.pad_cnt = pkt->pad;
	zroce_hdr_build(bth, &hdr);

	zroce_net_hdr(pkt, av, src_port, udp_len);
	if (!pkt->local)
		pkt->crc = zroce_icrc_begin(zroce_crc32, pkt->net_hdr,
					    !pkt->ipv4, pkt->net_hdr +
					    pkt->net_hdr_len -
					    sizeof(struct udphdr), bth);
	zroce_pkt_crc(pkt, bth + ZROCE_BTH_LEN, hdr_len - ZROCE_BTH_LEN);
	return 0;
}

/* Copy payload into the head of the packet. */
void zroce_pkt_put(struct zroce_pkt *pkt, const void *data, u32 len)
{
	skb_put_data(pkt->skb, data, len);
	zroce_pkt_crc(pkt, data, len);
	pkt->put += len;
}

/*
 * Copy [va, va + len) of mr into a fragment of its own: the pages of an
 * ODP MR may go once zroce_mr_access_end() is called, so they are never
 * attached.
 */
static int zroce_pkt_copy_frag(struct zroce_pkt *pkt, struct zroce_mr *mr,
			       u64 va, u32 len)
{
	struct sk_buff *skb = pkt->skb;
	struct page *head;
	void *p;

	/* one slot stays for the trailer */
	if (skb_shinfo(skb)->nr_frags + 1 >= MAX_SKB_FRAGS)
		return -EMSGSIZE;
	p = netdev_alloc_frag(len);
	if (!p)
		return -ENOMEM;
	zroce_mr_copy(mr, va, p, len, false);
	zroce_pkt_crc(pkt, p, len);
	head = virt_to_head_page(p);
	skb_fill_page_desc(skb, skb_shinfo(skb)->nr_frags, head,
			   p - page_address(head), len);
	skb->len += len;
	skb->data_len += len;
	skb->truesize += len;
	return 0;
}

/*
 * Add [va, va + len) of mr: copied if the head has room, else attached
 * (pinned pages) or copied into a fragment (ODP).  -ENOMEM loses the
 * packet, which the caller aborts.
 */
int zroce_pkt_put_mr(struct zroce_pkt *pkt, struct zroce_mr *mr, u64 va,
		     u32 len)
{
	struct sk_buff *skb = pkt->skb;
	void *dst;
	int err;

	if (!skb_shinfo(skb)->nr_frags &&
	    skb_tailroom(skb) >= len + pkt->pad + ZROCE_ICRC_LEN) {
		dst = skb_put(skb, len);
		zroce_mr_copy(mr, va, dst, len, false);
		zroce_pkt_crc(pkt, dst, len);
	} else {
		err = mr->odp ? zroce_pkt_copy_frag(pkt, mr, va, len) :
			zroce_mr_to_frags(mr, va, len, skb,
					  pkt->local ? NULL : &pkt->crc);
		if (err == -ENOMEM)
			zroce_count(pkt->zdev, ZROCE_CNT_TX_DROPPED, 1);
		if (err)
			return err;
	}
	pkt->put += len;
	return 0;
}

/* Pad and ICRC: in the head, or in a fragment after payload fragments. */
static int zroce_pkt_trailer(struct zroce_pkt *pkt)
{
	static const u8 zero[4];
	struct sk_buff *skb = pkt->skb;
	u32 len = pkt->pad + ZROCE_ICRC_LEN;
	u8 *p;

	zroce_pkt_crc(pkt, zero, pkt->pad);
	if (!skb_shinfo(skb)->nr_frags) {
		p = skb_put_zero(skb, len);
	} else {
		struct page *head;

		if (skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS)
			return -EMSGSIZE;
		p = netdev_alloc_frag(SMP_CACHE_BYTES);
		if (!p)
			return -ENOMEM;
		memset(p, 0, len);
		head = virt_to_head_page(p);
		skb_fill_page_desc(skb, skb_shinfo(skb)->nr_frags, head,
				   p - (u8 *)page_address(head), len);
		skb->len += len;
		skb->data_len += len;
		skb->truesize += SMP_CACHE_BYTES;
	}
	if (!pkt->local)
		zroce_icrc_put(p + pkt->pad, zroce_icrc_end(pkt->crc));
	return 0;
}

void zroce_pkt_abort(struct zroce_pkt *pkt)
{
	kfree_skb(pkt->skb);
	dst_release(pkt->dst);
	pkt->skb = NULL;
}

/* Finish the packet and hand it to the IP stack; consumes it. */
int zroce_pkt_send(struct zroce_pkt *pkt)
{
	struct zroce_dev *zdev = pkt->zdev;
	struct sk_buff *skb = pkt->skb;
	struct net *net = dev_net(zdev->ndev);
	struct sock *sk;
	u32 len;
	int err;

	if (WARN_ON_ONCE(pkt->put != pkt->payload_len)) {
		zroce_pkt_abort(pkt);
		return -EINVAL;
	}
	err = zroce_pkt_trailer(pkt);
	if (err) {
		zroce_pkt_abort(pkt);
		zroce_count(zdev, ZROCE_CNT_TX_DROPPED, 1);
		return err;
	}
	len = skb->len;
	memcpy(skb_push(skb, pkt->net_hdr_len), pkt->net_hdr,
	       pkt->net_hdr_len);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, pkt->net_hdr_len - sizeof(struct udphdr));
	skb_dst_set(skb, pkt->dst);
	skb->ip_summed = CHECKSUM_NONE;
	skb->dev = zdev->ndev;

	sk = pkt->ipv4 ? zdev->znet->sock4->sk : zdev->znet->sock6->sk;
	skb->protocol = htons(pkt->ipv4 ? ETH_P_IP : ETH_P_IPV6);
	pkt->skb = NULL;
	if (pkt->local) {
		zroce_net_rcv_local(sk, skb);
		err = 0;
	} else if (pkt->ipv4) {
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		err = ip_local_out(net, sk, skb);
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		err = ip6_local_out(net, sk, skb);
	}
	err = net_xmit_eval(err);
	if (err) {
		zroce_count(zdev, ZROCE_CNT_TX_DROPPED, 1);
		return err;
	}
	zroce_count(zdev, ZROCE_CNT_TX_PKTS, 1);
	zroce_count(zdev, ZROCE_CNT_TX_BYTES, len);
	return 0;
}
