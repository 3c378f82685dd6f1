// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Received packets that wait for ODP faults.  The receive path runs in
 * softirq and cannot fault pages in; a packet that needs one goes, with
 * the fault, onto its QP's rx_backlog, and so does every later packet of
 * the QP until the backlog is empty again, so that a QP's packets are
 * still handled in the order they came.  rx_work serves the fault of the
 * packet at the head, which may sleep, then hands the packet to the QP as
 * softirq would, and so on down the backlog.  A READ response waiting for
 * a fault (struct zroce_read_defer) holds the QP's packets back the same
 * way, and goes first.
 */
#include "zroce.h"

/* The fault a packet on the backlog waits for, in its control buffer */
static struct zroce_fault *zroce_rx_fault(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct zroce_fault) > sizeof(skb->cb));
	return (struct zroce_fault *)skb->cb;
}

/* Hand h to the QP's receive side: 0, or -EAGAIN with nothing done. */
int zroce_rcv_qp_pkt(struct zroce_qp *qp, const struct zroce_hdr *h,
		     struct sk_buff *skb)
{
	if (h->mask & ZROCE_M_UD)
		return zroce_ud_rcv(qp, h, skb);
	if (h->mask & ZROCE_M_ACK_PKT)
		return zroce_comp_rcv(qp, h, skb);
	return zroce_resp_rcv(qp, h, skb);
}

/* Add skb to the backlog, or drop it if the backlog is full. */
static void zroce_rx_enqueue(struct zroce_qp *qp, struct sk_buff *skb)
{
	struct sk_buff_head *q = &qp->rx_backlog;

	lockdep_assert_held(&q->lock);
	if (skb_queue_len(q) >= ZROCE_RX_BACKLOG) {
		/* the peer sends it again: RC times out, UD/UC lose it */
		zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_ODP_DROPPED, 1);
		zroce_fault_put(zroce_rx_fault(skb));
		kfree_skb(skb);
		return;
	}
	__skb_queue_tail(q, skb);
}

/*
 * In softirq: whether packets of qp, or a READ response, wait for a
 * fault, in which case skb now waits behind them.
 */
bool zroce_rx_queue_behind(struct zroce_qp *qp, struct sk_buff *skb)
{
	struct sk_buff_head *q = &qp->rx_backlog;
	bool queued = false;

	if (likely(skb_queue_empty_lockless(q) &&
		   !READ_ONCE(qp->read_defer.pending)))
		return false;
	spin_lock(&q->lock);
	if (!skb_queue_empty(q) || qp->read_defer.pending) {
		zroce_rx_fault(skb)->mr = NULL;
		zroce_rx_enqueue(qp, skb);
		queued = true;
	}
	spin_unlock(&q->lock);
	return queued;
}

/* In softirq: skb met this CPU's pending fault; it waits for rx_work. */
void zroce_rx_defer(struct zroce_qp *qp, struct sk_buff *skb)
{
	struct sk_buff_head *q = &qp->rx_backlog;

	if (WARN_ON_ONCE(!zroce_fault_take(zroce_rx_fault(skb)))) {
		kfree_skb(skb);
		return;
	}
	zroce_count(to_zdev(qp->ibqp.device), ZROCE_CNT_ODP_DEFERRED, 1);
	spin_lock(&q->lock);
	zroce_rx_enqueue(qp, skb);
	spin_unlock(&q->lock);
	queue_work(zroce_wq, &qp->rx_work);
}

/*
 * Serve skb's fault, then hand it to the QP again: 0 when it is done
 * with, -EAGAIN when it met another fault (now in its control buffer).
 */
static int zroce_rx_retry(struct zroce_qp *qp, struct sk_buff *skb)
{
	struct zroce_fault *f = zroce_rx_fault(skb);
	struct zroce_hdr h;
	bool failed = false;
	int ret = 0;

	if (f->mr) {
		failed = zroce_odp_fault(f) != 0;
		zroce_fault_put(f);
	}
	local_bh_disable();
	rcu_read_lock();
	/* the packet was checked before it was queued */
	if (!zroce_hdr_parse(skb->data, skb->len, &h)) {
		zroce_fault_forbid(failed);
		ret = zroce_rcv_qp_pkt(qp, &h, skb);
		zroce_fault_forbid(false);
		if (ret == -EAGAIN && !zroce_fault_take(f))
			ret = 0;
	}
	rcu_read_unlock();
	local_bh_enable();
	return ret;
}

void zroce_rx_work(struct work_struct *work)
{
	struct zroce_qp *qp = container_of(work, struct zroce_qp, rx_work);
	struct sk_buff_head *q = &qp->rx_backlog;
	struct sk_buff *skb;
	int tries = 0;

	while (!READ_ONCE(qp->dying)) {
		if (READ_ONCE(qp->read_defer.pending)) {
			zroce_resp_read_resume(qp);
			cond_resched();
			continue;
		}
		spin_lock_bh(&q->lock);
		skb = skb_peek(q);
		spin_unlock_bh(&q->lock);
		if (!skb)
			return;
		/* only this work takes packets off: skb stays at the head */
		if (zroce_rx_retry(qp, skb) == -EAGAIN &&
		    ++tries < ZROCE_RX_FAULT_TRIES) {
			cond_resched();
			continue;
		}
		if (tries >= ZROCE_RX_FAULT_TRIES) {
			/* the pages keep going away: let the peer resend */
			zroce_count(to_zdev(qp->ibqp.device),
				    ZROCE_CNT_ODP_DROPPED, 1);
			zroce_fault_put(zroce_rx_fault(skb));
		}
		tries = 0;
		skb_unlink(skb, q);
		consume_skb(skb);
		cond_resched();
	}
}

/* The QP is dying and rx_work is done: drop what waits. */
void zroce_rx_purge(struct zroce_qp *qp)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&qp->rx_backlog))) {
		zroce_fault_put(zroce_rx_fault(skb));
		kfree_skb(skb);
	}
	zroce_fault_put(&qp->read_defer.fault);
	qp->read_defer.pending = false;
}
