// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Extended CQs (ibv_create_cq_ex): the same ring as a plain CQ, read one
 * CQE at a time through start_poll/next_poll/end_poll and the read_*
 * accessors.  A completion timestamp is the kernel's CLOCK_MONOTONIC in
 * ns when the CQE was written, which is also what query_rt_values reads.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "zroce.h"

DECLARE_DRV_CMD(ucmd_create_cq_ex, ibv_create_cq_ex,
		ib_uverbs_ex_create_cq_resp, empty, zroce_create_cq_resp);

#define ZROCE_CQ_WC_FLAGS					\
	(IBV_WC_STANDARD_FLAGS | IBV_WC_EX_WITH_COMPLETION_TIMESTAMP |	\
	 IBV_WC_EX_WITH_COMPLETION_TIMESTAMP_WALLCLOCK)

static inline struct zroce_cq *to_zcqx(struct ibv_cq_ex *ibcq)
{
	return container_of(ibcq, struct zroce_cq, vcq.cq_ex);
}

static inline const struct zroce_cqe *zroce_cqx_cur(struct ibv_cq_ex *ibcq)
{
	return to_zcqx(ibcq)->cur;
}

/* Make the CQE at poll_cons current, if the kernel has written it. */
static int zroce_cqx_load(struct zroce_cq *cq)
{
	uint32_t prod = atomic_load_explicit(
		zroce_uring_word(&cq->ring, ZROCE_RING_PROD_OFFSET),
		memory_order_acquire);

	if (cq->poll_cons == prod) {
		cq->cur = NULL;
		return ENOENT;
	}
	cq->cur = zroce_uring_slot(&cq->ring, cq->poll_cons);
	cq->vcq.cq_ex.wr_id = cq->cur->wr_id;
	cq->vcq.cq_ex.status = cq->cur->status;
	return 0;
}

/* Hand the slots before poll_cons back to the kernel. */
static void zroce_cqx_release(struct zroce_cq *cq)
{
	atomic_store_explicit(zroce_uring_word(&cq->ring,
					       ZROCE_RING_CONS_OFFSET),
			      cq->poll_cons, memory_order_release);
}

static int zroce_start_poll(struct ibv_cq_ex *ibcq,
			    struct ibv_poll_cq_attr *attr)
{
	struct zroce_cq *cq = to_zcqx(ibcq);
	int ret;

	if (attr->comp_mask)
		return EINVAL;
	pthread_spin_lock(&cq->lock);
	cq->poll_cons = atomic_load_explicit(
		zroce_uring_word(&cq->ring, ZROCE_RING_CONS_OFFSET),
		memory_order_relaxed);
	ret = zroce_cqx_load(cq);
	if (ret)	/* no end_poll follows an empty start_poll */
		pthread_spin_unlock(&cq->lock);
	return ret;
}

static int zroce_next_poll(struct ibv_cq_ex *ibcq)
{
	struct zroce_cq *cq = to_zcqx(ibcq);

	if (cq->cur) {
		cq->poll_cons++;
		zroce_cqx_release(cq);
	}
	return zroce_cqx_load(cq);
}

static void zroce_end_poll(struct ibv_cq_ex *ibcq)
{
	struct zroce_cq *cq = to_zcqx(ibcq);

	if (cq->cur)
		cq->poll_cons++;
	cq->cur = NULL;
	zroce_cqx_release(cq);
	pthread_spin_unlock(&cq->lock);
}

static enum ibv_wc_opcode zroce_read_opcode(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->opcode;
}

static uint32_t zroce_read_vendor_err(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->vendor_err;
}

static uint32_t zroce_read_byte_len(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->byte_len;
}

/* the immediate data, or the invalidated rkey */
static __be32 zroce_read_imm_data(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->ex;
}

static uint32_t zroce_read_qp_num(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->qp_num;
}

static uint32_t zroce_read_src_qp(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->src_qp;
}

static unsigned int zroce_read_wc_flags(struct ibv_cq_ex *ibcq)
{
	return zroce_wc_flags(zroce_cqx_cur(ibcq)->wc_flags);
}

static uint32_t zroce_read_slid(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->slid;
}

static uint8_t zroce_read_sl(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->sl;
}

static uint8_t zroce_read_dlid_path_bits(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->dlid_path_bits;
}

static uint64_t zroce_read_completion_ts(struct ibv_cq_ex *ibcq)
{
	return zroce_cqx_cur(ibcq)->timestamp;
}

static uint64_t zroce_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The CQE's monotonic time moved onto the wall clock as it is now */
static uint64_t zroce_read_completion_wallclock_ns(struct ibv_cq_ex *ibcq)
{
	uint64_t mono = zroce_ns(CLOCK_MONOTONIC);
	uint64_t wall = zroce_ns(CLOCK_REALTIME);

	return wall - (mono - zroce_cqx_cur(ibcq)->timestamp);
}

static void zroce_cqx_init(struct zroce_cq *cq)
{
	struct ibv_cq_ex *c = &cq->vcq.cq_ex;

	c->start_poll = zroce_start_poll;
	c->next_poll = zroce_next_poll;
	c->end_poll = zroce_end_poll;
	c->read_opcode = zroce_read_opcode;
	c->read_vendor_err = zroce_read_vendor_err;
	c->read_byte_len = zroce_read_byte_len;
	c->read_imm_data = zroce_read_imm_data;
	c->read_qp_num = zroce_read_qp_num;
	c->read_src_qp = zroce_read_src_qp;
	c->read_wc_flags = zroce_read_wc_flags;
	c->read_slid = zroce_read_slid;
	c->read_sl = zroce_read_sl;
	c->read_dlid_path_bits = zroce_read_dlid_path_bits;
	c->read_completion_ts = zroce_read_completion_ts;
	c->read_completion_wallclock_ns = zroce_read_completion_wallclock_ns;
}

struct ibv_cq_ex *zroce_create_cq_ex(struct ibv_context *ctx,
				     struct ibv_cq_init_attr_ex *attr)
{
	struct ucmd_create_cq_ex_resp resp = {};
	struct ucmd_create_cq_ex cmd = {};
	struct zroce_cq *cq;
	int ret;

	/* a parent domain (MASK_PD) is not supported; SINGLE_THREADED is
	 * a hint that changes nothing here
	 */
	if ((attr->wc_flags & ~ZROCE_CQ_WC_FLAGS) ||
	    (attr->comp_mask & ~IBV_CQ_INIT_ATTR_MASK_FLAGS) ||
	    ((attr->comp_mask & IBV_CQ_INIT_ATTR_MASK_FLAGS) &&
	     (attr->flags & ~IBV_CREATE_CQ_ATTR_SINGLE_THREADED))) {
		errno = EOPNOTSUPP;
		return NULL;
	}
	cq = calloc(1, sizeof(*cq));
	if (!cq) {
		errno = ENOMEM;
		return NULL;
	}
	ret = pthread_spin_init(&cq->lock, PTHREAD_PROCESS_PRIVATE);
	if (ret)
		goto err_free;
	ret = ibv_cmd_create_cq_ex(ctx, attr, &cq->vcq, &cmd.ibv_cmd,
				   sizeof(cmd), &resp.ibv_resp, sizeof(resp),
				   0);
	if (ret)
		goto err_destroy_lock;
	ret = zroce_uring_map(ctx, &cq->ring, &resp.drv_payload.cq);
	if (ret)
		goto err_destroy_cq;
	cq->cqn = resp.drv_payload.cqn;
	zroce_cqx_init(cq);
	return &cq->vcq.cq_ex;

err_destroy_cq:
	ibv_cmd_destroy_cq(&cq->vcq.cq);
err_destroy_lock:
	pthread_spin_destroy(&cq->lock);
err_free:
	free(cq);
	errno = ret;
	return NULL;
}

/* The device clock: CLOCK_MONOTONIC, as the kernel stamps CQEs with it */
int zroce_query_rt_values(struct ibv_context *ctx,
			  struct ibv_values_ex *values)
{
	uint32_t asked = values->comp_mask;

	values->comp_mask = 0;
	if (asked & IBV_VALUES_MASK_RAW_CLOCK) {
		clock_gettime(CLOCK_MONOTONIC, &values->raw_clock);
		values->comp_mask |= IBV_VALUES_MASK_RAW_CLOCK;
	}
	return 0;
}
