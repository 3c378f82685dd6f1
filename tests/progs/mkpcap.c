// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Write a pcap of RoCEv2 frames built by include/zroce: every opcode zroce
 * speaks, over IPv4 and over IPv6, with headers from zroce_hdr_build() and
 * the ICRC from zroce_icrc().  Prints one line per frame for
 * tests/progs/tshark-decode to compare with what tshark decodes:
 *   FRAME NAME OPCODE DQPN PSN PAD VA RKEY DMALEN SYNDROME MSN QKEY SRCQP
 *         SWAP COMPARE ORIG IMM INV_RKEY ICRC PAYLOAD_LEN
 * (numbers in hex, "-" for a header the opcode does not have).
 * Usage: mkpcap FILE.pcap
 */
#include <stdio.h>
#include <string.h>

#include <zroce/crc32_sw.h>
#include <zroce/icrc.h>
#include <zroce/wire.h>

#define ETH_LEN		14
#define FRAME_MAX	256

static void put16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put32le(u8 *p, u32 v)
{
	zroce_icrc_put(p, v);	/* pcap headers: little-endian */
}

/* Ones' complement sum of len bytes, folded to 16 bits later */
static u32 csum_add(u32 sum, const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	return sum;
}

static u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

static u32 put_ip(u8 *ip, bool ipv6, u32 udp_len)
{
	static const u8 v6[] = { 0xfd, 0x0e, 0, 0, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0, 1 };

	if (ipv6) {
		memset(ip, 0, ZROCE_IPV6_HDR_LEN);
		ip[0] = 0x60;
		put16(ip + 4, udp_len);
		ip[6] = 17;			/* UDP */
		ip[7] = 64;
		memcpy(ip + 8, v6, 16);
		memcpy(ip + 24, v6, 16);
		ip[39] = 2;
		return ZROCE_IPV6_HDR_LEN;
	}
	memset(ip, 0, ZROCE_IPV4_HDR_LEN);
	ip[0] = 0x45;
	put16(ip + 2, ZROCE_IPV4_HDR_LEN + udp_len);
	ip[6] = 0x40;				/* DF */
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\x0a\x0e\x00\x01\x0a\x0e\x00\x02", 8);
	put16(ip + 10, csum_fold(csum_add(0, ip, ZROCE_IPV4_HDR_LEN)));
	return ZROCE_IPV4_HDR_LEN;
}

static void put_udp_csum(u8 *ip, bool ipv6, u8 *udp, u32 udp_len)
{
	u32 sum = 17 + udp_len;
	u16 c;

	if (ipv6)
		sum = csum_add(sum, ip + 8, 32);
	else
		sum = csum_add(sum, ip + 12, 8);
	c = csum_fold(csum_add(sum, udp, udp_len));
	put16(udp + 6, c ? c : 0xffff);
}

/* Header fields for opcode op: distinct values, so layout errors show */
static void fill_hdr(struct zroce_hdr *h, u8 op, u32 payload_len)
{
	memset(h, 0, sizeof(*h));
	h->opcode = op;
	h->se = op & 1;
	h->ack_req = op & 2;
	h->pkey = 0xffff;
	h->dqpn = 0x123400 + op;
	h->psn = zroce_psn_add(0xfffff8, op % 16);	/* wraps */
	h->pad_cnt = zroce_pad_cnt(payload_len);
	h->va = 0x0102030405060700ULL + op;
	h->rkey = 0xa1a20000U + op;
	h->dma_len = 0x1000 + op;
	h->syndrome = (u8)(op & 1 ? ZROCE_AETH_NAK(ZROCE_NAK_REMOTE_ACCESS) :
			   ZROCE_AETH_ACK(op % 31));
	h->msn = 0x654300 + op;
	h->swap_add = 0x1111222233334444ULL + op;
	h->compare = 0x5555666677778888ULL + op;
	h->atomic_orig = 0x99990000aaaa0000ULL + op;
	h->imm = zroce_cpu_to_be32(0xbeef0000U + op);
	h->inv_rkey = 0xdead0000U + op;
	h->qkey = 0x11220000U + op;
	h->src_qp = 0x0abc00 + op;
}

/*
 * Payload bytes: 17 to 20 in the last packet of a message, so every pad
 * count occurs; Wireshark 4.0's RPC-over-RDMA heuristic calls a SEND Last
 * or Only with fewer than 16 bytes malformed, whatever its headers.
 */
static u32 payload_of(const struct zroce_opinfo *oi, u8 op)
{
	if (!(oi->mask & ZROCE_M_PAYLOAD))
		return 0;
	return oi->mask & ZROCE_M_LAST ? 17u + op % 4 : 16;
}

/* Build one frame; returns its length and fills h */
static u32 build_frame(u8 *f, u8 op, bool ipv6, struct zroce_hdr *h)
{
	const struct zroce_opinfo *oi = zroce_opinfo(op);
	u32 paylen = payload_of(oi, op), i, n, udp_len, l3;
	u8 *ip = f + ETH_LEN, *udp, *bth;

	fill_hdr(h, op, paylen);
	udp_len = ZROCE_UDP_HDR_LEN + oi->hdr_len + paylen + h->pad_cnt +
		  ZROCE_ICRC_LEN;
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	put16(f + 12, ipv6 ? 0x86dd : 0x0800);
	l3 = put_ip(ip, ipv6, udp_len);
	udp = ip + l3;
	put16(udp, 0xc000 + op);
	put16(udp + 2, ZROCE_UDP_PORT);
	put16(udp + 4, udp_len);
	put16(udp + 6, 0);
	bth = udp + ZROCE_UDP_HDR_LEN;
	n = zroce_hdr_build(bth, h);
	for (i = 0; i < paylen + h->pad_cnt; i++)
		bth[n++] = i < paylen ? (u8)('a' + i) : 0;
	zroce_icrc_put(bth + n, zroce_icrc(zroce_crc32_le_sw, ip, ipv6, udp,
					   bth, n));
	put_udp_csum(ip, ipv6, udp, udp_len);
	h->payload_len = paylen;
	h->mask = oi->mask;
	return ETH_LEN + l3 + udp_len;
}

static void print_hex(bool has, unsigned long long v)
{
	if (has)
		printf(" %llx", v);
	else
		printf(" -");
}

static void print_frame(unsigned int no, const struct zroce_hdr *h, u32 icrc)
{
	u32 m = h->mask;

	printf("%u %s %x %x %x %x", no, zroce_opinfo(h->opcode)->name,
	       h->opcode, h->dqpn, h->psn, h->pad_cnt);
	print_hex(m & (ZROCE_M_RETH | ZROCE_M_ATMETH), h->va);
	print_hex(m & (ZROCE_M_RETH | ZROCE_M_ATMETH), h->rkey);
	print_hex(m & ZROCE_M_RETH, h->dma_len);
	print_hex(m & ZROCE_M_AETH, h->syndrome);
	print_hex(m & ZROCE_M_AETH, h->msn);
	print_hex(m & ZROCE_M_DETH, h->qkey);
	print_hex(m & ZROCE_M_DETH, h->src_qp);
	print_hex(m & ZROCE_M_ATMETH, h->swap_add);
	print_hex(m & ZROCE_M_ATMETH, h->compare);
	print_hex(m & ZROCE_M_ATMACK, h->atomic_orig);
	print_hex(m & ZROCE_M_IMMDT, zroce_be32_to_cpu(h->imm));
	print_hex(m & ZROCE_M_IETH, h->inv_rkey);
	printf(" %x %x\n", icrc, h->payload_len);
}

static int write_record(FILE *out, const u8 *f, u32 len, unsigned int no)
{
	u8 rec[16];

	put32le(rec, 1700000000U + no);
	put32le(rec + 4, 0);
	put32le(rec + 8, len);
	put32le(rec + 12, len);
	return fwrite(rec, 1, 16, out) != 16 || fwrite(f, 1, len, out) != len;
}

static int write_frames(FILE *out)
{
	struct zroce_hdr h;
	unsigned int op, v6, no = 0;
	u8 f[FRAME_MAX];
	int err = 0;

	for (v6 = 0; v6 < 2; v6++) {
		for (op = 0; op < 256; op++) {
			u32 len;

			if (!zroce_opinfo((u8)op))
				continue;
			len = build_frame(f, (u8)op, v6, &h);
			err |= write_record(out, f, len, ++no);
			print_frame(no, &h, zroce_icrc_get(f + len - 4));
		}
	}
	return err;
}

int main(int argc, char **argv)
{
	u8 hdr[24] = { 0 };
	FILE *out;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: mkpcap FILE.pcap\n");
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	put32le(hdr, 0xa1b2c3d4);	/* pcap, microseconds */
	hdr[4] = 2;			/* version 2.4 */
	hdr[6] = 4;
	put32le(hdr + 16, 65535);	/* snaplen */
	put32le(hdr + 20, 1);		/* LINKTYPE_ETHERNET */
	err = fwrite(hdr, 1, sizeof(hdr), out) != sizeof(hdr);
	err |= write_frames(out);
	if (fclose(out) || err) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
