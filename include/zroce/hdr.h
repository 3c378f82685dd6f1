/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Parse and build BTH plus extension headers.  Parsing checks everything
 * that the headers alone can tell (nothing about QPs, MRs or the PMTU) and
 * returns a reason the caller can count; building writes exactly the headers
 * that the opcode requires, in IBTA order: DETH, RETH, AtomicETH, AETH,
 * AtomicAckETH, ImmDt, IETH.
 */
#ifndef ZROCE_HDR_H
#define ZROCE_HDR_H

#include "layout.h"
#include "opcode.h"

/* The fields of a packet's headers, host order unless noted */
struct zroce_hdr {
	u8 opcode;
	u8 pad_cnt;
	u8 tver;
	bool se;
	bool mig;
	bool ack_req;
	u16 pkey;
	u32 dqpn;		/* 24 bits */
	u32 psn;		/* 24 bits */
	u32 mask;		/* zroce_opinfo(opcode)->mask */
	u64 va;			/* RETH, or AtomicETH's */
	u32 rkey;		/* RETH, or AtomicETH's */
	u32 dma_len;		/* RETH */
	u8 syndrome;		/* AETH */
	u32 msn;		/* AETH, 24 bits */
	u64 swap_add;		/* AtomicETH */
	u64 compare;		/* AtomicETH */
	u64 atomic_orig;	/* AtomicAckETH */
	__be32 imm;		/* ImmDt, network order like verbs' imm_data */
	u32 inv_rkey;		/* IETH */
	u32 qkey;		/* DETH */
	u32 src_qp;		/* DETH, 24 bits */
	u16 hdr_len;		/* BTH and extension headers */
	u32 payload_len;	/* without pad and ICRC */
};

/*
 * Why zroce_hdr_parse() refused a packet; it returns the negative value,
 * so a counter array indexed by -err works.
 */
enum zroce_parse_err {
	ZROCE_PARSE_OK,
	ZROCE_PARSE_SHORT,	/* shorter than its headers and ICRC */
	ZROCE_PARSE_OPCODE,	/* an opcode zroce does not speak */
	ZROCE_PARSE_TVER,	/* transport version not 0 */
	ZROCE_PARSE_LEN,	/* length not a multiple of 4 */
	ZROCE_PARSE_PAYLOAD,	/* payload on an opcode that has none */
	ZROCE_PARSE_PAD,	/* pad where none may be, or beyond payload */
	ZROCE_PARSE_NR_ERRS
};

static inline const char *zroce_parse_err_str(int err)
{
	static const char * const str[] = {
		[ZROCE_PARSE_OK] = "ok",
		[ZROCE_PARSE_SHORT] = "short",
		[ZROCE_PARSE_OPCODE] = "opcode",
		[ZROCE_PARSE_TVER] = "tver",
		[ZROCE_PARSE_LEN] = "len",
		[ZROCE_PARSE_PAYLOAD] = "payload",
		[ZROCE_PARSE_PAD] = "pad",
	};

	if (err <= -ZROCE_PARSE_NR_ERRS || err >= ZROCE_PARSE_NR_ERRS)
		return "unknown";
	return str[err < 0 ? -err : err];
}

/* Pad bytes after payload_len bytes of payload */
static inline u8 zroce_pad_cnt(u32 payload_len)
{
	return (u8)(-payload_len & 3);
}

static inline void zroce_bth_get(const void *p, struct zroce_hdr *h)
{
	const struct zroce_bth *bth = p;
	u32 qpn = zroce_be32_to_cpu(bth->qpn);
	u32 apsn = zroce_be32_to_cpu(bth->apsn);

	h->opcode = bth->opcode;
	h->se = bth->flags & ZROCE_BTH_SE;
	h->mig = bth->flags & ZROCE_BTH_MIG;
	h->pad_cnt = (bth->flags & ZROCE_BTH_PAD_MASK) >> ZROCE_BTH_PAD_SHIFT;
	h->tver = bth->flags & ZROCE_BTH_TVER_MASK;
	h->pkey = zroce_be16_to_cpu(bth->pkey);
	/* FECN, BECN and resv6 (byte 4) and resv7 are ignored */
	h->dqpn = qpn & ZROCE_BTH_QPN_MASK;
	h->ack_req = apsn & ZROCE_BTH_ACK_REQ;
	h->psn = apsn & ZROCE_BTH_PSN_MASK;
}

static inline void zroce_bth_put(void *p, const struct zroce_hdr *h)
{
	struct zroce_bth *bth = p;
	u8 flags = (h->pad_cnt << ZROCE_BTH_PAD_SHIFT) & ZROCE_BTH_PAD_MASK;

	if (h->se)
		flags |= ZROCE_BTH_SE;
	if (h->mig)
		flags |= ZROCE_BTH_MIG;
	bth->opcode = h->opcode;
	bth->flags = flags;	/* TVer 0 */
	bth->pkey = zroce_cpu_to_be16(h->pkey);
	bth->qpn = zroce_cpu_to_be32(h->dqpn & ZROCE_BTH_QPN_MASK);
	bth->apsn = zroce_cpu_to_be32((h->psn & ZROCE_BTH_PSN_MASK) |
				      (h->ack_req ? ZROCE_BTH_ACK_REQ : 0));
}

/* Read the extension headers of mask from p; returns past the last one */
static inline const u8 *zroce_eth_get(const u8 *p, u32 mask,
				      struct zroce_hdr *h)
{
	if (mask & ZROCE_M_DETH) {
		const struct zroce_deth *deth = (const void *)p;

		h->qkey = zroce_be32_to_cpu(deth->qkey);
		h->src_qp = zroce_be32_to_cpu(deth->sqp) & ZROCE_DETH_SQP_MASK;
		p += ZROCE_DETH_LEN;
	}
	if (mask & ZROCE_M_RETH) {
		const struct zroce_reth *reth = (const void *)p;

		h->va = zroce_be64_to_cpu(reth->va);
		h->rkey = zroce_be32_to_cpu(reth->rkey);
		h->dma_len = zroce_be32_to_cpu(reth->len);
		p += ZROCE_RETH_LEN;
	}
	if (mask & ZROCE_M_ATMETH) {
		const struct zroce_atmeth *at = (const void *)p;

		h->va = zroce_be64_to_cpu(at->va);
		h->rkey = zroce_be32_to_cpu(at->rkey);
		h->swap_add = zroce_be64_to_cpu(at->swap_add);
		h->compare = zroce_be64_to_cpu(at->compare);
		p += ZROCE_ATMETH_LEN;
	}
	if (mask & ZROCE_M_AETH) {
		const struct zroce_aeth *aeth = (const void *)p;
		u32 smsn = zroce_be32_to_cpu(aeth->smsn);

		h->syndrome = (u8)(smsn >> 24);
		h->msn = smsn & ZROCE_AETH_MSN_MASK;
		p += ZROCE_AETH_LEN;
	}
	if (mask & ZROCE_M_ATMACK) {
		const struct zroce_atmack *ack = (const void *)p;

		h->atomic_orig = zroce_be64_to_cpu(ack->orig);
		p += ZROCE_ATMACK_LEN;
	}
	if (mask & ZROCE_M_IMMDT) {
		const struct zroce_immdt *immdt = (const void *)p;

		h->imm = immdt->imm;
		p += ZROCE_IMMDT_LEN;
	}
	if (mask & ZROCE_M_IETH) {
		const struct zroce_ieth *ieth = (const void *)p;

		h->inv_rkey = zroce_be32_to_cpu(ieth->rkey);
		p += ZROCE_IETH_LEN;
	}
	return p;
}

/* Write the extension headers of mask to p; returns past the last one */
static inline u8 *zroce_eth_put(u8 *p, u32 mask, const struct zroce_hdr *h)
{
	if (mask & ZROCE_M_DETH) {
		struct zroce_deth *deth = (void *)p;

		deth->qkey = zroce_cpu_to_be32(h->qkey);
		deth->sqp = zroce_cpu_to_be32(h->src_qp & ZROCE_DETH_SQP_MASK);
		p += ZROCE_DETH_LEN;
	}
	if (mask & ZROCE_M_RETH) {
		struct zroce_reth *reth = (void *)p;

		reth->va = zroce_cpu_to_be64(h->va);
		reth->rkey = zroce_cpu_to_be32(h->rkey);
		reth->len = zroce_cpu_to_be32(h->dma_len);
		p += ZROCE_RETH_LEN;
	}
	if (mask & ZROCE_M_ATMETH) {
		struct zroce_atmeth *at = (void *)p;

		at->va = zroce_cpu_to_be64(h->va);
		at->rkey = zroce_cpu_to_be32(h->rkey);
		at->swap_add = zroce_cpu_to_be64(h->swap_add);
		at->compare = zroce_cpu_to_be64(h->compare);
		p += ZROCE_ATMETH_LEN;
	}
	if (mask & ZROCE_M_AETH) {
		struct zroce_aeth *aeth = (void *)p;

		aeth->smsn = zroce_cpu_to_be32((u32)h->syndrome << 24 |
					       (h->msn & ZROCE_AETH_MSN_MASK));
		p += ZROCE_AETH_LEN;
	}
	if (mask & ZROCE_M_ATMACK) {
		struct zroce_atmack *ack = (void *)p;

		ack->orig = zroce_cpu_to_be64(h->atomic_orig);
		p += ZROCE_ATMACK_LEN;
	}
	if (mask & ZROCE_M_IMMDT) {
		struct zroce_immdt *immdt = (void *)p;

		immdt->imm = h->imm;
		p += ZROCE_IMMDT_LEN;
	}
	if (mask & ZROCE_M_IETH) {
		struct zroce_ieth *ieth = (void *)p;

		ieth->rkey = zroce_cpu_to_be32(h->inv_rkey);
		p += ZROCE_IETH_LEN;
	}
	return p;
}

/*
 * Check the lengths of a packet of opcode info oi whose UDP payload is len
 * bytes, and set h->payload_len.  len and the header lengths being
 * multiples of 4, pad_cnt always equals zroce_pad_cnt(payload_len).
 */
static inline int zroce_hdr_check_len(const struct zroce_opinfo *oi, u32 len,
				      struct zroce_hdr *h)
{
	u32 rest;

	if (len < (u32)oi->hdr_len + ZROCE_ICRC_LEN)
		return -ZROCE_PARSE_SHORT;
	if (len & 3)
		return -ZROCE_PARSE_LEN;
	rest = len - oi->hdr_len - ZROCE_ICRC_LEN;
	if (rest && !(oi->mask & ZROCE_M_PAYLOAD))
		return -ZROCE_PARSE_PAYLOAD;
	/* Only the last packet of a message is padded */
	if (h->pad_cnt > rest || (h->pad_cnt && !(oi->mask & ZROCE_M_LAST)))
		return -ZROCE_PARSE_PAD;
	h->payload_len = rest - h->pad_cnt;
	return 0;
}

/*
 * Parse the UDP payload buf of len bytes (BTH to ICRC, the ICRC included)
 * into h.  Returns 0, or a negative enum zroce_parse_err; h is then only
 * partly filled.  The payload starts at buf + h->hdr_len.
 */
static inline int zroce_hdr_parse(const void *buf, u32 len,
				  struct zroce_hdr *h)
{
	const struct zroce_opinfo *oi;
	int err;

	*h = (struct zroce_hdr){ 0 };
	if (len < ZROCE_BTH_LEN + ZROCE_ICRC_LEN)
		return -ZROCE_PARSE_SHORT;
	zroce_bth_get(buf, h);
	oi = zroce_opinfo(h->opcode);
	if (!oi)
		return -ZROCE_PARSE_OPCODE;
	if (h->tver)
		return -ZROCE_PARSE_TVER;
	err = zroce_hdr_check_len(oi, len, h);
	if (err)
		return err;
	h->mask = oi->mask;
	h->hdr_len = oi->hdr_len;
	zroce_eth_get((const u8 *)buf + ZROCE_BTH_LEN, oi->mask, h);
	return 0;
}

/*
 * Write the BTH and the extension headers that h->opcode requires to buf
 * (ZROCE_MAX_HDR_LEN bytes are enough) from h's fields; h->mask,
 * h->hdr_len, h->payload_len and h->tver are not read (TVer is 0).  Returns
 * the bytes written, or 0 if zroce does not speak h->opcode.
 */
static inline u16 zroce_hdr_build(void *buf, const struct zroce_hdr *h)
{
	const struct zroce_opinfo *oi = zroce_opinfo(h->opcode);

	if (!oi)
		return 0;
	zroce_bth_put(buf, h);
	zroce_eth_put((u8 *)buf + ZROCE_BTH_LEN, oi->mask, h);
	return oi->hdr_len;
}

#endif /* ZROCE_HDR_H */
