/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * What the RC test programs share: two QPs of one device connected to
 * each other (loopback), posting with checks, completions with deadlines,
 * data patterns.  A program includes expect.h, then this, once.
 */
#ifndef ZROCE_TESTS_RC_PAIR_H
#define ZROCE_TESTS_RC_PAIR_H
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <infiniband/verbs.h>

#include "expect.h"

#define WAIT_MS		5000	/* for a completion that must come */
#define QP_DEPTH	16
#define QP_SGES		4
#define QP_INLINE	64
#define CQ_DEPTH	256
#define PSN_REQ		0x1234
#define PSN_RESP	0xabcdef

static struct ibv_context *ctx;
static struct ibv_pd *pd;
static struct ibv_comp_channel *channel;
static union ibv_gid gid;
static int gid_index;

struct pair_opts {
	uint8_t rnr_retry;
	uint8_t min_rnr_timer;
	bool cq_ex;		/* ibv_create_cq_ex, with timestamps */
	uint8_t timeout;	/* local ACK timeout, 0: 14 (67 ms) */
};

static const struct pair_opts default_opts = {
	.rnr_retry = 7, .min_rnr_timer = 12,	/* infinite, 0.64 ms */
};

/* Two connected QPs: req sends, resp receives and answers. */
struct pair {
	struct ibv_cq *scq;	/* send completions of both */
	struct ibv_cq *rcq;	/* receive completions of both, on channel */
	struct ibv_cq_ex *scqx;	/* the same with cq_ex */
	struct ibv_cq_ex *rcqx;
	struct ibv_qp *req;
	struct ibv_qp *resp;
	uint32_t depth;		/* the smallest queue granted */
};

/* A pattern that differs at every shift of a multiple of 256 bytes. */
static inline void fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)((i * 31 + (i >> 8) + seed * 101) ^ seed);
}

static inline bool expect_same(int line, const uint8_t *got,
			       const uint8_t *want, size_t len)
{
	size_t i;

	for (i = 0; i < len && got[i] == want[i]; i++)
		;
	return EXPECT_AT(line, i == len, "byte %zu of %zu is 0x%02x, wanted "
			 "0x%02x", i, len, i < len ? got[i] : 0,
			 i < len ? want[i] : 0);
}
#define EXPECT_SAME(got, want, len) expect_same(__LINE__, got, want, len)
/* QP pairs */

static inline struct ibv_qp *qp_new(struct pair *p, uint32_t *depth)
{
	struct ibv_qp_init_attr init = {
		.send_cq = p->scq, .recv_cq = p->rcq, .qp_type = IBV_QPT_RC,
		.sq_sig_all = 0,
		.cap = { .max_send_wr = QP_DEPTH, .max_recv_wr = QP_DEPTH,
			 .max_send_sge = QP_SGES, .max_recv_sge = QP_SGES,
			 .max_inline_data = QP_INLINE },
	};
	struct ibv_qp *qp = ibv_create_qp(pd, &init);

	if (!EXPECT(qp, "create_qp: %s", strerror(errno)))
		return NULL;
	EXPECT(init.cap.max_inline_data >= QP_INLINE, "inline %u",
	       init.cap.max_inline_data);
	*depth = init.cap.max_send_wr < init.cap.max_recv_wr ?
		 init.cap.max_send_wr : init.cap.max_recv_wr;
	return qp;
}

static inline int qp_init(struct ibv_qp *qp)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT, .port_num = 1,
		.qp_access_flags = IBV_ACCESS_REMOTE_WRITE |
				   IBV_ACCESS_REMOTE_READ |
				   IBV_ACCESS_REMOTE_ATOMIC,
	};

	return ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			     IBV_QP_PORT | IBV_QP_ACCESS_FLAGS);
}

static inline int qp_rtr(struct ibv_qp *qp, uint32_t dest_qpn,
			 uint32_t rq_psn, const struct pair_opts *o)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_RTR, .path_mtu = IBV_MTU_1024,
		.dest_qp_num = dest_qpn, .rq_psn = rq_psn,
		.max_dest_rd_atomic = 4, .min_rnr_timer = o->min_rnr_timer,
		.ah_attr = {
			.is_global = 1, .port_num = 1,
			.grh = { .dgid = gid, .sgid_index = gid_index,
				 .hop_limit = 64 },
		},
	};

	return ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV |
			     IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
			     IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC |
			     IBV_QP_MIN_RNR_TIMER);
}

static inline int qp_rts(struct ibv_qp *qp, uint32_t sq_psn,
			 const struct pair_opts *o)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_RTS, .timeout = o->timeout ?: 14,
		.retry_cnt = 7,
		.rnr_retry = o->rnr_retry, .sq_psn = sq_psn,
		.max_rd_atomic = 4,
	};

	return ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT |
			     IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY |
			     IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC);
}

/* RESET -> RTS, talking to the QP dest_qpn that starts at PSN dest_psn. */
static inline bool qp_connect(struct ibv_qp *qp, uint32_t psn,
			      uint32_t dest_qpn, uint32_t dest_psn,
			      const struct pair_opts *o)
{
	int ret;

	ret = qp_init(qp);
	if (!EXPECT(!ret, "QP %u to INIT: %s", qp->qp_num, strerror(ret)))
		return false;
	ret = qp_rtr(qp, dest_qpn, dest_psn, o);
	if (!EXPECT(!ret, "QP %u to RTR: %s", qp->qp_num, strerror(ret)))
		return false;
	ret = qp_rts(qp, psn, o);
	return EXPECT(!ret, "QP %u to RTS: %s", qp->qp_num, strerror(ret));
}

static inline struct ibv_cq_ex *cq_ex_new(struct ibv_comp_channel *ch)
{
	struct ibv_cq_init_attr_ex a = {
		.cqe = CQ_DEPTH, .channel = ch,
		.wc_flags = IBV_WC_STANDARD_FLAGS |
			    IBV_WC_EX_WITH_COMPLETION_TIMESTAMP |
			    IBV_WC_EX_WITH_COMPLETION_TIMESTAMP_WALLCLOCK,
	};

	return ibv_create_cq_ex(ctx, &a);
}

static inline bool pair_new(struct pair *p, const struct pair_opts *o)
{
	uint32_t d1 = 0, d2 = 0;

	memset(p, 0, sizeof(*p));
	if (o->cq_ex) {
		p->scqx = cq_ex_new(NULL);
		p->rcqx = cq_ex_new(channel);
		if (!EXPECT(p->scqx && p->rcqx, "create_cq_ex: %s",
			    strerror(errno)))
			return false;
		p->scq = ibv_cq_ex_to_cq(p->scqx);
		p->rcq = ibv_cq_ex_to_cq(p->rcqx);
	} else {
		p->scq = ibv_create_cq(ctx, CQ_DEPTH, NULL, NULL, 0);
		p->rcq = ibv_create_cq(ctx, CQ_DEPTH, NULL, channel, 0);
	}
	if (!EXPECT(p->scq && p->rcq, "create_cq: %s", strerror(errno)))
		return false;
	p->req = qp_new(p, &d1);
	p->resp = qp_new(p, &d2);
	if (!p->req || !p->resp)
		return false;
	p->depth = d1 < d2 ? d1 : d2;
	return qp_connect(p->req, PSN_REQ, p->resp->qp_num, PSN_RESP, o) &&
	       qp_connect(p->resp, PSN_RESP, p->req->qp_num, PSN_REQ, o);
}

static inline void pair_free(struct pair *p)
{
	if (p->req)
		EXPECT(!ibv_destroy_qp(p->req), "destroy_qp");
	if (p->resp)
		EXPECT(!ibv_destroy_qp(p->resp), "destroy_qp");
	if (p->scq)
		EXPECT(!ibv_destroy_cq(p->scq), "destroy_cq");
	if (p->rcq)
		EXPECT(!ibv_destroy_cq(p->rcq), "destroy_cq");
}

static inline int qp_state(struct ibv_qp *qp)
{
	struct ibv_qp_init_attr init;
	struct ibv_qp_attr a;

	if (ibv_query_qp(qp, &a, IBV_QP_STATE, &init))
		return -1;
	return a.qp_state;
}

/* Posting and completions */

static inline bool post_send(int line, struct ibv_qp *qp,
			     struct ibv_send_wr *wr)
{
	struct ibv_send_wr *bad;
	int ret = ibv_post_send(qp, wr, &bad);

	return EXPECT_AT(line, !ret, "post_send wr_id %llu: %s",
			 (unsigned long long)wr->wr_id, strerror(ret));
}
#define POST_SEND(qp, wr) post_send(__LINE__, qp, wr)

static inline bool post_recv(int line, struct ibv_qp *qp, uint64_t wr_id,
			     struct ibv_sge *sg, int num_sge)
{
	struct ibv_recv_wr wr = {
		.wr_id = wr_id, .sg_list = sg, .num_sge = num_sge,
	};
	struct ibv_recv_wr *bad;
	int ret = ibv_post_recv(qp, &wr, &bad);

	return EXPECT_AT(line, !ret, "post_recv wr_id %llu: %s",
			 (unsigned long long)wr_id, strerror(ret));
}
#define POST_RECV(qp, id, sg, n) post_recv(__LINE__, qp, id, sg, n)


static inline enum ibv_wc_opcode wc_opcode(enum ibv_wr_opcode op)
{
	switch (op) {
	case IBV_WR_RDMA_WRITE:
	case IBV_WR_RDMA_WRITE_WITH_IMM:
		return IBV_WC_RDMA_WRITE;
	case IBV_WR_RDMA_READ:
		return IBV_WC_RDMA_READ;
	case IBV_WR_ATOMIC_CMP_AND_SWP:
		return IBV_WC_COMP_SWAP;
	case IBV_WR_ATOMIC_FETCH_AND_ADD:
		return IBV_WC_FETCH_ADD;
	case IBV_WR_ATOMIC_WRITE:
		return IBV_WC_ATOMIC_WRITE;
	default:
		return IBV_WC_SEND;
	}
}

/*
 * The next completion of cq must come within WAIT_MS and be wr_id's, with
 * status, and opcode if it succeeded.  wc (may be NULL) gets it.
 */
static inline bool expect_wc(int line, struct ibv_cq *cq, uint64_t wr_id,
			     enum ibv_wc_status status, enum ibv_wc_opcode opcode,
			     struct ibv_wc *wc)
{
	unsigned long long id = wr_id;
	struct ibv_wc tmp;
	bool ok;

	if (!wc)
		wc = &tmp;
	if (!EXPECT_AT(line, poll_one(cq, wc, WAIT_MS) == 1,
		       "no completion of wr_id %llu in %d ms", id, WAIT_MS))
		return false;
	ok = EXPECT_AT(line, wc->wr_id == wr_id, "wr_id %llu, wanted %llu",
		       (unsigned long long)wc->wr_id, id);
	ok &= EXPECT_AT(line, wc->status == status,
			"wr_id %llu: status %s, wanted %s", id,
			ibv_wc_status_str(wc->status),
			ibv_wc_status_str(status));
	if (ok && status == IBV_WC_SUCCESS)
		ok = EXPECT_AT(line, wc->opcode == opcode,
			       "wr_id %llu: opcode %d, wanted %d", id,
			       wc->opcode, opcode);
	return ok;
}
#define EXPECT_WC(cq, id, st, op, wc) expect_wc(__LINE__, cq, id, st, op, wc)

/* A receive completion of wr_id, successful, with opcode and byte_len. */
static inline bool expect_recv(int line, struct pair *p, uint64_t wr_id,
			       enum ibv_wc_opcode opcode, uint32_t len,
			       struct ibv_wc *wc)
{
	struct ibv_wc tmp;

	if (!wc)
		wc = &tmp;
	if (!expect_wc(line, p->rcq, wr_id, IBV_WC_SUCCESS, opcode, wc))
		return false;
	return EXPECT_AT(line, wc->byte_len == len, "byte_len %u, wanted %u",
			 wc->byte_len, len);
}
#define EXPECT_RECV(p, id, op, len, wc) \
	expect_recv(__LINE__, p, id, op, len, wc)

/* Post wr signalled on the requester; its completion must have status. */
static inline bool send_wait(int line, struct pair *p, struct ibv_send_wr *wr,
			     enum ibv_wc_status status)
{
	wr->send_flags |= IBV_SEND_SIGNALED;
	return post_send(line, p->req, wr) &&
	       expect_wc(line, p->scq, wr->wr_id, status,
			 wc_opcode(wr->opcode), NULL);
}
#define SEND_WAIT(p, wr, st) send_wait(__LINE__, p, wr, st)

#endif /* ZROCE_TESTS_RC_PAIR_H */
