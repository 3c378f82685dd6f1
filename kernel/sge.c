// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Walking a WQE's scatter/gather list: received bytes are scattered into
 * it, bytes to send are gathered from it into a packet.  Every SGE is
 * checked against its MR before a byte moves.  Callers hold the RCU read
 * lock.  Errors are work completion statuses, or -EAGAIN when a page of an
 * ODP MR must be faulted in first (odp.c).
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

/*
 * Walk len bytes of the SGEs at the cursor, checking each piece against
 * its MR (a local key of pd granting access), and hand it to fn.
 */
static int zroce_sge_walk(struct zroce_qp *qp, struct ib_pd *pd,
			  struct zroce_sge_cursor *cur, u32 len, int access,
			  int (*fn)(struct zroce_mr *mr, u64 va, u32 n,
				    void *arg),
			  void *arg)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	const struct zroce_sge *sge;
	struct zroce_mr *mr;
	int err;
	u64 va;
	u32 n;

	while (len) {
		if (cur->idx >= cur->num_sge)
			return IB_WC_LOC_LEN_ERR;
		sge = &cur->sge[cur->idx];
		n = min(len, sge->length - cur->off);
		va = sge->addr + cur->off;
		if (n) {
			mr = zroce_mr_lookup(zdev, sge->lkey, pd, access, va, n,
					     NULL);
			if (!mr)
				return IB_WC_LOC_PROT_ERR;
			err = zroce_mr_access_begin(mr, va, n);
			if (err)
				return err == -EAGAIN ? err : IB_WC_LOC_PROT_ERR;
			err = fn(mr, va, n, arg);
			zroce_mr_access_end(mr, n);
			if (err == -ENOMEM)
				return err;	/* the packet is lost */
			if (err)
				return IB_WC_LOC_LEN_ERR;
		}
		zroce_sge_advance(cur, n);
		len -= n;
	}
	return IB_WC_SUCCESS;
}

struct zroce_skb_pos {
	const struct sk_buff *skb;
	u32 off;
};

static int zroce_sge_from_skb(struct zroce_mr *mr, u64 va, u32 n, void *arg)
{
	struct zroce_skb_pos *pos = arg;
	int err = zroce_mr_from_skb(mr, va, pos->skb, pos->off, n);

	pos->off += n;
	return err;
}

/* Scatter len bytes of skb from off into the SGEs. */
int zroce_sge_scatter(struct zroce_qp *qp, struct ib_pd *pd,
		      struct zroce_sge_cursor *cur, const struct sk_buff *skb,
		      u32 off, u32 len)
{
	struct zroce_skb_pos pos = { .skb = skb, .off = off };

	return zroce_sge_walk(qp, pd, cur, len, IB_ACCESS_LOCAL_WRITE,
			      zroce_sge_from_skb, &pos);
}

static int zroce_sge_from_buf(struct zroce_mr *mr, u64 va, u32 n, void *arg)
{
	const u8 **pos = arg;
	int err = zroce_mr_copy(mr, va, (void *)*pos, n, true);

	*pos += n;
	return err;
}

/* Scatter len bytes of buf into the SGEs. */
int zroce_sge_scatter_buf(struct zroce_qp *qp, struct ib_pd *pd,
			  struct zroce_sge_cursor *cur, const void *buf,
			  u32 len)
{
	const u8 *pos = buf;

	return zroce_sge_walk(qp, pd, cur, len, IB_ACCESS_LOCAL_WRITE,
			      zroce_sge_from_buf, &pos);
}

static int zroce_sge_to_pkt(struct zroce_mr *mr, u64 va, u32 n, void *arg)
{
	return zroce_pkt_put_mr(arg, mr, va, n);
}

/*
 * Add len bytes of the payload of wqe, from off, to pkt: its inline data
 * or gathered from its SGEs.  Returns 0 with the bytes added or the packet
 * lost (pkt->skb NULL, out of memory), -EAGAIN for an ODP page to fault
 * in first, or a completion status; pkt is aborted unless 0.
 */
int zroce_sge_gather(struct zroce_qp *qp, const struct zroce_send_wqe *wqe,
		     u32 off, u32 len, struct zroce_pkt *pkt)
{
	struct zroce_sge_cursor cur;
	int err;

	if (wqe->send_flags & IB_SEND_INLINE) {
		zroce_pkt_put(pkt, (const u8 *)(wqe + 1) + off, len);
		return 0;
	}
	zroce_sge_cursor_init(&cur, (const void *)(wqe + 1), wqe->num_sge, off);
	rcu_read_lock();
	err = zroce_sge_walk(qp, qp->ibqp.pd, &cur, len, 0, zroce_sge_to_pkt,
			     pkt);
	rcu_read_unlock();
	if (err)
		zroce_pkt_abort(pkt);
	return err == -ENOMEM ? 0 : err;
}

static int zroce_sge_nop(struct zroce_mr *mr, u64 va, u32 n, void *arg)
{
	return 0;
}

/*
 * Whether len bytes can land in the SGEs now: -EAGAIN if a page of an ODP
 * MR must be faulted in first, else 0; any other fault is the transfer's
 * to report.  For requests whose responses land in softirq.
 */
int zroce_sge_ready(struct zroce_qp *qp, struct zroce_sge_cursor *cur,
		    u32 len)
{
	int ret = zroce_sge_walk(qp, qp->ibqp.pd, cur, len,
				 IB_ACCESS_LOCAL_WRITE, zroce_sge_nop, NULL);

	return ret == -EAGAIN ? ret : 0;
}
