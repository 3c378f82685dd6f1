// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The QP state machine of IBTA 10.3 and the checks of each attribute a
 * modify_qp may carry.  ib_modify_qp_is_ok() says which attributes each
 * transition requires and allows; this file checks their values.
 */
#include <rdma/ib_addr.h>
#include <rdma/uverbs_ioctl.h>
#include "zroce.h"

#define ZROCE_QP_ACCESS (IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ | \
			 IB_ACCESS_REMOTE_ATOMIC)

static int zroce_check_qp_limits(struct zroce_dev *zdev,
				 const struct ib_qp_attr *attr, int mask)
{
	if ((mask & IB_QP_PKEY_INDEX) && attr->pkey_index)
		return -EINVAL;
	if ((mask & IB_QP_PORT) && attr->port_num != ZROCE_PORT)
		return -EINVAL;
	if ((mask & IB_QP_ACCESS_FLAGS) &&
	    (attr->qp_access_flags & ~(ZROCE_QP_ACCESS | IB_ACCESS_LOCAL_WRITE)))
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
	if (mask & IB_QP_AV)
		return zroce_check_av(zdev, &attr->ah_attr);
	return 0;
}

/* The path MTU may not exceed what the netdev carries. */
static int zroce_check_path_mtu(struct zroce_dev *zdev, enum ib_mtu mtu)
{
	enum ib_mtu max = iboe_get_mtu(READ_ONCE(zdev->ndev->mtu));

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

/* Enter a new state: rings are emptied on the way to RESET. */
static void zroce_qp_set_state(struct zroce_qp *qp, enum ib_qp_state state)
{
	lockdep_assert_held(&qp->state_lock);

	if (state == IB_QPS_RESET) {
		zroce_ring_reset(&qp->sq);
		zroce_ring_reset(&qp->rq);
	}
	if (state == IB_QPS_SQD)
		qp->attr.sq_draining = 0;	/* nothing is ever in flight */
	WRITE_ONCE(qp->attr.qp_state, state);
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
	err = zroce_check_qp_limits(zdev, attr, mask);
	if (!err && (mask & IB_QP_PATH_MTU))
		err = zroce_check_path_mtu(zdev, attr->path_mtu);
	if (err)
		goto out_unlock;

	zroce_qp_store_attr(qp, attr, mask);
	if (mask & IB_QP_STATE)
		zroce_qp_set_state(qp, next);
out_unlock:
	mutex_unlock(&qp->state_lock);
	return err;
}
