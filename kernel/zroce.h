/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * zroce: objects of the driver and the functions each file provides.
 */
#ifndef ZROCE_H
#define ZROCE_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <rdma/ib_addr.h>
#include <rdma/ib_verbs.h>
#include <rdma/zroce-abi.h>
#include <zroce/ring.h>
#include <zroce/wire.h>

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
#define ZROCE_FRMR_MAX_PAGES	(1 << 16)	/* pages of a fast-register MR */
#define ZROCE_MAX_MCAST_GRP	256
#define ZROCE_MAX_MCAST_QP	32	/* QPs attached to one group */
#define ZROCE_MAX_AH		(1 << 16)
#define ZROCE_MAX_SRQ		(1 << 16)
#define ZROCE_MAX_SRQ_WR	(1 << 14)
#define ZROCE_MAX_RD_ATOMIC	128	/* as rdma_rxe: peers ask for it */
#define ZROCE_MIN_QPN		16
#define ZROCE_MAX_QPN		0xffffff
#define ZROCE_TX_COPY_MAX	256	/* payload copied, not attached */
#define ZROCE_DOORBELL_BUDGET	256	/* packets the doorbell sends inline */
#define ZROCE_WORK_BUDGET	256	/* packets per run of the work item */
#define ZROCE_RX_BACKLOG	1024	/* packets waiting for ODP faults */
#define ZROCE_RX_FAULT_TRIES	16	/* faults one packet may need */

/* The UDP/4791 sockets of one network namespace, shared by its devices */
struct zroce_net {
	struct list_head list;		/* zroce_nets, under zroce_net_lock */
	struct net *net;
	refcount_t users;		/* devices on netdevs of net */
	struct socket *sock4;
	struct socket *sock6;
};

/* Data path counters, shown by rdma statistic */
enum zroce_counter {
	ZROCE_CNT_TX_PKTS,
	ZROCE_CNT_TX_BYTES,
	ZROCE_CNT_TX_DROPPED,
	ZROCE_CNT_RX_PKTS,
	ZROCE_CNT_RX_BYTES,
	ZROCE_CNT_RETRANSMITS,
	ZROCE_CNT_RNR_NAKS_RCVD,
	ZROCE_CNT_RNR_NAKS_SENT,
	ZROCE_CNT_SEQ_ERRS,
	ZROCE_CNT_ICRC_ERRS,
	ZROCE_CNT_MALFORMED,
	ZROCE_CNT_NO_QP,
	ZROCE_CNT_DUPLICATES,
	ZROCE_CNT_BAD_QKEY,
	ZROCE_CNT_NO_RECV_WQE,
	ZROCE_CNT_UC_DROPPED,
	ZROCE_CNT_ODP_FAULTS,
	ZROCE_CNT_ODP_DEFERRED,
	ZROCE_CNT_ODP_DROPPED,
	ZROCE_CNT_MAX
};

struct zroce_dev {
	struct ib_device ibdev;		/* first: ib_alloc_device */
	struct net_device *ndev;	/* held until dealloc_driver */
	struct zroce_net *znet;		/* sockets of ndev's namespace */
	struct list_head list;		/* zroce_devs, RCU */
	atomic64_t counters[ZROCE_CNT_MAX];
	struct xarray qps;		/* qpn -> zroce_qp */
	u32 next_qpn;			/* cyclic allocation hint */
	struct xarray mrs;		/* key >> 8 -> zroce_mr */
	struct xarray srqs;		/* srqn -> zroce_srq */
	u32 next_srqn;
	struct xarray ahs;		/* ahn -> zroce_ah */
	u32 next_ahn;
	struct xarray cqs;		/* cqn -> zroce_cq */
	u32 next_cqn;
	struct mutex mcg_lock;		/* writers of mcgs, nmcgs */
	struct list_head mcgs;		/* multicast groups, RCU */
	u32 nmcgs;
	bool port_active;		/* last state reported by an event */
};

/* Where packets of a QP or an AH go */
struct zroce_av {
	union ib_gid sgid;
	union ib_gid dgid;
	u32 flow_label;
	u8 traffic_class;
	u8 hop_limit;
	bool ipv4;
};

/* A packet being built: headers first, then payload, then the ICRC */
struct zroce_pkt {
	struct sk_buff *skb;
	struct zroce_dev *zdev;
	struct dst_entry *dst;
	u32 crc;
	u32 payload_len;		/* as announced by the header */
	u32 put;			/* payload bytes added so far */
	u8 pad;
	bool ipv4;
	bool local;			/* routed to this host: no ICRC */
	u8 net_hdr[sizeof(struct ipv6hdr) + sizeof(struct udphdr)];
	u8 net_hdr_len;
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
	bool overflow;			/* the consumer fell behind: CQ error */
	bool timestamp;			/* CQEs carry their time (ns, monotonic) */
};

struct zroce_srq {
	struct ib_srq ibsrq;
	struct ib_srq_attr attr;	/* fixed at creation but srq_limit */
	spinlock_t lock;		/* ring's consumer, limit */
	struct zroce_ring ring;
	u32 cons;			/* consumer index */
	u32 limit;			/* armed srq_limit, 0 when not armed */
	u32 srqn;
};

/*
 * What the kernel knows of a send WQE.  The WQE itself is copied out of the
 * ring into req.shadow (same slot) before it is validated, and only that
 * copy is used, also to retransmit.
 */
struct zroce_swqe {
	struct zroce_send_wqe *wqe;	/* in req.shadow */
	u32 length;			/* bytes of the message */
	u32 first_psn;
	u32 last_psn;
	u32 resp_bytes;			/* READ response bytes placed so far */
	u8 status;			/* an error to complete it with */
	bool started;			/* copied into the shadow */
};

/* A READ or atomic a responder answered, kept to answer a duplicate */
struct zroce_resp_res {
	u32 psn;			/* of the request */
	u32 last_psn;			/* of the last response packet */
	u8 opcode;			/* of the request */
	u64 va;
	u32 rkey;
	u32 length;
	u64 atomic_orig;
	bool valid;
};

/* A page the data path missed in an ODP MR; holds a reference on mr */
struct zroce_fault {
	struct zroce_mr *mr;
	u64 va;				/* MR space */
	u64 len;
};

/*
 * A READ response that met a missing ODP page after the READ was
 * accepted: rx_work serves the fault and sends the rest.  Under the lock
 * of rx_backlog; while pending, the QP's packets wait on rx_backlog.
 */
struct zroce_read_defer {
	struct zroce_resp_res res;
	u32 from;			/* first PSN still to send */
	u32 msn;
	struct zroce_fault fault;
	bool pending;
	bool resuming;			/* rx_work is sending the rest */
	u8 tries;			/* resumes that met a fault again */
};

/* Requester and completer state, under sq_lock */
struct zroce_req {
	u32 head;			/* oldest WQE not completed (published) */
	u32 next;			/* next WQE to transmit */
	u32 prod;			/* producer index last read from the ring */
	u32 offset;			/* bytes of WQE next already sent */
	u32 psn;			/* PSN of the next packet */
	u32 una_psn;			/* oldest PSN not acknowledged */
	u32 inflight_rd;		/* READ/atomic requests outstanding */
	u32 rd_gap_psn;			/* READ response gap last rewound to */
	u8 retry;			/* retries left (retry_cnt) */
	u8 rnr_retry;			/* RNR retries left (7 = infinite) */
	bool rnr_wait;			/* waiting for the RNR timer */
	struct zroce_fault fault;	/* for send_work to serve */
	bool fault_failed;		/* it could not: misses are errors */
	bool armed;			/* idle: posts ring the doorbell */
	bool running;			/* a zroce_req_run() is under way */
	int cpu;			/* where runs send from (READ_ONCE) */
	struct zroce_swqe *swqe;	/* one per SQ slot */
	void *shadow;			/* copies of the SQ slots */
};

/* Responder state, under rq_lock */
struct zroce_resp {
	u32 psn;			/* expected PSN */
	u32 msn;
	u32 head;			/* RQ consumer index (published) */
	bool in_msg;			/* a multi-packet SEND or WRITE is open */
	bool nak_sent;			/* a sequence NAK is outstanding */
	u32 msg_kind;			/* ZROCE_M_SEND or _WRITE of the open message */
	bool uc_drop;			/* UC: dropping up to the next FIRST */
	bool wqe_held;			/* wqe is taken, not completed */
	bool last_wqe;			/* LAST_WQE_REACHED was reported */
	struct zroce_recv_wqe wqe;	/* the WQE of the open SEND */
	struct zroce_sge sge[ZROCE_MAX_SGE];
	u32 recv_off;			/* bytes of the open SEND placed */
	u64 write_va;			/* the open WRITE */
	u32 write_rkey;
	u32 write_left;
	struct zroce_resp_res *res;	/* max_dest_rd_atomic entries */
	u32 res_next;
};

struct zroce_qp {
	struct ib_qp ibqp;
	struct mutex state_lock;	/* attr, the QP state machine */
	struct ib_qp_attr attr;		/* current attributes and state */
	struct ib_qp_cap cap;
	enum ib_sig_type sq_sig_type;
	u32 create_flags;
	refcount_t ref;			/* data path users; destroy waits */
	struct completion released;
	spinlock_t sq_lock;		/* req, sq */
	struct zroce_ring sq;
	struct zroce_req req;
	spinlock_t rq_lock;		/* resp, rq */
	struct zroce_ring rq;		/* unused with an SRQ */
	struct zroce_resp resp;
	struct work_struct send_work;	/* requester beyond the doorbell budget */
	struct sk_buff_head rx_backlog;	/* received, waiting for ODP faults */
	struct zroce_read_defer read_defer;
	struct work_struct rx_work;	/* serves them */
	struct timer_list retrans_timer;
	struct timer_list rnr_timer;
	struct zroce_av av;		/* of the destination, from IB_QP_AV */
	struct dst_cache dst_cache;	/* the route to av */
	bool dying;			/* destroy_qp began: no timer, no work */
	u16 src_port;			/* UDP source port: per-QP entropy */
	u32 mtu;			/* path MTU in bytes */
};

struct zroce_odp;

struct zroce_mr {
	struct ib_mr ibmr;
	struct ib_umem *umem;		/* user pages, pinned or ODP */
	struct zroce_odp *odp;		/* on-demand paging (odp.c) */
	int access;
	struct page **pages;		/* in order; ODP: NULL while unmapped */
	u32 npages;
	u32 page_off;			/* offset of iova in pages[0] */
	u32 max_pages;			/* of a fast-register MR */
	bool valid;			/* false while a fast-register MR is free */
	atomic_t mw_binds;		/* windows bound to it */
	refcount_t ref;			/* ODP faults under way; dereg waits */
	struct completion released;
};


/* A window's binding; replaced whole, never changed */
struct zroce_mw_binding {
	struct zroce_mr *mr;
	u32 rkey;
	u32 access;
	u32 qpn;			/* type 2: the QP it is bound to */
	u64 addr;
	u64 length;
	struct rcu_head rcu;
};

/* zdev->mrs holds MRs as plain pointers, windows with this tag */
#define ZROCE_MW_TAG	1

struct zroce_mw {
	struct ib_mw ibmw;
	spinlock_t lock;		/* binding, rkey */
	u32 rkey;			/* now: each bind gives a new one */
	struct zroce_mw_binding __rcu *binding;	/* NULL: not bound */
};

/* Where the next byte of a scatter/gather list is */
struct zroce_sge_cursor {
	const struct zroce_sge *sge;
	u32 num_sge;
	u32 idx;
	u32 off;
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
	struct zroce_av av;
};

static inline struct zroce_dev *to_zdev(struct ib_device *ibdev)
{
	return container_of(ibdev, struct zroce_dev, ibdev);
}

/* Datagram QPs: UD, and QP1 (GSI) which speaks UD on the wire */
static inline bool zroce_qp_is_ud(const struct zroce_qp *qp)
{
	return qp->ibqp.qp_type == IB_QPT_UD || qp->ibqp.qp_type == IB_QPT_GSI;
}

/* Whether a QP's state lets it receive (IBTA 10.3.1) */
static inline bool zroce_qp_state_rcv(enum ib_qp_state state)
{
	return state == IB_QPS_RTR || state == IB_QPS_RTS ||
	       state == IB_QPS_SQD || state == IB_QPS_SQE;
}

/* The largest IB MTU the netdev carries now */
static inline enum ib_mtu zroce_port_mtu(struct zroce_dev *zdev)
{
	return iboe_get_mtu(READ_ONCE(zdev->ndev->mtu));
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
ZROCE_CONTAINER(to_zmw, zroce_mw, mw)
#undef ZROCE_CONTAINER

#define zroce_dbg(zdev, fmt, ...) \
	ibdev_dbg(&(zdev)->ibdev, "%s: " fmt, __func__, ##__VA_ARGS__)

static inline struct zroce_swqe *zroce_swqe_at(struct zroce_qp *qp, u32 idx)
{
	return &qp->req.swqe[zroce_ring_slot(idx, qp->sq.num_slots)];
}

/* The kernel's copy of SQ slot idx */
static inline struct zroce_send_wqe *zroce_shadow_at(struct zroce_qp *qp,
						     u32 idx)
{
	return qp->req.shadow +
	       (size_t)zroce_ring_slot(idx, qp->sq.num_slots) *
	       qp->sq.slot_size;
}

/* A WQE that the requester executes itself, sending nothing */
static inline bool zroce_wqe_is_local(const struct zroce_send_wqe *wqe)
{
	return wqe->opcode == IB_WR_BIND_MW || wqe->opcode == IB_WR_LOCAL_INV ||
	       wqe->opcode == IB_WR_REG_MR;
}

static inline bool zroce_wqe_is_rd_atomic(const struct zroce_send_wqe *wqe)
{
	return wqe->opcode == IB_WR_RDMA_READ ||
	       wqe->opcode == IB_WR_ATOMIC_CMP_AND_SWP ||
	       wqe->opcode == IB_WR_ATOMIC_FETCH_AND_ADD;
}

static inline void zroce_count(struct zroce_dev *zdev, enum zroce_counter c,
			       u64 n)
{
	atomic64_add(n, &zdev->counters[c]);
}

/* Data path users take a reference; destroy_qp waits for all of them. */
static inline bool zroce_qp_get(struct zroce_qp *qp)
{
	return refcount_inc_not_zero(&qp->ref);
}

static inline void zroce_qp_put(struct zroce_qp *qp)
{
	if (refcount_dec_and_test(&qp->ref))
		complete(&qp->released);
}

static inline void zroce_mr_put(struct zroce_mr *mr)
{
	if (refcount_dec_and_test(&mr->ref))
		complete(&mr->released);
}

/* Whether an MR covers the whole address space: implicit ODP */
static inline bool zroce_mr_is_implicit(u64 start, u64 length)
{
	return !start && length == U64_MAX;
}

/* A DMA MR: kernel addresses, no pages (kernel ULPs) */
static inline bool zroce_mr_is_dma(const struct zroce_mr *mr)
{
	return !mr->pages && !mr->odp;
}

int zroce_odp_begin(struct zroce_mr *mr, u64 va, u32 len);

/*
 * Make [va, va + len) of mr, which zroce_mr_lookup() returned, safe to
 * access: always for pinned memory; an ODP MR is held mapped until
 * zroce_mr_access_end(), or the call fails with -EAGAIN (a fault to
 * serve, see odp.c) or -EFAULT.  BH disabled.
 */
static inline int zroce_mr_access_begin(struct zroce_mr *mr, u64 va, u32 len)
{
	return likely(!mr->odp) || !len ? 0 : zroce_odp_begin(mr, va, len);
}

void zroce_odp_end(struct zroce_mr *mr);

static inline void zroce_mr_access_end(struct zroce_mr *mr, u32 len)
{
	if (unlikely(mr->odp) && len)
		zroce_odp_end(mr);
}

extern struct workqueue_struct *zroce_wq;

/* device.c */
int zroce_dev_add(const char *name, struct net_device *ndev);
void zroce_port_event(struct zroce_dev *zdev);
void zroce_dev_fatal(struct zroce_dev *zdev);
extern const struct ib_device_ops zroce_dev_ops;

/* net.c */
int zroce_net_attach(struct zroce_dev *zdev);
void zroce_net_detach(struct zroce_dev *zdev);
void zroce_devs_add(struct zroce_dev *zdev);
void zroce_devs_del(struct zroce_dev *zdev);
void zroce_net_rcv_local(struct sock *sk, struct sk_buff *skb);

/* tx.c */
int zroce_av_from_attr(struct zroce_av *av, const struct rdma_ah_attr *attr);
int zroce_pkt_init(struct zroce_pkt *pkt, struct zroce_dev *zdev,
		   const struct zroce_av *av, struct dst_cache *dc,
		   u16 src_port, const struct zroce_hdr *h, bool linear);
void zroce_pkt_put(struct zroce_pkt *pkt, const void *data, u32 len);
int zroce_pkt_put_mr(struct zroce_pkt *pkt, struct zroce_mr *mr, u64 va,
		     u32 len);
int zroce_pkt_send(struct zroce_pkt *pkt);
void zroce_pkt_abort(struct zroce_pkt *pkt);

/* rx.c */
void zroce_rcv(struct zroce_dev *zdev, struct sk_buff *skb, bool local);

/* rx_defer.c */
bool zroce_rx_queue_behind(struct zroce_qp *qp, struct sk_buff *skb);
void zroce_rx_defer(struct zroce_qp *qp, struct sk_buff *skb);
void zroce_rx_work(struct work_struct *work);
void zroce_rx_purge(struct zroce_qp *qp);
int zroce_rcv_qp_pkt(struct zroce_qp *qp, const struct zroce_hdr *h,
		     struct sk_buff *skb);

/* ud.c */
int zroce_ud_req(struct zroce_qp *qp, struct zroce_swqe *swqe,
		 struct zroce_pkt *pkt);
int zroce_ud_rcv(struct zroce_qp *qp, const struct zroce_hdr *h,
		 struct sk_buff *skb);

/* icrc.c */
void zroce_crc_init(void);
void zroce_crc_exit(void);
u32 zroce_crc32(u32 crc, const void *p, u32 len);
u32 zroce_crc_skb(u32 crc, const struct sk_buff *skb, u32 off, u32 len);

/* counters.c */
struct rdma_hw_stats *zroce_alloc_hw_port_stats(struct ib_device *ibdev,
						u32 port);
int zroce_get_hw_stats(struct ib_device *ibdev, struct rdma_hw_stats *stats,
		       u32 port, int index);

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
struct ib_mr *zroce_rereg_user_mr(struct ib_mr *ibmr, int flags, u64 start,
				  u64 length, u64 iova, int access,
				  struct ib_pd *ibpd, struct ib_udata *udata);
int zroce_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata);
struct zroce_mr *zroce_mr_lookup(struct zroce_dev *zdev, u32 key,
				 struct ib_pd *pd, int access, u64 va, u32 len,
				 const struct zroce_qp *rqp);
struct zroce_mr *zroce_alloc_mr_key(struct zroce_dev *zdev,
				    struct ib_pd *ibpd, int access);
void zroce_free_mr_key(struct zroce_dev *zdev, struct zroce_mr *mr);
void zroce_mr_publish(struct zroce_dev *zdev, struct zroce_mr *mr);
int zroce_invalidate(struct zroce_qp *qp, u32 rkey, bool remote);

/* odp.c */
int zroce_odp_init(struct zroce_mr *mr, u64 start, u64 length);
void zroce_odp_destroy(struct zroce_mr *mr);
struct page *zroce_odp_implicit_page(struct zroce_mr *mr, u64 va);
bool zroce_fault_take(struct zroce_fault *f);
bool zroce_fault_forbid(bool forbid);
void zroce_fault_put(struct zroce_fault *f);
void zroce_fault_defer(void);
int zroce_odp_fault(const struct zroce_fault *f);
int zroce_advise_mr(struct ib_pd *ibpd,
		    enum ib_uverbs_advise_mr_advice advice, u32 flags,
		    struct ib_sge *sg_list, u32 num_sge,
		    struct uverbs_attr_bundle *attrs);

/* mcast.c */
int zroce_attach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid);
int zroce_detach_mcast(struct ib_qp *ibqp, union ib_gid *gid, u16 lid);
void zroce_mcast_qp_gone(struct zroce_qp *qp);
void zroce_mcast_rcv(struct zroce_dev *zdev, const struct zroce_hdr *h,
		     struct sk_buff *skb);

/* frmr.c */
struct ib_mr *zroce_alloc_mr(struct ib_pd *ibpd, enum ib_mr_type type,
			     u32 max_num_sg);
int zroce_map_mr_sg(struct ib_mr *ibmr, struct scatterlist *sg, int sg_nents,
		    unsigned int *sg_offset);
int zroce_frmr_reg(struct zroce_qp *qp, const struct zroce_send_wqe *wqe);
int zroce_frmr_invalidate(void *entry, u32 rkey, struct zroce_qp *qp);

/* mw.c */
int zroce_alloc_mw(struct ib_mw *ibmw, struct ib_udata *udata);
int zroce_dealloc_mw(struct ib_mw *ibmw);
int zroce_mw_bind(struct zroce_qp *qp, const struct zroce_send_wqe *wqe);
struct zroce_mr *zroce_mw_lookup(void *entry, u32 key,
				 const struct zroce_qp *rqp, int access,
				 u64 va, u32 len);
int zroce_mw_invalidate(void *entry, u32 rkey, struct zroce_qp *qp,
			bool remote);

/* mr_copy.c */
int zroce_mr_from_skb(struct zroce_mr *mr, u64 va, const struct sk_buff *skb,
		      u32 off, u32 len);
int zroce_mr_to_frags(struct zroce_mr *mr, u64 va, u32 len,
		      struct sk_buff *skb, u32 *crc);
int zroce_mr_copy(struct zroce_mr *mr, u64 va, void *buf, u32 len,
		  bool to_mr);
u64 *zroce_mr_atomic_map(struct zroce_mr *mr, u64 va, struct page **page);

/* sge.c */
void zroce_sge_cursor_init(struct zroce_sge_cursor *cur,
			   const struct zroce_sge *sge, u32 num_sge, u32 skip);
int zroce_sge_scatter_buf(struct zroce_qp *qp, struct ib_pd *pd,
			  struct zroce_sge_cursor *cur, const void *buf,
			  u32 len);
int zroce_sge_scatter(struct zroce_qp *qp, struct ib_pd *pd,
		      struct zroce_sge_cursor *cur, const struct sk_buff *skb,
		      u32 off, u32 len);
int zroce_sge_gather(struct zroce_qp *qp, const struct zroce_send_wqe *wqe,
		     u32 off, u32 len, struct zroce_pkt *pkt);
int zroce_sge_ready(struct zroce_qp *qp, struct zroce_sge_cursor *cur,
		    u32 len);

/* cq.c */
int zroce_cq_post(struct zroce_cq *cq, const struct zroce_cqe *cqe,
		  bool solicited);
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
bool zroce_srq_limit_hit(struct zroce_srq *srq, u32 prod);
void zroce_srq_limit_event(struct zroce_srq *srq);
int zroce_post_recv_ring(struct zroce_ring *ring, spinlock_t *lock,
			 u32 max_sge, const struct ib_recv_wr *wr,
			 const struct ib_recv_wr **bad_wr);

/* req.c */
void zroce_req_run(struct zroce_qp *qp, bool doorbell);
void zroce_req_kick(struct zroce_qp *qp);
void zroce_req_arm(struct zroce_qp *qp, bool armed);
bool zroce_req_has_work(struct zroce_qp *qp);
void zroce_req_rewind(struct zroce_qp *qp, u32 psn);
void zroce_req_timer(struct zroce_qp *qp, bool restart);
void zroce_send_work(struct work_struct *work);
void zroce_retrans_timer(struct timer_list *t);
void zroce_rnr_timer(struct timer_list *t);

/* comp.c */
int zroce_comp_rcv(struct zroce_qp *qp, const struct zroce_hdr *h,
		   struct sk_buff *skb);
void zroce_sq_flush(struct zroce_qp *qp);
void zroce_send_cqe(struct zroce_qp *qp, struct zroce_swqe *swqe,
		    enum ib_wc_status status);
void zroce_sq_complete(struct zroce_qp *qp, enum ib_wc_status status);

/* resp.c */
int zroce_resp_rcv(struct zroce_qp *qp, const struct zroce_hdr *h,
		   struct sk_buff *skb);
void zroce_rq_flush(struct zroce_qp *qp);
struct ib_pd *zroce_rq_pd(struct zroce_qp *qp);
int zroce_resp_take_wqe(struct zroce_qp *qp);
void zroce_resp_read_resume(struct zroce_qp *qp);

/* qp_modify.c */
void zroce_qp_error(struct zroce_qp *qp);
void zroce_qp_event(struct zroce_qp *qp, enum ib_event_type type);
void zroce_qp_fatal(struct zroce_qp *qp);
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
