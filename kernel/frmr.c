// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Fast-register MRs of kernel ULPs (IB_MR_TYPE_MEM_REG): allocated free,
 * given a page list by map_mr_sg, made valid with a key and rights by a
 * REG_MR WQE, and freed again by LOCAL_INV or a SEND with Invalidate.
 * Its fields change only while it is not valid, and zroce_mr_lookup()
 * reads them only after it has seen it valid.
 */
#include "zroce.h"

struct ib_mr *zroce_alloc_mr(struct ib_pd *ibpd, enum ib_mr_type type,
			     u32 max_num_sg)
{
	struct zroce_dev *zdev = to_zdev(ibpd->device);
	struct zroce_mr *mr;

	if (type != IB_MR_TYPE_MEM_REG)
		return ERR_PTR(-EOPNOTSUPP);
	if (!max_num_sg || max_num_sg > ZROCE_FRMR_MAX_PAGES)
		return ERR_PTR(-EINVAL);
	mr = zroce_alloc_mr_key(zdev, ibpd, 0);
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	mr->pages = kvcalloc(max_num_sg, sizeof(*mr->pages), GFP_KERNEL);
	if (!mr->pages) {
		zroce_free_mr_key(zdev, mr);
		return ERR_PTR(-ENOMEM);
	}
	mr->max_pages = max_num_sg;
	mr->valid = false;
	zroce_mr_publish(zdev, mr);
	return &mr->ibmr;
}

/* One page of the list: a kernel address, as DMA is virtual here */
static int zroce_frmr_set_page(struct ib_mr *ibmr, u64 addr)
{
	struct zroce_mr *mr = to_zmr(ibmr);

	if (mr->npages == mr->max_pages)
		return -ENOMEM;
	mr->pages[mr->npages++] = virt_to_page((void *)(uintptr_t)addr);
	return 0;
}

int zroce_map_mr_sg(struct ib_mr *ibmr, struct scatterlist *sg, int sg_nents,
		    unsigned int *sg_offset)
{
	struct zroce_mr *mr = to_zmr(ibmr);
	int n;

	if (ibmr->page_size != PAGE_SIZE)
		return -EINVAL;
	mr->npages = 0;
	n = ib_sg_to_pages(ibmr, sg, sg_nents, sg_offset, zroce_frmr_set_page);
	mr->page_off = ibmr->iova & ~PAGE_MASK;
	return n;
}

/*
 * Execute a REG_MR WQE of a kernel QP: the free MR named by wr.bind.rkey
 * becomes valid with the key new_rkey and rights access.  Returns 0 or a
 * completion status.
 */
int zroce_frmr_reg(struct zroce_qp *qp, const struct zroce_send_wqe *wqe)
{
	struct zroce_dev *zdev = to_zdev(qp->ibqp.device);
	struct zroce_mr *mr;
	int status = IB_WC_LOC_QP_OP_ERR;

	rcu_read_lock();
	mr = xa_load(&zdev->mrs, wqe->wr.bind.rkey >> 8);
	if (mr && !xa_pointer_tag(mr) && mr->max_pages && !mr->valid &&
	    mr->ibmr.pd == qp->ibqp.pd &&
	    (wqe->wr.bind.new_rkey >> 8) == (wqe->wr.bind.rkey >> 8)) {
		mr->access = wqe->wr.bind.access;
		mr->ibmr.lkey = wqe->wr.bind.new_rkey;
		mr->ibmr.rkey = wqe->wr.bind.new_rkey;
		smp_store_release(&mr->valid, true);
		status = 0;
	}
	rcu_read_unlock();
	return status;
}

/* Invalidate fast-register MR entry with key rkey for qp: 0 or -EINVAL. */
int zroce_frmr_invalidate(void *entry, u32 rkey, struct zroce_qp *qp)
{
	struct zroce_mr *mr = entry;

	if (!mr || !mr->max_pages || !READ_ONCE(mr->valid) ||
	    mr->ibmr.rkey != rkey || mr->ibmr.pd != qp->ibqp.pd)
		return -EINVAL;
	WRITE_ONCE(mr->valid, false);
	return 0;
}
