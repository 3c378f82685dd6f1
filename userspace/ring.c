// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Mapping the rings the kernel allocates for CQs, QPs and SRQs.
 */
#include <errno.h>
#include <sys/mman.h>

#include "zroce.h"

int zroce_uring_map(struct ibv_context *ctx, struct zroce_uring *ring,
		    const struct zroce_ring_info *info)
{
	void *map;

	if (!zroce_is_pow2(info->num_slots) ||
	    !zroce_is_pow2(info->slot_size) ||
	    info->mmap_size < zroce_ring_bytes(info->num_slots,
					       info->slot_size))
		return EINVAL;

	map = mmap(NULL, info->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   ctx->cmd_fd, info->mmap_offset);
	if (map == MAP_FAILED)
		return errno;

	ring->map = map;
	ring->map_size = info->mmap_size;
	ring->num_slots = info->num_slots;
	ring->slot_size = info->slot_size;
	return 0;
}

void zroce_uring_unmap(struct zroce_uring *ring)
{
	if (ring->map)
		munmap(ring->map, ring->map_size);
	ring->map = NULL;
}

/* An index or control word of the ring header, shared with the kernel. */
_Atomic uint32_t *zroce_uring_word(struct zroce_uring *ring, uint32_t offset)
{
	return (_Atomic uint32_t *)((uint8_t *)ring->map + offset);
}

void *zroce_uring_slot(struct zroce_uring *ring, uint32_t idx)
{
	return (uint8_t *)ring->map +
	       zroce_ring_slot_offset(idx, ring->num_slots, ring->slot_size);
}
