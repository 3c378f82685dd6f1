// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Queue pairs: creation, query and destruction.  Posting is in post.c,
 * the state machine in qp_modify.c.
 */
#include <linux/hash.h>
#include <rdma/uverbs_ioctl.h>
#include "zroce.h"

static int zroce_check_qp_cap(struct zroce_dev *zdev,
			      const struct ib_qp_init_attr *init)
{
	const struct ib_qp_cap *cap = &init->cap;

	if (cap->max_send_wr > ZROCE_MAX_QP_WR ||
	    cap->max_send_sge > ZROCE_MAX_SGE ||
	    cap->max_inline_data > ZROCE_MAX_INLINE) {
		zroce_dbg(zdev, "send queue %u wr, %u sge, %u inline\n",
			  cap->max_send_wr, cap->max_send_sge,
			  cap->max_inline_data);
		return -EINVAL;
	}
	if (!init->srq && (cap->max_recv_wr > ZROCE_MAX_QP_WR ||
			   cap->max_recv_sge > ZROCE_MAX_SGE)) {
		zroce_dbg(zdev, "receive queue %u wr, %u sge\n",
			  cap->max_recv_wr, cap->max_recv_sge);
		return -EINVAL;
	}
	return 0;
}

/* Size the rings from the requested caps and report what was granted. */
static int zroce_qp_rings_init(struct zroce_qp *qp, struct ib_qp_init_attr *init)
{
	struct ib_qp_cap *cap = &init->cap;
	u32 slot;
	int err;

	slot = zroce_sq_slot_size(cap->max_send_sge, cap->max_inline_data);
	err = zroce_ring_init(&qp->sq, zroce_ring_slots(cap->max_send_wr ?: 1),
			      slot);
	if (err)
		return err;
	cap->max_send_wr = qp->sq.num_slots;
	cap->max_send_sge = min_t(u32, zroce_sq_slot_sges(slot), ZROCE_MAX_SGE);
	cap->max_inline_data = min_t(u32, slot - sizeof(struct zroce_send_wqe),
					 ZROCE_MAX_INLINE);

	if (init->srq) {
		cap->max_recv_wr = 0;
		cap->max_recv_sge = 0;
		return 0;
	}
	slot = zroce_rq_slot_size(cap->max_recv_sge);
	err = zroce_ring_init(&qp->rq, zroce_ring_slots(cap->max_recv_wr ?: 1),
			      slot);
	if (err) {
		zroce_ring_destroy(&qp->sq);
		return err;
	}
	cap->max_recv_wr = qp->rq.num_slots;
	cap->max_recv_sge = min_t(u32, zroce_rq_slot_sges(slot), ZROCE_MAX_SGE);
	return 0;
}

static void zroce_qp_rings_destroy(struct zroce_qp *qp)
{
	if (qp->rq.buf)
		zroce_ring_destroy(&qp->rq);
	zroce_ring_destroy(&qp->sq);
}

static int zroce_alloc_qpn(struct zroce_dev *zdev, struct zroce_qp *qp,
			   enum ib_qp_type type)
{
	u32 qpn;
	int err;

	if (type == IB_QPT_GSI) {
		qpn = 1;
		err = xa_insert(&zdev->qps, qpn, qp, GFP_KERNEL);
	} else {
		err = xa_alloc_cyclic(&zdev->qps, &qpn, qp,
				      XA_LIMIT(ZROCE_MIN_QPN, ZROCE_MAX_QPN),
				      &zdev->next_qpn, GFP_KERNEL);
		err = err < 0 ? err : 0;
	}
	if (err)
		return err == -EBUSY ? -ENOMEM : err;
	qp->ibqp.qp_num = qpn;
	return 0;
}

static int zroce_qp_publish(struct zroce_qp *qp, struct ib_udata *udata)
{
	struct zroce_create_qp_resp resp = {
		.qpn = qp->ibqp.qp_num,
		.max_inline_data = qp->cap.max_inline_data,
	};
	int err;

	if (udata->outlen < sizeof(resp))
		return -EINVAL;
	err = zroce_ring_publish(&qp->sq, udata, &resp.sq);
	if (err)
		return err;
	if (qp->rq.buf) {
		err = zroce_ring_publish(&qp->rq, udata, &resp.rq);
		if (err)
			return err;
	}
	return ib_copy_to_udata(udata, &resp, sizeof(resp));
}

/* Data path state: the SQ shadow, responder resources, timers, work. */
static int zroce_qp_init_dp(struct zroce_qp *qp)
{
	u32 n = qp->sq.num_slots;

	qp->req.swqe = kvcalloc(n, sizeof(*qp->req.swqe), GFP_KERNEL);
	qp->req.shadow = kvmalloc_array(n, qp->sq.slot_size, GFP_KERNEL);
	qp->resp.res = kcalloc(ZROCE_MAX_RD_ATOMIC, sizeof(*qp->resp.res),
			       GFP_KERNEL);
	if (!qp->req.swqe || !qp->req.shadow || !qp->resp.res ||
	    dst_cache_init(&qp->dst_cache, GFP_KERNEL))
		return -ENOMEM;
	refcount_set(&qp->ref, 1);
	init_completion(&qp->released);
	INIT_WORK(&qp->send_work, zroce_send_work);
	qp->req.cpu = WORK_CPU_UNBOUND;	/* the kicker's, until a run */
	INIT_WORK(&qp->rx_work, zroce_rx_work);
	skb_queue_head_init(&qp->rx_backlog);
	timer_setup(&qp->retrans_timer, zroce_retrans_timer, 0);
	timer_setup(&qp->rnr_timer, zroce_rnr_timer, 0);
	qp->mtu = ib_mtu_enum_to_int(IB_MTU_1024);
	return 0;
}

static void zroce_qp_free_dp(struct zroce_qp *qp)
{
	dst_cache_destroy(&qp->dst_cache);
	kfree(qp->resp.res);
	kvfree(qp->req.shadow);
	kvfree(qp->req.swqe);
}

static void zroce_qp_init_attr(struct zroce_qp *qp,
			       const struct ib_qp_init_attr *init)
{
	mutex_init(&qp->state_lock);
	spin_lock_init(&qp->sq_lock);
	spin_lock_init(&qp->rq_lock);
	qp->cap = init->cap;
	qp->sq_sig_type = init->sq_sig_type;
	qp->create_flags = init->create_flags;
	qp->attr.qp_state = IB_QPS_RESET;
	qp->attr.cur_qp_state = IB_QPS_RESET;
	qp->attr.port_num = ZROCE_PORT;
	qp->attr.path_mtu = IB_MTU_1024;
	qp->attr.cap = init->cap;
}

/*
 * Stop the data path of the QP: no new lookup finds it, timers and work
 * are done, and the last packet being processed has dropped its reference.
 */
static void zroce_qp_quiesce(struct zroce_qp *qp)
{
	xa_erase(&to_zdev(qp->ibqp.device)->qps, qp->ibqp.qp_num);
	synchronize_rcu();
	spin_lock_bh(&qp->sq_lock);
	qp->dying = true;
	spin_unlock_bh(&qp->sq_lock);
	/* packets it handles may arm the timers and queue send_work */
	cancel_work_sync(&qp->rx_work);
	zroce_rx_purge(qp);
	del_timer_sync(&qp->retrans_timer);
	del_timer_sync(&qp->rnr_timer);
	cancel_work_sync(&qp->send_work);
	zroce_fault_put(&qp->req.fault);
	zroce_qp_put(qp);
	wait_for_completion(&qp->released);
}

int zroce_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
		    struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibqp->device);
	struct zroce_qp *qp = to_zqp(ibqp);
	int err;

	switch (init->qp_type) {
	case IB_QPT_RC:
	case IB_QPT_UC:
	case IB_QPT_UD:
		break;
	case IB_QPT_GSI:
		if (!udata)
			break;
		fallthrough;
	default:
		return -EOPNOTSUPP;
	}
	if (init->create_flags)
		return -EOPNOTSUPP;
	if (udata && udata->inlen &&
	    !ib_is_udata_cleared(udata, 0, udata->inlen))
		return -EINVAL;
	err = zroce_check_qp_cap(zdev, init);
	if (err)
		return err;

	err = zroce_qp_rings_init(qp, init);
	if (err)
		return err;
	zroce_qp_init_attr(qp, init);
	err = zroce_qp_init_dp(qp);
	if (err)
		goto err_free_dp;
	spin_lock_bh(&qp->sq_lock);
	zroce_req_arm(qp, true);
	spin_unlock_bh(&qp->sq_lock);
	err = zroce_alloc_qpn(zdev, qp, init->qp_type);
	if (err)
		goto err_free_dp;
	/* RoCEv2 source port entropy: 0xc000 | 14 bits of the QPN's hash */
	qp->src_port = 0xc000 | hash_32(ibqp->qp_num, 14);
	if (udata) {
		err = zroce_qp_publish(qp, udata);
		if (err)
			goto err_erase;
	}
	zroce_dbg(zdev, "QP %u type %d\n", ibqp->qp_num, init->qp_type);
	return 0;

err_erase:
	zroce_qp_quiesce(qp);	/* a packet may have found it */
err_free_dp:
	zroce_qp_free_dp(qp);
	zroce_qp_rings_destroy(qp);
	return err;
}

int zroce_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		   struct ib_qp_init_attr *init)
{
	struct zroce_qp *qp = to_zqp(ibqp);

	mutex_lock(&qp->state_lock);
	*attr = qp->attr;
	mutex_unlock(&qp->state_lock);
	attr->cur_qp_state = attr->qp_state;
	attr->cap = qp->cap;

	memset(init, 0, sizeof(*init));
	init->event_handler = ibqp->event_handler;
	init->qp_context = ibqp->qp_context;
	init->send_cq = ibqp->send_cq;
	init->recv_cq = ibqp->recv_cq;
	init->srq = ibqp->srq;
	init->cap = qp->cap;
	init->sq_sig_type = qp->sq_sig_type;
	init->qp_type = ibqp->qp_type;
	init->create_flags = qp->create_flags;
	init->port_num = ZROCE_PORT;
	return 0;
}

int zroce_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata)
{
	struct zroce_qp *qp = to_zqp(ibqp);

	if (ibqp->qp_type == IB_QPT_UD)
		zroce_mcast_qp_gone(qp);
	zroce_qp_quiesce(qp);
	zroce_qp_free_dp(qp);
	zroce_qp_rings_destroy(qp);
	mutex_destroy(&qp->state_lock);
	return 0;
}
