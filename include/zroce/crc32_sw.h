/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * A table-driven reflected CRC-32 (polynomial 0xedb88320, no inversion on
 * entry or exit), the same function as the kernel's crc32_le(), for host
 * tests and tools.  The kernel uses its own, accelerated, and compiles this
 * only when ZROCE_WANT_CRC32_SW is defined.  The table is built on first
 * use; build it with zroce_crc32_sw_init() before using it from threads.
 */
#ifndef ZROCE_CRC32_SW_H
#define ZROCE_CRC32_SW_H

#if !defined(__KERNEL__) || defined(ZROCE_WANT_CRC32_SW)

#include "types.h"

#define ZROCE_CRC32_POLY_LE	0xedb88320U

static inline const u32 *zroce_crc32_sw_init(void)
{
	static u32 table[256];
	static bool ready;
	u32 i, j, c;

	if (ready)
		return table;
	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (c & 1 ? ZROCE_CRC32_POLY_LE : 0);
		table[i] = c;
	}
	ready = true;
	return table;
}

static inline u32 zroce_crc32_le_sw(u32 crc, const void *p, u32 len)
{
	const u32 *table = zroce_crc32_sw_init();
	const u8 *b = p;

	while (len--)
		crc = (crc >> 8) ^ table[(crc ^ *b++) & 0xff];
	return crc;
}

#endif /* !__KERNEL__ || ZROCE_WANT_CRC32_SW */
#endif /* ZROCE_CRC32_SW_H */
