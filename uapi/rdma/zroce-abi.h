/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * zroce: the ABI between the zroce kernel driver and its libibverbs provider.
 *
 * Rules: every struct is a multiple of 8 bytes with explicit padding, u64
 * fields are __aligned_u64, every command and response begins with or
 * carries a comp_mask, and reserved fields must be zero.  Rings are kernel
 * memory mapped into the process; their layout is below.
 */
#ifndef ZROCE_ABI_USER_H
#define ZROCE_ABI_USER_H

#include <linux/types.h>

/* ib_device_ops.driver_id, far above the upstream enum rdma_driver_id */
#define ZROCE_DRIVER_ID		0x7a52
#define ZROCE_ABI_VERSION	1

/*
 * A ring: a header page region followed by slots.  Indices are free-running
 * 32-bit counters; a slot is (index & (num_slots - 1)).  The producer and
 * the consumer index live on separate cache lines.  Each side loads the
 * other's index with acquire and stores its own with release.
 */
#define ZROCE_RING_PROD_OFFSET	0
#define ZROCE_RING_CONS_OFFSET	64
#define ZROCE_RING_CTRL_OFFSET	128
#define ZROCE_RING_DATA_OFFSET	256

/*
 * The SQ ring's control word, written by the kernel: NEED_DOORBELL is set
 * while the kernel's requester is idle.  The provider stores the producer
 * index, issues a full fence, then loads this word; it enters the kernel
 * only if the bit is set.  The kernel sets the bit, issues a full fence,
 * then loads the producer index once more.
 */
#define ZROCE_SQ_NEED_DOORBELL	(1U << 0)

/* Bits of the CQ ring's control word (written by the provider to arm) */
#define ZROCE_CQ_ARM_NEXT	(1U << 0)
#define ZROCE_CQ_ARM_SOLICITED	(1U << 1)

struct zroce_ring_info {
	__aligned_u64 mmap_offset;	/* pass to mmap() on the cmd fd */
	__u32 mmap_size;		/* bytes to map, header included */
	__u32 num_slots;		/* a power of two */
	__u32 slot_size;		/* bytes per slot, a power of two */
	__u32 reserved;
};

/* A scatter/gather element; the same layout as struct ibv_sge. */
struct zroce_sge {
	__aligned_u64 addr;
	__u32 length;
	__u32 lkey;
};

/*
 * RDMA ATOMIC WRITE (IBTA 1.5): IBV_WR_ATOMIC_WRITE in a send WQE and
 * IBV_WC_ATOMIC_WRITE in its CQE.  <rdma/ib_user_verbs.h> names them only
 * from Linux 6.2 on.  The 8 bytes are the WQE's payload (inline or SGEs).
 */
#define ZROCE_WR_ATOMIC_WRITE	15
#define ZROCE_WC_ATOMIC_WRITE	9

/* Send WQE opcodes are enum ib_uverbs_wr_opcode values. */
struct zroce_send_wqe {
	__aligned_u64 wr_id;
	__u32 opcode;
	__u32 send_flags;		/* IB_UVERBS_SEND_* */
	__u32 num_sge;			/* or inline bytes with INLINE */
	__u32 ex;			/* immediate (BE), or the rkey to
					 * invalidate (SEND_WITH_INV, LOCAL_INV)
					 */
	union {
		struct {
			__aligned_u64 remote_addr;
			__u32 rkey;
			__u32 reserved;
		} rdma;
		struct {
			__aligned_u64 remote_addr;
			__aligned_u64 compare_add;
			__aligned_u64 swap;
			__u32 rkey;
			__u32 reserved;
		} atomic;
		struct {
			__u32 ah;		/* ahn from create_ah */
			__u32 remote_qpn;
			__u32 remote_qkey;
			__u32 reserved;
		} ud;
		/* BIND_MW; REG_MR (kernel QPs) uses rkey, new_rkey, access */
		struct {
			__aligned_u64 addr;	/* the window's first byte */
			__aligned_u64 length;	/* 0 unbinds a type 1 MW */
			__u32 mr_lkey;		/* the MR under the window */
			__u32 rkey;		/* the MW's (MR's) key now */
			__u32 new_rkey;		/* the key it gets */
			__u32 access;		/* IB_ACCESS_* granted */
		} bind;
	} wr;
	__u8 reserved[8];
	/* followed by num_sge struct zroce_sge, or inline data */
};

struct zroce_recv_wqe {
	__aligned_u64 wr_id;
	__u32 num_sge;
	__u32 reserved;
	/* followed by num_sge struct zroce_sge */
};

/* wc_flags of a CQE */
#define ZROCE_CQE_GRH		(1U << 0)	/* a datagram's GRH area */
#define ZROCE_CQE_WITH_IMM	(1U << 1)	/* ex is immediate data */
#define ZROCE_CQE_WITH_INV	(1U << 2)	/* ex is the invalidated rkey */

/* The IP version a received datagram (UD, GSI) came over, 0 otherwise */
#define ZROCE_CQE_NET_IPV4	1
#define ZROCE_CQE_NET_IPV6	2

/* Status and opcode are enum ib_uverbs_wc_status / ib_uverbs_wc_opcode. */
struct zroce_cqe {
	__aligned_u64 wr_id;
	__u32 status;
	__u32 opcode;
	__u32 vendor_err;
	__u32 byte_len;
	__u32 ex;			/* immediate (BE) or invalidated rkey */
	__u32 qp_num;
	__u32 src_qp;
	__u32 wc_flags;			/* ZROCE_CQE_* */
	__u16 pkey_index;
	__u16 slid;
	__u8 sl;
	__u8 dlid_path_bits;
	__u8 port_num;
	__u8 net_type;			/* ZROCE_CQE_NET_*, of a datagram */
	__aligned_u64 timestamp;	/* ns of CLOCK_MONOTONIC, if asked for */
	__u8 reserved[8];
};

/* udata of each verb; all "resp" structs follow the core response. */
struct zroce_alloc_ucontext_resp {
	__u32 comp_mask;
	__u32 max_inline_data;
	__u32 max_send_sge;
	__u32 max_recv_sge;
};

struct zroce_create_cq_resp {
	struct zroce_ring_info cq;
	__u32 cqn;
	__u32 reserved;
};

struct zroce_resize_cq_resp {
	struct zroce_ring_info cq;
};

struct zroce_create_qp_resp {
	struct zroce_ring_info sq;
	struct zroce_ring_info rq;	/* num_slots 0 with an SRQ */
	__u32 qpn;
	__u32 max_inline_data;
};

struct zroce_create_srq_resp {
	struct zroce_ring_info rq;
	__u32 srqn;
	__u32 reserved;
};

/* Follows a 4-byte core response: 4-byte alignment only. */
struct zroce_create_ah_resp {
	__u32 ahn;
	__u32 reserved;
};

#endif /* ZROCE_ABI_USER_H */
