// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Moving bytes in and out of a memory region: from a received skb (the one
 * copy of the RX path), into a packet as page fragments (no copy on TX),
 * and to or from a small kernel buffer.  zroce_mr_lookup() has checked the
 * range and zroce_mr_access_begin() holds the pages of an ODP MR; the
 * caller holds the RCU read lock.  A DMA MR (no pages) holds kernel
 * addresses; only pinned user pages leave as fragments.
 */
#include <linux/highmem.h>
#include "zroce.h"

/* The page of va and the offset in it; the MR has pages. */
static struct page *zroce_mr_page(struct zroce_mr *mr, u64 va, u32 *pgoff)
{
	u64 off = va - mr->ibmr.iova + mr->page_off;

	*pgoff = off & ~PAGE_MASK;
	if (unlikely(!mr->pages))
		return zroce_odp_implicit_page(mr, va);
	return mr->pages[off >> PAGE_SHIFT];
}

int zroce_mr_from_skb(struct zroce_mr *mr, u64 va, const struct sk_buff *skb,
		      u32 off, u32 len)
{
	struct page *page;
	u32 pgoff, n;
	void *addr;
	int err;

	if (zroce_mr_is_dma(mr))
		return skb_copy_bits(skb, off, (void *)(uintptr_t)va, len);
	while (len) {
		page = zroce_mr_page(mr, va, &pgoff);
		n = min_t(u32, len, PAGE_SIZE - pgoff);
		addr = kmap_local_page(page);
		err = skb_copy_bits(skb, off, addr + pgoff, n);
		kunmap_local(addr);
		if (err)
			return err;
		va += n;
		off += n;
		len -= n;
	}
	return 0;
}

int zroce_mr_copy(struct zroce_mr *mr, u64 va, void *buf, u32 len,
		  bool to_mr)
{
	struct page *page;
	u32 pgoff, n;
	void *addr;

	if (zroce_mr_is_dma(mr)) {
		addr = (void *)(uintptr_t)va;
		memcpy(to_mr ? addr : buf, to_mr ? buf : addr, len);
		return 0;
	}
	while (len) {
		page = zroce_mr_page(mr, va, &pgoff);
		n = min_t(u32, len, PAGE_SIZE - pgoff);
		addr = kmap_local_page(page) + pgoff;
		if (to_mr)
			memcpy(addr, buf, n);
		else
			memcpy(buf, addr, n);
		kunmap_local(addr);
		va += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Pages [va, va + len) span, as fragments. */
static u32 zroce_mr_nr_frags(struct zroce_mr *mr, u64 va, u32 len)
{
	u32 pgoff;

	zroce_mr_page(mr, va, &pgoff);
	return DIV_ROUND_UP(pgoff + len, PAGE_SIZE);
}

/*
 * Attach [va, va + len) to skb as page fragments, each holding a page
 * reference, and run crc over them unless it is NULL.  Leaves one slot
 * for the trailer.
 */
int zroce_mr_to_frags(struct zroce_mr *mr, u64 va, u32 len,
		      struct sk_buff *skb, u32 *crc)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	struct page *page;
	u32 pgoff, n;
	void *addr;

	if (!mr->umem ||
	    sh->nr_frags + zroce_mr_nr_frags(mr, va, len) >= MAX_SKB_FRAGS)
		return -EMSGSIZE;
	while (len) {
		page = zroce_mr_page(mr, va, &pgoff);
		n = min_t(u32, len, PAGE_SIZE - pgoff);
		if (crc) {
			addr = kmap_local_page(page);
			*crc = zroce_crc32(*crc, addr + pgoff, n);
			kunmap_local(addr);
		}
		get_page(page);
		skb_fill_page_desc(skb, sh->nr_frags, page, pgoff, n);
		skb->len += n;
		skb->data_len += n;
		skb->truesize += n;
		va += n;
		len -= n;
	}
	return 0;
}

/* Map the 8 bytes at va for an atomic; va is 8-byte aligned. */
u64 *zroce_mr_atomic_map(struct zroce_mr *mr, u64 va, struct page **page)
{
	u32 pgoff;

	if (zroce_mr_is_dma(mr)) {
		*page = NULL;
		return (u64 *)(uintptr_t)va;
	}
	*page = zroce_mr_page(mr, va, &pgoff);
	return kmap_local_page(*page) + pgoff;
}
