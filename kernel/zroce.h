/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * zroce: objects of the driver and the functions each file provides.
 */
#ifndef ZROCE_H
#define ZROCE_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <rdma/ib_verbs.h>
#include <rdma/zroce-abi.h>
#include <zroce/ring.h>

#define ZROCE_PORT		1
#define ZROCE_VENDOR_ID		0x5a524f	/* not an IEEE OUI: a soft device */
#define ZROCE_VENDOR_PART_ID	0x0001
#define ZROCE_GID_TBL_LEN	128
#define ZROCE_MAX_QP		(1 << 16)
#define ZROCE_MAX_QP_WR		(1 << 14)
#define ZROCE_MAX_SGE		32
#define ZROCE_MAX_INLINE	512
#define ZROCE_MAX_CQ		(1 << 16)
#define ZROCE_MAX_CQE		(1 << 16)
#define ZROCE_MAX_MR		((1 << 24) - 1)	/* the key keeps 24 index bits */
#define ZROCE_MAX_PD		(1 << 16)
#define ZROCE_MAX_AH		(1 << 16)
#define ZROCE_MAX_SRQ		(1 << 16)
#define ZROCE_MAX_SRQ_WR	(1 << 14)
#define ZROCE_MAX_RD_ATOMIC	16
#define ZROCE_MIN_QPN		16
#define ZROCE_MAX_QPN		0xffffff

struct zroce_dev {
	struct ib_device ibdev;		/* first: ib_alloc_device */
	struct net_device *ndev;	/* held until dealloc_driver */
	struct xarray qps;		/* qpn -> zroce_qp */
	u32 next_qpn;			/* cyclic allocation hint */
	struct xarray mrs;		/* key >> 8 -> zroce_mr */
	struct xarray srqs;		/* srqn -> zroce_srq */
	u32 next_srqn;
	struct xarray ahs;		/* ahn -> zroce_ah */
	u32 next_ahn;
	struct xarray cqs;		/* cqn -> zroce_cq */
	u32 next_cqn;
	bool port_active;		/* last state reported by an event */
};

struct zroce_ucontext {
	struct ib_ucontext ibuc;
};

struct zroce_pd {
	struct ib_pd ibpd;
};

/* A ring in vmalloc_user memory, mapped into the process for user objects */
struct zroce_ring {
	void *buf;
	u32 num_slots;
	u32 slot_size;
	u32 kidx;			/* the kernel's own index, never trusted from buf */
	struct rdma_user_mmap_entry *mentry;	/* owns buf when set */
};

struct zroce_cq {
	struct ib_cq ibcq;
	spinlock_t lock;		/* producers of ring; ring swap on resize */
	struct zroce_ring ring;
	u32 cqn;
	u32 notify;			/* IB_CQ_SOLICITED / IB_CQ_NEXT_COMP armed */
};

struct zroce_srq {
	struct ib_srq ibsrq;
	struct mutex attr_lock;		/* attr */
	struct ib_srq_attr attr;
	spinlock_t lock;		/* kernel producers of ring */
	struct zroce_ring ring;
	u32 srqn;
};

struct zroce_qp {
	struct ib_qp ibqp;
	struct mutex state_lock;	/* attr, the QP state machine */
	struct ib_qp_attr attr;		/* current attributes and state */
	struct ib_qp_cap cap;
	enum ib_sig_type sq_sig_type;
	u32 create_flags;
	spinlock_t sq_lock;		/* kernel producers of sq */
	struct zroce_ring sq;
	spinlock_t rq_lock;		/* kernel producers of rq */
	struct zroce_ring rq;		/* unused with an SRQ */
};

struct zroce_mr {
	struct ib_mr ibmr;
	struct ib_umem *umem;		/* NULL for a DMA MR */
	int access;
	struct rcu_head rcu;
};

struct zroce_ah {
	struct ib_ah ibah;
	u32 ahn;
	union ib_gid dgid;
	u32 flow_label;
	u8 sgid_index;
	u8 hop_limit;
	u8 traffic_class;
	u8 sl;
	u8 dmac[ETH_ALEN];
};

static inline struct zroce_dev *to_zdev(struct ib_device *ibdev)
{
	return container_of(ibdev, struct zroce_dev, ibdev);
}

#define ZROCE_CONTAINER(name, type, member)				\
static inline struct type *name(struct ib_##member *p)			\
{									\
	return container_of(p, struct type, ib##member);		\
}
ZROCE_CONTAINER(to_zpd, zroce_pd, pd)
ZROCE_CONTAINER(to_zcq, zroce_cq, cq)
ZROCE_CONTAINER(to_zqp, zroce_qp, qp)
ZROCE_CONTAINER(to_zsrq, zroce_srq, srq)
ZROCE_CONTAINER(to_zmr, zroce_mr, mr)
ZROCE_CONTAINER(to_zah, zroce_ah, ah)
#undef ZROCE_CONTAINER

#define zroce_dbg(zdev, fmt, ...) \
	ibdev_dbg(&(zdev)->ibdev, "%s: " fmt, __func__, ##__VA_ARGS__)

/* device.c */
int zroce_dev_add(const char *name, struct net_device *ndev);
void zroce_port_event(struct zroce_dev *zdev);
extern const struct ib_device_ops zroce_dev_ops;

/* ring.c */
int zroce_ring_init(struct zroce_ring *ring, u32 num_slots, u32 slot_size);
int zroce_ring_publish(struct zroce_ring *ring, struct ib_udata *udata,
		       struct zroce_ring_info *info);
void zroce_ring_destroy(struct zroce_ring *ring);
void zroce_ring_reset(struct zroce_ring *ring);
u32 *zroce_ring_word(struct zroce_ring *ring, u32 offset);
void *zroce_ring_slot_addr(struct zroce_ring *ring, u32 idx);
int zroce_mmap(struct ib_ucontext *uctx, struct vm_area_struct *vma);
void zroce_mmap_free(struct rdma_user_mmap_entry *entry);

/* uctx.c */
int zroce_alloc_ucontext(struct ib_ucontext *uctx, struct ib_udata *udata);
void zroce_dealloc_ucontext(struct ib_ucontext *uctx);
void zroce_disassociate_ucontext(struct ib_ucontext *uctx);
int zroce_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);
int zroce_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);

/* ah.c */
int zroce_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
		    struct ib_udata *udata);
int zroce_query_ah(struct ib_ah *ibah, struct rdma_ah_attr *attr);
int zroce_destroy_ah(struct ib_ah *ibah, u32 flags);
int zroce_check_av(struct zroce_dev *zdev, const struct rdma_ah_attr *av);

/* mr.c */
struct ib_mr *zroce_get_dma_mr(struct ib_pd *ibpd, int access);
struct ib_mr *zroce_reg_user_mr(struct ib_pd *ibpd, u64 start, u64 length,
				u64 iova, int access, struct ib_udata *udata);
int zroce_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata);

/* cq.c */
int zroce_create_cq_udata(struct ib_cq *ibcq,
			  const struct ib_cq_init_attr *attr,
			  struct ib_udata *udata);
int zroce_create_cq_attrs(struct ib_cq *ibcq,
			  const struct ib_cq_init_attr *attr,
			  struct uverbs_attr_bundle *attrs);
int zroce_resize_cq(struct ib_cq *ibcq, int cqe, struct ib_udata *udata);
int zroce_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata);
int zroce_poll_cq(struct ib_cq *ibcq, int num, struct ib_wc *wc);
int zroce_req_notify_cq(struct ib_cq *ibcq, enum ib_cq_notify_flags flags);

/* qp.c */
int zroce_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
		    struct ib_udata *udata);
int zroce_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		   struct ib_qp_init_attr *init);
int zroce_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata);
int zroce_post_send(struct ib_qp *ibqp, const struct ib_send_wr *wr,
		    const struct ib_send_wr **bad_wr);
int zroce_post_recv(struct ib_qp *ibqp, const struct ib_recv_wr *wr,
		    const struct ib_recv_wr **bad_wr);
int zroce_post_recv_ring(struct zroce_ring *ring, spinlock_t *lock,
			 u32 max_sge, const struct ib_recv_wr *wr,
			 const struct ib_recv_wr **bad_wr);

/* qp_modify.c */
int zroce_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		    struct ib_udata *udata);

/* srq.c */
int zroce_create_srq(struct ib_srq *ibsrq, struct ib_srq_init_attr *init,
		     struct ib_udata *udata);
int zroce_modify_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr,
		     enum ib_srq_attr_mask mask, struct ib_udata *udata);
int zroce_query_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr);
int zroce_destroy_srq(struct ib_srq *ibsrq, struct ib_udata *udata);
int zroce_post_srq_recv(struct ib_srq *ibsrq, const struct ib_recv_wr *wr,
			const struct ib_recv_wr **bad_wr);

#endif /* ZROCE_H */
