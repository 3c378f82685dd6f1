// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * ODP under fire, between two QPs of one device (loopback).
 *
 * The checked stream: a thread WRITEs a fresh pattern from a slot of one
 * ODP region into the same slot of another, READs it back into a third,
 * and checks every byte, slot after slot.  Meanwhile a second thread
 * replaces slots with new mappings (mmap MAP_FIXED), drops them (madvise
 * DONTNEED), and collapses whole regions into huge pages (MADV_COLLAPSE:
 * compaction for a 2 MiB page, then every page of the region migrated
 * into it) under the stream.  A slot is replaced or dropped only between
 * two rounds on it, so every round must succeed with exact data; pages
 * migrate at any time.
 *
 * The wild stream: another QP pair WRITEs and READs a slot that the
 * second thread takes away (an inaccessible mapping in its place) and
 * maps again at any moment.  Each operation must end with success or a
 * clean error completion (after which the pair is made anew), never
 * hang: a remote access error, or, for a READ whose response loses its
 * pages again and again, the retry limit.
 *
 * Usage: odp_stress DEVICE GID_INDEX SECONDS
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
#include <unistd.h>
#include <infiniband/verbs.h>

#include "expect.h"
#include "rc_pair.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

#define SLOTS		32
#define SLOT		(64 * 1024)
#define REGION		(SLOTS * SLOT)	/* 2 MiB, aligned */
#define WILD		(SLOTS - 1)	/* the slot of the wild stream */
#define ODP_ACCESS	(IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | \
			 IBV_ACCESS_REMOTE_READ | IBV_ACCESS_ON_DEMAND)

/* Three ODP regions: what is sent, its target, what is read back. */
static uint8_t *src, *dst, *back;
static struct ibv_mr *src_mr, *dst_mr, *back_mr;
static pthread_mutex_t slot_lock[SLOTS];
static volatile bool stop;

static struct {
	unsigned long rounds, remaps, dontneeds, collapses, collapse_errs;
	unsigned long wild_ok, wild_err;
} st;

static uint8_t *slot_of(uint8_t *region, int i)
{
	return region + (size_t)i * SLOT;
}

/* One signalled op; its completion status, or -1 if none came. */
static int rdma_op(struct pair *p, enum ibv_wr_opcode op, struct ibv_mr *lmr,
		   uint8_t *l, struct ibv_mr *rmr, uint8_t *r, uint32_t len)
{
	struct ibv_sge sge = { .addr = (uintptr_t)l, .length = len,
			       .lkey = lmr->lkey };
	struct ibv_send_wr wr = {
		.wr_id = op, .sg_list = &sge, .num_sge = 1, .opcode = op,
		.send_flags = IBV_SEND_SIGNALED,
		.wr.rdma = { .remote_addr = (uintptr_t)r, .rkey = rmr->rkey },
	};
	struct ibv_send_wr *bad;
	struct ibv_wc wc;

	if (ibv_post_send(p->req, &wr, &bad))
		return -1;
	if (poll_one(p->scq, &wc, 20 * WAIT_MS) != 1)
		return -1;
	return wc.status;
}

/* A round of the checked stream on slot i. */
static bool round_on(struct pair *p, int i, unsigned int seed)
{
	uint8_t *s = slot_of(src, i), *d = slot_of(dst, i);
	uint8_t *b = slot_of(back, i);
	int ret;

	fill(s, SLOT, seed);
	ret = rdma_op(p, IBV_WR_RDMA_WRITE, src_mr, s, dst_mr, d, SLOT);
	if (!EXPECT(ret == IBV_WC_SUCCESS, "slot %d: WRITE status %d", i, ret))
		return false;
	ret = rdma_op(p, IBV_WR_RDMA_READ, back_mr, b, dst_mr, d, SLOT);
	if (!EXPECT(ret == IBV_WC_SUCCESS, "slot %d: READ status %d", i, ret))
		return false;
	return EXPECT_SAME(d, s, SLOT) && EXPECT_SAME(b, s, SLOT);
}

static void *checked_fn(void *arg)
{
	struct pair *p = arg;
	unsigned int seed = 1;
	bool ok = true;
	int i;

	while (!stop && ok) {
		for (i = 0; i < WILD && ok; i++) {
			pthread_mutex_lock(&slot_lock[i]);
			ok = round_on(p, i, seed++);
			pthread_mutex_unlock(&slot_lock[i]);
		}
		st.rounds++;
	}
	stop = true;
	return NULL;
}

/*
 * Compaction in a loaded emulated VM can hold a page, and so a fault, for
 * seconds: a local ACK timeout of 4 s lets the checked stream wait for
 * it, as a real application on ODP memory would be configured to.
 */
static const struct pair_opts patient = {
	.rnr_retry = 7, .min_rnr_timer = 12, .timeout = 20,
};

static bool clean_error(int status)
{
	return status == IBV_WC_SUCCESS || status == IBV_WC_REM_ACCESS_ERR ||
	       status == IBV_WC_RETRY_EXC_ERR;
}

/* The wild stream: any outcome but a hang; after an error, a new pair. */
static void *wild_fn(void *arg)
{
	struct pair *p = arg;
	uint8_t *s = slot_of(src, WILD), *d = slot_of(dst, WILD);
	int w, r;

	while (!stop) {
		w = rdma_op(p, IBV_WR_RDMA_WRITE, src_mr, s, dst_mr, d, SLOT);
		r = w ? w : rdma_op(p, IBV_WR_RDMA_READ, back_mr,
				     slot_of(back, WILD), dst_mr, d, SLOT);
		if (!EXPECT(w >= 0 && r >= 0, "wild stream: no completion"))
			break;
		if (!w && !r) {
			st.wild_ok++;
			continue;
		}
		EXPECT(clean_error(w), "wild WRITE: %s",
		       ibv_wc_status_str(w));
		EXPECT(clean_error(r), "wild READ: %s", ibv_wc_status_str(r));
		st.wild_err++;
		pair_free(p);
		if (!pair_new(p, &default_opts))
			break;
	}
	return NULL;
}

/*
 * Replace slot i of a region by a fresh mapping, accessible or not.  The
 * address range stays taken, so that no other mapping (a ring of a new
 * CQ) can land there meanwhile.
 */
static bool remap_prot(uint8_t *region, int i, int prot)
{
	return mmap(slot_of(region, i), SLOT, prot,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
	       MAP_FAILED;
}

static bool remap(uint8_t *region, int i)
{
	return remap_prot(region, i, PROT_READ | PROT_WRITE);
}

/* Migrate every page of a region into one huge page, under the streams. */
static void collapse(uint8_t *region)
{
	if (!madvise(region, REGION, MADV_COLLAPSE))
		st.collapses++;
	else
		st.collapse_errs++;	/* split by remaps, or no THP */
}

/*
 * The n-th disturbance: a slot mapped anew, a slot dropped, the wild slot
 * taken away and mapped again, and, one time in 8, a region collapsed.
 * Not /proc/sys/vm/compact_memory: a pass over the whole node clears
 * every free page it gathers (Debian's init_on_alloc), which under
 * emulation holds a CPU for minutes and trips the soft lockup watchdog.
 */
static void disturb(unsigned int n)
{
	uint8_t *regions[3] = { src, dst, back };
	uint8_t *r = regions[n % 3];
	int i = n / 3 % WILD;

	if (n % 8 == 7) {
		collapse(r);
		return;
	}
	switch (n / 3 % 3) {
	case 0:
		pthread_mutex_lock(&slot_lock[i]);
		EXPECT(remap(r, i), "remap: %s", strerror(errno));
		pthread_mutex_unlock(&slot_lock[i]);
		st.remaps++;
		break;
	case 1:
		pthread_mutex_lock(&slot_lock[i]);
		madvise(slot_of(r, i), SLOT, MADV_DONTNEED);
		pthread_mutex_unlock(&slot_lock[i]);
		st.dontneeds++;
		break;
	default:
		/* the wild slot goes away and comes back under the stream */
		EXPECT(remap_prot(dst, WILD, PROT_NONE), "remap: %s",
		       strerror(errno));
		usleep(500);
		EXPECT(remap(dst, WILD), "remap: %s", strerror(errno));
		st.remaps++;
		break;
	}
}

static uint8_t *region_new(struct ibv_mr **mr)
{
	uint8_t *raw = mmap(NULL, 2 * REGION, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *p;

	if (!EXPECT(raw != MAP_FAILED, "mmap: %s", strerror(errno)))
		return NULL;
	/* aligned to 2 MiB, so that it can become one huge page */
	p = (uint8_t *)(((uintptr_t)raw + REGION - 1) & ~(uintptr_t)(REGION - 1));
	if (p > raw)
		munmap(raw, p - raw);
	munmap(p + REGION, raw + REGION - p);
	*mr = ibv_reg_mr(pd, p, REGION, ODP_ACCESS);
	return EXPECT(*mr, "reg_mr: %s", strerror(errno)) ? p : NULL;
}

int main(int argc, char **argv)
{
	struct pair checked = {}, wild = {};
	pthread_t t1, t2;
	unsigned int n = 0;
	long long end;
	int i;

	if (argc != 4) {
		fprintf(stderr, "usage: odp_stress DEVICE GID_INDEX SECONDS\n");
		return 2;
	}
	gid_index = atoi(argv[2]);
	end = now_ms() + atoi(argv[3]) * 1000LL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < SLOTS; i++)
		pthread_mutex_init(&slot_lock[i], NULL);
	ctx = open_device(argv[1]);
	if (!EXPECT(ctx, "cannot open %s", argv[1]))
		goto out;
	pd = ibv_alloc_pd(ctx);
	channel = ibv_create_comp_channel(ctx);
	if (!EXPECT(pd && channel, "PD or channel") ||
	    !EXPECT(!ibv_query_gid(ctx, 1, gid_index, &gid), "query_gid"))
		goto out;
	src = region_new(&src_mr);
	dst = region_new(&dst_mr);
	back = region_new(&back_mr);
	if (!src || !dst || !back || !pair_new(&checked, &patient) ||
	    !pair_new(&wild, &default_opts))
		goto out;
	pthread_create(&t1, NULL, checked_fn, &checked);
	pthread_create(&t2, NULL, wild_fn, &wild);
	while (!stop && now_ms() < end) {
		disturb(n++);
		usleep(2000);
	}
	stop = true;
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	EXPECT(st.rounds > 0 && st.wild_ok > 0, "no progress");
	printf("checked rounds %lu (%d slots each), wild ok %lu, wild errors "
	       "%lu; remaps %lu, dontneeds %lu, collapses %lu (%lu refused)\n",
	       st.rounds, WILD, st.wild_ok, st.wild_err, st.remaps,
	       st.dontneeds, st.collapses, st.collapse_errs);
out:
	pair_free(&checked);
	pair_free(&wild);
	if (src_mr)
		ibv_dereg_mr(src_mr);
	if (dst_mr)
		ibv_dereg_mr(dst_mr);
	if (back_mr)
		ibv_dereg_mr(back_mr);
	printf("odp_stress: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
