/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Packet sequence numbers: 24-bit counters that wrap.  Two PSNs compare
 * through their signed 24-bit difference, so "before" is meaningful only
 * within half the space (2^23 packets) of each other.
 */
#ifndef ZROCE_PSN_H
#define ZROCE_PSN_H

#include "types.h"

#define ZROCE_PSN_BITS		24
#define ZROCE_PSN_MASK		((1U << ZROCE_PSN_BITS) - 1)
#define ZROCE_PSN_HALF		(1U << (ZROCE_PSN_BITS - 1))

static inline u32 zroce_psn_add(u32 psn, u32 n)
{
	return (psn + n) & ZROCE_PSN_MASK;
}

/* a - b as a signed 24-bit difference, in [-2^23, 2^23) */
static inline s32 zroce_psn_diff(u32 a, u32 b)
{
	u32 d = (a - b) & ZROCE_PSN_MASK;

	if (d < ZROCE_PSN_HALF)
		return (s32)d;
	return (s32)d - (s32)(1U << ZROCE_PSN_BITS);
}

/* a comes before b */
static inline bool zroce_psn_before(u32 a, u32 b)
{
	return zroce_psn_diff(a, b) < 0;
}

#endif /* ZROCE_PSN_H */
