// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The memory model, checked between two QPs of one device connected to
 * each other (loopback): on-demand paging (explicit and implicit, with
 * prefetch), what the process does to ODP memory (munmap, a new mapping
 * in its place, madvise, fork), re-registration, memory behind huge
 * pages, and fork safety of pinned memory.  ODP buffers are fresh
 * mappings the device has never seen, so every case makes zroce fault
 * pages in.
 *
 * Usage: odp_ops DEVICE GID_INDEX [TEST]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <infiniband/verbs.h>

#include "expect.h"
#include "rc_pair.h"

#define PAGE		4096UL
#define HUGE		(2UL << 20)
#define LEN		(64 * 1024)	/* most buffers */
#define BIG		10000		/* a multi-packet message */
#define CHUNK		(64UL << 20)	/* zroce's implicit ODP chunk */
#define ALL_ACCESS	(IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | \
			 IBV_ACCESS_REMOTE_READ | IBV_ACCESS_REMOTE_ATOMIC)
#define ODP_ACCESS	(ALL_ACCESS | IBV_ACCESS_ON_DEMAND)

static const char *dev_name;

/* A registered mapping of its own */
struct buf {
	uint8_t *p;
	size_t len;
	struct ibv_mr *mr;
};

static bool buf_map(struct buf *b, size_t len, int flags)
{
	b->len = len;
	b->mr = NULL;
	b->p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (b->p == MAP_FAILED) {
		b->p = NULL;
		return false;
	}
	return true;
}

/* A fresh mapping of len bytes registered with access. */
static bool buf_new(struct buf *b, size_t len, int access)
{
	if (!EXPECT(buf_map(b, len, 0), "mmap: %s", strerror(errno)))
		return false;
	b->mr = ibv_reg_mr(pd, b->p, len, access);
	return EXPECT(b->mr, "reg_mr(0x%x): %s", access, strerror(errno));
}

static void buf_free(struct buf *b)
{
	if (b->mr)
		EXPECT(!ibv_dereg_mr(b->mr), "dereg_mr");
	if (b->p)
		munmap(b->p, b->len);
	memset(b, 0, sizeof(*b));
}

static struct ibv_sge sge_of(const struct ibv_mr *mr, const void *p,
			     uint32_t len)
{
	struct ibv_sge s = {
		.addr = (uintptr_t)p, .length = len, .lkey = mr->lkey,
	};

	return s;
}

static uint64_t odp_faults(void)
{
	char path[256];
	unsigned long long v = 0;
	FILE *f;

	usleep(50000);	/* sysfs serves a counter for its lifespan, 10 ms */
	snprintf(path, sizeof(path),
		 "/sys/class/infiniband/%s/ports/1/hw_counters/odp_faults",
		 dev_name);
	f = fopen(path, "r");
	if (!EXPECT(f, "%s: %s", path, strerror(errno)))
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/*
 * One RDMA WRITE or READ of len bytes between local (lmr at l) and remote
 * (rmr at r), signalled; its completion must have status.
 */
static bool rdma_at(int line, struct pair *p, enum ibv_wr_opcode op,
		    const struct ibv_mr *lmr, void *l, const struct ibv_mr *rmr,
		    void *r, uint32_t len, enum ibv_wc_status status)
{
	struct ibv_sge sge = sge_of(lmr, l, len);
	struct ibv_send_wr wr = {
		.wr_id = op, .sg_list = &sge, .num_sge = 1, .opcode = op,
		.wr.rdma = { .remote_addr = (uintptr_t)r, .rkey = rmr->rkey },
	};

	return send_wait(line, p, &wr, status);
}
#define RDMA(p, op, lmr, l, rmr, r, len, st) \
	rdma_at(__LINE__, p, op, lmr, l, rmr, r, len, st)

/* WRITE pattern seed from src to dst, READ it back into back; check all. */
static bool round_trip(int line, struct pair *p, struct buf *src,
		       struct buf *dst, struct buf *back, size_t off,
		       uint32_t len, unsigned int seed)
{
	uint8_t *want = malloc(len);
	bool ok;

	if (!want)
		return false;
	fill(want, len, seed);
	memcpy(src->p + off, want, len);
	ok = rdma_at(line, p, IBV_WR_RDMA_WRITE, src->mr, src->p + off,
		     dst->mr, dst->p + off, len, IBV_WC_SUCCESS) &&
	     expect_same(line, dst->p + off, want, len) &&
	     rdma_at(line, p, IBV_WR_RDMA_READ, back->mr, back->p + off,
		     dst->mr, dst->p + off, len, IBV_WC_SUCCESS) &&
	     expect_same(line, back->p + off, want, len);
	free(want);
	return ok;
}
#define ROUND_TRIP(p, s, d, b, off, len, seed) \
	round_trip(__LINE__, p, s, d, b, off, len, seed)

/* A SEND of len bytes from src to dst; the data must land. */
static bool send_recv(int line, struct pair *p, const struct ibv_mr *smr,
		      uint8_t *s, const struct ibv_mr *dmr, uint8_t *d,
		      uint32_t len)
{
	struct ibv_sge ss = sge_of(smr, s, len), ds = sge_of(dmr, d, len);
	struct ibv_send_wr wr = {
		.wr_id = 7, .sg_list = &ss, .num_sge = 1,
		.opcode = IBV_WR_SEND,
	};

	fill(s, len, len);
	return post_recv(line, p->resp, 8, &ds, 1) &&
	       send_wait(line, p, &wr, IBV_WC_SUCCESS) &&
	       expect_recv(line, p, 8, IBV_WC_RECV, len, NULL) &&
	       expect_same(line, d, s, len);
}
#define SEND_RECV(p, smr, s, dmr, d, len) \
	send_recv(__LINE__, p, smr, s, dmr, d, len)

/* An atomic on the 8 bytes at r; orig must come back into l. */
static bool atomic_at(int line, struct pair *p, enum ibv_wr_opcode op,
		      const struct ibv_mr *lmr, uint64_t *l,
		      const struct ibv_mr *rmr, uint64_t *r, uint64_t add,
		      uint64_t swap, uint64_t orig)
{
	struct ibv_sge sge = sge_of(lmr, l, 8);
	struct ibv_send_wr wr = {
		.wr_id = op, .sg_list = &sge, .num_sge = 1, .opcode = op,
		.wr.atomic = { .remote_addr = (uintptr_t)r, .rkey = rmr->rkey,
			       .compare_add = add, .swap = swap },
	};

	return send_wait(line, p, &wr, IBV_WC_SUCCESS) &&
	       EXPECT_AT(line, *l == orig, "atomic returned 0x%llx, wanted "
			 "0x%llx", (unsigned long long)*l,
			 (unsigned long long)orig);
}
#define ATOMIC(p, op, lmr, l, rmr, r, add, swap, orig) \
	atomic_at(__LINE__, p, op, lmr, l, rmr, r, add, swap, orig)

/* 1. The device says what works on ODP memory; fork needs no help. */
static void test_caps(struct pair *p)
{
	const uint32_t rc = IBV_ODP_SUPPORT_SEND | IBV_ODP_SUPPORT_RECV |
			    IBV_ODP_SUPPORT_WRITE | IBV_ODP_SUPPORT_READ |
			    IBV_ODP_SUPPORT_ATOMIC | IBV_ODP_SUPPORT_SRQ_RECV;
	struct ibv_device_attr_ex ax;
	struct ibv_odp_caps *c = &ax.odp_caps;

	if (!EXPECT(!ibv_query_device_ex(ctx, NULL, &ax), "query_device_ex"))
		return;
	EXPECT(c->general_caps == (IBV_ODP_SUPPORT | IBV_ODP_SUPPORT_IMPLICIT),
	       "general_caps 0x%llx", (unsigned long long)c->general_caps);
	EXPECT(c->per_transport_caps.rc_odp_caps == rc, "rc 0x%x",
	       c->per_transport_caps.rc_odp_caps);
	EXPECT(c->per_transport_caps.uc_odp_caps ==
	       (rc & ~(IBV_ODP_SUPPORT_READ | IBV_ODP_SUPPORT_ATOMIC)),
	       "uc 0x%x", c->per_transport_caps.uc_odp_caps);
	EXPECT(c->per_transport_caps.ud_odp_caps ==
	       (IBV_ODP_SUPPORT_SEND | IBV_ODP_SUPPORT_RECV |
		IBV_ODP_SUPPORT_SRQ_RECV),
	       "ud 0x%x", c->per_transport_caps.ud_odp_caps);
	EXPECT(ibv_is_fork_initialized() == IBV_FORK_UNNEEDED,
	       "ibv_is_fork_initialized() %d", ibv_is_fork_initialized());
}

/* 2. Every RC operation on explicit ODP memory the device never saw. */
static void test_explicit(struct pair *p)
{
	struct buf src = {}, dst = {}, rmt = {}, back = {};
	uint64_t f0 = odp_faults();

	if (buf_new(&src, LEN, ODP_ACCESS) && buf_new(&dst, LEN, ODP_ACCESS) &&
	    buf_new(&rmt, LEN, ODP_ACCESS) && buf_new(&back, LEN, ODP_ACCESS)) {
		SEND_RECV(p, src.mr, src.p, dst.mr, dst.p, BIG);
		ROUND_TRIP(p, &src, &rmt, &back, 0, LEN, 1);
		ROUND_TRIP(p, &src, &rmt, &back, 100, 3000, 2);
		*(uint64_t *)rmt.p = 5;
		ATOMIC(p, IBV_WR_ATOMIC_FETCH_AND_ADD, dst.mr,
		       (uint64_t *)(dst.p + LEN - 8), rmt.mr,
		       (uint64_t *)rmt.p, 3, 0, 5);
		ATOMIC(p, IBV_WR_ATOMIC_CMP_AND_SWP, back.mr,
		       (uint64_t *)(back.p + 2 * PAGE), rmt.mr,
		       (uint64_t *)rmt.p, 8, 42, 8);
		EXPECT(*(uint64_t *)rmt.p == 42, "swap left %llu",
		       (unsigned long long)*(uint64_t *)rmt.p);
		EXPECT(odp_faults() > f0, "no ODP fault served (%llu before)",
		       (unsigned long long)f0);
	}
	buf_free(&src);
	buf_free(&dst);
	buf_free(&rmt);
	buf_free(&back);
}

/*
 * 3. A WRITE lands in the page the process maps now: a file page mapped
 * in place of another (MAP_FIXED) gets the data; the page the process
 * no longer maps there is not touched.
 */
static void test_remap(struct pair *p)
{
	int fa = memfd_create("odp-a", 0), fb = memfd_create("odp-b", 0);
	uint8_t *reg = MAP_FAILED, *va = MAP_FAILED, *vb = MAP_FAILED;
	struct buf src = {}, back = {};
	struct ibv_mr *mr = NULL;
	uint8_t want[PAGE];

	if (!EXPECT(fa >= 0 && fb >= 0, "memfd: %s", strerror(errno)) ||
	    ftruncate(fa, LEN) || ftruncate(fb, LEN))
		goto out;
	reg = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fa, 0);
	va = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fa, 0);	/* views */
	vb = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fb, 0);
	if (!EXPECT(reg != MAP_FAILED && va != MAP_FAILED && vb != MAP_FAILED,
		    "mmap: %s", strerror(errno)))
		goto out;
	mr = ibv_reg_mr(pd, reg, LEN, ODP_ACCESS);
	if (!EXPECT(mr, "reg_mr: %s", strerror(errno)) ||
	    !buf_new(&src, LEN, ALL_ACCESS) || !buf_new(&back, LEN, ALL_ACCESS))
		goto out;
	fill(src.p, LEN, 3);
	RDMA(p, IBV_WR_RDMA_WRITE, src.mr, src.p, mr, reg, LEN,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(va, src.p, LEN);

	/* page 2 of the MR now maps page 2 of file b */
	if (!EXPECT(mmap(reg + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fb, 2 * PAGE) != MAP_FAILED,
		    "mmap MAP_FIXED: %s", strerror(errno)))
		goto out;
	fill(src.p, LEN, 4);
	memcpy(want, va + 2 * PAGE, PAGE);	/* what file a keeps */
	RDMA(p, IBV_WR_RDMA_WRITE, src.mr, src.p, mr, reg, LEN,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(vb + 2 * PAGE, src.p + 2 * PAGE, PAGE);
	EXPECT_SAME(va + 2 * PAGE, want, PAGE);
	EXPECT_SAME(va + 3 * PAGE, src.p + 3 * PAGE, LEN - 3 * PAGE);
	/* and a READ sees what the process sees */
	RDMA(p, IBV_WR_RDMA_READ, back.mr, back.p, mr, reg, LEN,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(back.p, reg, LEN);
out:
	if (mr)
		EXPECT(!ibv_dereg_mr(mr), "dereg_mr");
	buf_free(&src);
	buf_free(&back);
	if (reg != MAP_FAILED)
		munmap(reg, LEN);
	if (va != MAP_FAILED)
		munmap(va, LEN);
	if (vb != MAP_FAILED)
		munmap(vb, LEN);
	close(fa);
	close(fb);
}

/* 4. After madvise(DONTNEED) the device sees the new (zero) pages. */
static void test_dontneed(struct pair *p)
{
	struct buf src = {}, rmt = {}, back = {};
	uint8_t *zero = calloc(1, LEN);

	if (zero && buf_new(&src, LEN, ALL_ACCESS) &&
	    buf_new(&rmt, LEN, ODP_ACCESS) && buf_new(&back, LEN, ALL_ACCESS)) {
		ROUND_TRIP(p, &src, &rmt, &back, 0, LEN, 5);
		EXPECT(!madvise(rmt.p, LEN, MADV_DONTNEED), "madvise: %s",
		       strerror(errno));
		RDMA(p, IBV_WR_RDMA_READ, back.mr, back.p, rmt.mr, rmt.p, LEN,
		     IBV_WC_SUCCESS);
		EXPECT_SAME(back.p, zero, LEN);
		ROUND_TRIP(p, &src, &rmt, &back, 0, LEN, 6);
	}
	free(zero);
	buf_free(&src);
	buf_free(&rmt);
	buf_free(&back);
}

/* 5. A WRITE into a hole of an ODP MR: remote access error, nothing lost. */
static void test_hole_remote(struct pair *p)
{
	struct buf src = {}, rmt = {};

	if (buf_new(&src, LEN, ALL_ACCESS) && buf_new(&rmt, LEN, ODP_ACCESS)) {
		munmap(rmt.p + PAGE, PAGE);
		RDMA(p, IBV_WR_RDMA_WRITE, src.mr, src.p, rmt.mr, rmt.p, LEN,
		     IBV_WC_REM_ACCESS_ERR);
		EXPECT(qp_state(p->req) == IBV_QPS_ERR, "requester state %d",
		       qp_state(p->req));
	}
	buf_free(&src);
	buf_free(&rmt);
}

/* 6. A SEND from a hole of an ODP MR: local protection error. */
static void test_hole_local(struct pair *p)
{
	struct buf src = {}, dst = {};
	struct ibv_sge s, d;
	struct ibv_send_wr wr = {
		.wr_id = 1, .sg_list = &s, .num_sge = 1,
		.opcode = IBV_WR_SEND,
	};

	if (buf_new(&src, LEN, ODP_ACCESS) && buf_new(&dst, LEN, ALL_ACCESS)) {
		munmap(src.p + PAGE, PAGE);
		s = sge_of(src.mr, src.p, 3 * PAGE);
		d = sge_of(dst.mr, dst.p, LEN);
		POST_RECV(p->resp, 2, &d, 1);
		SEND_WAIT(p, &wr, IBV_WC_LOC_PROT_ERR);
	}
	buf_free(&src);
	buf_free(&dst);
}

/*
 * 7. One implicit MR covers the address space: SEND, WRITE and READ across
 * the boundary of zroce's chunks, atomics, and an unmapped address.
 */
static void test_implicit(struct pair *p)
{
	struct ibv_mr *mr = ibv_reg_mr(pd, NULL, SIZE_MAX, ODP_ACCESS);
	struct buf a = {}, b = {}, c = {};
	uint8_t *edge, *hole;

	if (!EXPECT(mr, "implicit reg_mr: %s", strerror(errno)))
		return;
	if (!EXPECT(buf_map(&a, 3 * CHUNK, 0) && buf_map(&b, LEN, 0) &&
		    buf_map(&c, LEN, 0), "mmap: %s", strerror(errno)))
		goto out;
	a.mr = b.mr = c.mr = mr;
	SEND_RECV(p, mr, b.p, mr, c.p, BIG);
	edge = (uint8_t *)(((uintptr_t)a.p + CHUNK) & ~(CHUNK - 1));
	fill(b.p, 2 * PAGE, 9);
	RDMA(p, IBV_WR_RDMA_WRITE, mr, b.p, mr, edge - PAGE, 2 * PAGE,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(edge - PAGE, b.p, 2 * PAGE);
	RDMA(p, IBV_WR_RDMA_READ, mr, c.p + PAGE, mr, edge - PAGE, 2 * PAGE,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(c.p + PAGE, b.p, 2 * PAGE);
	*(uint64_t *)(edge + 8) = 100;
	ATOMIC(p, IBV_WR_ATOMIC_FETCH_AND_ADD, mr, (uint64_t *)c.p, mr,
	       (uint64_t *)(edge + 8), 1, 0, 100);
	EXPECT(*(uint64_t *)(edge + 8) == 101, "fetch_add left %llu",
	       (unsigned long long)*(uint64_t *)(edge + 8));

	hole = edge + CHUNK / 2;
	munmap(hole, PAGE);
	RDMA(p, IBV_WR_RDMA_WRITE, mr, b.p, mr, hole, 64,
	     IBV_WC_REM_ACCESS_ERR);
out:
	a.mr = b.mr = c.mr = NULL;
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
	EXPECT(!ibv_dereg_mr(mr), "dereg implicit MR");
}

static int advise(const struct ibv_mr *mr, void *p, uint32_t len,
		  enum ibv_advise_mr_advice advice, uint32_t flags)
{
	struct ibv_sge sge = sge_of(mr, p, len);

	return ibv_advise_mr(mr->pd, advice, flags, &sge, 1);
}

/*
 * 8. Prefetch: after a synchronous PREFETCH_WRITE of both ends a WRITE and
 * a READ need no fault; asynchronous and no-fault advice work; advice on
 * memory it cannot apply to is refused.
 */
static void test_prefetch(struct pair *p)
{
	struct buf src = {}, dst = {}, pin = {};
	uint64_t f0, f1;
	int ret;

	if (!buf_new(&src, LEN, ODP_ACCESS) || !buf_new(&dst, LEN, ODP_ACCESS) ||
	    !buf_new(&pin, LEN, ALL_ACCESS))
		goto out;
	fill(src.p, LEN, 10);
	ret = advise(src.mr, src.p, LEN, IBV_ADVISE_MR_ADVICE_PREFETCH,
		     IBV_ADVISE_MR_FLAG_FLUSH);
	EXPECT(!ret, "PREFETCH FLUSH: %s", strerror(ret));
	ret = advise(dst.mr, dst.p, LEN, IBV_ADVISE_MR_ADVICE_PREFETCH_WRITE,
		     IBV_ADVISE_MR_FLAG_FLUSH);
	EXPECT(!ret, "PREFETCH_WRITE FLUSH: %s", strerror(ret));
	f0 = odp_faults();
	RDMA(p, IBV_WR_RDMA_WRITE, src.mr, src.p, dst.mr, dst.p, LEN,
	     IBV_WC_SUCCESS);
	RDMA(p, IBV_WR_RDMA_READ, src.mr, src.p, dst.mr, dst.p, LEN,
	     IBV_WC_SUCCESS);
	f1 = odp_faults();
	EXPECT(f1 == f0, "%llu faults after a synchronous prefetch",
	       (unsigned long long)(f1 - f0));
	EXPECT_SAME(dst.p, src.p, LEN);

	ret = advise(src.mr, src.p, LEN, IBV_ADVISE_MR_ADVICE_PREFETCH, 0);
	EXPECT(!ret, "PREFETCH: %s", strerror(ret));
	ret = advise(dst.mr, dst.p, LEN, IBV_ADVISE_MR_ADVICE_PREFETCH_WRITE,
		     0);
	EXPECT(!ret, "PREFETCH_WRITE: %s", strerror(ret));
	ret = advise(dst.mr, dst.p, LEN,
		     IBV_ADVISE_MR_ADVICE_PREFETCH_NO_FAULT, 0);
	EXPECT(!ret, "PREFETCH_NO_FAULT: %s", strerror(ret));
	ROUND_TRIP(p, &src, &dst, &src, 0, LEN, 11);

	ret = advise(pin.mr, pin.p, LEN, IBV_ADVISE_MR_ADVICE_PREFETCH, 0);
	EXPECT(ret == EINVAL, "advice on a pinned MR: %d", ret);
	ret = advise(dst.mr, dst.p, LEN + PAGE, IBV_ADVISE_MR_ADVICE_PREFETCH,
		     0);
	EXPECT(ret == EINVAL, "advice beyond the MR: %d", ret);
out:
	buf_free(&src);
	buf_free(&dst);
	buf_free(&pin);
}

/*
 * 9. ibv_rereg_mr: a new translation, fewer rights, pinned to ODP, and
 * another PD, each with traffic before and after; the keys stay.
 */
static void test_rereg(struct pair *p)
{
	struct buf src = {}, a = {}, b = {};
	struct ibv_pd *pd2 = ibv_alloc_pd(ctx);
	struct pair q = {};
	uint32_t lkey;
	int ret;

	if (!EXPECT(pd2, "alloc_pd") || !buf_new(&src, LEN, ALL_ACCESS) ||
	    !buf_new(&a, LEN, ALL_ACCESS) || !buf_map(&b, LEN, 0))
		goto out;
	lkey = a.mr->lkey;
	ROUND_TRIP(p, &src, &a, &src, 0, LEN, 12);

	ret = ibv_rereg_mr(a.mr, IBV_REREG_MR_CHANGE_TRANSLATION, NULL, b.p,
			   LEN, 0);
	EXPECT(!ret, "rereg translation: %d", ret);
	EXPECT(a.mr->lkey == lkey && a.mr->rkey == lkey, "keys changed");
	memset(a.p, 0xee, LEN);
	fill(src.p, LEN, 13);
	RDMA(p, IBV_WR_RDMA_WRITE, src.mr, src.p, a.mr, b.p, LEN,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(b.p, src.p, LEN);
	EXPECT(a.p[0] == 0xee && a.p[LEN - 1] == 0xee,
	       "the old buffer was written");

	ret = ibv_rereg_mr(a.mr, IBV_REREG_MR_CHANGE_ACCESS, NULL, NULL, 0,
			   IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ);
	EXPECT(!ret, "rereg access: %d", ret);
	RDMA(p, IBV_WR_RDMA_READ, src.mr, src.p, a.mr, b.p, LEN,
	     IBV_WC_SUCCESS);
	RDMA(p, IBV_WR_RDMA_WRITE, src.mr, src.p, a.mr, b.p, LEN,
	     IBV_WC_REM_ACCESS_ERR);

	/* the pinned MR becomes an ODP one */
	ret = ibv_rereg_mr(a.mr, IBV_REREG_MR_CHANGE_ACCESS, NULL, NULL, 0,
			   ODP_ACCESS);
	EXPECT(!ret, "rereg to ODP: %d", ret);
	if (!pair_new(&q, &default_opts))
		goto out;
	fill(src.p, LEN, 14);
	RDMA(&q, IBV_WR_RDMA_WRITE, src.mr, src.p, a.mr, b.p, LEN,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(b.p, src.p, LEN);

	/* in another PD the QPs of pd cannot use it */
	ret = ibv_rereg_mr(a.mr, IBV_REREG_MR_CHANGE_PD, pd2, NULL, 0, 0);
	EXPECT(!ret, "rereg PD: %d", ret);
	RDMA(&q, IBV_WR_RDMA_WRITE, src.mr, src.p, a.mr, b.p, LEN,
	     IBV_WC_REM_ACCESS_ERR);
	pair_free(&q);
	memset(&q, 0, sizeof(q));
	ret = ibv_rereg_mr(a.mr, IBV_REREG_MR_CHANGE_PD, pd, NULL, 0, 0);
	EXPECT(!ret, "rereg PD back: %d", ret);
	if (!pair_new(&q, &default_opts))
		goto out;
	fill(src.p, LEN, 15);
	RDMA(&q, IBV_WR_RDMA_WRITE, src.mr, src.p, a.mr, b.p, LEN,
	     IBV_WC_SUCCESS);
	EXPECT_SAME(b.p, src.p, LEN);
out:
	pair_free(&q);
	buf_free(&src);
	buf_free(&a);
	if (b.p)
		munmap(b.p, LEN);
	if (pd2)
		ibv_dealloc_pd(pd2);
}

/* RDMA traffic on a pinned buffer while the main thread forks */
struct stream {
	struct pair *p;
	struct buf *src, *dst, *back;
	volatile bool stop;
	int rounds;
	bool ok;
};

static void *stream_fn(void *arg)
{
	struct stream *s = arg;

	while (!s->stop && s->ok)
		s->ok = ROUND_TRIP(s->p, s->src, s->dst, s->back, 0, LEN,
				   100 + s->rounds++ % 50);
	return NULL;
}

/* In the child: its copy must keep what it writes while the parent's
 * device writes the parent's buffer.
 */
static void fork_child(uint8_t *mem, int rfd)
{
	char c;
	size_t i;

	memset(mem, 'C', LEN);
	if (read(rfd, &c, 1) != 1)
		_exit(2);
	for (i = 0; i < LEN; i++)
		if (mem[i] != 'C')
			_exit(1);
	_exit(0);
}

static int fork_wait(pid_t pid, int wfd)
{
	int status = -1;

	if (write(wfd, "x", 1) != 1)
		return -1;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * 10. Fork while WRITEs and READs stream to a pinned buffer: the child
 * gets a copy of its own, the parent keeps the registered pages, and
 * both see exactly what they should.
 */
static void test_fork_pinned(struct pair *p)
{
	struct buf src = {}, dst = {}, back = {};
	struct stream s = { .p = p, .src = &src, .dst = &dst, .back = &back,
			    .ok = true };
	int fds[2] = { -1, -1 };
	pthread_t t;
	pid_t pid;

	if (!buf_new(&src, LEN, ALL_ACCESS) || !buf_new(&dst, LEN, ALL_ACCESS) ||
	    !buf_new(&back, LEN, ALL_ACCESS) ||
	    !EXPECT(!pipe(fds), "pipe") ||
	    !EXPECT(!pthread_create(&t, NULL, stream_fn, &s), "thread"))
		goto out;
	usleep(20000);
	pid = fork();
	if (!pid)
		fork_child(dst.p, fds[0]);
	usleep(100000);		/* the stream goes on meanwhile */
	s.stop = true;
	pthread_join(t, NULL);
	EXPECT(s.ok && s.rounds > 1, "stream: %d rounds, ok %d", s.rounds,
	       s.ok);
	ROUND_TRIP(p, &src, &dst, &back, 0, LEN, 16);
	EXPECT(pid > 0 && fork_wait(pid, fds[1]) == 0,
	       "the child's copy changed");
out:
	if (fds[0] >= 0) {
		close(fds[0]);
		close(fds[1]);
	}
	buf_free(&src);
	buf_free(&dst);
	buf_free(&back);
}

/*
 * 11. ODP across fork: the parent's WRITE breaks copy-on-write in the
 * parent, never in the child, whose copy keeps what it had.
 */
static void test_fork_odp(struct pair *p)
{
	struct buf src = {}, odp = {}, back = {};
	uint8_t *snap = malloc(LEN);
	int fds[2] = { -1, -1 };
	pid_t pid;

	if (!snap || !buf_new(&src, LEN, ALL_ACCESS) ||
	    !buf_new(&odp, LEN, ODP_ACCESS) ||
	    !buf_new(&back, LEN, ALL_ACCESS) || !EXPECT(!pipe(fds), "pipe"))
		goto out;
	ROUND_TRIP(p, &src, &odp, &back, 0, LEN, 17);
	memcpy(snap, odp.p, LEN);
	pid = fork();
	if (!pid) {
		char c;

		if (read(fds[0], &c, 1) != 1)
			_exit(2);
		_exit(memcmp(odp.p, snap, LEN) ? 1 : 0);
	}
	ROUND_TRIP(p, &src, &odp, &back, 0, LEN, 18);
	EXPECT(pid > 0 && fork_wait(pid, fds[1]) == 0,
	       "the parent's WRITE reached the child");
out:
	if (fds[0] >= 0) {
		close(fds[0]);
		close(fds[1]);
	}
	free(snap);
	buf_free(&src);
	buf_free(&odp);
	buf_free(&back);
}

/* A registered 2 MiB-page mapping, hugetlbfs or THP. */
static bool huge_new(struct buf *b, bool hugetlb, int access)
{
	uint8_t *raw;

	memset(b, 0, sizeof(*b));
	if (hugetlb) {
		if (!EXPECT(buf_map(b, 2 * HUGE, MAP_HUGETLB),
			    "MAP_HUGETLB: %s (vm.nr_hugepages?)",
			    strerror(errno)))
			return false;
	} else {
		/* THP: 2 MiB aligned, advised, touched */
		raw = mmap(NULL, 3 * HUGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (!EXPECT(raw != MAP_FAILED, "mmap: %s", strerror(errno)))
			return false;
		b->p = (uint8_t *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
		b->len = 2 * HUGE;
		if (b->p > raw)
			munmap(raw, b->p - raw);
		munmap(b->p + 2 * HUGE, raw + 3 * HUGE - (b->p + 2 * HUGE));
		madvise(b->p, 2 * HUGE, MADV_HUGEPAGE);
	}
	memset(b->p, 0, 2 * HUGE);
	b->mr = ibv_reg_mr(pd, b->p, 2 * HUGE, access);
	return EXPECT(b->mr, "reg_mr: %s", strerror(errno));
}

/* 12. Huge pages, pinned and ODP: traffic across the 2 MiB boundary. */
static void huge_case(struct pair *p, bool hugetlb, int access)
{
	struct buf h = {}, src = {}, back = {};

	if (huge_new(&h, hugetlb, access) &&
	    buf_new(&src, 2 * HUGE, ALL_ACCESS) &&
	    buf_new(&back, 2 * HUGE, ALL_ACCESS)) {
		ROUND_TRIP(p, &src, &h, &back, HUGE - 3 * PAGE, 6 * PAGE, 19);
		ROUND_TRIP(p, &src, &h, &back, 0, 2 * HUGE, 20);
	}
	buf_free(&h);
	buf_free(&src);
	buf_free(&back);
}

static void test_hugetlb(struct pair *p)
{
	huge_case(p, true, ALL_ACCESS);
	huge_case(p, true, ODP_ACCESS);
}

static void test_thp(struct pair *p)
{
	huge_case(p, false, ALL_ACCESS);
	huge_case(p, false, ODP_ACCESS);
}

static const struct odp_test {
	const char *name;
	void (*fn)(struct pair *p);
} tests[] = {
	{ "caps", test_caps },
	{ "explicit", test_explicit },
	{ "remap", test_remap },
	{ "dontneed", test_dontneed },
	{ "hole_remote", test_hole_remote },
	{ "hole_local", test_hole_local },
	{ "implicit", test_implicit },
	{ "prefetch", test_prefetch },
	{ "rereg", test_rereg },
	{ "fork_pinned", test_fork_pinned },
	{ "fork_odp", test_fork_odp },
	{ "hugetlb", test_hugetlb },
	{ "thp", test_thp },
};

static void run(const struct odp_test *t)
{
	int before = failures;
	struct pair p;

	test_name = t->name;
	if (pair_new(&p, &default_opts))
		t->fn(&p);
	pair_free(&p);
	printf("%-4s %s\n", failures == before ? "ok" : "FAIL", t->name);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: odp_ops DEVICE GID_INDEX [TEST]\n");
		return 2;
	}
	dev_name = argv[1];
	gid_index = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ctx = open_device(dev_name);
	if (EXPECT(ctx, "cannot open %s", dev_name)) {
		pd = ibv_alloc_pd(ctx);
		channel = ibv_create_comp_channel(ctx);
		if (EXPECT(pd && channel, "PD or channel: %s",
			   strerror(errno)) &&
		    EXPECT(!ibv_query_gid(ctx, 1, gid_index, &gid),
			   "query_gid %d", gid_index))
			for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
				if (argc == 3 || !strcmp(argv[3], tests[i].name))
					run(&tests[i]);
		if (channel)
			ibv_destroy_comp_channel(channel);
		if (pd)
			ibv_dealloc_pd(pd);
		ibv_close_device(ctx);
	}
	printf("odp_ops: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
