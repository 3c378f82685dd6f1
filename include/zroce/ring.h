/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Index math of the rings shared between the kernel and the provider.
 *
 * Indices are free-running u32 counters.  The number of used slots is
 * prod - cons (mod 2^32), which is valid only if it does not exceed the
 * number of slots: a peer that writes its index can make it anything, so
 * every reader checks zroce_ring_sane() before trusting the count.
 */
#ifndef ZROCE_RING_H
#define ZROCE_RING_H

#include "types.h"
#include <rdma/zroce-abi.h>

#define ZROCE_RING_MAX_SLOTS	(1U << 20)
#define ZROCE_RING_MIN_SLOT	64U

static inline bool zroce_is_pow2(u32 v)
{
	return v && !(v & (v - 1));
}

/* Smallest power of two >= v, 0 if v is 0 or above 2^31. */
static inline u32 zroce_pow2_ceil(u32 v)
{
	u32 p = 1;

	if (!v || v > (1U << 31))
		return 0;
	while (p < v)
		p <<= 1;
	return p;
}

static inline u32 zroce_ring_used(u32 prod, u32 cons)
{
	return prod - cons;
}

static inline bool zroce_ring_sane(u32 prod, u32 cons, u32 num_slots)
{
	return zroce_ring_used(prod, cons) <= num_slots;
}

static inline bool zroce_ring_empty(u32 prod, u32 cons)
{
	return prod == cons;
}

static inline bool zroce_ring_full(u32 prod, u32 cons, u32 num_slots)
{
	return zroce_ring_used(prod, cons) >= num_slots;
}

static inline u32 zroce_ring_slot(u32 idx, u32 num_slots)
{
	return idx & (num_slots - 1);
}

/* Byte offset of slot idx from the start of the mapping. */
static inline u64 zroce_ring_slot_offset(u32 idx, u32 num_slots,
					 u32 slot_size)
{
	return ZROCE_RING_DATA_OFFSET +
	       (u64)zroce_ring_slot(idx, num_slots) * slot_size;
}

/* Bytes of a ring with its header, before rounding to pages. */
static inline u64 zroce_ring_bytes(u32 num_slots, u32 slot_size)
{
	return ZROCE_RING_DATA_OFFSET + (u64)num_slots * slot_size;
}

/* Slots for a queue of depth wr; 0 if wr is 0 or too deep. */
static inline u32 zroce_ring_slots(u32 wr)
{
	u32 n = zroce_pow2_ceil(wr);

	return n > ZROCE_RING_MAX_SLOTS ? 0 : n;
}

static inline u32 zroce_slot_size(u32 bytes)
{
	return zroce_pow2_ceil(bytes < ZROCE_RING_MIN_SLOT ?
			       ZROCE_RING_MIN_SLOT : bytes);
}

/* Slot size of a send queue holding max_sge SGEs or max_inline bytes. */
static inline u32 zroce_sq_slot_size(u32 max_sge, u32 max_inline)
{
	u32 sges = max_sge * (u32)sizeof(struct zroce_sge);
	u32 payload = sges > max_inline ? sges : max_inline;

	return zroce_slot_size((u32)sizeof(struct zroce_send_wqe) + payload);
}

static inline u32 zroce_rq_slot_size(u32 max_sge)
{
	return zroce_slot_size((u32)sizeof(struct zroce_recv_wqe) +
			       max_sge * (u32)sizeof(struct zroce_sge));
}

/* SGEs that fit in a send or receive slot of slot_size bytes. */
static inline u32 zroce_sq_slot_sges(u32 slot_size)
{
	return (slot_size - (u32)sizeof(struct zroce_send_wqe)) /
	       (u32)sizeof(struct zroce_sge);
}

static inline u32 zroce_rq_slot_sges(u32 slot_size)
{
	return (slot_size - (u32)sizeof(struct zroce_recv_wqe)) /
	       (u32)sizeof(struct zroce_sge);
}

#endif /* ZROCE_RING_H */
