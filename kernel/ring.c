// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Rings shared with the provider: vmalloc_user memory handed to the process
 * through rdma_user_mmap entries.  For a user object the mmap entry owns the
 * buffer; the pages a process mapped keep their own references, so they
 * outlive the object until the process unmaps them.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <rdma/uverbs_ioctl.h>
#include "zroce.h"

struct zroce_mmap_entry {
	struct rdma_user_mmap_entry rdma;
	void *buf;
};

int zroce_ring_init(struct zroce_ring *ring, u32 num_slots, u32 slot_size)
{
	u64 bytes = PAGE_ALIGN(zroce_ring_bytes(num_slots, slot_size));

	if (!zroce_is_pow2(num_slots) || !zroce_is_pow2(slot_size) ||
	    bytes > U32_MAX)
		return -EINVAL;

	ring->buf = vmalloc_user(bytes);
	if (!ring->buf)
		return -ENOMEM;
	ring->num_slots = num_slots;
	ring->slot_size = slot_size;
	ring->kidx = 0;
	ring->mentry = NULL;
	return 0;
}

static u32 zroce_ring_mapped_bytes(const struct zroce_ring *ring)
{
	return PAGE_ALIGN(zroce_ring_bytes(ring->num_slots, ring->slot_size));
}

/* Hand the ring to the process of udata; fills info for the response. */
int zroce_ring_publish(struct zroce_ring *ring, struct ib_udata *udata,
		       struct zroce_ring_info *info)
{
	struct zroce_ucontext *zuc = rdma_udata_to_drv_context(udata,
					struct zroce_ucontext, ibuc);
	struct zroce_mmap_entry *entry;
	u32 bytes = zroce_ring_mapped_bytes(ring);
	int err;

	if (!zuc)
		return -EINVAL;
	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	entry->buf = ring->buf;
	err = rdma_user_mmap_entry_insert(&zuc->ibuc, &entry->rdma, bytes);
	if (err) {
		kfree(entry);
		return err;
	}
	ring->mentry = &entry->rdma;

	memset(info, 0, sizeof(*info));
	info->mmap_offset = rdma_user_mmap_get_offset(&entry->rdma);
	info->mmap_size = bytes;
	info->num_slots = ring->num_slots;
	info->slot_size = ring->slot_size;
	return 0;
}

void zroce_ring_destroy(struct zroce_ring *ring)
{
	if (ring->mentry)
		rdma_user_mmap_entry_remove(ring->mentry);
	else
		vfree(ring->buf);
	ring->buf = NULL;
	ring->mentry = NULL;
}

/* Empty the ring: both indices back to zero. */
void zroce_ring_reset(struct zroce_ring *ring)
{
	if (!ring->buf)
		return;
	WRITE_ONCE(*zroce_ring_word(ring, ZROCE_RING_PROD_OFFSET), 0);
	WRITE_ONCE(*zroce_ring_word(ring, ZROCE_RING_CONS_OFFSET), 0);
	ring->kidx = 0;
}

u32 *zroce_ring_word(struct zroce_ring *ring, u32 offset)
{
	return ring->buf + offset;
}

void *zroce_ring_slot_addr(struct zroce_ring *ring, u32 idx)
{
	return ring->buf + zroce_ring_slot_offset(idx, ring->num_slots,
						  ring->slot_size);
}

int zroce_mmap(struct ib_ucontext *uctx, struct vm_area_struct *vma)
{
	struct rdma_user_mmap_entry *rdma;
	struct zroce_mmap_entry *entry;
	int err;

	rdma = rdma_user_mmap_entry_get(uctx, vma);
	if (!rdma)
		return -EINVAL;
	entry = container_of(rdma, struct zroce_mmap_entry, rdma);
	err = remap_vmalloc_range(vma, entry->buf, 0);
	rdma_user_mmap_entry_put(rdma);
	return err;
}

void zroce_mmap_free(struct rdma_user_mmap_entry *rdma)
{
	struct zroce_mmap_entry *entry =
		container_of(rdma, struct zroce_mmap_entry, rdma);

	vfree(entry->buf);
	kfree(entry);
}
