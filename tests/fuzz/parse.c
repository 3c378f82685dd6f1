// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * libFuzzer target: arbitrary bytes as a RoCEv2 UDP payload.  A packet that
 * zroce_hdr_parse() accepts is rebuilt with zroce_hdr_build(); the result
 * must equal the input with its reserved bits cleared, and must parse to
 * the same fields.  Build and run it with tests/fuzz/run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zroce/wire.h>

#include "../unit/hdr_eq.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void fail(const char *why, const struct zroce_hdr *h)
{
	fprintf(stderr, "fuzz_parse: opcode 0x%02x: %s\n", h->opcode, why);
	abort();
}

/* Clear what zroce_hdr_build() writes as zero and parse ignores */
static void clear_reserved(u8 *pkt, const struct zroce_hdr *h)
{
	pkt[ZROCE_BTH_RESV8A_OFF] = 0;		/* FECN, BECN, resv6 */
	pkt[8] &= 0x80;				/* resv7 */
	if (h->mask & ZROCE_M_DETH)
		pkt[ZROCE_BTH_LEN + 4] = 0;	/* DETH resv8 */
}

static void check_lengths(const struct zroce_hdr *h, u32 len)
{
	const struct zroce_opinfo *oi = zroce_opinfo(h->opcode);

	if ((u32)h->hdr_len + h->payload_len + h->pad_cnt + ZROCE_ICRC_LEN !=
	    len)
		fail("lengths do not add up", h);
	if (h->pad_cnt != zroce_pad_cnt(h->payload_len))
		fail("pad count", h);
	if (!oi || h->mask != oi->mask || h->hdr_len != oi->hdr_len ||
	    h->hdr_len > ZROCE_MAX_HDR_LEN)
		fail("opinfo", h);
	if (h->payload_len && !(h->mask & ZROCE_M_PAYLOAD))
		fail("payload on an opcode without", h);
}

static void check_rebuild(const u8 *data, u32 len, const struct zroce_hdr *h)
{
	u8 *want = malloc(len), *got = malloc(len);
	struct zroce_hdr h2;
	const char *diff;

	memcpy(want, data, len);
	clear_reserved(want, h);
	memcpy(got, data, len);
	if (zroce_hdr_build(got, h) != h->hdr_len)
		fail("build length", h);
	if (memcmp(got, want, len))
		fail("rebuilt bytes differ", h);
	if (zroce_hdr_parse(got, len, &h2))
		fail("rebuilt packet does not parse", h);
	diff = hdr_diff(h, &h2);
	if (diff)
		fail(diff, h);
	free(want);
	free(got);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct zroce_hdr h;
	u32 len = size > 0xffff ? 0xffff : (u32)size;	/* a UDP payload */
	int err = zroce_hdr_parse(data, len, &h);

	if (err) {
		if (err >= 0 || -err >= ZROCE_PARSE_NR_ERRS ||
		    !strcmp(zroce_parse_err_str(err), "unknown"))
			fail("error code", &h);
		return 0;
	}
	check_lengths(&h, len);
	check_rebuild(data, len, &h);
	return 0;
}
