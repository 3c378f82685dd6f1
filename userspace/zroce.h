/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * zroce libibverbs provider: objects and the functions each file provides.
 */
#ifndef ZROCE_PROVIDER_H
#define ZROCE_PROVIDER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "pabi34.h"
#include <rdma/zroce-abi.h>
#include <zroce/ring.h>

#define container_of(ptr, type, member) \
	((type *)((uint8_t *)(ptr) - offsetof(type, member)))

struct zroce_device {
	struct verbs_device ibv_dev;
};

struct zroce_context {
	struct verbs_context ibv_ctx;
	uint32_t max_inline_data;
	uint32_t max_send_sge;
	uint32_t max_recv_sge;
};

/* A ring the kernel mapped into this process. */
struct zroce_uring {
	void *map;
	size_t map_size;
	uint32_t num_slots;
	uint32_t slot_size;
};

struct zroce_cq {
	struct verbs_cq vcq;
	pthread_spinlock_t lock;	/* ring, consumer index */
	struct zroce_uring ring;
	uint32_t cqn;
	/* ibv_cq_ex polling, from start_poll to end_poll (lock) */
	uint32_t poll_cons;		/* index of cur */
	const struct zroce_cqe *cur;	/* the CQE read_* read, or NULL */
};

struct zroce_qp {
	struct verbs_qp vqp;
	pthread_spinlock_t sq_lock;	/* sq, producer index */
	struct zroce_uring sq;
	pthread_spinlock_t rq_lock;	/* rq, producer index */
	struct zroce_uring rq;
	uint32_t max_inline_data;
	uint32_t max_send_sge;
	uint32_t max_recv_sge;
	/* the wr_* API, from wr_start to wr_complete or wr_abort (sq_lock) */
	uint32_t wr_first;		/* producer index at wr_start */
	uint32_t wr_prod;		/* next slot a WR takes */
	uint32_t wr_cons;		/* consumer index at wr_start */
	int wr_err;			/* first error, for wr_complete */
	struct zroce_send_wqe *wr_wqe;	/* the WQE the wr_set_* calls fill */
};

struct zroce_srq {
	struct verbs_srq vsrq;
	pthread_spinlock_t lock;	/* ring, producer index */
	struct zroce_uring ring;
	uint32_t srqn;
	uint32_t max_sge;
};

struct zroce_ah {
	struct ibv_ah ibv_ah;
	uint32_t ahn;
};

static inline struct zroce_context *to_zctx(struct ibv_context *ibctx)
{
	return container_of(ibctx, struct zroce_context, ibv_ctx.context);
}

static inline struct zroce_cq *to_zcq(struct ibv_cq *ibcq)
{
	return container_of(ibcq, struct zroce_cq, vcq.cq);
}

static inline struct zroce_qp *to_zqp(struct ibv_qp *ibqp)
{
	return container_of(ibqp, struct zroce_qp, vqp.qp);
}

static inline struct zroce_qp *to_zqpx(struct ibv_qp_ex *ibqpx)
{
	return container_of(ibqpx, struct zroce_qp, vqp.qp_ex);
}

static inline struct zroce_srq *to_zsrq(struct ibv_srq *ibsrq)
{
	return container_of(ibsrq, struct zroce_srq, vsrq.srq);
}

static inline struct zroce_ah *to_zah(struct ibv_ah *ibah)
{
	return container_of(ibah, struct zroce_ah, ibv_ah);
}

/* ring.c */
int zroce_uring_map(struct ibv_context *ctx, struct zroce_uring *ring,
		    const struct zroce_ring_info *info);
void zroce_uring_unmap(struct zroce_uring *ring);
_Atomic uint32_t *zroce_uring_word(struct zroce_uring *ring, uint32_t offset);
void *zroce_uring_slot(struct zroce_uring *ring, uint32_t idx);

/* mem.c */
struct ibv_pd *zroce_alloc_pd(struct ibv_context *ctx);
int zroce_dealloc_pd(struct ibv_pd *pd);
struct ibv_mr *zroce_reg_mr(struct ibv_pd *pd, void *addr, size_t length,
			    uint64_t hca_va, int access);
int zroce_rereg_mr(struct verbs_mr *vmr, int flags, struct ibv_pd *pd,
		   void *addr, size_t length, int access);
int zroce_dereg_mr(struct verbs_mr *vmr);
int zroce_advise_mr(struct ibv_pd *pd, enum ibv_advise_mr_advice advice,
		    uint32_t flags, struct ibv_sge *sg_list, uint32_t num_sge);
struct ibv_ah *zroce_create_ah(struct ibv_pd *pd, struct ibv_ah_attr *attr);
int zroce_destroy_ah(struct ibv_ah *ah);

/* cq.c */
struct ibv_cq *zroce_create_cq(struct ibv_context *ctx, int cqe,
			       struct ibv_comp_channel *channel,
			       int comp_vector);
int zroce_resize_cq(struct ibv_cq *ibcq, int cqe);
int zroce_destroy_cq(struct ibv_cq *ibcq);
int zroce_poll_cq(struct ibv_cq *ibcq, int ne, struct ibv_wc *wc);
unsigned int zroce_wc_flags(uint32_t cqe_flags);
void zroce_cq_clean(struct ibv_cq *ibcq, uint32_t qpn);

/* cqex.c */
struct ibv_cq_ex *zroce_create_cq_ex(struct ibv_context *ctx,
				     struct ibv_cq_init_attr_ex *attr);
int zroce_query_rt_values(struct ibv_context *ctx,
			  struct ibv_values_ex *values);
/* qp.c */
struct ibv_qp *zroce_create_qp(struct ibv_pd *pd,
			       struct ibv_qp_init_attr *attr);
struct ibv_qp *zroce_create_qp_ex(struct ibv_context *ctx,
				  struct ibv_qp_init_attr_ex *attr);
int zroce_query_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr,
		   int mask, struct ibv_qp_init_attr *init);
int zroce_modify_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr, int mask);
int zroce_destroy_qp(struct ibv_qp *ibqp);
int zroce_query_qp_data_in_order(struct ibv_qp *qp, enum ibv_wr_opcode op,
				 uint32_t flags);

/* post.c */
uint64_t zroce_send_ops(enum ibv_qp_type type);
bool zroce_send_op_inline(enum ibv_wr_opcode op);
bool zroce_sq_ready(const struct ibv_qp *ibqp);
void zroce_wqe_init(struct zroce_send_wqe *wqe, uint64_t wr_id,
		    enum ibv_wr_opcode op, unsigned int flags);
void zroce_wqe_set_ud(struct zroce_send_wqe *wqe, struct ibv_ah *ah,
		      uint32_t remote_qpn, uint32_t remote_qkey);
int zroce_wqe_inline_add(struct zroce_qp *qp, struct zroce_send_wqe *wqe,
			 const void *addr, size_t len);
int zroce_wqe_set_sges(struct zroce_qp *qp, struct zroce_send_wqe *wqe,
		       const struct ibv_sge *sg, size_t num_sge);
void zroce_sq_begin(struct zroce_qp *qp, uint32_t *prod, uint32_t *cons);
int zroce_sq_commit(struct zroce_qp *qp, uint32_t prod, bool posted);
int zroce_post_send(struct ibv_qp *ibqp, struct ibv_send_wr *wr,
		    struct ibv_send_wr **bad_wr);
int zroce_post_recv(struct ibv_qp *ibqp, struct ibv_recv_wr *wr,
		    struct ibv_recv_wr **bad_wr);
int zroce_post_srq_recv(struct ibv_srq *ibsrq, struct ibv_recv_wr *wr,
			struct ibv_recv_wr **bad_wr);

/* mw.c */
struct ibv_mw *zroce_alloc_mw(struct ibv_pd *pd, enum ibv_mw_type type);
int zroce_dealloc_mw(struct ibv_mw *mw);
int zroce_wqe_set_bind(struct zroce_send_wqe *wqe, struct ibv_mw *mw,
		       uint32_t rkey, const struct ibv_mw_bind_info *info);
int zroce_bind_mw(struct ibv_qp *ibqp, struct ibv_mw *mw,
		  struct ibv_mw_bind *mw_bind);
/* qpex.c */
void zroce_qp_ex_init(struct zroce_qp *qp, uint64_t send_ops);

/* srq.c */
struct ibv_srq *zroce_create_srq(struct ibv_pd *pd,
				 struct ibv_srq_init_attr *attr);
int zroce_modify_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr,
		     int mask);
int zroce_query_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr);
int zroce_destroy_srq(struct ibv_srq *ibsrq);

#endif /* ZROCE_PROVIDER_H */
