/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * BTH opcodes as IBTA vol. 1 lists them, and what each implies: its extension
 * headers in wire order, whether it carries payload, its place in a message.
 * The top 3 bits are the transport, the low 5 the operation.  zroce speaks
 * RC, UC and UD; zroce_opinfo() returns NULL for every other opcode (RD,
 * XRC, CNP, FLUSH, ATOMIC WRITE, reserved).
 */
#ifndef ZROCE_OPCODE_H
#define ZROCE_OPCODE_H

#include "layout.h"

enum zroce_opcode {
	ZROCE_OP_RC_SEND_FIRST			= 0x00,
	ZROCE_OP_RC_SEND_MIDDLE			= 0x01,
	ZROCE_OP_RC_SEND_LAST			= 0x02,
	ZROCE_OP_RC_SEND_LAST_IMM		= 0x03,
	ZROCE_OP_RC_SEND_ONLY			= 0x04,
	ZROCE_OP_RC_SEND_ONLY_IMM		= 0x05,
	ZROCE_OP_RC_RDMA_WRITE_FIRST		= 0x06,
	ZROCE_OP_RC_RDMA_WRITE_MIDDLE		= 0x07,
	ZROCE_OP_RC_RDMA_WRITE_LAST		= 0x08,
	ZROCE_OP_RC_RDMA_WRITE_LAST_IMM		= 0x09,
	ZROCE_OP_RC_RDMA_WRITE_ONLY		= 0x0a,
	ZROCE_OP_RC_RDMA_WRITE_ONLY_IMM		= 0x0b,
	ZROCE_OP_RC_RDMA_READ_REQUEST		= 0x0c,
	ZROCE_OP_RC_RDMA_READ_RESPONSE_FIRST	= 0x0d,
	ZROCE_OP_RC_RDMA_READ_RESPONSE_MIDDLE	= 0x0e,
	ZROCE_OP_RC_RDMA_READ_RESPONSE_LAST	= 0x0f,
	ZROCE_OP_RC_RDMA_READ_RESPONSE_ONLY	= 0x10,
	ZROCE_OP_RC_ACK				= 0x11,
	ZROCE_OP_RC_ATOMIC_ACK			= 0x12,
	ZROCE_OP_RC_CMP_SWAP			= 0x13,
	ZROCE_OP_RC_FETCH_ADD			= 0x14,
	ZROCE_OP_RC_SEND_LAST_INV		= 0x16,
	ZROCE_OP_RC_SEND_ONLY_INV		= 0x17,
	ZROCE_OP_RC_RDMA_ATOMIC_WRITE		= 0x1d,	/* IBTA 1.5 */

	ZROCE_OP_UC_SEND_FIRST			= 0x20,
	ZROCE_OP_UC_SEND_MIDDLE			= 0x21,
	ZROCE_OP_UC_SEND_LAST			= 0x22,
	ZROCE_OP_UC_SEND_LAST_IMM		= 0x23,
	ZROCE_OP_UC_SEND_ONLY			= 0x24,
	ZROCE_OP_UC_SEND_ONLY_IMM		= 0x25,
	ZROCE_OP_UC_RDMA_WRITE_FIRST		= 0x26,
	ZROCE_OP_UC_RDMA_WRITE_MIDDLE		= 0x27,
	ZROCE_OP_UC_RDMA_WRITE_LAST		= 0x28,
	ZROCE_OP_UC_RDMA_WRITE_LAST_IMM		= 0x29,
	ZROCE_OP_UC_RDMA_WRITE_ONLY		= 0x2a,
	ZROCE_OP_UC_RDMA_WRITE_ONLY_IMM		= 0x2b,

	ZROCE_OP_UD_SEND_ONLY			= 0x64,
	ZROCE_OP_UD_SEND_ONLY_IMM		= 0x65,

	/* RoCEv2 congestion notification: known, not in the table */
	ZROCE_OP_CNP				= 0x81,
};

/*
 * zroce_opinfo.mask bits.  A message of one packet is both FIRST and LAST:
 * ZROCE_M_ONLY is the two together, so test it with
 * (mask & ZROCE_M_ONLY) == ZROCE_M_ONLY.  Single-packet opcodes (READ
 * request, atomics, ACK, atomic ACK) are ONLY as well.
 */
#define ZROCE_M_RETH		(1U << 0)
#define ZROCE_M_AETH		(1U << 1)
#define ZROCE_M_ATMETH		(1U << 2)
#define ZROCE_M_ATMACK		(1U << 3)
#define ZROCE_M_IMMDT		(1U << 4)
#define ZROCE_M_IETH		(1U << 5)
#define ZROCE_M_DETH		(1U << 6)
#define ZROCE_M_PAYLOAD		(1U << 7)	/* may carry payload */
#define ZROCE_M_REQ		(1U << 8)	/* to the responder */
#define ZROCE_M_ACK_PKT		(1U << 9)	/* to the requester */
#define ZROCE_M_SEND		(1U << 10)
#define ZROCE_M_WRITE		(1U << 11)
#define ZROCE_M_READ_REQ	(1U << 12)
#define ZROCE_M_READ_RESP	(1U << 13)
#define ZROCE_M_ATOMIC		(1U << 14)	/* CmpSwap, FetchAdd */
#define ZROCE_M_FIRST		(1U << 15)
#define ZROCE_M_MIDDLE		(1U << 16)
#define ZROCE_M_LAST		(1U << 17)
#define ZROCE_M_ONLY		(ZROCE_M_FIRST | ZROCE_M_LAST)
#define ZROCE_M_RC		(1U << 18)
#define ZROCE_M_UC		(1U << 19)
#define ZROCE_M_UD		(1U << 20)
#define ZROCE_M_ATOMIC_WRITE	(1U << 21)	/* a WRITE of 8 bytes, atomic */

struct zroce_opinfo {
	u32 mask;
	u8 hdr_len;		/* BTH and the extension headers */
	const char *name;	/* "RC_SEND_FIRST": the enum name's tail */
};

/* BTH plus the extension headers that mask m names */
#define ZROCE_HDR_LEN_OF(m)						\
	(ZROCE_BTH_LEN +						\
	 ((m) & ZROCE_M_DETH ? ZROCE_DETH_LEN : 0) +			\
	 ((m) & ZROCE_M_RETH ? ZROCE_RETH_LEN : 0) +			\
	 ((m) & ZROCE_M_ATMETH ? ZROCE_ATMETH_LEN : 0) +		\
	 ((m) & ZROCE_M_AETH ? ZROCE_AETH_LEN : 0) +			\
	 ((m) & ZROCE_M_ATMACK ? ZROCE_ATMACK_LEN : 0) +		\
	 ((m) & ZROCE_M_IMMDT ? ZROCE_IMMDT_LEN : 0) +			\
	 ((m) & ZROCE_M_IETH ? ZROCE_IETH_LEN : 0))

#define ZROCE_OPI(m, n)		{ (m), ZROCE_HDR_LEN_OF(m), n }
#define ZROCE_OPI_RC(m, n)	ZROCE_OPI((m) | ZROCE_M_RC, n)
#define ZROCE_OPI_UC(m, n)	ZROCE_OPI((m) | ZROCE_M_UC, n)
#define ZROCE_OPI_UD(m, n)	ZROCE_OPI((m) | ZROCE_M_UD | ZROCE_M_DETH, n)

/* Masks shared by the RC and UC rows */
#define ZROCE_MS_SEND	(ZROCE_M_REQ | ZROCE_M_SEND | ZROCE_M_PAYLOAD)
#define ZROCE_MS_WRITE	(ZROCE_M_REQ | ZROCE_M_WRITE | ZROCE_M_PAYLOAD)
#define ZROCE_MS_RESP	(ZROCE_M_ACK_PKT | ZROCE_M_READ_RESP | ZROCE_M_PAYLOAD)
#define ZROCE_MS_ATOMIC	(ZROCE_M_REQ | ZROCE_M_ATOMIC | ZROCE_M_ATMETH | \
			      ZROCE_M_ONLY)

/* Properties of opcode, or NULL if zroce does not speak it */
static inline const struct zroce_opinfo *zroce_opinfo(u8 opcode)
{
	static const struct zroce_opinfo rc[] = {
	[0x00] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_FIRST, "RC_SEND_FIRST"),
	[0x01] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_MIDDLE, "RC_SEND_MIDDLE"),
	[0x02] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_LAST, "RC_SEND_LAST"),
	[0x03] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_LAST | ZROCE_M_IMMDT,
			      "RC_SEND_LAST_IMM"),
	[0x04] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_ONLY, "RC_SEND_ONLY"),
	[0x05] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_ONLY | ZROCE_M_IMMDT,
			      "RC_SEND_ONLY_IMM"),
	[0x06] = ZROCE_OPI_RC(ZROCE_MS_WRITE | ZROCE_M_FIRST | ZROCE_M_RETH,
			      "RC_RDMA_WRITE_FIRST"),
	[0x07] = ZROCE_OPI_RC(ZROCE_MS_WRITE | ZROCE_M_MIDDLE,
			      "RC_RDMA_WRITE_MIDDLE"),
	[0x08] = ZROCE_OPI_RC(ZROCE_MS_WRITE | ZROCE_M_LAST,
			      "RC_RDMA_WRITE_LAST"),
	[0x09] = ZROCE_OPI_RC(ZROCE_MS_WRITE | ZROCE_M_LAST | ZROCE_M_IMMDT,
			      "RC_RDMA_WRITE_LAST_IMM"),
	[0x0a] = ZROCE_OPI_RC(ZROCE_MS_WRITE | ZROCE_M_ONLY | ZROCE_M_RETH,
			      "RC_RDMA_WRITE_ONLY"),
	[0x0b] = ZROCE_OPI_RC(ZROCE_MS_WRITE | ZROCE_M_ONLY | ZROCE_M_RETH |
			      ZROCE_M_IMMDT, "RC_RDMA_WRITE_ONLY_IMM"),
	[0x0c] = ZROCE_OPI_RC(ZROCE_M_REQ | ZROCE_M_READ_REQ | ZROCE_M_ONLY |
			      ZROCE_M_RETH, "RC_RDMA_READ_REQUEST"),
	[0x0d] = ZROCE_OPI_RC(ZROCE_MS_RESP | ZROCE_M_FIRST | ZROCE_M_AETH,
			      "RC_RDMA_READ_RESPONSE_FIRST"),
	[0x0e] = ZROCE_OPI_RC(ZROCE_MS_RESP | ZROCE_M_MIDDLE,
			      "RC_RDMA_READ_RESPONSE_MIDDLE"),
	[0x0f] = ZROCE_OPI_RC(ZROCE_MS_RESP | ZROCE_M_LAST | ZROCE_M_AETH,
			      "RC_RDMA_READ_RESPONSE_LAST"),
	[0x10] = ZROCE_OPI_RC(ZROCE_MS_RESP | ZROCE_M_ONLY | ZROCE_M_AETH,
			      "RC_RDMA_READ_RESPONSE_ONLY"),
	[0x11] = ZROCE_OPI_RC(ZROCE_M_ACK_PKT | ZROCE_M_ONLY | ZROCE_M_AETH,
			      "RC_ACK"),
	[0x12] = ZROCE_OPI_RC(ZROCE_M_ACK_PKT | ZROCE_M_ONLY | ZROCE_M_AETH |
			      ZROCE_M_ATMACK, "RC_ATOMIC_ACK"),
	[0x13] = ZROCE_OPI_RC(ZROCE_MS_ATOMIC, "RC_CMP_SWAP"),
	[0x14] = ZROCE_OPI_RC(ZROCE_MS_ATOMIC, "RC_FETCH_ADD"),
	[0x16] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_LAST | ZROCE_M_IETH,
			      "RC_SEND_LAST_INV"),
	[0x17] = ZROCE_OPI_RC(ZROCE_MS_SEND | ZROCE_M_ONLY | ZROCE_M_IETH,
			      "RC_SEND_ONLY_INV"),
	[0x1d] = ZROCE_OPI_RC(ZROCE_MS_WRITE | ZROCE_M_ONLY | ZROCE_M_RETH |
			      ZROCE_M_ATOMIC_WRITE, "RC_RDMA_ATOMIC_WRITE"),
	};
	static const struct zroce_opinfo uc[] = {
	[0x00] = ZROCE_OPI_UC(ZROCE_MS_SEND | ZROCE_M_FIRST, "UC_SEND_FIRST"),
	[0x01] = ZROCE_OPI_UC(ZROCE_MS_SEND | ZROCE_M_MIDDLE, "UC_SEND_MIDDLE"),
	[0x02] = ZROCE_OPI_UC(ZROCE_MS_SEND | ZROCE_M_LAST, "UC_SEND_LAST"),
	[0x03] = ZROCE_OPI_UC(ZROCE_MS_SEND | ZROCE_M_LAST | ZROCE_M_IMMDT,
			      "UC_SEND_LAST_IMM"),
	[0x04] = ZROCE_OPI_UC(ZROCE_MS_SEND | ZROCE_M_ONLY, "UC_SEND_ONLY"),
	[0x05] = ZROCE_OPI_UC(ZROCE_MS_SEND | ZROCE_M_ONLY | ZROCE_M_IMMDT,
			      "UC_SEND_ONLY_IMM"),
	[0x06] = ZROCE_OPI_UC(ZROCE_MS_WRITE | ZROCE_M_FIRST | ZROCE_M_RETH,
			      "UC_RDMA_WRITE_FIRST"),
	[0x07] = ZROCE_OPI_UC(ZROCE_MS_WRITE | ZROCE_M_MIDDLE,
			      "UC_RDMA_WRITE_MIDDLE"),
	[0x08] = ZROCE_OPI_UC(ZROCE_MS_WRITE | ZROCE_M_LAST,
			      "UC_RDMA_WRITE_LAST"),
	[0x09] = ZROCE_OPI_UC(ZROCE_MS_WRITE | ZROCE_M_LAST | ZROCE_M_IMMDT,
			      "UC_RDMA_WRITE_LAST_IMM"),
	[0x0a] = ZROCE_OPI_UC(ZROCE_MS_WRITE | ZROCE_M_ONLY | ZROCE_M_RETH,
			      "UC_RDMA_WRITE_ONLY"),
	[0x0b] = ZROCE_OPI_UC(ZROCE_MS_WRITE | ZROCE_M_ONLY | ZROCE_M_RETH |
			      ZROCE_M_IMMDT, "UC_RDMA_WRITE_ONLY_IMM"),
	};
	static const struct zroce_opinfo ud[] = {
	[0x00] = ZROCE_OPI_UD(ZROCE_MS_SEND | ZROCE_M_ONLY, "UD_SEND_ONLY"),
	[0x01] = ZROCE_OPI_UD(ZROCE_MS_SEND | ZROCE_M_ONLY | ZROCE_M_IMMDT,
			      "UD_SEND_ONLY_IMM"),
	};
	const struct zroce_opinfo *oi = NULL;
	u32 op = opcode & 0x1f;

	switch (opcode >> 5) {
	case 0:		/* RC */
		if (op < sizeof(rc) / sizeof(rc[0]))
			oi = &rc[op];
		break;
	case 1:		/* UC */
		if (op < sizeof(uc) / sizeof(uc[0]))
			oi = &uc[op];
		break;
	case 3:		/* UD: only SEND_ONLY and SEND_ONLY_IMM */
		if (op == 4 || op == 5)
			oi = &ud[op - 4];
		break;
	}
	return oi && oi->mask ? oi : NULL;
}

#endif /* ZROCE_OPCODE_H */
