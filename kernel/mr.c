// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Memory regions.  A key is the MR's index in zdev->mrs shifted left by
 * eight bits, with a random low byte so that a stale key rarely matches
 * the next MR that reuses the index.  The rkey equals the lkey: the access
 * rights, not the key, decide what a peer may do.  Memory windows take
 * their keys from the same space (mw.c); fast-register MRs are in frmr.c.
 *
 * The data path finds an MR under RCU and reads it without a lock, so an
 * MR is complete before it is stored in zdev->mrs and does not change
 * while it is there.  Re-registration builds a new MR under the same keys
 * and swaps it into the slot; a lookup sees the old MR or the new one.
 */
#include <linux/random.h>
#include <rdma/ib_umem.h>
#include "zroce.h"

#define ZROCE_MR_ACCESS (IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE | \
			 IB_ACCESS_REMOTE_READ | IB_ACCESS_REMOTE_ATOMIC | \
			 IB_ACCESS_MW_BIND | IB_ACCESS_RELAXED_ORDERING | \
			 IB_ACCESS_ON_DEMAND | IB_ACCESS_HUGETLB)

static u32 zroce_mr_index(const struct zroce_mr *mr)
{
	return mr->ibmr.lkey >> 8;
}

/* A new MR of ibpd with rights access, keyless and unpublished. */
static struct zroce_mr *zroce_mr_new(struct zroce_dev *zdev,
				     struct ib_pd *ibpd, int access)
{
	struct zroce_mr *mr;

	if (access & ~ZROCE_MR_ACCESS) {
		zroce_dbg(zdev, "access 0x%x not supported\n", access);
		return ERR_PTR(-EOPNOTSUPP);
	}
	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);
	mr->ibmr.pd = ibpd;	/* ib_core stores the same pd again */
	mr->access = access;
	mr->valid = true;
	refcount_set(&mr->ref, 1);
	init_completion(&mr->released);
	return mr;
}

/* A new MR with a key whose index is reserved: lookups find nothing yet. */
struct zroce_mr *zroce_alloc_mr_key(struct zroce_dev *zdev,
				    struct ib_pd *ibpd, int access)
{
	struct zroce_mr *mr;
	u32 index;
	int err;

	mr = zroce_mr_new(zdev, ibpd, access);
	if (IS_ERR(mr))
		return mr;
	err = xa_alloc(&zdev->mrs, &index, NULL, XA_LIMIT(1, ZROCE_MAX_MR),
		       GFP_KERNEL);
	if (err) {
		kfree(mr);
		return ERR_PTR(err == -EBUSY ? -ENOMEM : err);
	}
	mr->ibmr.lkey = index << 8 | get_random_u8();
	mr->ibmr.rkey = mr->ibmr.lkey;
	return mr;
}

void zroce_free_mr_key(struct zroce_dev *zdev, struct zroce_mr *mr)
{
	xa_erase(&zdev->mrs, zroce_mr_index(mr));
	kfree(mr);
}

/* Make a complete MR the one its key finds, in place of the slot's entry. */
void zroce_mr_publish(struct zroce_dev *zdev, struct zroce_mr *mr)
{
	void *prev;

	/* The slot exists, so the store allocates nothing. */
	prev = xa_store(&zdev->mrs, zroce_mr_index(mr), mr, GFP_KERNEL);
	WARN_ON_ONCE(xa_is_err(prev));
}

/* The pinned pages of umem in order, for the data path. */
static int zroce_mr_map_pages(struct zroce_mr *mr, struct ib_umem *umem)
{
	struct sg_page_iter iter;
	u32 i = 0;

	mr->npages = ib_umem_num_pages(umem);
	mr->page_off = ib_umem_offset(umem);
	mr->pages = kvmalloc_array(mr->npages, sizeof(*mr->pages), GFP_KERNEL);
	if (!mr->pages)
		return -ENOMEM;
	for_each_sgtable_page(&umem->sgt_append.sgt, &iter, 0) {
		if (WARN_ON_ONCE(i >= mr->npages))
			break;
		mr->pages[i++] = sg_page_iter_page(&iter);
	}
	return 0;
}

/*
 * Pin [start, start + length) of the process as the MR's iova onwards,
 * or, for an ODP MR, watch it (odp.c).
 */
static int zroce_mr_pin(struct zroce_mr *mr, u64 start, u64 length,
			u64 iova)
{
	struct ib_umem *umem;
	int err;

	if (zroce_mr_is_implicit(start, length)) {
		if (!(mr->access & IB_ACCESS_ON_DEMAND) || iova)
			return -EINVAL;
	} else if (!length || iova + length < iova) {
		return -EINVAL;
	}
	if (mr->access & IB_ACCESS_ON_DEMAND) {
		err = zroce_odp_init(mr, start, length);
		if (err)
			return err;
		goto out;
	}
	umem = ib_umem_get(mr->ibmr.pd->device, start, length, mr->access);
	if (IS_ERR(umem))
		return PTR_ERR(umem);
	err = zroce_mr_map_pages(mr, umem);
	if (err) {
		ib_umem_release(umem);
		return err;
	}
	mr->umem = umem;
out:
	mr->ibmr.iova = iova;
	mr->ibmr.length = length;
	mr->ibmr.page_size = PAGE_SIZE;
	return 0;
}

static void zroce_mr_unpin(struct zroce_mr *mr)
{
	if (mr->odp) {
		zroce_odp_destroy(mr);
		return;
	}
	kvfree(mr->pages);
	ib_umem_release(mr->umem);
}

struct ib_mr *zroce_get_dma_mr(struct ib_pd *ibpd, int access)
{
	struct zroce_dev *zdev = to_zdev(ibpd->device);
	struct zroce_mr *mr;

	mr = zroce_alloc_mr_key(zdev, ibpd, access);
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	mr->ibmr.length = U64_MAX;
	zroce_mr_publish(zdev, mr);
	return &mr->ibmr;
}

struct ib_mr *zroce_reg_user_mr(struct ib_pd *ibpd, u64 start, u64 length,
				u64 iova, int access, struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibpd->device);
	struct zroce_mr *mr;
	int err;

	mr = zroce_alloc_mr_key(zdev, ibpd, access);
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	err = zroce_mr_pin(mr, start, length, iova);
	if (err)
		goto err_free_key;
	zroce_mr_publish(zdev, mr);
	return &mr->ibmr;

err_free_key:
	zroce_free_mr_key(zdev, mr);
	return ERR_PTR(err);
}

/* mr takes over old's pinned pages and translation. */
static void zroce_mr_share_pages(struct zroce_mr *mr, struct zroce_mr *old)
{
	mr->umem = old->umem;
	mr->pages = old->pages;
	mr->npages = old->npages;
	mr->page_off = old->page_off;
	mr->ibmr.iova = old->ibmr.iova;
	mr->ibmr.length = old->ibmr.length;
	mr->ibmr.page_size = old->ibmr.page_size;
}

/*
 * The pages of the MR that replaces old: new ones for a new translation,
 * and the same range again when the new rights write to memory that old
 * pinned read-only, or when either is ODP (which costs no pinning, and
 * keeps each ODP table with one MR); otherwise old's.
 */
static int zroce_mr_rereg_pages(struct zroce_mr *mr, struct zroce_mr *old,
				int flags, u64 start, u64 length, u64 iova)
{
	struct ib_umem *umem = old->umem;
	bool odp = old->odp || (mr->access & IB_ACCESS_ON_DEMAND);

	if (!(flags & IB_MR_REREG_TRANS)) {
		if (!odp &&
		    (umem->writable || !ib_access_writable(mr->access))) {
			zroce_mr_share_pages(mr, old);
			return 0;
		}
		length = old->ibmr.length;
		start = zroce_mr_is_implicit(old->ibmr.iova, length) ? 0 :
			umem->address;
		iova = old->ibmr.iova;
	}
	return zroce_mr_pin(mr, start, length, iova);
}

/*
 * old's pages went to the MR that replaced it.  Once no lookup can still
 * be using old, it lets go of them, so that destroying it frees nothing
 * of its successor.
 */
static void zroce_mr_disown_pages(struct zroce_mr *old)
{
	synchronize_rcu();
	old->umem = NULL;
	old->pages = NULL;
}

/*
 * uverbs serialises this with every other rereg and the dereg of ibmr.
 * Returning the new MR makes ib_core move the handle to it and destroy
 * ibmr through zroce_dereg_mr(), which leaves the slot to the new MR.
 */
struct ib_mr *zroce_rereg_user_mr(struct ib_mr *ibmr, int flags, u64 start,
				  u64 length, u64 iova, int access,
				  struct ib_pd *ibpd, struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibmr->device);
	struct zroce_mr *old = to_zmr(ibmr);
	struct zroce_mr *mr;
	int err;

	if (atomic_read(&old->mw_binds))
		return ERR_PTR(-EBUSY);	/* windows use this MR */
	if (!(flags & IB_MR_REREG_ACCESS))
		access = old->access;
	/* ibpd: the new pd, or the old one */
	mr = zroce_mr_new(zdev, ibpd, access);
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	mr->ibmr.lkey = ibmr->lkey;
	mr->ibmr.rkey = ibmr->rkey;
	err = zroce_mr_rereg_pages(mr, old, flags, start, length, iova);
	if (err) {
		kfree(mr);
		return ERR_PTR(err);
	}

	zroce_mr_publish(zdev, mr);
	if (mr->umem == old->umem)
		zroce_mr_disown_pages(old);
	return &mr->ibmr;
}

int zroce_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata)
{
	struct zroce_mr *mr = to_zmr(ibmr);

	if (atomic_read(&mr->mw_binds))
		return -EBUSY;	/* invalidate the windows on it first */
	/* After a rereg the slot holds the successor: leave it alone. */
	xa_cmpxchg(&to_zdev(ibmr->device)->mrs, zroce_mr_index(mr), mr, NULL,
		   GFP_KERNEL);
	/* the data path uses an MR only inside an RCU read section */
	synchronize_rcu();
	/* and ODP faults hold a reference */
	zroce_mr_put(mr);
	wait_for_completion(&mr->released);
	zroce_mr_unpin(mr);
	kfree(mr);
	return 0;
}

/*
 * The MR a key names, if it is of pd, grants access and covers
 * [va, va + len).  Local keys match lkey; remote ones, for an access by
 * QP rqp, rkey, or they name a window bound to such a range.  The caller
 * holds the RCU read lock for as long as it uses the MR.
 */
struct zroce_mr *zroce_mr_lookup(struct zroce_dev *zdev, u32 key,
				 struct ib_pd *pd, int access, u64 va, u32 len,
				 const struct zroce_qp *rqp)
{
	void *entry;
	struct zroce_mr *mr;
	u64 end = va + len;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "MR used outside RCU");
	entry = xa_load(&zdev->mrs, key >> 8);
	if (xa_pointer_tag(entry))
		return rqp ? zroce_mw_lookup(entry, key, rqp, access, va, len) :
			     NULL;
	mr = entry;
	/* a fast-register MR's fields are set before it becomes valid */
	if (!mr || !smp_load_acquire(&mr->valid) ||
	    (rqp ? mr->ibmr.rkey : mr->ibmr.lkey) != key)
		return NULL;
	if (mr->ibmr.pd != pd || (mr->access & access) != access)
		return NULL;
	if (zroce_mr_is_dma(mr))
		return mr;	/* a DMA MR covers everything */
	if (end < va || va < mr->ibmr.iova ||
	    end > mr->ibmr.iova + mr->ibmr.length)
		return NULL;
	return mr;
}

/*
 * Invalidate the key rkey for qp: a fast-register MR of its PD, or a type
 * 2 window (remote: bound to qp).  LOCAL_INV and SEND with Invalidate.
 * Returns 0 or -EINVAL.
 */
int zroce_invalidate(struct zroce_qp *qp, u32 rkey, bool remote)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	void *entry;
	int err;

	rcu_read_lock();
	entry = xa_load(&zdev->mrs, rkey >> 8);
	if (xa_pointer_tag(entry))
		err = zroce_mw_invalidate(entry, rkey, qp, remote);
	else
		err = zroce_frmr_invalidate(entry, rkey, qp);
	rcu_read_unlock();
	if (err)
		zroce_dbg(zdev, "QP %u: cannot invalidate 0x%x\n",
			  qp->ibqp.qp_num, rkey);
	return err;
}
