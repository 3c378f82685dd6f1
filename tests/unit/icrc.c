// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Host tests of include/zroce/icrc.h against packets built by others:
 * frames that rdma_rxe (Debian 6.1) put on the wire, IPv4 and IPv6
 * (tests/icrc/rxe-capture, tests/icrc/rxe-6.1.txt), and a CNP that a
 * ConnectX-4 Lx sent (scapy's test/contrib/roce.uts).  Also checks that
 * zroce_hdr_parse() reads rxe's headers and zroce_hdr_build() writes the
 * same bytes back.
 */
#include <stdio.h>
#include <string.h>

#include <zroce/crc32_sw.h>
#include <zroce/icrc.h>
#include <zroce/wire.h>

#include "check.h"

/* rdma_rxe, Linux 6.1.0-56-amd64, tests/icrc/rxe-6.1.txt */
static const char *const rxe_v4[] = {
	/* UD SEND_ONLY, 13 bytes */
	"020000000002020000000001080045000044836140004011a3330a0900010a09"
	"0002df9412b7003000006430ffff001234560000000011223344000000117a72"
	"6f636520696372632076650000002ea582ab",
	/* UD SEND_ONLY_IMM, 8 bytes */
	"020000000002020000000001080045000040836f40004011a3290a0900010a09"
	"0002df9412b7002c00006500ffff00123456000000011122334400000011a1b2"
	"c3d47a726f636520696395decbe5",
	/* RC RDMA_WRITE_ONLY_IMM, 7 bytes */
	"020000000002020000000001080045000048838f40004011a3010a0900010a09"
	"0002f81912b7003400000b10ffff006543218000fffe11223344556677880000"
	"cafe00000007010203047a726f63652069007dcc84e7",
};

static const char *const rxe_v6[] = {
	"02000000000202000000000186dd6000000000301140fd090000000000000000"
	"000000000001fd090000000000000000000000000002d07812b7003000006430"
	"ffff001234560000000011223344000000137a726f6365206963726320766500"
	"0000e4a99ed3",
	"02000000000202000000000186dd60000000002c1140fd090000000000000000"
	"000000000001fd090000000000000000000000000002d07812b7002c00006500"
	"ffff00123456000000011122334400000013a1b2c3d47a726f63652069630c60"
	"af48",
	"02000000000202000000000186dd6000000000341140fd090000000000000000"
	"000000000001fd090000000000000000000000000002fece12b7003400000b10"
	"ffff006543218000fffe11223344556677880000cafe00000007010203047a72"
	"6f63652069008763a89e",
};

/* A CNP from a ConnectX-4 Lx: TOS 0xc2 (ECN CE), BECN set */
static const char cx4_cnp[] =
	"e41d2dab2bc27cfe90643b32080045c2003c718c4000401191610a0011010a00"
	"1201000012b7002800008100ffff400001180000000000000000000000000000"
	"00000000000082fd002a";

struct frame {
	u8 b[256];
	u32 len;
	bool ipv6;
	u8 *ip, *udp, *bth;
	u32 n;			/* BTH up to the ICRC */
};

static void frame_load(struct frame *f, const char *hex)
{
	u32 i, l3;

	f->len = (u32)strlen(hex) / 2;
	for (i = 0; i < f->len; i++) {
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		f->b[i] = (u8)v;
	}
	f->ipv6 = f->b[12] == 0x86 && f->b[13] == 0xdd;
	f->ip = f->b + 14;
	l3 = f->ipv6 ? ZROCE_IPV6_HDR_LEN : (f->ip[0] & 0xfu) * 4;
	f->udp = f->ip + l3;
	f->bth = f->udp + ZROCE_UDP_HDR_LEN;
	f->n = ((u32)f->udp[4] << 8 | f->udp[5]) - ZROCE_UDP_HDR_LEN -
	       ZROCE_ICRC_LEN;
}

static u32 frame_icrc(const struct frame *f)
{
	return zroce_icrc(zroce_crc32_le_sw, f->ip, f->ipv6, f->udp, f->bth,
			  f->n);
}

static u32 frame_wire_icrc(const struct frame *f)
{
	return zroce_icrc_get(f->bth + f->n);
}

static void test_crc32(void)
{
	static const u8 lrh[8] = { 0xff, 0xff, 0xff, 0xff,
				   0xff, 0xff, 0xff, 0xff };

	/* The standard CRC-32 check value */
	CHECK_EQ(~zroce_crc32_le_sw(~0U, "123456789", 9), 0xcbf43926);
	CHECK_EQ(zroce_crc32_le_sw(~0U, lrh, 8), ZROCE_ICRC_SEED);
}

static void test_vectors(void)
{
	struct frame f;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		frame_load(&f, rxe_v4[i]);
		CHECK(!f.ipv6);
		CHECK_EQ(frame_icrc(&f), frame_wire_icrc(&f));
		frame_load(&f, rxe_v6[i]);
		CHECK(f.ipv6);
		CHECK_EQ(frame_icrc(&f), frame_wire_icrc(&f));
	}
	frame_load(&f, cx4_cnp);
	CHECK_EQ(frame_wire_icrc(&f), 0x2a00fd82);
	CHECK_EQ(frame_icrc(&f), 0x2a00fd82);
}

/* The ICRC is the same whichever way the bytes after the BTH are split */
static void test_split(void)
{
	struct frame f;
	u32 crc, k;

	frame_load(&f, rxe_v4[2]);
	for (k = ZROCE_BTH_LEN; k <= f.n; k++) {
		crc = zroce_icrc_begin(zroce_crc32_le_sw, f.ip, false, f.udp,
				       f.bth);
		crc = zroce_crc32_le_sw(crc, f.bth + ZROCE_BTH_LEN,
					k - ZROCE_BTH_LEN);
		crc = zroce_crc32_le_sw(crc, f.bth + k, f.n - k);
		CHECK_EQ(zroce_icrc_end(crc), frame_wire_icrc(&f));
	}
}

/* Flip bits x of byte off: the ICRC changes iff they are invariant */
static void check_flip_bits(const char *hex, u32 off, u8 x, bool invariant)
{
	struct frame f;

	frame_load(&f, hex);
	f.b[off] ^= x;
	if (invariant)
		CHECK(frame_icrc(&f) != frame_wire_icrc(&f));
	else
		CHECK_EQ(frame_icrc(&f), frame_wire_icrc(&f));
}

static void check_flip(const char *hex, u32 off, bool invariant)
{
	check_flip_bits(hex, off, 0x5a, invariant);
}

static void test_masking(void)
{
	const char *v4 = rxe_v4[2], *v6 = rxe_v6[2];
	u32 ip = 14, udp4 = 14 + 20, udp6 = 14 + 40;
	u32 off;

	check_flip(v4, ip + 1, false);		/* TOS */
	check_flip(v4, ip + 8, false);		/* TTL */
	check_flip(v4, ip + 10, false);		/* checksum */
	check_flip(v4, ip + 11, false);
	check_flip(v4, udp4 + 6, false);	/* UDP checksum */
	check_flip(v4, udp4 + 7, false);
	check_flip(v4, udp4 + 8 + 4, false);	/* BTH FECN, BECN, resv6 */
	check_flip(v4, 0, false);		/* Ethernet */
	check_flip_bits(v4, ip + 0, 0x40, true);	/* version */
	check_flip(v4, ip + 2, true);		/* total length */
	check_flip(v4, ip + 9, true);		/* protocol */
	check_flip(v4, ip + 19, true);		/* destination */
	check_flip(v4, udp4 + 0, true);		/* source port */
	check_flip(v4, udp4 + 8 + 1, true);	/* BTH flags */
	check_flip(v4, udp4 + 8 + 8, true);	/* AckReq, resv7 */
	check_flip(v4, udp4 + 8 + 11, true);	/* PSN */
	check_flip(v4, udp4 + 8 + 12, true);	/* RETH */
	check_flip(v4, udp4 + 8 + 33, true);	/* payload */
	check_flip(v4, udp4 + 8 + 39, true);	/* pad */

	check_flip_bits(v6, ip + 0, 0x0f, false);	/* traffic class */
	check_flip_bits(v6, ip + 0, 0x10, true);	/* version */
	check_flip(v6, ip + 1, false);		/* traffic class, flow label */
	check_flip(v6, ip + 3, false);		/* flow label */
	check_flip(v6, ip + 7, false);		/* hop limit */
	check_flip(v6, udp6 + 6, false);
	check_flip(v6, udp6 + 8 + 4, false);
	check_flip(v6, ip + 4, true);		/* payload length */
	check_flip(v6, ip + 6, true);		/* next header */
	for (off = ip + 8; off < ip + 40; off += 5)
		check_flip(v6, off, true);	/* addresses */
	check_flip(v6, udp6 + 2, true);		/* destination port */
}

static void check_rxe_hdr(const char *hex, u8 op, u32 payload)
{
	struct zroce_hdr h;
	struct frame f;
	u8 buf[ZROCE_MAX_HDR_LEN];

	frame_load(&f, hex);
	CHECK_EQ(zroce_hdr_parse(f.bth, f.n + ZROCE_ICRC_LEN, &h), 0);
	CHECK_EQ(h.opcode, op);
	CHECK_EQ(h.payload_len, payload);
	CHECK_EQ(h.pad_cnt, zroce_pad_cnt(payload));
	CHECK_EQ(h.pkey, 0xffff);
	CHECK_EQ(zroce_hdr_build(buf, &h), h.hdr_len);
	CHECK(!memcmp(buf, f.bth, h.hdr_len));
	CHECK(!memcmp(f.bth + h.hdr_len, "zroce icrc vector", payload));
	if (h.mask & ZROCE_M_UD) {
		CHECK_EQ(h.dqpn, 0x123456);
		CHECK_EQ(h.qkey, 0x11223344);
	}
	if (h.mask & ZROCE_M_IMMDT)
		CHECK(!memcmp(&h.imm, op == ZROCE_OP_UD_SEND_ONLY_IMM ?
			      "\xa1\xb2\xc3\xd4" : "\x01\x02\x03\x04", 4));
	if (h.mask & ZROCE_M_RETH) {
		CHECK_EQ(h.dqpn, 0x654321);
		CHECK_EQ(h.psn, 0xfffe);
		CHECK(h.ack_req);
		CHECK_EQ(h.va, 0x1122334455667788ULL);
		CHECK_EQ(h.rkey, 0xcafe);
		CHECK_EQ(h.dma_len, payload);
	}
}

static void test_rxe_headers(void)
{
	const char *const *v[] = { rxe_v4, rxe_v6 };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		check_rxe_hdr(v[i][0], ZROCE_OP_UD_SEND_ONLY, 13);
		check_rxe_hdr(v[i][1], ZROCE_OP_UD_SEND_ONLY_IMM, 8);
		check_rxe_hdr(v[i][2], ZROCE_OP_RC_RDMA_WRITE_ONLY_IMM, 7);
	}
}

/*
 * The ICRC the plain way: one buffer holding the masked LRH, IP header
 * (with options), UDP header and BTH, then the rest, through one CRC.
 */
static u32 ref_icrc(const struct frame *f)
{
	u32 ip_len = (u32)(f->udp - f->ip), n = 8;
	u8 buf[512];

	memset(buf, 0xff, 8);
	memcpy(buf + n, f->ip, ip_len);
	if (f->ipv6) {
		buf[n] |= 0x0f;
		memset(buf + n + 1, 0xff, 3);
		buf[n + 7] = 0xff;
	} else {
		buf[n + 1] = buf[n + 8] = buf[n + 10] = buf[n + 11] = 0xff;
	}
	n += ip_len;
	memcpy(buf + n, f->udp, ZROCE_UDP_HDR_LEN + f->n);
	buf[n + 6] = buf[n + 7] = 0xff;
	buf[n + ZROCE_UDP_HDR_LEN + 4] = 0xff;
	n += ZROCE_UDP_HDR_LEN + f->n;
	return ~zroce_crc32_le_sw(~0U, buf, n);
}

/* IPv4 options are covered as they are */
static void test_ipv4_options(void)
{
	static const u8 nops[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	struct frame f, g;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		frame_load(&f, rxe_v4[i]);
		CHECK_EQ(ref_icrc(&f), frame_wire_icrc(&f));
		frame_load(&f, rxe_v6[i]);
		CHECK_EQ(ref_icrc(&f), frame_wire_icrc(&f));
	}
	frame_load(&f, rxe_v4[2]);
	g = f;
	memcpy(g.b + 14 + 28, f.b + 14 + 20, f.len - 14 - 20);
	memcpy(g.b + 14 + 20, nops, sizeof(nops));
	g.b[14] = 0x47;			/* IHL 7 */
	g.len += sizeof(nops);
	g.ip = g.b + 14;
	g.udp = g.ip + 28;
	g.bth = g.udp + ZROCE_UDP_HDR_LEN;
	CHECK_EQ(frame_icrc(&g), ref_icrc(&g));
	CHECK(frame_icrc(&g) != frame_wire_icrc(&f));
}

static void test_put_get(void)
{
	u8 b[4];

	zroce_icrc_put(b, 0x2a00fd82);
	CHECK(!memcmp(b, "\x82\xfd\x00\x2a", 4));
	CHECK_EQ(zroce_icrc_get(b), 0x2a00fd82);
}

int main(void)
{
	test_crc32();
	test_vectors();
	test_split();
	test_masking();
	test_rxe_headers();
	test_ipv4_options();
	test_put_get();
	return check_result("icrc");
}
