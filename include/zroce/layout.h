/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * RoCEv2 transport headers as they sit on the wire (IBTA vol. 1 ch. 9 and
 * Annex A17): the UDP payload is BTH, extension headers, payload, 0-3 pad
 * bytes and the 4-byte ICRC.  Every multi-byte field is big-endian.  The
 * structs are packed: in a packet they are only 2- or 4-byte aligned.
 */
#ifndef ZROCE_LAYOUT_H
#define ZROCE_LAYOUT_H

#include "types.h"

#define ZROCE_UDP_PORT		4791

#define ZROCE_BTH_LEN		12
#define ZROCE_RETH_LEN		16
#define ZROCE_AETH_LEN		4
#define ZROCE_ATMETH_LEN	28
#define ZROCE_ATMACK_LEN	8
#define ZROCE_IMMDT_LEN		4
#define ZROCE_IETH_LEN		4
#define ZROCE_DETH_LEN		8
#define ZROCE_ICRC_LEN		4

/*
 * The longest BTH plus extension headers of an opcode zroce speaks:
 * AtomicETH (40); RETH+ImmDt is 32, AETH+AtomicAckETH and DETH+ImmDt 24.
 */
#define ZROCE_MAX_HDR_LEN	(ZROCE_BTH_LEN + ZROCE_ATMETH_LEN)

/* Base Transport Header */
struct zroce_bth {
	u8 opcode;
	u8 flags;		/* SE, MigReq, PadCnt, TVer */
	__be16 pkey;
	__be32 qpn;		/* FECN, BECN, resv6, DestQP */
	__be32 apsn;		/* AckReq, resv7, PSN */
} __packed;

#define ZROCE_BTH_SE		0x80
#define ZROCE_BTH_MIG		0x40
#define ZROCE_BTH_PAD_MASK	0x30
#define ZROCE_BTH_PAD_SHIFT	4
#define ZROCE_BTH_TVER_MASK	0x0f
#define ZROCE_BTH_FECN		0x80000000U
#define ZROCE_BTH_BECN		0x40000000U
#define ZROCE_BTH_QPN_MASK	0x00ffffffU
#define ZROCE_BTH_ACK_REQ	0x80000000U
#define ZROCE_BTH_PSN_MASK	0x00ffffffU
/* Byte 4 of the BTH (FECN, BECN, resv6): variant, outside the ICRC */
#define ZROCE_BTH_RESV8A_OFF	4

/* RDMA Extended Transport Header */
struct zroce_reth {
	__be64 va;
	__be32 rkey;
	__be32 len;
} __packed;

/* ACK Extended Transport Header: syndrome (8) and MSN (24) */
struct zroce_aeth {
	__be32 smsn;
} __packed;

#define ZROCE_AETH_MSN_MASK	0x00ffffffU

/* Atomic Extended Transport Header */
struct zroce_atmeth {
	__be64 va;
	__be32 rkey;
	__be64 swap_add;
	__be64 compare;
} __packed;

/* Atomic ACK Extended Transport Header */
struct zroce_atmack {
	__be64 orig;
} __packed;

/* Immediate Data */
struct zroce_immdt {
	__be32 imm;
} __packed;

/* Invalidate Extended Transport Header */
struct zroce_ieth {
	__be32 rkey;
} __packed;

/* Datagram Extended Transport Header: Q_Key, resv8 and SrcQP (24) */
struct zroce_deth {
	__be32 qkey;
	__be32 sqp;
} __packed;

#define ZROCE_DETH_SQP_MASK	0x00ffffffU

_Static_assert(sizeof(struct zroce_bth) == ZROCE_BTH_LEN, "BTH");
_Static_assert(sizeof(struct zroce_reth) == ZROCE_RETH_LEN, "RETH");
_Static_assert(sizeof(struct zroce_aeth) == ZROCE_AETH_LEN, "AETH");
_Static_assert(sizeof(struct zroce_atmeth) == ZROCE_ATMETH_LEN, "AtomicETH");
_Static_assert(sizeof(struct zroce_atmack) == ZROCE_ATMACK_LEN, "AtmAck");
_Static_assert(sizeof(struct zroce_immdt) == ZROCE_IMMDT_LEN, "ImmDt");
_Static_assert(sizeof(struct zroce_ieth) == ZROCE_IETH_LEN, "IETH");
_Static_assert(sizeof(struct zroce_deth) == ZROCE_DETH_LEN, "DETH");

#endif /* ZROCE_LAYOUT_H */
