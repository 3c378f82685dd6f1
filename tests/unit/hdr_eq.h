/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/* Compare two struct zroce_hdr field by field (unit tests, fuzzer). */
#ifndef ZROCE_TEST_HDR_EQ_H
#define ZROCE_TEST_HDR_EQ_H

#include <zroce/hdr.h>

#define HDR_DIFF(a, b, f)						\
	do {								\
		if ((a)->f != (b)->f)					\
			return #f;					\
	} while (0)

/* The name of the first field in which a and b differ, or NULL */
static inline const char *hdr_diff(const struct zroce_hdr *a,
				   const struct zroce_hdr *b)
{
	HDR_DIFF(a, b, opcode);
	HDR_DIFF(a, b, pad_cnt);
	HDR_DIFF(a, b, tver);
	HDR_DIFF(a, b, se);
	HDR_DIFF(a, b, mig);
	HDR_DIFF(a, b, ack_req);
	HDR_DIFF(a, b, pkey);
	HDR_DIFF(a, b, dqpn);
	HDR_DIFF(a, b, psn);
	HDR_DIFF(a, b, mask);
	HDR_DIFF(a, b, va);
	HDR_DIFF(a, b, rkey);
	HDR_DIFF(a, b, dma_len);
	HDR_DIFF(a, b, syndrome);
	HDR_DIFF(a, b, msn);
	HDR_DIFF(a, b, swap_add);
	HDR_DIFF(a, b, compare);
	HDR_DIFF(a, b, atomic_orig);
	HDR_DIFF(a, b, imm);
	HDR_DIFF(a, b, inv_rkey);
	HDR_DIFF(a, b, qkey);
	HDR_DIFF(a, b, src_qp);
	HDR_DIFF(a, b, hdr_len);
	HDR_DIFF(a, b, payload_len);
	return NULL;
}

#endif /* ZROCE_TEST_HDR_EQ_H */
