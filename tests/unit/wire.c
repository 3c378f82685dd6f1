// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Host tests of include/zroce/wire.h: the opcode table, build/parse round
 * trips of every opcode, every parse error, PSN wrap, AETH and RNR timers.
 */
#include <stdlib.h>
#include <string.h>

#include <zroce/wire.h>

#include "check.h"
#include "hdr_eq.h"

#define MAX_PAYLOAD	300
#define PKT_MAX		(ZROCE_MAX_HDR_LEN + MAX_PAYLOAD + 3 + ZROCE_ICRC_LEN)

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static const u8 spoken[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16,
	0x17, 0x1d, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
	0x2a, 0x2b, 0x64, 0x65,
};

static bool is_spoken(unsigned int op)
{
	return memchr(spoken, (int)op, sizeof(spoken)) != NULL;
}

static unsigned int bits(u32 v)
{
	return (unsigned int)__builtin_popcount(v);
}

static void test_opinfo_one(unsigned int op, const struct zroce_opinfo *oi)
{
	u32 m = oi->mask;

	CHECK_EQ(oi->hdr_len, ZROCE_HDR_LEN_OF(m));
	CHECK(oi->hdr_len <= ZROCE_MAX_HDR_LEN);
	CHECK_EQ(bits(m & (ZROCE_M_RC | ZROCE_M_UC | ZROCE_M_UD)), 1);
	CHECK_EQ(bits(m & (ZROCE_M_REQ | ZROCE_M_ACK_PKT)), 1);
	CHECK_EQ(bits(m & (ZROCE_M_SEND | ZROCE_M_WRITE | ZROCE_M_READ_REQ |
			   ZROCE_M_READ_RESP | ZROCE_M_ATOMIC)), op == 0x11 ||
		 op == 0x12 ? 0 : 1);
	CHECK_EQ(!!(m & ZROCE_M_PAYLOAD), !!(m & (ZROCE_M_SEND |
			ZROCE_M_WRITE | ZROCE_M_READ_RESP)));
	CHECK(!(m & ZROCE_M_MIDDLE) || !(m & ZROCE_M_ONLY));
	CHECK(m & (ZROCE_M_FIRST | ZROCE_M_MIDDLE | ZROCE_M_LAST));
	CHECK_EQ(!!(m & ZROCE_M_DETH), !!(m & ZROCE_M_UD));
	CHECK(!strncmp(oi->name, m & ZROCE_M_RC ? "RC_" : m & ZROCE_M_UC ?
		       "UC_" : "UD_", 3));
}

static void test_opinfo(void)
{
	unsigned int op, n = 0, max = 0;

	for (op = 0; op < 256; op++) {
		const struct zroce_opinfo *oi = zroce_opinfo((u8)op);

		CHECK_EQ(oi != NULL, is_spoken(op));
		if (!oi)
			continue;
		n++;
		test_opinfo_one(op, oi);
		if (oi->hdr_len > max)
			max = oi->hdr_len;
	}
	CHECK_EQ(n, sizeof(spoken));
	CHECK_EQ(max, ZROCE_MAX_HDR_LEN);
	CHECK_EQ(zroce_opinfo(ZROCE_OP_RC_SEND_MIDDLE)->hdr_len, 12);
	CHECK_EQ(zroce_opinfo(ZROCE_OP_RC_RDMA_WRITE_ONLY_IMM)->hdr_len, 32);
	CHECK_EQ(zroce_opinfo(ZROCE_OP_RC_RDMA_READ_RESPONSE_MIDDLE)->hdr_len,
		 12);
	CHECK_EQ(zroce_opinfo(ZROCE_OP_RC_ATOMIC_ACK)->hdr_len, 24);
	CHECK_EQ(zroce_opinfo(ZROCE_OP_RC_FETCH_ADD)->hdr_len, 40);
	CHECK_EQ(zroce_opinfo(ZROCE_OP_RC_SEND_ONLY_INV)->hdr_len, 16);
	CHECK_EQ(zroce_opinfo(ZROCE_OP_UD_SEND_ONLY_IMM)->hdr_len, 24);
	CHECK(!strcmp(zroce_opinfo(ZROCE_OP_UC_RDMA_WRITE_LAST_IMM)->name,
		      "UC_RDMA_WRITE_LAST_IMM"));
	CHECK_EQ(zroce_opinfo(ZROCE_OP_RC_ACK)->mask & ZROCE_M_ONLY,
		 ZROCE_M_ONLY);
	CHECK(!zroce_opinfo(0x15) && !zroce_opinfo(ZROCE_OP_CNP));
}

/* Random header fields for op, and a payload length it may carry */
static void random_hdr(u8 op, struct zroce_hdr *h)
{
	const struct zroce_opinfo *oi = zroce_opinfo(op);
	u32 len = 0;

	memset(h, 0, sizeof(*h));
	h->opcode = op;
	h->se = rnd() & 1;
	h->mig = rnd() & 1;
	h->ack_req = rnd() & 1;
	h->pkey = (u16)rnd();
	h->dqpn = (u32)rnd() & ZROCE_BTH_QPN_MASK;
	h->psn = (u32)rnd() & ZROCE_PSN_MASK;
	h->va = rnd();
	h->rkey = (u32)rnd();
	h->dma_len = (u32)rnd();
	h->syndrome = (u8)rnd();
	h->msn = (u32)rnd() & ZROCE_AETH_MSN_MASK;
	h->swap_add = rnd();
	h->compare = rnd();
	h->atomic_orig = rnd();
	h->imm = (__be32)rnd();
	h->inv_rkey = (u32)rnd();
	h->qkey = (u32)rnd();
	h->src_qp = (u32)rnd() & ZROCE_DETH_SQP_MASK;
	if (oi->mask & ZROCE_M_PAYLOAD) {
		len = (u32)(rnd() % (MAX_PAYLOAD + 1));
		if (!(oi->mask & ZROCE_M_LAST))
			len &= ~3U;
	}
	h->payload_len = len;
	h->pad_cnt = zroce_pad_cnt(len);
	h->hdr_len = oi->hdr_len;
	h->mask = oi->mask;
}

/* What parse must return for h: the fields of absent headers zeroed */
static void expected_hdr(const struct zroce_hdr *h, struct zroce_hdr *e)
{
	u32 m = h->mask;

	*e = *h;
	if (!(m & (ZROCE_M_RETH | ZROCE_M_ATMETH))) {
		e->va = 0;
		e->rkey = 0;
	}
	if (!(m & ZROCE_M_RETH))
		e->dma_len = 0;
	if (!(m & ZROCE_M_AETH))
		e->syndrome = e->msn = 0;
	if (!(m & ZROCE_M_ATMETH))
		e->swap_add = e->compare = 0;
	if (!(m & ZROCE_M_ATMACK))
		e->atomic_orig = 0;
	if (!(m & ZROCE_M_IMMDT))
		e->imm = 0;
	if (!(m & ZROCE_M_IETH))
		e->inv_rkey = 0;
	if (!(m & ZROCE_M_DETH))
		e->qkey = e->src_qp = 0;
}

static void check_hdr_eq(const struct zroce_hdr *a, const struct zroce_hdr *b)
{
	const char *f = hdr_diff(a, b);

	if (f) {
		fprintf(stderr, "opcode 0x%02x: %s differs\n", b->opcode, f);
		check_failures++;
	}
}

/* Build a whole UDP payload for h into buf; returns its length */
static u32 build_pkt(u8 *buf, const struct zroce_hdr *h)
{
	u32 n = zroce_hdr_build(buf, h);

	CHECK_EQ(n, h->hdr_len);
	memset(buf + n, 0xa5, h->payload_len);
	n += h->payload_len;
	memset(buf + n, 0, h->pad_cnt + ZROCE_ICRC_LEN);
	return n + h->pad_cnt + ZROCE_ICRC_LEN;
}

/* Parse len bytes of pkt from a buffer of exactly that size */
static int parse_exact(const u8 *pkt, u32 len, struct zroce_hdr *h)
{
	u8 *copy = malloc(len ? len : 1);
	int err;

	memcpy(copy, pkt, len);
	err = zroce_hdr_parse(copy, len, h);
	free(copy);
	return err;
}

static void test_round_trip(void)
{
	struct zroce_hdr h, e, p;
	u8 buf[PKT_MAX];
	unsigned int i, k;

	for (i = 0; i < sizeof(spoken); i++) {
		for (k = 0; k < 200; k++) {
			u32 len;

			random_hdr(spoken[i], &h);
			len = build_pkt(buf, &h);
			CHECK_EQ(parse_exact(buf, len, &p), 0);
			expected_hdr(&h, &e);
			check_hdr_eq(&p, &e);
		}
	}
}

/* What parsing the first len bytes of a packet of header h must give */
static int truncated_err(const struct zroce_hdr *h, u32 len)
{
	u32 rest;

	if (len < (u32)h->hdr_len + ZROCE_ICRC_LEN)
		return -ZROCE_PARSE_SHORT;
	if (len % 4)
		return -ZROCE_PARSE_LEN;
	rest = len - h->hdr_len - ZROCE_ICRC_LEN;
	return h->pad_cnt > rest ? -ZROCE_PARSE_PAD : 0;
}

static void test_truncation(void)
{
	struct zroce_hdr h, p;
	u8 buf[PKT_MAX];
	unsigned int i;
	u32 len, l;

	for (i = 0; i < sizeof(spoken); i++) {
		random_hdr(spoken[i], &h);
		len = build_pkt(buf, &h);
		for (l = 0; l < len; l++) {
			int err = parse_exact(buf, l, &p);

			CHECK_EQ(err, truncated_err(&h, l));
			if (!err)
				CHECK_EQ(p.payload_len,
					 l - h.hdr_len - 4 - h.pad_cnt);
		}
	}
}

static int parse_op(u8 op, u8 flags, u32 len)
{
	struct zroce_hdr h;
	u8 buf[PKT_MAX] = { op, flags };

	return parse_exact(buf, len, &h);
}

static void test_parse_errors(void)
{
	unsigned int op, t, pad;

	for (op = 0; op < 256; op++)
		if (!is_spoken(op))
			CHECK_EQ(parse_op((u8)op, 0, 64), -ZROCE_PARSE_OPCODE);
	for (t = 1; t < 16; t++)
		CHECK_EQ(parse_op(ZROCE_OP_RC_SEND_ONLY, (u8)t, 16),
			 -ZROCE_PARSE_TVER);
	CHECK_EQ(parse_op(ZROCE_OP_RC_SEND_ONLY, 0, 15), -ZROCE_PARSE_SHORT);
	CHECK_EQ(parse_op(0x15, 0, 15), -ZROCE_PARSE_SHORT);
	CHECK_EQ(parse_op(ZROCE_OP_RC_SEND_ONLY, 0, 17), -ZROCE_PARSE_LEN);
	CHECK_EQ(parse_op(ZROCE_OP_RC_ACK, 0, 20), 0);
	CHECK_EQ(parse_op(ZROCE_OP_RC_ACK, 0, 24), -ZROCE_PARSE_PAYLOAD);
	CHECK_EQ(parse_op(ZROCE_OP_RC_RDMA_READ_REQUEST, 0, 36),
		 -ZROCE_PARSE_PAYLOAD);
	for (pad = 1; pad < 4; pad++) {
		u8 f = (u8)(pad << ZROCE_BTH_PAD_SHIFT);

		CHECK_EQ(parse_op(ZROCE_OP_RC_SEND_ONLY, f, 16),
			 -ZROCE_PARSE_PAD);
		CHECK_EQ(parse_op(ZROCE_OP_RC_SEND_ONLY, f, 20), 0);
		CHECK_EQ(parse_op(ZROCE_OP_RC_SEND_FIRST, f, 20),
			 -ZROCE_PARSE_PAD);
		CHECK_EQ(parse_op(ZROCE_OP_UC_RDMA_WRITE_MIDDLE, f, 20),
			 -ZROCE_PARSE_PAD);
		CHECK_EQ(parse_op(ZROCE_OP_RC_RDMA_READ_RESPONSE_FIRST, f, 24),
			 -ZROCE_PARSE_PAD);
		CHECK_EQ(parse_op(ZROCE_OP_RC_ACK, f, 20), -ZROCE_PARSE_PAD);
		CHECK_EQ(parse_op(ZROCE_OP_RC_CMP_SWAP, f, 44),
			 -ZROCE_PARSE_PAD);
	}
	CHECK(!strcmp(zroce_parse_err_str(-ZROCE_PARSE_PAD), "pad"));
	CHECK(!strcmp(zroce_parse_err_str(0), "ok"));
	CHECK(!strcmp(zroce_parse_err_str(-ZROCE_PARSE_NR_ERRS), "unknown"));
	CHECK(!strcmp(zroce_parse_err_str(-2147483647 - 1), "unknown"));
}

/* Reserved and congestion bits are ignored on receive, zero on build */
static void test_reserved_bits(void)
{
	struct zroce_hdr h, p;
	u8 buf[PKT_MAX];
	u32 len;

	random_hdr(ZROCE_OP_UD_SEND_ONLY, &h);
	len = build_pkt(buf, &h);
	CHECK_EQ(buf[4] | (buf[8] & 0x7f) | buf[16], 0);
	buf[4] = 0xff;			/* FECN, BECN, resv6 */
	buf[8] |= 0x7f;			/* resv7 */
	buf[16] = 0xff;			/* DETH resv8 */
	CHECK_EQ(parse_exact(buf, len, &p), 0);
	CHECK_EQ(p.dqpn, h.dqpn);
	CHECK_EQ(p.psn, h.psn);
	CHECK_EQ(p.ack_req, h.ack_req);
	CHECK_EQ(p.src_qp, h.src_qp);

	h.dqpn = 0xff000001;		/* only 24 bits go out */
	h.psn = 0xfe000002;
	h.src_qp = 0xfd000003;
	h.tver = 5;			/* TVer is always 0 */
	build_pkt(buf, &h);
	CHECK_EQ(parse_exact(buf, len, &p), 0);
	CHECK_EQ(p.dqpn, 1);
	CHECK_EQ(p.psn, 2);
	CHECK_EQ(p.src_qp, 3);
	CHECK_EQ(p.tver, 0);
}

/* Exact bytes of an RDMA WRITE Only with Immediate */
static void test_golden(void)
{
	static const u8 want[] = {
		0x0b, 0xd0, 0x12, 0x34, 0x00, 0xab, 0xcd, 0xef,
		0x80, 0x01, 0x02, 0x03,
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x00, 0x00, 0xca, 0xfe, 0x00, 0x00, 0x10, 0x00,
		0xde, 0xad, 0xbe, 0xef,
	};
	struct zroce_hdr h = {
		.opcode = ZROCE_OP_RC_RDMA_WRITE_ONLY_IMM, .se = true,
		.mig = true, .pad_cnt = 1, .pkey = 0x1234, .dqpn = 0xabcdef,
		.ack_req = true, .psn = 0x010203, .va = 0x1122334455667788ULL,
		.rkey = 0xcafe, .dma_len = 4096,
	};
	u8 buf[ZROCE_MAX_HDR_LEN];

	memcpy(&h.imm, "\xde\xad\xbe\xef", 4);
	CHECK_EQ(zroce_hdr_build(buf, &h), sizeof(want));
	CHECK(!memcmp(buf, want, sizeof(want)));
	h.opcode = ZROCE_OP_CNP;
	CHECK_EQ(zroce_hdr_build(buf, &h), 0);
}

static void test_psn(void)
{
	CHECK_EQ(zroce_psn_add(0xffffff, 1), 0);
	CHECK_EQ(zroce_psn_add(0xfffffe, 5), 3);
	CHECK_EQ(zroce_psn_add(7, 0x1000000), 7);
	CHECK_EQ(zroce_psn_diff(0, 0xffffff), 1);
	CHECK_EQ(zroce_psn_diff(0xffffff, 0), -1);
	CHECK_EQ(zroce_psn_diff(0x7fffff, 0), 0x7fffff);
	CHECK_EQ(zroce_psn_diff(0x800000, 0), -0x800000);
	CHECK_EQ(zroce_psn_diff(0, 0x800000), -0x800000);
	CHECK_EQ(zroce_psn_diff(0x000010, 0xfffff0), 0x20);
	CHECK_EQ(zroce_psn_diff(0x01000005, 3), 2);
	CHECK(zroce_psn_before(0xffffff, 0));
	CHECK(!zroce_psn_before(0, 0xffffff));
	CHECK(!zroce_psn_before(5, 5));
	CHECK(zroce_psn_before(0x100, 0x7fff00));
	CHECK(zroce_psn_before(0x100, 0x800100));	/* -2^23 */
	CHECK(!zroce_psn_before(0x100, 0x800101));	/* wraps to +2^23-1 */
}

static void test_aeth(void)
{
	unsigned int s, n[4] = { 0 };

	CHECK_EQ(ZROCE_AETH_ACK(ZROCE_AETH_CREDITS_INVALID), 0x1f);
	CHECK_EQ(ZROCE_AETH_RNR(14), 0x2e);
	CHECK_EQ(ZROCE_AETH_NAK(ZROCE_NAK_PSN_SEQ), 0x60);
	CHECK_EQ(ZROCE_AETH_NAK(ZROCE_NAK_REMOTE_ACCESS), 0x62);
	CHECK_EQ(ZROCE_AETH_NAK(ZROCE_NAK_INVALID_RD_REQ), 0x64);
	CHECK_EQ(zroce_aeth_type(ZROCE_AETH_RNR(3)), ZROCE_AETH_T_RNR);
	CHECK_EQ(zroce_aeth_type(0x45), ZROCE_AETH_T_RESERVED);
	CHECK_EQ(zroce_aeth_type(0x80), ZROCE_AETH_T_RESERVED);
	CHECK_EQ(zroce_aeth_value(ZROCE_AETH_NAK(ZROCE_NAK_REMOTE_OP)), 3);
	for (s = 0; s < 256; s++)
		n[zroce_aeth_type((u8)s)]++;
	CHECK_EQ(n[ZROCE_AETH_T_ACK], 32);
	CHECK_EQ(n[ZROCE_AETH_T_RNR], 32);
	CHECK_EQ(n[ZROCE_AETH_T_NAK], 32);
	CHECK_EQ(n[ZROCE_AETH_T_RESERVED], 160);
}

static void test_rnr_timer(void)
{
	unsigned int t;

	CHECK_EQ(zroce_rnr_timer_usec(0), 655360);
	CHECK_EQ(zroce_rnr_timer_usec(1), 10);
	CHECK_EQ(zroce_rnr_timer_usec(5), 60);
	CHECK_EQ(zroce_rnr_timer_usec(14), 1280);
	CHECK_EQ(zroce_rnr_timer_usec(18), 5120);
	CHECK_EQ(zroce_rnr_timer_usec(31), 491520);
	CHECK_EQ(zroce_rnr_timer_usec(32 + 1), 10);
	for (t = 2; t < 32; t++)
		CHECK(zroce_rnr_timer_usec((u8)t) >
		      zroce_rnr_timer_usec((u8)(t - 1)));
}

int main(void)
{
	test_opinfo();
	test_round_trip();
	test_truncation();
	test_parse_errors();
	test_reserved_bits();
	test_golden();
	test_psn();
	test_aeth();
	test_rnr_timer();
	return check_result("wire");
}
