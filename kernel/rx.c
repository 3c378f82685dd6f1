// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * A received RoCEv2 datagram: parse and check it, then hand it to the
 * responder (requests) or the completer (responses) of its QP.  Anything
 * malformed is counted and dropped.  Runs in softirq under RCU.  A packet
 * that needs an ODP page faulted in waits on the QP's backlog
 * (rx_defer.c), and the QP's later packets wait behind it.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <rdma/ib_mad.h>
#include <zroce/icrc.h>
#include "zroce.h"

static bool zroce_icrc_ok(const struct sk_buff *skb, const void *bth,
			  u32 len)
{
	bool ipv6 = skb->protocol == htons(ETH_P_IPV6);
	u8 buf[ZROCE_ICRC_LEN];
	const void *icrc;
	u32 crc;

	icrc = skb_header_pointer(skb, len - ZROCE_ICRC_LEN, sizeof(buf), buf);
	if (!icrc)
		return false;
	crc = zroce_icrc_begin(zroce_crc32, skb_network_header(skb), ipv6,
			       skb_transport_header(skb), bth);
	crc = zroce_crc_skb(crc, skb, ZROCE_BTH_LEN,
			    len - ZROCE_BTH_LEN - ZROCE_ICRC_LEN);
	return zroce_icrc_get(icrc) == zroce_icrc_end(crc);
}

/* Whether an opcode of mask belongs to the transport of qp */
static bool zroce_qp_takes(const struct zroce_qp *qp, u32 mask)
{
	switch (qp->ibqp.qp_type) {
	case IB_QPT_RC:
		return mask & ZROCE_M_RC;
	case IB_QPT_UC:
		return mask & ZROCE_M_UC;
	default:
		return (mask & ZROCE_M_UD) && zroce_qp_is_ud(qp);
	}
}

static struct zroce_qp *zroce_rcv_qp(struct zroce_dev *zdev,
				     const struct zroce_hdr *h)
{
	struct zroce_qp *qp = xa_load(&zdev->qps, h->dqpn);

	if (!qp || !zroce_qp_get(qp))
		return NULL;
	if (!zroce_qp_takes(qp, h->mask)) {
		zroce_qp_put(qp);
		return NULL;
	}
	return qp;
}

/*
 * skb->data is at the BTH; the IP and UDP headers are before it.  local:
 * the packet was built on this host and never left memory (no ICRC).
 */
void zroce_rcv(struct zroce_dev *zdev, struct sk_buff *skb, bool local)
{
	u32 len = skb->len;
	struct zroce_qp *qp;
	struct zroce_hdr h;
	int err;

	zroce_count(zdev, ZROCE_CNT_RX_PKTS, 1);
	zroce_count(zdev, ZROCE_CNT_RX_BYTES, len);

	if (!pskb_may_pull(skb, min_t(u32, len, ZROCE_MAX_HDR_LEN)))
		goto malformed;
	err = zroce_hdr_parse(skb->data, len, &h);
	if (err) {
		zroce_dbg(zdev, "dropped: %s\n", zroce_parse_err_str(err));
		goto malformed;
	}
	if (!local && !zroce_icrc_ok(skb, skb->data, len)) {
		zroce_count(zdev, ZROCE_CNT_ICRC_ERRS, 1);
		goto drop;
	}
	if ((h.pkey & 0x7fff) != (IB_DEFAULT_PKEY_FULL & 0x7fff))
		goto malformed;

	if ((h.mask & ZROCE_M_UD) && h.dqpn == IB_MULTICAST_QPN) {
		zroce_mcast_rcv(zdev, &h, skb);
		consume_skb(skb);
		return;
	}
	qp = zroce_rcv_qp(zdev, &h);
	if (!qp) {
		zroce_dbg(zdev, "dropped: no QP %u for opcode 0x%x PSN %u\n",
			  h.dqpn, h.opcode, h.psn);
		zroce_count(zdev, ZROCE_CNT_NO_QP, 1);
		goto drop;
	}
	if (zroce_rx_queue_behind(qp, skb)) {
		/* packets before it wait for an ODP fault: it goes after */
	} else if (zroce_rcv_qp_pkt(qp, &h, skb) == -EAGAIN) {
		zroce_rx_defer(qp, skb);
	} else {
		consume_skb(skb);
	}
	zroce_qp_put(qp);
	return;

malformed:
	zroce_count(zdev, ZROCE_CNT_MALFORMED, 1);
drop:
	kfree_skb(skb);
}
