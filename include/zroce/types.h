/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Fixed-width types for the pure C parts of zroce, so that the same headers
 * compile in the kernel, in the provider and in host unit tests.
 *
 * Byte order: __be16/__be32/__be64 hold big-endian (network order) values.
 * The kernel's are sparse "bitwise" types; user space takes them from the
 * uapi <linux/types.h>, where they are plain __u16/__u32/__u64, so that
 * they never clash with the uapi headers the provider also includes.
 * zroce_cpu_to_be*() and zroce_be*_to_cpu() convert.
 */
#ifndef ZROCE_TYPES_H
#define ZROCE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <asm/byteorder.h>

#define zroce_cpu_to_be16(v)	cpu_to_be16(v)
#define zroce_cpu_to_be32(v)	cpu_to_be32(v)
#define zroce_cpu_to_be64(v)	cpu_to_be64(v)
#define zroce_be16_to_cpu(v)	be16_to_cpu(v)
#define zroce_be32_to_cpu(v)	be32_to_cpu(v)
#define zroce_be64_to_cpu(v)	be64_to_cpu(v)

#else /* !__KERNEL__ */
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef __packed
#define __packed __attribute__((__packed__))
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ZROCE_SWAB16(v)		__builtin_bswap16(v)
#define ZROCE_SWAB32(v)		__builtin_bswap32(v)
#define ZROCE_SWAB64(v)		__builtin_bswap64(v)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ZROCE_SWAB16(v)		(v)
#define ZROCE_SWAB32(v)		(v)
#define ZROCE_SWAB64(v)		(v)
#else
#error "zroce: unknown byte order"
#endif

static inline __be16 zroce_cpu_to_be16(u16 v)
{
	return (__be16)ZROCE_SWAB16(v);
}

static inline __be32 zroce_cpu_to_be32(u32 v)
{
	return (__be32)ZROCE_SWAB32(v);
}

static inline __be64 zroce_cpu_to_be64(u64 v)
{
	return (__be64)ZROCE_SWAB64(v);
}

static inline u16 zroce_be16_to_cpu(__be16 v)
{
	return ZROCE_SWAB16((u16)v);
}

static inline u32 zroce_be32_to_cpu(__be32 v)
{
	return ZROCE_SWAB32((u32)v);
}

static inline u64 zroce_be64_to_cpu(__be64 v)
{
	return ZROCE_SWAB64((u64)v);
}
#endif /* __KERNEL__ */

#endif /* ZROCE_TYPES_H */
