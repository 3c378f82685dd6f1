// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * RC operations checked one by one, between two QPs of one device that are
 * connected to each other (loopback): inline SENDs, gather/scatter and
 * multi-packet SENDs and WRITEs, zero-length messages, immediate data,
 * unsignalled WRs, RNR retries and their exhaustion, remote access errors,
 * fences, solicited events, atomics, RDMA ATOMIC WRITE, and extended CQs
 * with completion timestamps.  Each case gets a fresh QP pair;
 * every wait has a deadline, so a lost completion fails a check instead of
 * hanging.
 *
 * Usage: rc_ops DEVICE GID_INDEX
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <infiniband/verbs.h>

#include "expect.h"
#include "rc_pair.h"

#define QUIET_MS	200	/* for an event that must not come */
#define BIG		10000	/* a multi-packet message at MTU 1024 */
#define BUF_LEN		16384	/* each registered buffer */
#define GUARD		0xa5	/* in bytes no operation may write */

static struct ibv_device_attr dev_attr;

/* A registered buffer. */
struct buf {
	uint8_t *p;
	struct ibv_mr *mr;
};

/*
 * Three gather sources, two scatter targets, a remote target, and one
 * remote buffer whose MR does not allow remote writes.
 */
static struct buf src[3], dst[2], rmt, rdonly;

/* Buffers and patterns */

static bool buf_new(struct buf *b, int access)
{
	b->p = aligned_alloc(4096, BUF_LEN);
	if (!EXPECT(b->p, "no memory"))
		return false;
	b->mr = ibv_reg_mr(pd, b->p, BUF_LEN, access);
	return EXPECT(b->mr, "reg_mr: %s", strerror(errno));
}

static void buf_free(struct buf *b)
{
	if (b->mr)
		ibv_dereg_mr(b->mr);
	free(b->p);
}

static struct ibv_sge sge_at(const struct buf *b, size_t off, uint32_t len)
{
	struct ibv_sge s = {
		.addr = (uintptr_t)(b->p + off),
		.length = len,
		.lkey = b->mr->lkey,
	};

	return s;
}

static void set_remote(struct ibv_send_wr *wr, const struct buf *b,
		       size_t off)
{
	wr->wr.rdma.remote_addr = (uintptr_t)(b->p + off);
	wr->wr.rdma.rkey = b->mr->rkey;
}

static bool guarded(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++ != GUARD)
			return false;
	return true;
}

static void bufs_reset(void)
{
	int i;

	for (i = 0; i < 3; i++)
		memset(src[i].p, GUARD, BUF_LEN);
	for (i = 0; i < 2; i++)
		memset(dst[i].p, GUARD, BUF_LEN);
	memset(rmt.p, GUARD, BUF_LEN);
	memset(rdonly.p, GUARD, BUF_LEN);
}

/* Copy the first len bytes the SGEs point to into out, in order. */
static void sges_read(uint8_t *out, const struct ibv_sge *sg, int n,
		      size_t len)
{
	size_t k;
	int i;

	for (i = 0; i < n && len; i++) {
		k = sg[i].length < len ? sg[i].length : len;
		memcpy(out, (const void *)(uintptr_t)sg[i].addr, k);
		out += k;
		len -= k;
	}
}

#define EXPECT_GUARDED(p, len) \
	EXPECT(guarded(p, len), "bytes no operation targets were written")

static bool expect_imm(int line, const struct ibv_wc *wc, __be32 imm)
{
	return EXPECT_AT(line, wc->wc_flags & IBV_WC_WITH_IMM,
			 "no IBV_WC_WITH_IMM: wc_flags 0x%x", wc->wc_flags) &&
	       EXPECT_AT(line, wc->imm_data == imm, "imm_data 0x%08x, "
			 "wanted 0x%08x (as sent, network order)",
			 be32toh(wc->imm_data), be32toh(imm));
}
#define EXPECT_IMM(wc, imm) expect_imm(__LINE__, wc, imm)

/* 1. Inline data is taken at post time. */
static void test_inline(struct pair *p)
{
	uint8_t data[QP_INLINE], want[QP_INLINE];
	struct ibv_sge sg[2] = {
		{ .addr = (uintptr_t)data, .length = 24 },
		{ .addr = (uintptr_t)(data + 24), .length = QP_INLINE - 24 },
	};
	struct ibv_sge r = sge_at(&dst[0], 0, 256);
	struct ibv_send_wr wr = {
		.wr_id = 10, .opcode = IBV_WR_SEND, .sg_list = sg,
		.num_sge = 2, .send_flags = IBV_SEND_INLINE | IBV_SEND_SIGNALED,
	};

	fill(want, sizeof(want), 1);
	memcpy(data, want, sizeof(data));
	if (!POST_RECV(p->resp, 11, &r, 1) || !POST_SEND(p->req, &wr))
		return;
	memset(data, 0, sizeof(data));	/* the WQE holds its own copy */
	EXPECT_WC(p->scq, 10, IBV_WC_SUCCESS, IBV_WC_SEND, NULL);
	if (!EXPECT_RECV(p, 11, IBV_WC_RECV, QP_INLINE, NULL))
		return;
	EXPECT_SAME(dst[0].p, want, QP_INLINE);
	EXPECT_GUARDED(dst[0].p + QP_INLINE, 256 - QP_INLINE);
}

/* BIG bytes in 3 SGEs of 3 MRs, at odd offsets; the data in want. */
static void big_gather(struct ibv_sge *sg, uint8_t *want)
{
	int i;

	for (i = 0; i < 3; i++)
		fill(src[i].p, BUF_LEN, 20 + i);
	sg[0] = sge_at(&src[0], 5, 3001);
	sg[1] = sge_at(&src[1], 100, 4000);
	sg[2] = sge_at(&src[2], 3, BIG - 7001);
	sges_read(want, sg, 3, BIG);
}

/* 2. A 10-packet SEND gathered from 3 SGEs, scattered into 2. */
static void test_send_sg(struct pair *p)
{
	static uint8_t want[BIG], got[BIG];
	struct ibv_sge sg[3], r[2];
	struct ibv_send_wr wr = {
		.wr_id = 20, .opcode = IBV_WR_SEND, .sg_list = sg, .num_sge = 3,
	};

	big_gather(sg, want);
	r[0] = sge_at(&dst[0], 7, 4321);
	r[1] = sge_at(&dst[1], 11, 6000);
	if (!POST_RECV(p->resp, 21, r, 2) ||
	    !SEND_WAIT(p, &wr, IBV_WC_SUCCESS) ||
	    !EXPECT_RECV(p, 21, IBV_WC_RECV, BIG, NULL))
		return;
	sges_read(got, r, 2, BIG);
	EXPECT_SAME(got, want, BIG);
	EXPECT_GUARDED(dst[0].p, 7);
	EXPECT_GUARDED(dst[0].p + 7 + 4321, BUF_LEN - 7 - 4321);
	EXPECT_GUARDED(dst[1].p, 11);
	EXPECT_GUARDED(dst[1].p + 11 + BIG - 4321, BUF_LEN - 11 - BIG + 4321);
}

/* 2. A 10-packet RDMA WRITE gathered from 3 SGEs. */
static void test_write_sg(struct pair *p)
{
	static uint8_t want[BIG];
	struct ibv_sge sg[3];
	struct ibv_send_wr wr = {
		.wr_id = 22, .opcode = IBV_WR_RDMA_WRITE, .sg_list = sg,
		.num_sge = 3,
	};

	big_gather(sg, want);
	set_remote(&wr, &rmt, 33);
	if (!SEND_WAIT(p, &wr, IBV_WC_SUCCESS))
		return;
	EXPECT_SAME(rmt.p + 33, want, BIG);
	EXPECT_GUARDED(rmt.p, 33);
	EXPECT_GUARDED(rmt.p + 33 + BIG, BUF_LEN - 33 - BIG);
}

/* 3. Zero-length SEND, WRITE with immediate and READ. */
static void test_zero_length(struct pair *p)
{
	__be32 imm = htobe32(0x01020304);
	struct ibv_sge r = sge_at(&dst[0], 0, 64);
	struct ibv_send_wr send = { .wr_id = 30, .opcode = IBV_WR_SEND };
	struct ibv_send_wr write = {
		.wr_id = 32, .opcode = IBV_WR_RDMA_WRITE_WITH_IMM,
		.imm_data = imm,
	};
	struct ibv_send_wr read = { .wr_id = 34, .opcode = IBV_WR_RDMA_READ };
	struct ibv_wc wc;

	if (POST_RECV(p->resp, 31, &r, 1) &&
	    SEND_WAIT(p, &send, IBV_WC_SUCCESS) &&
	    EXPECT_RECV(p, 31, IBV_WC_RECV, 0, NULL))
		EXPECT_GUARDED(dst[0].p, 64);

	set_remote(&write, &rmt, 0);
	if (POST_RECV(p->resp, 33, NULL, 0) &&
	    SEND_WAIT(p, &write, IBV_WC_SUCCESS) &&
	    EXPECT_RECV(p, 33, IBV_WC_RECV_RDMA_WITH_IMM, 0, &wc))
		EXPECT_IMM(&wc, imm);
	EXPECT_GUARDED(rmt.p, BUF_LEN);

	set_remote(&read, &rmt, 0);
	SEND_WAIT(p, &read, IBV_WC_SUCCESS);
}

/* 4. SEND with immediate data. */
static void test_send_imm(struct pair *p)
{
	__be32 imm = htobe32(0xa1b2c3d4);
	struct ibv_sge sg = sge_at(&src[0], 0, 100);
	struct ibv_sge r = sge_at(&dst[0], 0, 128);
	struct ibv_send_wr wr = {
		.wr_id = 40, .opcode = IBV_WR_SEND_WITH_IMM, .sg_list = &sg,
		.num_sge = 1, .imm_data = imm,
	};
	struct ibv_wc wc;

	fill(src[0].p, 100, 40);
	if (!POST_RECV(p->resp, 41, &r, 1) ||
	    !SEND_WAIT(p, &wr, IBV_WC_SUCCESS) ||
	    !EXPECT_RECV(p, 41, IBV_WC_RECV, 100, &wc))
		return;
	EXPECT_IMM(&wc, imm);
	EXPECT_SAME(dst[0].p, src[0].p, 100);
}

/* 4. A 2-packet RDMA WRITE with immediate consumes a receive WQE. */
static void test_write_imm(struct pair *p)
{
	__be32 imm = htobe32(0x5a6b7c8d);
	struct ibv_sge sg = sge_at(&src[0], 0, 2000);
	struct ibv_sge r = sge_at(&dst[0], 0, 64);
	struct ibv_send_wr wr = {
		.wr_id = 42, .opcode = IBV_WR_RDMA_WRITE_WITH_IMM,
		.sg_list = &sg, .num_sge = 1, .imm_data = imm,
	};
	struct ibv_wc wc;

	fill(src[0].p, 2000, 42);
	set_remote(&wr, &rmt, 8);
	if (!POST_RECV(p->resp, 43, &r, 1) ||
	    !SEND_WAIT(p, &wr, IBV_WC_SUCCESS) ||
	    !EXPECT_RECV(p, 43, IBV_WC_RECV_RDMA_WITH_IMM, 2000, &wc))
		return;
	EXPECT_IMM(&wc, imm);
	EXPECT_SAME(rmt.p + 8, src[0].p, 2000);
	EXPECT_GUARDED(rmt.p + 8 + 2000, 64);
	EXPECT_GUARDED(dst[0].p, 64);	/* the WQE's buffer is not used */
}

/* One round of test_unsignalled: n SENDs of 16 bytes, the last signalled */
static bool unsignalled_round(struct pair *p, uint32_t n, int round)
{
	uint64_t base = 1000 * (round + 1);
	struct ibv_send_wr wr = { .opcode = IBV_WR_SEND, .num_sge = 1 };
	struct ibv_sge sg, r;
	struct ibv_wc wc;
	uint32_t i;

	fill(src[0].p, 16 * n, 50 + round);
	for (i = 0; i < n; i++) {
		r = sge_at(&dst[0], 16 * i, 16);
		if (!POST_RECV(p->resp, base + i, &r, 1))
			return false;
	}
	for (i = 0; i < n; i++) {
		sg = sge_at(&src[0], 16 * i, 16);
		wr.wr_id = base + i;
		wr.sg_list = &sg;
		wr.send_flags = i == n - 1 ? IBV_SEND_SIGNALED : 0;
		if (!POST_SEND(p->req, &wr))
			return false;
	}
	if (!EXPECT_WC(p->scq, base + n - 1, IBV_WC_SUCCESS, IBV_WC_SEND, &wc))
		return false;
	EXPECT(ibv_poll_cq(p->scq, 1, &wc) == 0,
	       "a completion of unsignalled wr_id %llu",
	       (unsigned long long)wc.wr_id);
	for (i = 0; i < n; i++)
		if (!EXPECT_RECV(p, base + i, IBV_WC_RECV, 16, NULL))
			return false;
	return EXPECT_SAME(dst[0].p, src[0].p, 16 * n);
}

/* 5. Unsignalled SENDs give their SQ slots back without a completion. */
static void test_unsignalled(struct pair *p)
{
	uint32_t n = p->depth < 256 ? p->depth : 256;
	int round;

	for (round = 0; round < 4; round++)
		if (!unsignalled_round(p, n, round))
			break;
	EXPECT(round == 4, "round %d of 4 failed (%u WRs each)", round, n);
}

/* 6. A SEND waits in RNR retries (infinite) until a receive is posted. */
static void test_rnr_wait(struct pair *p)
{
	struct ibv_sge sg = sge_at(&src[0], 0, 512);
	struct ibv_sge r = sge_at(&dst[0], 0, 512);
	struct ibv_send_wr wr = {
		.wr_id = 60, .opcode = IBV_WR_SEND, .sg_list = &sg,
		.num_sge = 1, .send_flags = IBV_SEND_SIGNALED,
	};
	struct ibv_wc wc;

	fill(src[0].p, 512, 60);
	if (!POST_SEND(p->req, &wr))
		return;
	usleep(50000);
	EXPECT(ibv_poll_cq(p->scq, 1, &wc) == 0,
	       "wr_id %llu completed (%s) with no receive posted",
	       (unsigned long long)wc.wr_id, ibv_wc_status_str(wc.status));
	if (!POST_RECV(p->resp, 61, &r, 1) ||
	    !EXPECT_WC(p->scq, 60, IBV_WC_SUCCESS, IBV_WC_SEND, NULL) ||
	    !EXPECT_RECV(p, 61, IBV_WC_RECV, 512, NULL))
		return;
	EXPECT_SAME(dst[0].p, src[0].p, 512);
}

/* 6. With rnr_retry 0, the first RNR NAK fails the SEND and the QP. */
static void test_rnr_exceeded(struct pair *p)
{
	struct ibv_sge sg = sge_at(&src[0], 0, 64);
	struct ibv_send_wr wr = {
		.wr_id = 62, .opcode = IBV_WR_SEND, .sg_list = &sg,
		.num_sge = 1,
	};
	int state;

	if (!SEND_WAIT(p, &wr, IBV_WC_RNR_RETRY_EXC_ERR))
		return;
	state = qp_state(p->req);
	EXPECT(state == IBV_QPS_ERR, "QP state %d, wanted ERR", state);
	wr.wr_id = 63;
	SEND_WAIT(p, &wr, IBV_WC_WR_FLUSH_ERR);
}

/* 7. RDMA WRITE to an MR without IBV_ACCESS_REMOTE_WRITE. */
static void test_rem_write_access(struct pair *p)
{
	struct ibv_sge sg = sge_at(&src[0], 0, 64);
	struct ibv_send_wr wr = {
		.wr_id = 70, .opcode = IBV_WR_RDMA_WRITE, .sg_list = &sg,
		.num_sge = 1,
	};

	fill(src[0].p, 64, 70);
	set_remote(&wr, &rdonly, 0);
	SEND_WAIT(p, &wr, IBV_WC_REM_ACCESS_ERR);
	EXPECT_GUARDED(rdonly.p, BUF_LEN);
}

/* 7. RDMA READ of the last bytes of an MR, then across its end. */
static void test_rem_read_range(struct pair *p)
{
	struct ibv_sge sg = sge_at(&dst[0], 0, 64);
	struct ibv_send_wr wr = {
		.wr_id = 71, .opcode = IBV_WR_RDMA_READ, .sg_list = &sg,
		.num_sge = 1,
	};

	fill(rmt.p, BUF_LEN, 71);
	set_remote(&wr, &rmt, BUF_LEN - 64);
	if (SEND_WAIT(p, &wr, IBV_WC_SUCCESS))
		EXPECT_SAME(dst[0].p, rmt.p + BUF_LEN - 64, 64);
	wr.wr_id = 72;
	set_remote(&wr, &rmt, BUF_LEN - 32);
	SEND_WAIT(p, &wr, IBV_WC_REM_ACCESS_ERR);
}

/* 8. A fenced SEND of the buffer an RDMA READ fills carries its data. */
static void test_fence(struct pair *p)
{
	const uint32_t len = 8192;	/* 8 READ response packets */
	struct ibv_sge l = sge_at(&src[0], 0, len);
	struct ibv_sge r = sge_at(&dst[0], 0, len);
	struct ibv_send_wr send = {
		.wr_id = 81, .opcode = IBV_WR_SEND, .sg_list = &l,
		.num_sge = 1, .send_flags = IBV_SEND_FENCE | IBV_SEND_SIGNALED,
	};
	struct ibv_send_wr read = {
		.wr_id = 80, .opcode = IBV_WR_RDMA_READ, .sg_list = &l,
		.num_sge = 1, .send_flags = IBV_SEND_SIGNALED, .next = &send,
	};

	fill(rmt.p, len, 80);
	set_remote(&read, &rmt, 0);
	if (!POST_RECV(p->resp, 82, &r, 1) || !POST_SEND(p->req, &read))
		return;
	EXPECT_WC(p->scq, 80, IBV_WC_SUCCESS, IBV_WC_RDMA_READ, NULL);
	EXPECT_WC(p->scq, 81, IBV_WC_SUCCESS, IBV_WC_SEND, NULL);
	if (EXPECT_RECV(p, 82, IBV_WC_RECV, len, NULL))
		EXPECT_SAME(dst[0].p, rmt.p, len);
}

/*
 * Whether a completion event comes on channel within ms milliseconds; it
 * must be cq's, and is acknowledged.
 */
static bool cq_event(int line, struct ibv_cq *cq, int ms)
{
	struct pollfd pfd = { .fd = channel->fd, .events = POLLIN };
	struct ibv_cq *ev_cq;
	void *ev_ctx;

	if (poll(&pfd, 1, ms) <= 0)
		return false;
	if (!EXPECT_AT(line, !ibv_get_cq_event(channel, &ev_cq, &ev_ctx),
		       "get_cq_event: %s", strerror(errno)))
		return false;
	ibv_ack_cq_events(ev_cq, 1);
	return EXPECT_AT(line, ev_cq == cq, "an event of another CQ");
}

/* 9. A CQ armed for solicited completions wakes for those only. */
static void test_solicited(struct pair *p)
{
	struct ibv_sge sg = sge_at(&src[0], 0, 16);
	struct ibv_sge r[2] = {
		sge_at(&dst[0], 0, 16), sge_at(&dst[0], 16, 16),
	};
	struct ibv_send_wr wr = {
		.wr_id = 90, .opcode = IBV_WR_SEND, .sg_list = &sg,
		.num_sge = 1,
	};

	if (!POST_RECV(p->resp, 91, &r[0], 1) ||
	    !POST_RECV(p->resp, 93, &r[1], 1) ||
	    !EXPECT(!ibv_req_notify_cq(p->rcq, 1), "req_notify_cq"))
		return;
	if (!SEND_WAIT(p, &wr, IBV_WC_SUCCESS) ||
	    !EXPECT_RECV(p, 91, IBV_WC_RECV, 16, NULL))
		return;
	EXPECT(!cq_event(__LINE__, p->rcq, QUIET_MS),
	       "an event for a SEND without IBV_SEND_SOLICITED");
	wr.wr_id = 92;
	wr.send_flags = IBV_SEND_SOLICITED;
	if (!SEND_WAIT(p, &wr, IBV_WC_SUCCESS))
		return;
	EXPECT(cq_event(__LINE__, p->rcq, WAIT_MS),
	       "no event for a SEND with IBV_SEND_SOLICITED in %d ms", WAIT_MS);
	EXPECT_RECV(p, 93, IBV_WC_RECV, 16, NULL);
}

/* One atomic on the remote word; it must return orig. */
static void atomic_op(int line, struct pair *p, enum ibv_wr_opcode op,
		      uint64_t compare_add, uint64_t swap, uint64_t orig)
{
	uint64_t *res = (uint64_t *)src[0].p;
	struct ibv_sge sg = sge_at(&src[0], 0, 8);
	struct ibv_send_wr wr = {
		.wr_id = 100 + op, .opcode = op, .sg_list = &sg, .num_sge = 1,
		.wr.atomic = {
			.remote_addr = (uintptr_t)(rmt.p + 8),
			.rkey = rmt.mr->rkey,
			.compare_add = compare_add, .swap = swap,
		},
	};

	*res = 0;
	if (send_wait(line, p, &wr, IBV_WC_SUCCESS))
		EXPECT_AT(line, *res == orig, "returned 0x%016llx, wanted "
			  "0x%016llx", (unsigned long long)*res,
			  (unsigned long long)orig);
}
#define ATOMIC_OP(p, op, ca, sw, orig) atomic_op(__LINE__, p, op, ca, sw, orig)

/* 10. Fetch-and-add, then compare-and-swap that succeeds and that fails. */
static void test_atomics(struct pair *p)
{
	volatile uint64_t *word = (uint64_t *)(rmt.p + 8);
	const uint64_t v0 = 0x1122334455667788ULL;
	const uint64_t v1 = v0 + 0x0000000100000001ULL;
	const uint64_t v2 = 0xfedcba9876543210ULL;

	if (dev_attr.atomic_cap == IBV_ATOMIC_NONE) {
		printf("%s: the device has no atomics\n", test_name);
		return;
	}
	*word = v0;
	ATOMIC_OP(p, IBV_WR_ATOMIC_FETCH_AND_ADD, v1 - v0, 0, v0);
	EXPECT(*word == v1, "after FETCH_ADD 0x%016llx",
	       (unsigned long long)*word);
	ATOMIC_OP(p, IBV_WR_ATOMIC_CMP_AND_SWP, v1, v2, v1);
	EXPECT(*word == v2, "after a matching CMP_SWAP 0x%016llx",
	       (unsigned long long)*word);
	ATOMIC_OP(p, IBV_WR_ATOMIC_CMP_AND_SWP, v1, v0, v2);
	EXPECT(*word == v2, "after a failing CMP_SWAP 0x%016llx",
	       (unsigned long long)*word);
	EXPECT_GUARDED(rmt.p, 8);
	EXPECT_GUARDED(rmt.p + 16, BUF_LEN - 16);
}

/*
 * 11. RDMA ATOMIC WRITE puts 8 bytes at an aligned address, from an SGE or
 * inline; a misaligned one is an invalid request that fails the QP.
 */
static void test_atomic_write(struct pair *p)
{
	volatile uint64_t *word = (uint64_t *)(rmt.p + 16);
	const uint64_t v = 0x0123456789abcdefULL, w = ~v;
	struct ibv_sge sg = sge_at(&src[0], 0, 8);
	struct ibv_send_wr wr = {
		.wr_id = 110, .opcode = IBV_WR_ATOMIC_WRITE, .sg_list = &sg,
		.num_sge = 1,
	};

	memcpy(src[0].p, &v, 8);
	set_remote(&wr, &rmt, 16);
	if (!SEND_WAIT(p, &wr, IBV_WC_SUCCESS))
		return;
	EXPECT(*word == v, "after ATOMIC_WRITE 0x%016llx",
	       (unsigned long long)*word);
	memcpy(src[0].p, &w, 8);
	wr.send_flags = IBV_SEND_INLINE;
	if (!SEND_WAIT(p, &wr, IBV_WC_SUCCESS))
		return;
	EXPECT(*word == w, "after an inline ATOMIC_WRITE 0x%016llx",
	       (unsigned long long)*word);
	EXPECT_GUARDED(rmt.p, 16);
	EXPECT_GUARDED(rmt.p + 24, BUF_LEN - 24);
	set_remote(&wr, &rmt, 20);
	wr.send_flags = 0;
	SEND_WAIT(p, &wr, IBV_WC_REM_INV_REQ_ERR);
	EXPECT(*word == w, "a misaligned ATOMIC_WRITE wrote");
}

/* ns of clk */
static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The device clock by ibv_query_rt_values_ex, in ns */
static uint64_t device_ns(const struct ibv_device_attr_ex *ax)
{
	struct ibv_values_ex v = { .comp_mask = IBV_VALUES_MASK_RAW_CLOCK };

	if (!EXPECT(!ibv_query_rt_values_ex(ctx, &v) &&
		    (v.comp_mask & IBV_VALUES_MASK_RAW_CLOCK),
		    "query_rt_values_ex"))
		return 0;
	/* raw cycles of a hca_core_clock kHz clock */
	return (v.raw_clock.tv_sec * 1000000000ULL + v.raw_clock.tv_nsec) *
	       1000000 / ax->hca_core_clock;
}

/*
 * 15. Extended CQs: the read_* accessors give what ibv_poll_cq would,
 * next_poll walks several CQEs, and timestamps lie between device clock
 * readings taken before and after, on the wall clock too.
 */
static void test_cq_ex(struct pair *p)
{
	struct ibv_poll_cq_attr pa = {};
	struct ibv_sge sg = sge_at(&src[0], 0, 300);
	struct ibv_sge r = sge_at(&dst[0], 0, 512);
	__be32 imm = htobe32(0x0badcafe);
	struct ibv_send_wr wr = {
		.wr_id = 150, .opcode = IBV_WR_SEND_WITH_IMM, .sg_list = &sg,
		.num_sge = 1, .imm_data = imm, .send_flags = IBV_SEND_SIGNALED,
	};
	struct ibv_device_attr_ex ax;
	uint64_t t0, t1, w0, w1, ts, ts2;
	struct ibv_cq_init_attr_ex bad = {
		.cqe = 4, .wc_flags = IBV_WC_EX_WITH_CVLAN,
	};
	int i;

	if (!EXPECT(!ibv_query_device_ex(ctx, NULL, &ax), "query_device_ex") ||
	    !EXPECT(ax.hca_core_clock && ax.completion_timestamp_mask,
		    "clock %llu kHz, mask 0x%llx",
		    (unsigned long long)ax.hca_core_clock,
		    (unsigned long long)ax.completion_timestamp_mask))
		return;
	errno = 0;
	EXPECT(!ibv_create_cq_ex(ctx, &bad) && errno == EOPNOTSUPP,
	       "create_cq_ex with CVLAN: errno %d", errno);

	t0 = device_ns(&ax);
	w0 = clock_ns(CLOCK_REALTIME);
	if (!POST_RECV(p->resp, 151, &r, 1) || !post_send(__LINE__, p->req, &wr))
		return;
	for (i = 0; i < WAIT_MS && ibv_start_poll(p->rcqx, &pa) == ENOENT; i++)
		usleep(1000);
	if (!EXPECT(i < WAIT_MS, "no receive completion"))
		return;
	t1 = device_ns(&ax);
	w1 = clock_ns(CLOCK_REALTIME);
	EXPECT(p->rcqx->wr_id == 151 && p->rcqx->status == IBV_WC_SUCCESS,
	       "wr_id %llu status %d", (unsigned long long)p->rcqx->wr_id,
	       p->rcqx->status);
	EXPECT(ibv_wc_read_opcode(p->rcqx) == IBV_WC_RECV, "opcode");
	EXPECT(ibv_wc_read_byte_len(p->rcqx) == 300, "byte_len %u",
	       ibv_wc_read_byte_len(p->rcqx));
	EXPECT(ibv_wc_read_wc_flags(p->rcqx) & IBV_WC_WITH_IMM, "wc_flags");
	EXPECT(ibv_wc_read_imm_data(p->rcqx) == imm, "imm");
	EXPECT(ibv_wc_read_qp_num(p->rcqx) == p->resp->qp_num, "qp_num");
	ts = ibv_wc_read_completion_ts(p->rcqx) * 1000000 / ax.hca_core_clock;
	EXPECT(ts >= t0 && ts <= t1, "timestamp %llu not in [%llu, %llu]",
	       (unsigned long long)ts, (unsigned long long)t0,
	       (unsigned long long)t1);
	ts = ibv_wc_read_completion_wallclock_ns(p->rcqx);
	EXPECT(ts + 1000000 >= w0 && ts <= w1 + 1000000,
	       "wall clock %llu not in [%llu, %llu]", (unsigned long long)ts,
	       (unsigned long long)w0, (unsigned long long)w1);
	EXPECT(ibv_next_poll(p->rcqx) == ENOENT, "a second CQE");
	ibv_end_poll(p->rcqx);
	EXPECT_SAME(dst[0].p, src[0].p, 300);

	/* the SEND's CQE, then two WRITEs' in one polling session */
	wr.opcode = IBV_WR_RDMA_WRITE;
	set_remote(&wr, &rmt, 0);
	for (i = 0; i < 2; i++) {
		wr.wr_id = 152 + i;
		if (!post_send(__LINE__, p->req, &wr))
			return;
	}
	usleep(100000);
	if (!EXPECT(!ibv_start_poll(p->scqx, &pa), "no send completion"))
		return;
	EXPECT(p->scqx->wr_id == 150, "wr_id %llu",
	       (unsigned long long)p->scqx->wr_id);
	ts = ibv_wc_read_completion_ts(p->scqx);
	for (i = 0; i < 2; i++) {
		if (!EXPECT(!ibv_next_poll(p->scqx), "WRITE %d missing", i))
			break;
		EXPECT(p->scqx->wr_id == 152U + i &&
		       p->scqx->status == IBV_WC_SUCCESS &&
		       ibv_wc_read_opcode(p->scqx) == IBV_WC_RDMA_WRITE,
		       "WRITE %d: wr_id %llu", i,
		       (unsigned long long)p->scqx->wr_id);
		ts2 = ibv_wc_read_completion_ts(p->scqx);
		EXPECT(ts2 >= ts, "timestamps go back");
		ts = ts2;
	}
	ibv_end_poll(p->scqx);
	EXPECT(ibv_start_poll(p->scqx, &pa) == ENOENT, "CQEs left over");
}

static const struct pair_opts no_rnr_retry = {
	.rnr_retry = 0, .min_rnr_timer = 1,	/* 0.01 ms */
};

static const struct pair_opts with_cq_ex = {
	.rnr_retry = 7, .min_rnr_timer = 12, .cq_ex = true,
};

static const struct rc_test {
	const char *name;
	void (*fn)(struct pair *p);
	const struct pair_opts *opts;
} tests[] = {
	{ "inline", test_inline, &default_opts },
	{ "send_sg", test_send_sg, &default_opts },
	{ "write_sg", test_write_sg, &default_opts },
	{ "zero_length", test_zero_length, &default_opts },
	{ "send_imm", test_send_imm, &default_opts },
	{ "write_imm", test_write_imm, &default_opts },
	{ "unsignalled", test_unsignalled, &default_opts },
	{ "rnr_wait", test_rnr_wait, &default_opts },
	{ "rnr_exceeded", test_rnr_exceeded, &no_rnr_retry },
	{ "rem_write_access", test_rem_write_access, &default_opts },
	{ "rem_read_range", test_rem_read_range, &default_opts },
	{ "fence", test_fence, &default_opts },
	{ "solicited", test_solicited, &default_opts },
	{ "atomics", test_atomics, &default_opts },
	{ "atomic_write", test_atomic_write, &default_opts },
	{ "cq_ex", test_cq_ex, &with_cq_ex },
};

static void run(const struct rc_test *t)
{
	int before = failures;
	struct pair p;

	test_name = t->name;
	bufs_reset();
	if (pair_new(&p, t->opts))
		t->fn(&p);
	pair_free(&p);
	printf("%-4s %s\n", failures == before ? "ok" : "FAIL", t->name);
}


static bool setup(const char *name)
{
	const int all = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
			IBV_ACCESS_REMOTE_READ | IBV_ACCESS_REMOTE_ATOMIC;
	bool ok = true;
	int i;

	ctx = open_device(name);
	if (!EXPECT(ctx, "cannot open %s", name))
		return false;
	pd = ibv_alloc_pd(ctx);
	channel = ibv_create_comp_channel(ctx);
	if (!EXPECT(pd && channel, "PD or channel: %s", strerror(errno)) ||
	    !EXPECT(!ibv_query_device(ctx, &dev_attr), "query_device") ||
	    !EXPECT(!ibv_query_gid(ctx, 1, gid_index, &gid), "query_gid %d",
		    gid_index))
		return false;
	for (i = 0; i < 3; i++)
		ok &= buf_new(&src[i], all);
	for (i = 0; i < 2; i++)
		ok &= buf_new(&dst[i], all);
	ok &= buf_new(&rmt, all);
	ok &= buf_new(&rdonly, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ);
	return ok;
}

static void teardown(void)
{
	int i;

	for (i = 0; i < 3; i++)
		buf_free(&src[i]);
	for (i = 0; i < 2; i++)
		buf_free(&dst[i]);
	buf_free(&rmt);
	buf_free(&rdonly);
	if (channel)
		ibv_destroy_comp_channel(channel);
	if (pd)
		ibv_dealloc_pd(pd);
	if (ctx)
		ibv_close_device(ctx);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: rc_ops DEVICE GID_INDEX\n");
		return 2;
	}
	gid_index = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup(argv[1]))
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			run(&tests[i]);
	teardown();
	printf("rc_ops: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
