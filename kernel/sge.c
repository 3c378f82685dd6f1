// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Walking a WQE's scatter/gather list: received bytes are scattered into
 * it, bytes to send are gathered from it into a packet.  Every SGE is
 * checked against its MR before a byte moves.  Callers hold the RCU read
 * lock.  Errors are work completion statuses.
 */
#include "zroce.h"

void zroce_sge_cursor_init(struct zroce_sge_cursor *cur,
			   const struct zroce_sge *sge, u32 num_sge, u32 skip)
{
	cur->sge = sge;
	cur->num_sge = num_sge;
	cur->idx = 0;
	cur->off = 0;
	while (skip && cur->idx < num_sge) {
		u32 n = min(skip, sge[cur->idx].length);

		skip -= n;
		cur->off = n;
		if (n == sge[cur->idx].length) {
			cur->idx++;
			cur->off = 0;
		}
	}
}

static void zroce_sge_advance(struct zroce_sge_cursor *cur, u32 n)
{
	cur->off += n;
	if (cur->off == cur->sge[cur->idx].length) {
		cur->idx++;
		cur->off = 0;
	}
}

int zroce_sge_scatter(struct zroce_qp *qp, struct ib_pd *pd,
		      struct zroce_sge_cursor *cur, const struct sk_buff *skb,
		      u32 off, u32 len)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	const struct zroce_sge *sge;
	struct zroce_mr *mr;
	u64 va;
	u32 n;

	while (len) {
		if (cur->idx >= cur->num_sge)
			return IB_WC_LOC_LEN_ERR;
		sge = &cur->sge[cur->idx];
		n = min(len, sge->length - cur->off);
		va = sge->addr + cur->off;
		if (n) {
			mr = zroce_mr_lookup(zdev, sge->lkey, pd,
					     IB_ACCESS_LOCAL_WRITE, va, n,
					     false);
			if (!mr)
				return IB_WC_LOC_PROT_ERR;
			if (zroce_mr_from_skb(mr, va, skb, off, n))
				return IB_WC_LOC_LEN_ERR;
		}
		zroce_sge_advance(cur, n);
		off += n;
		len -= n;
	}
	return IB_WC_SUCCESS;
}

/* Gather len bytes of the SGEs into pkt. */
int zroce_sge_gather(struct zroce_qp *qp, struct zroce_sge_cursor *cur,
		     u32 len, struct zroce_pkt *pkt)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	const struct zroce_sge *sge;
	struct zroce_mr *mr;
	u64 va;
	u32 n;

	while (len) {
		if (cur->idx >= cur->num_sge)
			return IB_WC_LOC_LEN_ERR;
		sge = &cur->sge[cur->idx];
		n = min(len, sge->length - cur->off);
		va = sge->addr + cur->off;
		if (n) {
			mr = zroce_mr_lookup(zdev, sge->lkey, qp->ibqp.pd, 0,
					     va, n, false);
			if (!mr)
				return IB_WC_LOC_PROT_ERR;
			if (zroce_pkt_put_mr(pkt, mr, va, n))
				return IB_WC_LOC_LEN_ERR;
		}
		zroce_sge_advance(cur, n);
		len -= n;
	}
	return IB_WC_SUCCESS;
}
