// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Memory windows: an rkey for a range of an MR, bound and invalidated by
 * WQEs.  A window's index comes from the MR key space (zdev->mrs, where it
 * is stored as a tagged pointer), so one key names an MR or a window.
 * Type 1 windows belong to their PD and are bound with ibv_bind_mw; type
 * 2 windows are bound by a BIND_MW WQE to the QP that posted it, and only
 * that QP may use them or invalidate them remotely (IBTA 10.6.7).
 *
 * A binding is immutable and published under RCU: the data path reads the
 * window's binding in the same RCU section in which it uses the MR, which
 * cannot be deregistered while a window is bound to it.
 */
#include "zroce.h"

#define ZROCE_MW_ACCESS (IB_ACCESS_REMOTE_READ | IB_ACCESS_REMOTE_WRITE | \
			 IB_ACCESS_REMOTE_ATOMIC)

/* The window of a key's index, if that is what the slot holds. */
static struct zroce_mw *zroce_mw_of(void *entry)
{
	return xa_pointer_tag(entry) == ZROCE_MW_TAG ? xa_untag_pointer(entry) :
						     NULL;
}

int zroce_alloc_mw(struct ib_mw *ibmw, struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibmw->device);
	struct zroce_mw *mw = to_zmw(ibmw);
	u32 index;
	int err;

	if (ibmw->type != IB_MW_TYPE_1 && ibmw->type != IB_MW_TYPE_2)
		return -EOPNOTSUPP;
	spin_lock_init(&mw->lock);
	err = xa_alloc(&zdev->mrs, &index, xa_tag_pointer(mw, ZROCE_MW_TAG),
		       XA_LIMIT(1, ZROCE_MAX_MR), GFP_KERNEL);
	if (err)
		return err == -EBUSY ? -ENOMEM : err;
	mw->rkey = index << 8 | get_random_u8();
	ibmw->rkey = mw->rkey;
	return 0;
}

/* Drop the window's binding; the caller holds mw->lock. */
static void zroce_mw_unbind(struct zroce_mw *mw)
{
	struct zroce_mw_binding *b = rcu_dereference_protected(mw->binding,
						lockdep_is_held(&mw->lock));

	if (!b)
		return;
	RCU_INIT_POINTER(mw->binding, NULL);
	atomic_dec(&b->mr->mw_binds);
	kfree_rcu(b, rcu);
}

int zroce_dealloc_mw(struct ib_mw *ibmw)
{
	struct zroce_mw *mw = to_zmw(ibmw);

	xa_erase(&to_zdev(ibmw->device)->mrs, mw->rkey >> 8);
	spin_lock_bh(&mw->lock);
	zroce_mw_unbind(mw);
	spin_unlock_bh(&mw->lock);
	synchronize_rcu();	/* no lookup holds the window any more */
	return 0;
}

/* Whether a BIND_MW WQE of qp may bind mw to mr (IBTA 10.6.7.2.3). */
static int zroce_mw_bind_ok(struct zroce_qp *qp, struct zroce_mw *mw,
			    struct zroce_mr *mr,
			    const struct zroce_send_wqe *wqe)
{
	u64 addr = wqe->wr.bind.addr, len = wqe->wr.bind.length;
	u32 access = wqe->wr.bind.access;

	if (mw->ibmw.pd != qp->ibqp.pd || (wqe->wr.bind.new_rkey >> 8) !=
	    (mw->rkey >> 8))
		return IB_WC_MW_BIND_ERR;
	if (mw->ibmw.type == IB_MW_TYPE_2 &&
	    rcu_access_pointer(mw->binding))
		return IB_WC_MW_BIND_ERR;	/* invalidate first */
	if (!len && mw->ibmw.type == IB_MW_TYPE_1)
		return 0;			/* unbinds */
	if (!mr || mr->ibmr.pd != qp->ibqp.pd ||
	    !(mr->access & IB_ACCESS_MW_BIND) || zroce_mr_is_dma(mr))
		return IB_WC_MW_BIND_ERR;
	/* local rights mean nothing to a window; a zero-based one is not
	 * supported
	 */
	if (access & ~(IB_ACCESS_LOCAL_WRITE | ZROCE_MW_ACCESS))
		return IB_WC_MW_BIND_ERR;
	if ((access & (IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_ATOMIC)) &&
	    !(mr->access & IB_ACCESS_LOCAL_WRITE))
		return IB_WC_MW_BIND_ERR;
	if (addr + len < addr || addr < mr->ibmr.iova ||
	    addr + len > mr->ibmr.iova + mr->ibmr.length)
		return IB_WC_MW_BIND_ERR;
	return 0;
}

/*
 * Execute a BIND_MW WQE of qp: the window named by wr.bind.rkey gets the
 * key new_rkey and, unless length is 0 (type 1), the range of the MR.
 * Returns 0 or a completion status.  Process context, BH disabled.
 */
int zroce_mw_bind(struct zroce_qp *qp, const struct zroce_send_wqe *wqe)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_mw_binding *b = NULL;
	struct zroce_mr *mr;
	struct zroce_mw *mw;
	int status;

	rcu_read_lock();
	mw = zroce_mw_of(xa_load(&zdev->mrs, wqe->wr.bind.rkey >> 8));
	mr = xa_load(&zdev->mrs, wqe->wr.bind.mr_lkey >> 8);
	if (xa_pointer_tag(mr) || (mr && mr->ibmr.lkey != wqe->wr.bind.mr_lkey))
		mr = NULL;
	if (!mw) {
		status = IB_WC_MW_BIND_ERR;
		goto out;
	}
	spin_lock(&mw->lock);
	status = mw->rkey == wqe->wr.bind.rkey ?
		 zroce_mw_bind_ok(qp, mw, mr, wqe) : IB_WC_MW_BIND_ERR;
	if (!status && wqe->wr.bind.length) {
		b = kzalloc(sizeof(*b), GFP_ATOMIC);
		if (!b)
			status = IB_WC_LOC_QP_OP_ERR;
	}
	if (!status) {
		zroce_mw_unbind(mw);
		mw->rkey = wqe->wr.bind.new_rkey;
		if (b) {
			b->mr = mr;
			b->rkey = mw->rkey;
			b->addr = wqe->wr.bind.addr;
			b->length = wqe->wr.bind.length;
			b->access = wqe->wr.bind.access & ZROCE_MW_ACCESS;
			b->qpn = mw->ibmw.type == IB_MW_TYPE_2 ?
				 qp->ibqp.qp_num : 0;
			atomic_inc(&mr->mw_binds);
			rcu_assign_pointer(mw->binding, b);
		}
	}
	spin_unlock(&mw->lock);
out:
	rcu_read_unlock();
	zroce_dbg(zdev, "QP %u: bind of rkey 0x%x: status %d\n",
		  qp->ibqp.qp_num, wqe->wr.bind.rkey, status);
	return status;
}

/*
 * The MR under window entry for a remote access by QP rqp with rkey key:
 * the binding must carry key, grant access over [va, va + len), and for a
 * type 2 window be rqp's.  Under the RCU read lock.
 */
struct zroce_mr *zroce_mw_lookup(void *entry, u32 key,
				 const struct zroce_qp *rqp, int access,
				 u64 va, u32 len)
{
	struct zroce_mw *mw = zroce_mw_of(entry);
	const struct zroce_mw_binding *b;
	u64 end = va + len;

	if (!mw || mw->ibmw.pd != rqp->ibqp.pd)
		return NULL;
	b = rcu_dereference(mw->binding);
	if (!b || b->rkey != key || (b->access & access) != access ||
	    (b->qpn && b->qpn != rqp->ibqp.qp_num))
		return NULL;
	if (end < va || va < b->addr || end > b->addr + b->length)
		return NULL;
	return b->mr;
}

/*
 * Invalidate the type 2 window entry with key rkey for qp: remotely (a
 * SEND with Invalidate) only the QP it is bound to may.  Returns 0, or
 * -EINVAL if entry is not such a window.
 */
int zroce_mw_invalidate(void *entry, u32 rkey, struct zroce_qp *qp,
			bool remote)
{
	struct zroce_mw *mw = zroce_mw_of(entry);
	const struct zroce_mw_binding *b;
	int err = -EINVAL;

	if (!mw || mw->ibmw.type != IB_MW_TYPE_2 ||
	    mw->ibmw.pd != qp->ibqp.pd)
		return -EINVAL;
	spin_lock(&mw->lock);
	b = rcu_dereference_protected(mw->binding, lockdep_is_held(&mw->lock));
	if (b && b->rkey == rkey && (!remote || b->qpn == qp->ibqp.qp_num)) {
		zroce_mw_unbind(mw);
		err = 0;
	}
	spin_unlock(&mw->lock);
	return err;
}
