/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * The RoCEv2 wire format, pure C for the kernel, the provider and host
 * tests:
 *   layout.h	header sizes, the UDP port, packed wire structs
 *   opcode.h	enum zroce_opcode, ZROCE_M_* and zroce_opinfo()
 *   hdr.h	struct zroce_hdr, zroce_hdr_parse(), zroce_hdr_build()
 *   psn.h	24-bit PSN arithmetic
 *   aeth.h	AETH syndromes and the RNR timer table
 * The ICRC is in icrc.h.
 */
#ifndef ZROCE_WIRE_H
#define ZROCE_WIRE_H

#include "layout.h"
#include "opcode.h"
#include "hdr.h"
#include "psn.h"
#include "aeth.h"

#endif /* ZROCE_WIRE_H */
