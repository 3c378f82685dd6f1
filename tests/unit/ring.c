// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Host tests of include/zroce/ring.h: index math across the u32 wrap,
 * sanity of indices a peer wrote, and slot sizing.
 */
#include <zroce/ring.h>

#include "check.h"

static void test_pow2(void)
{
	CHECK(!zroce_is_pow2(0));
	CHECK(zroce_is_pow2(1));
	CHECK(zroce_is_pow2(1U << 31));
	CHECK(!zroce_is_pow2(96));
	CHECK_EQ(zroce_pow2_ceil(0), 0);
	CHECK_EQ(zroce_pow2_ceil(1), 1);
	CHECK_EQ(zroce_pow2_ceil(3), 4);
	CHECK_EQ(zroce_pow2_ceil(64), 64);
	CHECK_EQ(zroce_pow2_ceil(65), 128);
	CHECK_EQ(zroce_pow2_ceil(1U << 31), 1U << 31);
	CHECK_EQ(zroce_pow2_ceil((1U << 31) + 1), 0);
	CHECK_EQ(zroce_pow2_ceil(UINT32_MAX), 0);
}

static void test_wrap(void)
{
	uint32_t cons = UINT32_MAX - 2, prod = cons + 5;	/* wrapped */

	CHECK_EQ(zroce_ring_used(prod, cons), 5);
	CHECK(zroce_ring_sane(prod, cons, 8));
	CHECK(!zroce_ring_sane(prod, cons, 4));
	CHECK(!zroce_ring_full(prod, cons, 8));
	CHECK(zroce_ring_full(prod, cons, 5));
	CHECK(!zroce_ring_empty(prod, cons));
	CHECK(zroce_ring_empty(7, 7));
	CHECK_EQ(zroce_ring_slot(cons, 8), 5);
	CHECK_EQ(zroce_ring_slot(prod, 8), 2);
}

/* A consumer index ahead of the producer is garbage, not a huge count. */
static void test_insane(void)
{
	CHECK(!zroce_ring_sane(10, 11, 1U << 20));
	CHECK(!zroce_ring_sane(0, 0x80000000U, 1U << 20));
	CHECK(zroce_ring_sane(0x80000000U, 0x80000000U - (1U << 20),
			      1U << 20));
}

static void test_sizes(void)
{
	CHECK_EQ(zroce_ring_slots(0), 0);
	CHECK_EQ(zroce_ring_slots(1), 1);
	CHECK_EQ(zroce_ring_slots(1000), 1024);
	CHECK_EQ(zroce_ring_slots(ZROCE_RING_MAX_SLOTS), ZROCE_RING_MAX_SLOTS);
	CHECK_EQ(zroce_ring_slots(ZROCE_RING_MAX_SLOTS + 1), 0);

	CHECK_EQ(zroce_sq_slot_size(0, 0), 64);
	CHECK_EQ(zroce_sq_slot_size(1, 0), 128);
	CHECK_EQ(zroce_sq_slot_size(4, 0), 128);
	CHECK_EQ(zroce_sq_slot_size(1, 100), 256);
	CHECK_EQ(zroce_sq_slot_size(32, 0), 1024);
	CHECK_EQ(zroce_sq_slot_sges(128), 4);
	CHECK(zroce_sq_slot_sges(zroce_sq_slot_size(7, 0)) >= 7);

	CHECK_EQ(zroce_rq_slot_size(0), 64);
	CHECK_EQ(zroce_rq_slot_size(3), 64);
	CHECK_EQ(zroce_rq_slot_size(4), 128);
	CHECK_EQ(zroce_rq_slot_sges(64), 3);

	CHECK_EQ(zroce_ring_slot_offset(9, 8, 64), ZROCE_RING_DATA_OFFSET + 64);
	CHECK_EQ(zroce_ring_bytes(4, 64), ZROCE_RING_DATA_OFFSET + 256);
}

int main(void)
{
	test_pow2();
	test_wrap();
	test_insane();
	test_sizes();
	return check_result("ring");
}
