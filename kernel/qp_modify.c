// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The QP state machine of IBTA 10.3 and the checks of each attribute a
 * modify_qp may carry.  ib_modify_qp_is_ok() says which attributes each
 * transition requires and allows; this file checks their values.
 */
#include <rdma/ib_addr.h>
#include <rdma/ib_mad.h>
#include <rdma/uverbs_ioctl.h>
#include "zroce.h"

#define ZROCE_QP_ACCESS (IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ | \
			 IB_ACCESS_REMOTE_ATOMIC)

static int zroce_check_qp_limits(struct zroce_dev *zdev,
				 const struct ib_qp_attr *attr, int mask,
				 struct ib_udata *udata)
{
	if ((mask & IB_QP_PKEY_INDEX) && attr->pkey_index)
		return -EINVAL;
	if ((mask & IB_QP_PORT) && attr->port_num != ZROCE_PORT)
		return -EINVAL;
	/* programs pass MR rights along too; they mean nothing to a QP */
	if ((mask & IB_QP_ACCESS_FLAGS) &&
	    (attr->qp_access_flags & ~(ZROCE_QP_ACCESS | IB_ACCESS_LOCAL_WRITE |
				       IB_ACCESS_ON_DEMAND)))
		return -EINVAL;
	if ((mask & IB_QP_PATH_MTU) &&
	    (attr->path_mtu < IB_MTU_256 || attr->path_mtu > IB_MTU_4096))
		return -EINVAL;
	if ((mask & IB_QP_TIMEOUT) && attr->timeout > 31)
		return -EINVAL;
	if ((mask & IB_QP_RETRY_CNT) && attr->retry_cnt > 7)
		return -EINVAL;
	if ((mask & IB_QP_RNR_RETRY) && attr->rnr_retry > 7)
		return -EINVAL;
	if ((mask & IB_QP_MIN_RNR_TIMER) && attr->min_rnr_timer > 31)
		return -EINVAL;
	if ((mask & IB_QP_MAX_QP_RD_ATOMIC) &&
	    attr->max_rd_atomic > ZROCE_MAX_RD_ATOMIC)
		return -EINVAL;
	if ((mask & IB_QP_MAX_DEST_RD_ATOMIC) &&
	    attr->max_dest_rd_atomic > ZROCE_MAX_RD_ATOMIC)
		return -EINVAL;
	if ((mask & IB_QP_SQ_PSN) && attr->sq_psn > 0xffffff)
		return -EINVAL;
	if ((mask & IB_QP_RQ_PSN) && attr->rq_psn > 0xffffff)
		return -EINVAL;
	if ((mask & IB_QP_DEST_QPN) && attr->dest_qp_num > ZROCE_MAX_QPN)
		return -EINVAL;
	/* controlled Q_Keys (IBTA 10.2.5) are for privileged consumers */
	if (udata && (mask & IB_QP_QKEY) && (attr->qkey & IB_QP_SET_QKEY) &&
	    !capable(CAP_NET_RAW))
		return -EPERM;
	if (mask & IB_QP_AV)
		return zroce_check_av(zdev, &attr->ah_attr);
	return 0;
}

/* The path MTU may not exceed what the netdev carries. */
static int zroce_check_path_mtu(struct zroce_dev *zdev, enum ib_mtu mtu)
{
	enum ib_mtu max = zroce_port_mtu(zdev);

	if (mtu > max) {
		zroce_dbg(zdev, "path MTU %d above the netdev's %d\n",
			  ib_mtu_enum_to_int(mtu), ib_mtu_enum_to_int(max));
		return -EINVAL;
	}
	return 0;
}

#define ZROCE_COPY(field, bit)					\
	do {							\
		if (mask & (bit))				\
			qp->attr.field = attr->field;		\
	} while (0)

/* Attributes the data path keeps in its own form, under its locks. */
static void zroce_qp_store_dp(struct zroce_qp *qp,
			      const struct ib_qp_attr *attr, int mask)
{
	spin_lock_bh(&qp->sq_lock);
	if (mask & IB_QP_SQ_PSN) {
		qp->req.psn = attr->sq_psn;
		qp->req.una_psn = attr->sq_psn;
	}
	if (mask & IB_QP_RETRY_CNT)
		qp->req.retry = attr->retry_cnt;
	if (mask & IB_QP_RNR_RETRY)
		qp->req.rnr_retry = attr->rnr_retry;
	if (mask & IB_QP_PATH_MTU)
		qp->mtu = ib_mtu_enum_to_int(attr->path_mtu);
	spin_unlock_bh(&qp->sq_lock);

	spin_lock_bh(&qp->rq_lock);
	if (mask & IB_QP_RQ_PSN)
		qp->resp.psn = attr->rq_psn;
	spin_unlock_bh(&qp->rq_lock);
}

/* Back to RESET: empty rings, no state of past traffic. */
static void zroce_qp_reset(struct zroce_qp *qp)
{
	struct zroce_req *req = &qp->req;
	struct zroce_resp *r = &qp->resp;
	struct zroce_fault f;

	/* nothing starts in RESET; what runs would act on the state cleared */
	WRITE_ONCE(qp->attr.qp_state, IB_QPS_RESET);
	del_timer_sync(&qp->retrans_timer);
	del_timer_sync(&qp->rnr_timer);
	cancel_work_sync(&qp->send_work);
	spin_lock_bh(&qp->sq_lock);
	f = req->fault;
	req->fault.mr = NULL;
	req->fault_failed = false;
	req->head = req->next = req->prod = req->offset = 0;
	req->inflight_rd = 0;
	req->rnr_wait = false;
	memset(req->swqe, 0, qp->sq.num_slots * sizeof(*req->swqe));
	zroce_ring_reset(&qp->sq);
	zroce_req_arm(qp, true);
	spin_unlock_bh(&qp->sq_lock);
	zroce_fault_put(&f);

	spin_lock_bh(&qp->rq_lock);
	r->psn = r->msn = r->head = r->res_next = 0;
	r->in_msg = r->nak_sent = r->uc_drop = false;
	r->wqe_held = r->last_wqe = false;
	memset(r->res, 0, ZROCE_MAX_RD_ATOMIC * sizeof(*r->res));
	zroce_ring_reset(&qp->rq);
	spin_unlock_bh(&qp->rq_lock);
}

/*
 * The data path found an error: the QP enters ERR and its work item
 * flushes both queues.  Any context.
 */
void zroce_qp_error(struct zroce_qp *qp)
{
	WRITE_ONCE(qp->attr.qp_state, IB_QPS_ERR);
	if (!READ_ONCE(qp->dying))
		zroce_req_kick(qp);
}

/* An asynchronous event of the QP to its consumer.  Any context. */
void zroce_qp_event(struct zroce_qp *qp, enum ib_event_type type)
{
	struct ib_event ev = {
		.device = qp->ibqp.device,
		.element.qp = &qp->ibqp,
		.event = type,
	};

	if (qp->ibqp.event_handler)
		qp->ibqp.event_handler(&ev, qp->ibqp.qp_context);
}

/*
 * An error no completion can report, such as garbage in a ring the
 * process writes: IB_EVENT_QP_FATAL, and the QP enters ERR.
 */
void zroce_qp_fatal(struct zroce_qp *qp)
{
	if (READ_ONCE(qp->attr.qp_state) != IB_QPS_ERR)
		zroce_qp_event(qp, IB_EVENT_QP_FATAL);
	zroce_qp_error(qp);
}

static void zroce_qp_store_attr(struct zroce_qp *qp,
				const struct ib_qp_attr *attr, int mask)
{
	lockdep_assert_held(&qp->state_lock);

	ZROCE_COPY(en_sqd_async_notify, IB_QP_EN_SQD_ASYNC_NOTIFY);
	ZROCE_COPY(qp_access_flags, IB_QP_ACCESS_FLAGS);
	ZROCE_COPY(pkey_index, IB_QP_PKEY_INDEX);
	ZROCE_COPY(port_num, IB_QP_PORT);
	ZROCE_COPY(qkey, IB_QP_QKEY);
	ZROCE_COPY(path_mtu, IB_QP_PATH_MTU);
	ZROCE_COPY(timeout, IB_QP_TIMEOUT);
	ZROCE_COPY(retry_cnt, IB_QP_RETRY_CNT);
	ZROCE_COPY(rnr_retry, IB_QP_RNR_RETRY);
	ZROCE_COPY(rq_psn, IB_QP_RQ_PSN);
	ZROCE_COPY(max_rd_atomic, IB_QP_MAX_QP_RD_ATOMIC);
	ZROCE_COPY(min_rnr_timer, IB_QP_MIN_RNR_TIMER);
	ZROCE_COPY(sq_psn, IB_QP_SQ_PSN);
	ZROCE_COPY(max_dest_rd_atomic, IB_QP_MAX_DEST_RD_ATOMIC);
	ZROCE_COPY(dest_qp_num, IB_QP_DEST_QPN);
	if (mask & IB_QP_AV) {
		qp->attr.ah_attr = attr->ah_attr;
		/* the caller owns this reference; keep the index only */
		qp->attr.ah_attr.grh.sgid_attr = NULL;
	}
}

#undef ZROCE_COPY

/* Enter a new state: RESET empties everything, ERR flushes. */
static void zroce_qp_set_state(struct zroce_qp *qp, enum ib_qp_state state)
{
	lockdep_assert_held(&qp->state_lock);

	if (state == IB_QPS_RESET)
		zroce_qp_reset(qp);
	if (state == IB_QPS_SQD)
		qp->attr.sq_draining = 0;
	if (state == IB_QPS_ERR) {
		zroce_qp_error(qp);
		return;
	}
	WRITE_ONCE(qp->attr.qp_state, state);
	if (state == IB_QPS_RTS)
		zroce_req_kick(qp);	/* posted before RTS */
}

int zroce_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		    struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibqp->device);
	struct zroce_qp *qp = to_zqp(ibqp);
	enum ib_qp_state cur, next;
	int err;

	if (mask & ~IB_QP_ATTR_STANDARD_BITS)
		return -EOPNOTSUPP;
	if (mask & (IB_QP_ALT_PATH | IB_QP_PATH_MIG_STATE))
		return -EOPNOTSUPP;	/* no automatic path migration */
	if (udata && udata->inlen &&
	    !ib_is_udata_cleared(udata, 0, udata->inlen))
		return -EINVAL;

	mutex_lock(&qp->state_lock);
	cur = mask & IB_QP_CUR_STATE ? attr->cur_qp_state : qp->attr.qp_state;
	next = mask & IB_QP_STATE ? attr->qp_state : cur;
	if (!ib_modify_qp_is_ok(cur, next, ibqp->qp_type, mask)) {
		zroce_dbg(zdev, "QP %u: %d -> %d with mask 0x%x refused\n",
			  ibqp->qp_num, cur, next, mask);
		err = -EINVAL;
		goto out_unlock;
	}
	err = zroce_check_qp_limits(zdev, attr, mask, udata);
	if (!err && (mask & IB_QP_PATH_MTU))
		err = zroce_check_path_mtu(zdev, attr->path_mtu);
	if (err)
		goto out_unlock;

	if (mask & IB_QP_AV) {
		err = zroce_av_from_attr(&qp->av, &attr->ah_attr);
		if (err)
			goto out_unlock;
		dst_cache_reset(&qp->dst_cache);
	}
	zroce_qp_store_attr(qp, attr, mask);
	zroce_qp_store_dp(qp, attr, mask);
	if (mask & IB_QP_STATE)
		zroce_qp_set_state(qp, next);
out_unlock:
	mutex_unlock(&qp->state_lock);
	return err;
}
