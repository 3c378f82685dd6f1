// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Unreliable datagrams: one packet per message, addressed by an AH and a
 * destination QP in each WQE, no ACKs.  A sent WQE completes once its
 * packet is built; the payload is copied into the packet then, so that
 * the process may reuse the buffer as soon as it sees the completion.  A
 * received message lands after a 40-byte GRH area that holds the packet's
 * IPv6 header, or its IPv4 header in the last 20 bytes (IBTA A17.4.5.1).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <rdma/ib_mad.h>
#include "zroce.h"

#define ZROCE_GRH_LEN		40

/* Copy the AV of AH ahn if it belongs to pd; the AH may die meanwhile. */
static int zroce_ud_av(struct zroce_dev *zdev, u32 ahn, struct ib_pd *pd,
		       struct zroce_av *av)
{
	struct zroce_ah *ah;
	unsigned long flags;
	int err = -EINVAL;

	xa_lock_irqsave(&zdev->ahs, flags);
	ah = xa_load(&zdev->ahs, ahn);
	if (ah && ah->ibah.pd == pd) {
		*av = ah->av;
		err = 0;
	}
	xa_unlock_irqrestore(&zdev->ahs, flags);
	return err;
}

/*
 * The packet of the UD SEND at next.  Returns 0 with pkt built, or lost
 * (pkt->skb NULL) for want of a route or of memory; -EAGAIN for an ODP
 * page to fault in first; or a completion status for a WQE that cannot
 * be sent.
 */
int zroce_ud_req(struct zroce_qp *qp, struct zroce_swqe *swqe,
		 struct zroce_pkt *pkt)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	const struct zroce_send_wqe *wqe = swqe->wqe;
	struct zroce_av av;
	struct zroce_hdr h = {
		.opcode = wqe->opcode == IB_WR_SEND_WITH_IMM ?
			  ZROCE_OP_UD_SEND_ONLY_IMM : ZROCE_OP_UD_SEND_ONLY,
		.pkey = IB_DEFAULT_PKEY_FULL,
		.dqpn = wqe->wr.ud.remote_qpn & ZROCE_DETH_SQP_MASK,
		.psn = qp->req.psn,
		.src_qp = qp->ibqp.qp_num,
		/* a controlled Q_Key in a WR means the QP's (IBTA 10.2.5) */
		.qkey = wqe->wr.ud.remote_qkey & IB_QP_SET_QKEY ?
			qp->attr.qkey : wqe->wr.ud.remote_qkey,
		.imm = wqe->ex,
		.se = !!(wqe->send_flags & IB_SEND_SOLICITED),
		.payload_len = swqe->length,
	};

	if (swqe->length > ib_mtu_enum_to_int(zroce_port_mtu(zdev)))
		return IB_WC_LOC_LEN_ERR;
	if (zroce_ud_av(zdev, wqe->wr.ud.ah, qp->ibqp.pd, &av))
		return IB_WC_LOC_QP_OP_ERR;
	if (zroce_pkt_init(pkt, zdev, &av, NULL, qp->src_port, &h, true))
		return 0;
	return zroce_sge_gather(qp, wqe, 0, swqe->length, pkt);
}

/* The GRH area of a received datagram, from its IP header. */
static void zroce_ud_grh(const struct sk_buff *skb, u8 *grh)
{
	memset(grh, 0, ZROCE_GRH_LEN);
	if (skb->protocol == htons(ETH_P_IP))
		memcpy(grh + ZROCE_GRH_LEN - sizeof(struct iphdr),
		       skb_network_header(skb), sizeof(struct iphdr));
	else
		memcpy(grh, skb_network_header(skb), sizeof(struct ipv6hdr));
}

/* Place a datagram into the receive WQE taken into resp.wqe. */
static int zroce_ud_place(struct zroce_qp *qp, const struct zroce_hdr *h,
			  struct sk_buff *skb)
{
	struct zroce_resp *r = &qp->resp;
	struct ib_pd *pd = zroce_rq_pd(qp);
	struct zroce_sge_cursor cur;
	u8 grh[ZROCE_GRH_LEN];
	int status;

	if (r->wqe.num_sge == U32_MAX)
		return IB_WC_LOC_LEN_ERR;
	zroce_ud_grh(skb, grh);
	zroce_sge_cursor_init(&cur, r->sge, r->wqe.num_sge, 0);
	status = zroce_sge_scatter_buf(qp, pd, &cur, grh, sizeof(grh));
	if (status)
		return status;
	return zroce_sge_scatter(qp, pd, &cur, skb, h->hdr_len,
				 h->payload_len);
}

static void zroce_ud_cqe(struct zroce_qp *qp, const struct zroce_hdr *h,
			 const struct sk_buff *skb, enum ib_wc_status status)
{
	struct zroce_cqe cqe = {
		.wr_id = qp->resp.wqe.wr_id,
		.status = status,
		.opcode = IB_WC_RECV,
		.byte_len = ZROCE_GRH_LEN + h->payload_len,
		.qp_num = qp->ibqp.qp_num,
		.src_qp = h->src_qp,
		.wc_flags = ZROCE_CQE_GRH,
		.port_num = ZROCE_PORT,
		.net_type = skb->protocol == htons(ETH_P_IP) ?
			    ZROCE_CQE_NET_IPV4 : ZROCE_CQE_NET_IPV6,
	};

	if (h->mask & ZROCE_M_IMMDT) {
		cqe.ex = h->imm;
		cqe.wc_flags |= ZROCE_CQE_WITH_IMM;
	}
	zroce_cq_post(to_zcq(qp->ibqp.recv_cq), &cqe, h->se);
}

/*
 * A datagram for UD QP qp; called under RCU in softirq.  A wrong Q_Key or
 * an empty receive queue drops it silently, as IBTA wants: UD has no NAK.
 * Returns 0, or -EAGAIN if a page of an ODP MR must be faulted in first:
 * the receive WQE stays taken (resp.wqe_held) for the next try.
 */
int zroce_ud_rcv(struct zroce_qp *qp, const struct zroce_hdr *h,
		 struct sk_buff *skb)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_resp *r = &qp->resp;
	int status, err;

	if (!zroce_qp_state_rcv(READ_ONCE(qp->attr.qp_state)))
		return 0;
	if (h->qkey != qp->attr.qkey) {
		zroce_dbg(zdev, "QP %u: Q_Key 0x%x from QP %u, want 0x%x\n",
			  qp->ibqp.qp_num, h->qkey, h->src_qp, qp->attr.qkey);
		zroce_count(zdev, ZROCE_CNT_BAD_QKEY, 1);
		return 0;
	}
	spin_lock(&qp->rq_lock);
	err = r->wqe_held ? 0 : zroce_resp_take_wqe(qp);
	if (err) {
		spin_unlock(&qp->rq_lock);
		if (err == -EAGAIN)
			zroce_count(zdev, ZROCE_CNT_NO_RECV_WQE, 1);
		else
			zroce_qp_fatal(qp);	/* garbage in the ring */
		return 0;
	}
	status = zroce_ud_place(qp, h, skb);
	r->wqe_held = status == -EAGAIN;
	if (!r->wqe_held)
		zroce_ud_cqe(qp, h, skb, status);
	spin_unlock(&qp->rq_lock);
	if (status > 0)
		zroce_qp_error(qp);
	return min(status, 0);
}
