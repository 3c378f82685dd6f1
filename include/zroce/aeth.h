/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * The AETH syndrome byte: bit 7 reserved (0), bits 6:5 the type, bits 4:0
 * its value: the credit count of an ACK, the timer of an RNR NAK, the code
 * of a NAK.
 */
#ifndef ZROCE_AETH_H
#define ZROCE_AETH_H

#include "types.h"

/* The type mask includes bit 7: a syndrome 1xxxxxxx is reserved */
#define ZROCE_AETH_TYPE_MASK	0xe0
#define ZROCE_AETH_VALUE_MASK	0x1f

#define ZROCE_AETH_ACK(credits)	((u8)(0x00 | ((credits) & 0x1f)))
#define ZROCE_AETH_RNR(timer)	((u8)(0x20 | ((timer) & 0x1f)))
#define ZROCE_AETH_NAK(code)	((u8)(0x60 | ((code) & 0x1f)))

/* The credit count of an ACK that carries no credit information */
#define ZROCE_AETH_CREDITS_INVALID	0x1f

enum zroce_aeth_type {
	ZROCE_AETH_T_ACK,
	ZROCE_AETH_T_RNR,
	ZROCE_AETH_T_NAK,
	ZROCE_AETH_T_RESERVED,
};

/* NAK codes */
enum {
	ZROCE_NAK_PSN_SEQ = 0,
	ZROCE_NAK_INVALID_REQ = 1,
	ZROCE_NAK_REMOTE_ACCESS = 2,
	ZROCE_NAK_REMOTE_OP = 3,
	ZROCE_NAK_INVALID_RD_REQ = 4,
};

static inline enum zroce_aeth_type zroce_aeth_type(u8 syndrome)
{
	switch (syndrome & ZROCE_AETH_TYPE_MASK) {
	case 0x00:
		return ZROCE_AETH_T_ACK;
	case 0x20:
		return ZROCE_AETH_T_RNR;
	case 0x60:
		return ZROCE_AETH_T_NAK;
	default:
		return ZROCE_AETH_T_RESERVED;
	}
}

/* Credit count, RNR timer or NAK code */
static inline u8 zroce_aeth_value(u8 syndrome)
{
	return syndrome & ZROCE_AETH_VALUE_MASK;
}

/* Microseconds an RNR NAK's timer field asks for (IBTA's encoding) */
static inline u32 zroce_rnr_timer_usec(u8 timer)
{
	static const u32 usec[32] = {
		655360, 10, 20, 30, 40, 60, 80, 120,
		160, 240, 320, 480, 640, 960, 1280, 1920,
		2560, 3840, 5120, 7680, 10240, 15360, 20480, 30720,
		40960, 61440, 81920, 122880, 163840, 245760, 327680, 491520,
	};

	return usec[timer & ZROCE_AETH_VALUE_MASK];
}

#endif /* ZROCE_AETH_H */
