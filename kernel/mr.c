// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Memory regions.  A key is the MR's index in zdev->mrs shifted left by
 * eight bits, with a random low byte so that a stale key rarely matches
 * the next MR that reuses the index.
 */
#include <linux/random.h>
#include <rdma/ib_umem.h>
#include "zroce.h"

#define ZROCE_MR_ACCESS (IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE | \
			 IB_ACCESS_REMOTE_READ | IB_ACCESS_REMOTE_ATOMIC | \
			 IB_ACCESS_MW_BIND | IB_ACCESS_RELAXED_ORDERING)

#define ZROCE_MR_REMOTE (IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ | \
			 IB_ACCESS_REMOTE_ATOMIC)

static struct zroce_mr *zroce_alloc_mr_key(struct zroce_dev *zdev, int access)
{
	struct zroce_mr *mr;
	u32 index;
	int err;

	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);
	err = xa_alloc(&zdev->mrs, &index, mr, XA_LIMIT(1, ZROCE_MAX_MR),
		       GFP_KERNEL);
	if (err) {
		kfree(mr);
		return ERR_PTR(err == -EBUSY ? -ENOMEM : err);
	}
	mr->access = access;
	mr->ibmr.lkey = index << 8 | get_random_u8();
	mr->ibmr.rkey = access & ZROCE_MR_REMOTE ? mr->ibmr.lkey : 0;
	return mr;
}

/* The pinned pages of the MR in order, for the data path. */
static int zroce_mr_map_pages(struct zroce_mr *mr)
{
	struct ib_umem *umem = mr->umem;
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

struct ib_mr *zroce_get_dma_mr(struct ib_pd *ibpd, int access)
{
	struct zroce_mr *mr;

	if (access & ~ZROCE_MR_ACCESS)
		return ERR_PTR(-EOPNOTSUPP);
	mr = zroce_alloc_mr_key(to_zdev(ibpd->device), access);
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	mr->ibmr.length = U64_MAX;
	return &mr->ibmr;
}

struct ib_mr *zroce_reg_user_mr(struct ib_pd *ibpd, u64 start, u64 length,
				u64 iova, int access, struct ib_udata *udata)
{
	struct zroce_dev *zdev = to_zdev(ibpd->device);
	struct ib_umem *umem;
	struct zroce_mr *mr;
	int err;

	if (access & ~ZROCE_MR_ACCESS) {
		zroce_dbg(zdev, "access 0x%x not supported\n", access);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!length || iova + length < iova)
		return ERR_PTR(-EINVAL);

	umem = ib_umem_get(ibpd->device, start, length, access);
	if (IS_ERR(umem))
		return ERR_CAST(umem);

	mr = zroce_alloc_mr_key(zdev, access);
	if (IS_ERR(mr)) {
		ib_umem_release(umem);
		return ERR_CAST(mr);
	}
	mr->umem = umem;
	err = zroce_mr_map_pages(mr);
	if (err) {
		xa_erase(&zdev->mrs, mr->ibmr.lkey >> 8);
		ib_umem_release(umem);
		kfree(mr);
		return ERR_PTR(err);
	}
	mr->ibmr.iova = iova;
	mr->ibmr.length = length;
	mr->ibmr.page_size = PAGE_SIZE;
	return &mr->ibmr;
}

int zroce_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata)
{
	struct zroce_mr *mr = to_zmr(ibmr);

	xa_erase(&to_zdev(ibmr->device)->mrs, ibmr->lkey >> 8);
	/* the data path uses an MR only inside an RCU read section */
	synchronize_rcu();
	kvfree(mr->pages);
	ib_umem_release(mr->umem);
	kfree(mr);
	return 0;
}

/*
 * The MR a key names, if it is of pd, grants access and covers
 * [va, va + len).  Local keys match lkey, remote ones rkey.  The caller
 * holds the RCU read lock for as long as it uses the MR.
 */
struct zroce_mr *zroce_mr_lookup(struct zroce_dev *zdev, u32 key,
				 struct ib_pd *pd, int access, u64 va, u32 len,
				 bool remote)
{
	struct zroce_mr *mr;
	u64 end = va + len;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "MR used outside RCU");
	mr = xa_load(&zdev->mrs, key >> 8);
	if (!mr || (remote ? mr->ibmr.rkey : mr->ibmr.lkey) != key)
		return NULL;
	if (mr->ibmr.pd != pd || (mr->access & access) != access)
		return NULL;
	if (!mr->umem)
		return mr;	/* a DMA MR covers everything */
	if (end < va || va < mr->ibmr.iova ||
	    end > mr->ibmr.iova + mr->ibmr.length)
		return NULL;
	return mr;
}
