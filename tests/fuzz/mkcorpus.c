// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Write the fuzzer's seed corpus: a few valid UDP payloads (BTH to ICRC)
 * per opcode zroce speaks, one file each, named OPCODE_NAME-PAYLOAD_LEN.
 * Usage: mkcorpus DIR (tests/fuzz/run --corpus does it).
 */
#include <stdio.h>
#include <string.h>

#include <zroce/wire.h>

static int write_pkt(const char *dir, u8 op, u32 payload_len)
{
	const struct zroce_opinfo *oi = zroce_opinfo(op);
	struct zroce_hdr h = {
		.opcode = op, .se = op & 1, .ack_req = op & 2, .pkey = 0xffff,
		.dqpn = 0x000100 + op, .psn = 0xfffff0 + op % 16,
		.va = 0x7f0000001000ULL, .rkey = 0x1234, .dma_len = payload_len,
		.syndrome = ZROCE_AETH_ACK(ZROCE_AETH_CREDITS_INVALID),
		.msn = 7, .swap_add = 1, .compare = 2, .atomic_orig = 3,
		.inv_rkey = 0x5678, .qkey = 0x11111111, .src_qp = 0x11,
	};
	u8 pkt[ZROCE_MAX_HDR_LEN + 64 + 3 + ZROCE_ICRC_LEN];
	char path[4096];
	u32 n, i;
	FILE *f;

	h.pad_cnt = zroce_pad_cnt(payload_len);
	n = zroce_hdr_build(pkt, &h);
	for (i = 0; i < payload_len; i++)
		pkt[n++] = (u8)i;
	memset(pkt + n, 0, h.pad_cnt + ZROCE_ICRC_LEN);
	n += h.pad_cnt + ZROCE_ICRC_LEN;
	snprintf(path, sizeof(path), "%s/%s-%u", dir, oi->name, payload_len);
	f = fopen(path, "wb");
	if (!f || fwrite(pkt, 1, n, f) != n || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const u32 lens[] = { 0, 1, 4, 64 };
	unsigned int op, i;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR\n");
		return 2;
	}
	for (op = 0; op < 256; op++) {
		const struct zroce_opinfo *oi = zroce_opinfo((u8)op);

		for (i = 0; oi && i < sizeof(lens) / sizeof(lens[0]); i++) {
			if (lens[i] && !(oi->mask & ZROCE_M_PAYLOAD))
				break;
			if (lens[i] % 4 && !(oi->mask & ZROCE_M_LAST))
				continue;
			err |= write_pkt(argv[1], (u8)op, lens[i]);
		}
	}
	return err;
}
