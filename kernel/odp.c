// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * On-demand paging.  An ODP MR pins nothing: ib_umem_odp watches its range
 * with an mmu interval notifier, and zroce keeps a table with, per page,
 * the page the process maps there now, or NULL.
 *
 * The data path reads the table under odp->lock, with BH disabled, and
 * never sleeps.  A page it misses becomes this CPU's pending fault
 * (zroce_fault_take()) and the caller hands the packet or the WQE to a
 * context that may sleep (the QP's rx_work or send_work), which faults
 * the range in with ib_umem_odp_map_dma_and_lock() and tries again.  The
 * notifier clears the table under the same lock before it returns, so no
 * access reaches a page after the process stopped mapping it there.
 *
 * An implicit MR (start 0, length U64_MAX) covers the address space with
 * chunks of ZROCE_ODP_CHUNK bytes, each a child umem of its own, made the
 * first time a fault falls in a mapped part of it and kept until the MR
 * goes.  ib_umem_odp_get() is asked for 4 KiB pages even on huge pages,
 * so that one table serves every kind of memory.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <rdma/ib_umem_odp.h>
#include "zroce.h"

#define ZROCE_ODP_CHUNK_SHIFT	26	/* implicit: 64 MiB per child umem */
#define ZROCE_ODP_CHUNK		(1ULL << ZROCE_ODP_CHUNK_SHIFT)
/*
 * A fault maps this much ahead.  Small: ib_umem_odp_map_dma_and_lock()
 * walks its range again for as long as invalidations hit it, so a large
 * range in memory the process keeps changing would spin there.
 */
#define ZROCE_ODP_FAULT_AHEAD	SZ_64K

/* One umem and the pages the process maps in its range */
struct zroce_odp_map {
	struct ib_umem_odp *umem;
	struct zroce_odp *odp;
	struct page **pages;		/* under odp->lock; NULL: not mapped */
};

struct zroce_odp {
	spinlock_t lock;		/* the pages of every map */
	bool implicit;
	u64 va_end;			/* implicit: the process's task_size */
	u64 access_mask;		/* what a fault asks for */
	struct zroce_odp_map map;	/* explicit: the MR's range */
	struct ib_umem_odp *root;	/* implicit: the anchor of chunks */
	struct mutex chunk_lock;	/* implicit: makers of chunks */
	struct xarray chunks;		/* implicit: va >> SHIFT -> map */
};

/*
 * The fault the data path met on this CPU, inside one BH-off section.
 * BH-off sections of one CPU never interleave: on PREEMPT_RT too, where
 * local_bh_disable() takes the CPU's softirq lock.
 */
struct zroce_fault_cpu {
	struct zroce_fault fault;
	bool nofault;			/* a fault failed: misses are errors */
};

static DEFINE_PER_CPU(struct zroce_fault_cpu, zroce_faults);

static u32 zroce_odp_index(const struct zroce_odp_map *map, u64 uva)
{
	return (uva - ib_umem_start(map->umem)) >> PAGE_SHIFT;
}

static bool zroce_odp_invalidate(struct mmu_interval_notifier *mni,
				 const struct mmu_notifier_range *range,
				 unsigned long cur_seq)
{
	struct ib_umem_odp *umem =
		container_of(mni, struct ib_umem_odp, notifier);
	struct zroce_odp_map *map;
	unsigned long start, end;
	u32 i;

	if (!mmu_notifier_range_blockable(range))
		return false;
	mutex_lock(&umem->umem_mutex);
	mmu_interval_set_seq(mni, cur_seq);
	map = umem->private;	/* NULL: nothing was mapped yet */
	start = max(range->start, ib_umem_start(umem));
	end = min(range->end, ib_umem_end(umem));
	if (map && start < end) {
		spin_lock_bh(&map->odp->lock);
		for (i = zroce_odp_index(map, start);
		     i < zroce_odp_index(map, end - 1) + 1; i++)
			map->pages[i] = NULL;
		spin_unlock_bh(&map->odp->lock);
		ib_umem_odp_unmap_dma_pages(umem, start, end);
	}
	mutex_unlock(&umem->umem_mutex);
	return true;
}

static const struct mmu_interval_notifier_ops zroce_odp_mn_ops = {
	.invalidate = zroce_odp_invalidate,
};

static int zroce_odp_map_init(struct zroce_odp_map *map, struct zroce_odp *odp,
			      struct ib_umem_odp *umem)
{
	map->pages = kvcalloc(ib_umem_odp_num_pages(umem),
			      sizeof(*map->pages), GFP_KERNEL);
	if (!map->pages)
		return -ENOMEM;
	map->odp = odp;
	map->umem = umem;
	mutex_lock(&umem->umem_mutex);
	umem->private = map;
	mutex_unlock(&umem->umem_mutex);
	return 0;
}

/* Release the umem first: its notifier may run until then. */
static void zroce_odp_map_destroy(struct zroce_odp_map *map)
{
	ib_umem_odp_release(map->umem);
	kvfree(map->pages);
}

static struct zroce_odp *zroce_odp_alloc(int access)
{
	struct zroce_odp *odp = kzalloc(sizeof(*odp), GFP_KERNEL);

	if (!odp)
		return NULL;
	spin_lock_init(&odp->lock);
	mutex_init(&odp->chunk_lock);
	xa_init(&odp->chunks);
	odp->access_mask = ODP_READ_ALLOWED_BIT;
	if (ib_access_writable(access))
		odp->access_mask |= ODP_WRITE_ALLOWED_BIT;
	return odp;
}

/*
 * Make mr an ODP MR of [start, start + length) of the process, or of all
 * of it (start 0, length U64_MAX: implicit).  Huge pages are mapped as
 * 4 KiB pages, so IB_ACCESS_HUGETLB is only a hint.
 */
int zroce_odp_init(struct zroce_mr *mr, u64 start, u64 length)
{
	struct ib_device *ibdev = mr->ibmr.pd->device;
	int access = mr->access & ~IB_ACCESS_HUGETLB;
	struct ib_umem_odp *umem;
	struct zroce_odp *odp;
	int err;

	odp = zroce_odp_alloc(access);
	if (!odp)
		return -ENOMEM;
	odp->implicit = zroce_mr_is_implicit(start, length);
	if (odp->implicit) {
		umem = ib_umem_odp_alloc_implicit(ibdev, access);
		if (IS_ERR(umem)) {
			err = PTR_ERR(umem);
			goto err_free;
		}
		odp->root = umem;
		/* chunks are made in it later; the root does not hold it */
		mmgrab(umem->umem.owning_mm);
		odp->va_end = umem->umem.owning_mm->task_size;
	} else {
		umem = ib_umem_odp_get(ibdev, start, length, access,
				       &zroce_odp_mn_ops);
		if (IS_ERR(umem)) {
			err = PTR_ERR(umem);
			goto err_free;
		}
		err = zroce_odp_map_init(&odp->map, odp, umem);
		if (err)
			goto err_release;
		mr->pages = odp->map.pages;
		mr->npages = ib_umem_odp_num_pages(umem);
		mr->page_off = ib_umem_offset(&umem->umem);
	}
	mr->umem = &umem->umem;
	mr->odp = odp;
	return 0;

err_release:
	ib_umem_odp_release(umem);
err_free:
	kfree(odp);
	return err;
}

/* The data path is done with mr: no lookup, no fault, no prefetch. */
void zroce_odp_destroy(struct zroce_mr *mr)
{
	struct zroce_odp *odp = mr->odp;
	struct zroce_odp_map *map;
	unsigned long idx;

	if (!odp->implicit) {
		zroce_odp_map_destroy(&odp->map);
	} else {
		xa_for_each(&odp->chunks, idx, map) {
			zroce_odp_map_destroy(map);
			kfree(map);
		}
		xa_destroy(&odp->chunks);
		mmdrop(odp->root->umem.owning_mm);
		ib_umem_odp_release(odp->root);
	}
	mutex_destroy(&odp->chunk_lock);
	kfree(odp);
	mr->odp = NULL;
	mr->pages = NULL;
	mr->umem = NULL;
}

/* The page of va in an ODP MR (va in MR space), or NULL; under odp->lock */
static struct page *zroce_odp_page(struct zroce_mr *mr, u64 va)
{
	struct zroce_odp_map *map;

	if (!mr->odp->implicit)
		return mr->pages[(va - mr->ibmr.iova + mr->page_off) >>
				 PAGE_SHIFT];
	map = xa_load(&mr->odp->chunks, va >> ZROCE_ODP_CHUNK_SHIFT);
	return map ? map->pages[zroce_odp_index(map, va)] : NULL;
}

/* The page of va for the data path, which zroce_odp_begin() checked. */
struct page *zroce_odp_implicit_page(struct zroce_mr *mr, u64 va)
{
	lockdep_assert_held(&mr->odp->lock);
	return zroce_odp_page(mr, va);
}

static int zroce_fault_note(struct zroce_mr *mr, u64 va, u64 len)
{
	struct zroce_fault_cpu *fc = this_cpu_ptr(&zroce_faults);

	if (fc->nofault)
		return -EFAULT;
	if (fc->fault.mr)
		return -EAGAIN;	/* the first miss is served first */
	if (!refcount_inc_not_zero(&mr->ref))
		return -EFAULT;	/* being deregistered */
	fc->fault.mr = mr;
	fc->fault.va = va;
	fc->fault.len = len;
	return -EAGAIN;
}

/*
 * Hold [va, va + len) of an ODP MR mapped for the data path, which must
 * have BH disabled: 0 with odp->lock held until zroce_mr_access_end(),
 * -EAGAIN with the first missing page noted as this CPU's fault, or
 * -EFAULT if it may not be faulted in.
 */
int zroce_odp_begin(struct zroce_mr *mr, u64 va, u32 len)
{
	u64 end = va + len, p;

	lockdep_assert_in_softirq();
	if (mr->odp->implicit && end > mr->odp->va_end)
		return -EFAULT;	/* beyond what a process can map */
	spin_lock(&mr->odp->lock);
	for (p = va & PAGE_MASK; p < end; p += PAGE_SIZE) {
		if (!zroce_odp_page(mr, p)) {
			spin_unlock(&mr->odp->lock);
			p = max(p, va);
			return zroce_fault_note(mr, p, end - p);
		}
	}
	return 0;
}

/* Take this CPU's pending fault, if any, into f; BH disabled. */
bool zroce_fault_take(struct zroce_fault *f)
{
	struct zroce_fault_cpu *fc = this_cpu_ptr(&zroce_faults);

	lockdep_assert_in_softirq();
	*f = fc->fault;
	fc->fault.mr = NULL;
	return f->mr;
}

/*
 * While set (BH disabled), a missing page is an access error: the fault
 * for it failed, the process does not map it.
 */
bool zroce_fault_forbid(bool forbid)
{
	bool was = this_cpu_read(zroce_faults.nofault);

	lockdep_assert_in_softirq();
	this_cpu_write(zroce_faults.nofault, forbid);
	return was;
}

void zroce_fault_put(struct zroce_fault *f)
{
	if (f->mr)
		zroce_mr_put(f->mr);
	f->mr = NULL;
}

/* Whether the process maps anything at va: chunks are made only there. */
static bool zroce_odp_va_mapped(struct mm_struct *mm, u64 va)
{
	bool mapped;

	if (!mmget_not_zero(mm))
		return false;
	mmap_read_lock(mm);
	mapped = vma_lookup(mm, va);
	mmap_read_unlock(mm);
	mmput(mm);
	return mapped;
}

/* The chunk of an implicit MR that holds va, made if needed. */
static struct zroce_odp_map *zroce_odp_chunk(struct zroce_odp *odp, u64 va)
{
	unsigned long idx = va >> ZROCE_ODP_CHUNK_SHIFT;
	u64 start = (u64)idx << ZROCE_ODP_CHUNK_SHIFT;
	struct ib_umem_odp *umem;
	struct zroce_odp_map *map;
	int err;

	if (va >= odp->va_end)
		return ERR_PTR(-EFAULT);
	map = xa_load(&odp->chunks, idx);
	if (map)
		return map;
	if (!zroce_odp_va_mapped(odp->root->umem.owning_mm, va))
		return ERR_PTR(-EFAULT);
	mutex_lock(&odp->chunk_lock);
	map = xa_load(&odp->chunks, idx);
	if (map)
		goto out_unlock;
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map) {
		map = ERR_PTR(-ENOMEM);
		goto out_unlock;
	}
	umem = ib_umem_odp_alloc_child(odp->root, start,
				       min(ZROCE_ODP_CHUNK, odp->va_end - start),
				       &zroce_odp_mn_ops);
	if (IS_ERR(umem)) {
		err = PTR_ERR(umem);
		goto err_free;
	}
	err = zroce_odp_map_init(map, odp, umem);
	if (err)
		goto err_release;
	err = xa_err(xa_store(&odp->chunks, idx, map, GFP_KERNEL));
	if (err) {
		zroce_odp_map_destroy(map);	/* its notifier first */
		goto err_free;
	}
out_unlock:
	mutex_unlock(&odp->chunk_lock);
	return map;

err_release:
	ib_umem_odp_release(umem);
err_free:
	kfree(map);
	mutex_unlock(&odp->chunk_lock);
	return ERR_PTR(err);
}

/*
 * Map [uva, uva + len) of map's umem for the data path: fault the pages
 * in, or with fault false take only those the process maps already.
 */
static int zroce_odp_map_range(struct zroce_odp_map *map, u64 uva, u64 len,
			       bool fault)
{
	struct ib_umem_odp *umem = map->umem;
	u64 mask = map->odp->access_mask;
	u32 i, first, last;
	dma_addr_t dma;
	int ret;

	ret = ib_umem_odp_map_dma_and_lock(umem, uva, len, mask, fault);
	if (ret < 0)
		return ret;
	first = zroce_odp_index(map, uva);
	last = zroce_odp_index(map, uva + len - 1);
	spin_lock_bh(&map->odp->lock);
	for (i = first; i <= last; i++) {
		dma = umem->dma_list[i];
		/* a virtual DMA address is the page's kernel address */
		map->pages[i] = (dma & mask) == mask ?
			virt_to_page((void *)(uintptr_t)(dma &
							 ODP_DMA_ADDR_MASK)) :
			NULL;
	}
	spin_unlock_bh(&map->odp->lock);
	mutex_unlock(&umem->umem_mutex);
	return 0;
}

/* Map [va, va + len) of mr (MR space), which its range holds. */
static int zroce_odp_map_mr(struct zroce_mr *mr, u64 va, u64 len, bool fault)
{
	struct zroce_odp *odp = mr->odp;
	struct zroce_odp_map *map;
	u64 end = va + len, next;
	int err;

	if (!odp->implicit)
		return zroce_odp_map_range(&odp->map, va - mr->ibmr.iova +
					   mr->umem->address, len, fault);
	for (; va < end; va = next) {
		next = min(end, round_down(va, ZROCE_ODP_CHUNK) +
				ZROCE_ODP_CHUNK);
		map = zroce_odp_chunk(odp, va);
		if (IS_ERR(map))
			return PTR_ERR(map);
		err = zroce_odp_map_range(map, va, next - va, fault);
		if (err)
			return err;
	}
	return 0;
}

/* The end of what a fault at va maps: some way ahead, inside the MR. */
static u64 zroce_odp_ahead(struct zroce_mr *mr, u64 va, u64 end)
{
	u64 mr_end = mr->odp->implicit ? mr->odp->va_end :
		     mr->ibmr.iova + mr->ibmr.length;

	return max(end, min(va + ZROCE_ODP_FAULT_AHEAD, mr_end));
}

/*
 * Serve a fault the data path noted; may sleep.  A few pages after the
 * range are mapped too, as the next packets will want them; if that
 * fails (the process maps less), only the range that was asked.
 */
int zroce_odp_fault(const struct zroce_fault *f)
{
	struct zroce_mr *mr = f->mr;
	u64 end = f->va + f->len, ahead = zroce_odp_ahead(mr, f->va, end);
	int err;

	might_sleep();
	zroce_count(to_zdev(mr->ibmr.device), ZROCE_CNT_ODP_FAULTS, 1);
	err = zroce_odp_map_mr(mr, f->va, ahead - f->va, true);
	if (err && ahead != end)
		err = zroce_odp_map_mr(mr, f->va, f->len, true);
	if (err)
		zroce_dbg(to_zdev(mr->ibmr.device),
			  "MR 0x%x: fault at 0x%llx+%llu failed: %d\n",
			  mr->ibmr.lkey, f->va, f->len, err);
	/* invalidated all along (-EBUSY): the access will try again */
	return err == -EBUSY ? 0 : err;
}

struct zroce_fault_work {
	struct work_struct work;
	struct zroce_fault fault;
};

static void zroce_fault_work_fn(struct work_struct *work)
{
	struct zroce_fault_work *fw =
		container_of(work, struct zroce_fault_work, work);

	zroce_odp_fault(&fw->fault);
	zroce_fault_put(&fw->fault);
	kfree(fw);
}

/*
 * Serve this CPU's pending fault, if any, in the background: for a path
 * that drops what it could not do (a datagram, a READ response) and
 * counts on the peer or a retry to ask again.
 */
void zroce_fault_defer(void)
{
	struct zroce_fault_work *fw;
	struct zroce_fault f;

	if (!zroce_fault_take(&f))
		return;
	fw = kmalloc(sizeof(*fw), GFP_ATOMIC);
	if (!fw) {
		zroce_fault_put(&f);
		return;
	}
	fw->fault = f;
	INIT_WORK(&fw->work, zroce_fault_work_fn);
	queue_work(zroce_wq, &fw->work);
}

void zroce_odp_end(struct zroce_mr *mr)
{
	spin_unlock(&mr->odp->lock);
}

/* Ranges of ODP MRs to map, each holding a reference on its MR */
struct zroce_prefetch {
	struct work_struct work;
	bool fault;
	u32 num;
	struct zroce_fault range[];
};

/* Map the ranges unless !map, let go of them; the first error in *err. */
static void zroce_prefetch_run(struct zroce_prefetch *pf, bool map, int *err)
{
	struct zroce_fault *r;
	int ret;

	for (r = pf->range; r < pf->range + pf->num; r++) {
		ret = map ? zroce_odp_map_mr(r->mr, r->va, r->len, pf->fault) :
			    0;
		if (ret && err && !*err)
			*err = ret;
		zroce_fault_put(r);
	}
	kfree(pf);
}

static void zroce_prefetch_work(struct work_struct *work)
{
	zroce_prefetch_run(container_of(work, struct zroce_prefetch, work),
			   true, NULL);
}

/*
 * The ranges of sg_list, each in an ODP MR of pd that allows access; a
 * reference held on each MR.
 */
static int zroce_prefetch_ranges(struct zroce_prefetch *pf,
				 struct ib_pd *pd, int access,
				 const struct ib_sge *sg_list, u32 num_sge)
{
	struct zroce_dev *zdev = to_zdev(pd->device);
	struct zroce_mr *mr;
	u32 i;

	rcu_read_lock();
	for (i = 0; i < num_sge; i++) {
		if (!sg_list[i].length)
			continue;
		mr = zroce_mr_lookup(zdev, sg_list[i].lkey, pd, access,
				     sg_list[i].addr, sg_list[i].length, NULL);
		if (!mr || !mr->odp || !refcount_inc_not_zero(&mr->ref))
			break;
		pf->range[pf->num].mr = mr;
		pf->range[pf->num].va = sg_list[i].addr;
		pf->range[pf->num++].len = sg_list[i].length;
	}
	rcu_read_unlock();
	return i == num_sge ? 0 : -EINVAL;
}

/*
 * ibv_advise_mr(): map the ranges now (IB_UVERBS_ADVISE_MR_FLAG_FLUSH) or
 * in the background; PREFETCH_NO_FAULT takes only the pages the process
 * maps already.
 */
int zroce_advise_mr(struct ib_pd *ibpd,
		    enum ib_uverbs_advise_mr_advice advice, u32 flags,
		    struct ib_sge *sg_list, u32 num_sge,
		    struct uverbs_attr_bundle *attrs)
{
	int access = advice == IB_UVERBS_ADVISE_MR_ADVICE_PREFETCH_WRITE ?
		     IB_ACCESS_LOCAL_WRITE : 0;
	struct zroce_prefetch *pf;
	int err;

	if (advice != IB_UVERBS_ADVISE_MR_ADVICE_PREFETCH &&
	    advice != IB_UVERBS_ADVISE_MR_ADVICE_PREFETCH_WRITE &&
	    advice != IB_UVERBS_ADVISE_MR_ADVICE_PREFETCH_NO_FAULT)
		return -EOPNOTSUPP;
	if (flags & ~IB_UVERBS_ADVISE_MR_FLAG_FLUSH)
		return -EOPNOTSUPP;
	pf = kzalloc(struct_size(pf, range, num_sge), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	pf->fault = advice != IB_UVERBS_ADVISE_MR_ADVICE_PREFETCH_NO_FAULT;
	err = zroce_prefetch_ranges(pf, ibpd, access, sg_list, num_sge);
	if (err || (flags & IB_UVERBS_ADVISE_MR_FLAG_FLUSH)) {
		zroce_prefetch_run(pf, !err, &err);
		return err;
	}
	INIT_WORK(&pf->work, zroce_prefetch_work);
	queue_work(zroce_wq, &pf->work);
	return 0;
}
