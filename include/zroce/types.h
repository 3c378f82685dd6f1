/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Fixed-width types for the pure C parts of zroce, so that the same headers
 * compile in the kernel, in the provider and in host unit tests.
 */
#ifndef ZROCE_TYPES_H
#define ZROCE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

#endif /* ZROCE_TYPES_H */
