/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * The RoCEv2 invariant CRC (IBTA Annex A17): CRC-32 (the Ethernet one) over
 *   8 bytes of ones standing for the LRH,
 *   the IP header, with IPv4 TOS, TTL and checksum, or IPv6 traffic class,
 *     flow label and hop limit, replaced by ones,
 *   the UDP header, with its checksum replaced by ones,
 *   the BTH, with byte 4 (FECN, BECN, resv6) replaced by ones,
 *   the extension headers, payload and pad,
 * inverted, and sent least significant byte first (as the Ethernet FCS;
 * rdma_rxe stores ~crc as a CPU-order u32, the same on little-endian).
 *
 * Usage, with a CRC update function of the crc32_le() kind:
 *	crc = zroce_icrc_begin(fn, iph, ipv6, udph, bth);
 *	crc = fn(crc, bth + ZROCE_BTH_LEN, n);	(as often as needed)
 *	zroce_icrc_put(icrc_field, zroce_icrc_end(crc));
 */
#ifndef ZROCE_ICRC_H
#define ZROCE_ICRC_H

#include "layout.h"

/*
 * A reflected CRC-32 update (polynomial 0xedb88320) with no inversion on
 * entry or exit: what the kernel's crc32_le(crc, p, len) computes.
 */
typedef u32 (*zroce_crc_fn)(u32 crc, const void *p, u32 len);

/* The CRC register after ~0 and the 8 bytes of ones of the masked LRH */
#define ZROCE_ICRC_SEED		0xdebb20e3U

#define ZROCE_IPV4_HDR_LEN	20
#define ZROCE_IPV6_HDR_LEN	40
#define ZROCE_UDP_HDR_LEN	8

static inline void zroce_icrc_copy(u8 *to, const void *from, u32 len)
{
	const u8 *p = from;
	u32 i;

	for (i = 0; i < len; i++)
		to[i] = p[i];
}

/* Copy the fixed IPv4 header to m with TOS, TTL and checksum masked */
static inline u32 zroce_icrc_mask_ipv4(u8 *m, const void *ip)
{
	zroce_icrc_copy(m, ip, ZROCE_IPV4_HDR_LEN);
	m[1] = 0xff;				/* TOS: DSCP, ECN */
	m[8] = 0xff;				/* TTL */
	m[10] = 0xff;				/* header checksum */
	m[11] = 0xff;
	return ZROCE_IPV4_HDR_LEN;
}

/* Copy the IPv6 header to m with class, flow label, hop limit masked */
static inline u32 zroce_icrc_mask_ipv6(u8 *m, const void *ip)
{
	zroce_icrc_copy(m, ip, ZROCE_IPV6_HDR_LEN);
	m[0] |= 0x0f;				/* the version stays */
	m[1] = 0xff;
	m[2] = 0xff;
	m[3] = 0xff;
	m[7] = 0xff;				/* hop limit */
	return ZROCE_IPV6_HDR_LEN;
}

/* Copy the UDP header and the BTH to m with their variant fields masked */
static inline u32 zroce_icrc_mask_l4(u8 *m, const void *udp, const void *bth)
{
	zroce_icrc_copy(m, udp, ZROCE_UDP_HDR_LEN);
	zroce_icrc_copy(m + ZROCE_UDP_HDR_LEN, bth, ZROCE_BTH_LEN);
	m[6] = 0xff;				/* UDP checksum */
	m[7] = 0xff;
	m[ZROCE_UDP_HDR_LEN + ZROCE_BTH_RESV8A_OFF] = 0xff;
	return ZROCE_UDP_HDR_LEN + ZROCE_BTH_LEN;
}

/*
 * Start the ICRC of a packet: the masked LRH, IP, UDP and BTH.  ip_hdr is
 * the whole IP header (IPv4 options, if any, are included as they are);
 * udp_hdr and bth point into the same packet.  Returns the running CRC, to
 * go on with fn over the bytes after the BTH up to the ICRC.  One call to
 * fn unless there are IPv4 options.
 */
static inline u32 zroce_icrc_begin(zroce_crc_fn fn, const void *ip_hdr,
				   bool ipv6, const void *udp_hdr,
				   const void *bth)
{
	u8 m[ZROCE_IPV6_HDR_LEN + ZROCE_UDP_HDR_LEN + ZROCE_BTH_LEN];
	const u8 *ip = ip_hdr;
	u32 n, opt = 0, crc = ZROCE_ICRC_SEED;

	if (ipv6) {
		n = zroce_icrc_mask_ipv6(m, ip);
	} else {
		n = zroce_icrc_mask_ipv4(m, ip);
		if ((ip[0] & 0x0f) * 4u > n)
			opt = (ip[0] & 0x0f) * 4u - n;
	}
	if (opt) {
		crc = fn(crc, m, n);
		crc = fn(crc, ip + n, opt);
		n = 0;
	}
	n += zroce_icrc_mask_l4(m + n, udp_hdr, bth);
	return fn(crc, m, n);
}

/* The value to send, from the running CRC */
static inline u32 zroce_icrc_end(u32 crc)
{
	return ~crc;
}

/* Store the ICRC in the packet, least significant byte first */
static inline void zroce_icrc_put(void *p, u32 icrc)
{
	u8 *b = p;

	b[0] = (u8)icrc;
	b[1] = (u8)(icrc >> 8);
	b[2] = (u8)(icrc >> 16);
	b[3] = (u8)(icrc >> 24);
}

static inline u32 zroce_icrc_get(const void *p)
{
	const u8 *b = p;

	return b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

/*
 * The ICRC of a packet whose BTH, extension headers, payload and pad are
 * len contiguous bytes at bth.
 */
static inline u32 zroce_icrc(zroce_crc_fn fn, const void *ip_hdr, bool ipv6,
			     const void *udp_hdr, const void *bth, u32 len)
{
	u32 crc = zroce_icrc_begin(fn, ip_hdr, ipv6, udp_hdr, bth);

	crc = fn(crc, (const u8 *)bth + ZROCE_BTH_LEN, len - ZROCE_BTH_LEN);
	return zroce_icrc_end(crc);
}

#endif /* ZROCE_ICRC_H */
