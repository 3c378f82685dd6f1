/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Private libibverbs provider ABI, IBVERBS_PRIVATE_34, as used by the zroce
 * provider.  Layouts and prototypes follow rdma-core v44.0
 * (libibverbs/driver.h and libibverbs/kern-abi.h), which is what Debian 12
 * ships (44.0-2).  The same layout holds for every PABI 34 release from v36
 * to v56.  Only the public headers of libibverbs-dev are needed.
 *
 * Numeric size/offset checks are for x86_64 (LP64, glibc).
 */
#ifndef ZROCE_PABI34_H
#define ZROCE_PABI34_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <infiniband/verbs.h>
#include <rdma/ib_user_verbs.h>

#define IBVERBS_PABI_VERSION 34

#define PABI34_CHECK_SIZE(type, size)					\
	_Static_assert(sizeof(type) == (size), "size of " #type)
#define PABI34_CHECK_OFF(type, memb, off)				\
	_Static_assert(offsetof(type, memb) == (off),			\
		       "offset of " #type "." #memb)

#if defined(__x86_64__) && defined(__LP64__)
#define PABI34_X86_64 1
#else
#define PABI34_X86_64 0
#endif

/* ccan struct list_node: owned by libibverbs, never touched by providers */
struct pabi34_list_node {
	struct pabi34_list_node *next;
	struct pabi34_list_node *prev;
};

/* ---------------------------------------------------------------------- */
/* Device matching                                                        */
/* ---------------------------------------------------------------------- */

enum {
	VERBS_MATCH_SENTINEL	= 0,
	VERBS_MATCH_PCI		= 1,
	VERBS_MATCH_MODALIAS	= 2,
	VERBS_MATCH_DRIVER_ID	= 3,
};

struct verbs_match_ent {
	void *driver_data;
	union {
		const char *modalias;
		uint64_t driver_id;
	} u;
	uint16_t vendor;
	uint16_t device;
	uint8_t kind;
};

/* Match on the kernel's ib_device_ops.driver_id (netlink) */
#define VERBS_DRIVER_ID(_id)						\
	{ .u.driver_id = (_id), .kind = VERBS_MATCH_DRIVER_ID }

/* fnmatch() pattern against <ibdev>/device/modalias */
#define VERBS_MODALIAS_MATCH(_mod_str, _data)				\
	{								\
		.driver_data = (void *)(_data),				\
		.u.modalias = (_mod_str),				\
		.kind = VERBS_MATCH_MODALIAS,				\
	}

/*
 * libibverbs matches modalias patterns against "rdma_device:N<ibdev name>"
 * too, so this hits ibdev names starting with _name_prefix.
 */
#define VERBS_NAME_MATCH(_name_prefix, _data)				\
	VERBS_MODALIAS_MATCH("rdma_device:*N" _name_prefix "*", _data)

/* Terminates a match table */
#define VERBS_MATCH_END { .kind = VERBS_MATCH_SENTINEL }

enum {
	VSYSFS_READ_MODALIAS	= 1 << 0,
	VSYSFS_READ_NODE_GUID	= 1 << 1,
};

/* One uverbs device found by libibverbs; read-only for the provider */
struct verbs_sysfs_dev {
	struct pabi34_list_node entry;
	void *provider_data;
	const struct verbs_match_ent *match;
	unsigned int flags;
	char sysfs_name[IBV_SYSFS_NAME_MAX];
	dev_t sysfs_cdev;
	char ibdev_name[IBV_SYSFS_NAME_MAX];
	char ibdev_path[IBV_SYSFS_PATH_MAX];
	char modalias[512];
	uint64_t node_guid;
	uint32_t driver_id;
	enum ibv_node_type node_type;
	int ibdev_idx;
	uint32_t num_ports;
	uint32_t abi_ver;
	struct timespec time_created;
};

struct verbs_device_ops {
	const char *name;

	uint32_t match_min_abi_version;
	uint32_t match_max_abi_version;
	const struct verbs_match_ent *match_table;
	/* only for static builds of rdma-core; NULL in a .so provider */
	const struct verbs_device_ops **static_providers;

	bool (*match_device)(struct verbs_sysfs_dev *sysfs_dev);

	struct verbs_context *(*alloc_context)(struct ibv_device *device,
					       int cmd_fd,
					       void *private_data);
	struct verbs_context *(*import_context)(struct ibv_device *device,
						int cmd_fd);

	struct verbs_device *(*alloc_device)(struct verbs_sysfs_dev *sysfs_dev);
	void (*uninit_device)(struct verbs_device *device);
};

struct verbs_device {
	struct ibv_device device;	/* must be first */
	const struct verbs_device_ops *ops;
	atomic_int refcount;
	struct pabi34_list_node entry;
	struct verbs_sysfs_dev *sysfs;
	uint64_t core_support;
};

/* ---------------------------------------------------------------------- */
/* Object wrappers                                                        */
/* ---------------------------------------------------------------------- */

enum verbs_xrcd_mask {
	VERBS_XRCD_HANDLE	= 1 << 0,
	VERBS_XRCD_RESERVED	= 1 << 1,
};

struct verbs_xrcd {
	struct ibv_xrcd xrcd;
	uint32_t comp_mask;
	uint32_t handle;
};

struct verbs_srq {
	struct ibv_srq srq;
	enum ibv_srq_type srq_type;
	struct verbs_xrcd *xrcd;
	struct ibv_cq *cq;
	uint32_t srq_num;
};

enum ibv_mr_type {
	IBV_MR_TYPE_MR,
	IBV_MR_TYPE_NULL_MR,
	IBV_MR_TYPE_IMPORTED_MR,
	IBV_MR_TYPE_DMABUF_MR,
};

struct verbs_mr {
	struct ibv_mr ibv_mr;
	enum ibv_mr_type mr_type;
	int access;
};

enum verbs_qp_mask {
	VERBS_QP_XRCD		= 1 << 0,
	/* without it ibv_qp_to_qp_ex() returns NULL */
	VERBS_QP_EX		= 1 << 1,
};

struct verbs_qp {
	union {
		struct ibv_qp qp;
		struct ibv_qp_ex qp_ex;
	};
	uint32_t comp_mask;
	struct verbs_xrcd *xrcd;
};
PABI34_CHECK_OFF(struct ibv_qp_ex, qp_base, 0);

struct verbs_cq {
	union {
		struct ibv_cq cq;
		struct ibv_cq_ex cq_ex;
	};
};

/* cmd_flags of ibv_cmd_create_cq_ex() */
enum create_cq_cmd_flags {
	CREATE_CQ_CMD_FLAGS_TS_IGNORED_EX = 1 << 0,
};

/* sysfs gid_attrs/types as reported by ibv_query_gid_type() */
enum ibv_gid_type_sysfs {
	IBV_GID_TYPE_SYSFS_IB_ROCE_V1,
	IBV_GID_TYPE_SYSFS_ROCE_V2,
};

/* ---------------------------------------------------------------------- */
/* Provider ops: 76 entries, alphabetical; NULL means "use the dummy op"   */
/* ---------------------------------------------------------------------- */

struct verbs_context_ops {
	int (*advise_mr)(struct ibv_pd *pd, enum ibv_advise_mr_advice advice,
			 uint32_t flags, struct ibv_sge *sg_list,
			 uint32_t num_sges);
	struct ibv_dm *(*alloc_dm)(struct ibv_context *context,
				   struct ibv_alloc_dm_attr *attr);
	struct ibv_mw *(*alloc_mw)(struct ibv_pd *pd, enum ibv_mw_type type);
	struct ibv_mr *(*alloc_null_mr)(struct ibv_pd *pd);
	struct ibv_pd *(*alloc_parent_domain)(
		struct ibv_context *context,
		struct ibv_parent_domain_init_attr *attr);
	struct ibv_pd *(*alloc_pd)(struct ibv_context *context);
	struct ibv_td *(*alloc_td)(struct ibv_context *context,
				   struct ibv_td_init_attr *init_attr);
	void (*async_event)(struct ibv_context *context,
			    struct ibv_async_event *event);
	int (*attach_counters_point_flow)(struct ibv_counters *counters,
					  struct ibv_counter_attach_attr *attr,
					  struct ibv_flow *flow);
	int (*attach_mcast)(struct ibv_qp *qp, const union ibv_gid *gid,
			    uint16_t lid);
	int (*bind_mw)(struct ibv_qp *qp, struct ibv_mw *mw,
		       struct ibv_mw_bind *mw_bind);
	int (*close_xrcd)(struct ibv_xrcd *xrcd);
	void (*cq_event)(struct ibv_cq *cq);
	struct ibv_ah *(*create_ah)(struct ibv_pd *pd,
				    struct ibv_ah_attr *attr);
	struct ibv_counters *(*create_counters)(
		struct ibv_context *context,
		struct ibv_counters_init_attr *init_attr);
	struct ibv_cq *(*create_cq)(struct ibv_context *context, int cqe,
				    struct ibv_comp_channel *channel,
				    int comp_vector);
	struct ibv_cq_ex *(*create_cq_ex)(
		struct ibv_context *context,
		struct ibv_cq_init_attr_ex *init_attr);
	struct ibv_flow *(*create_flow)(struct ibv_qp *qp,
					struct ibv_flow_attr *flow_attr);
	struct ibv_flow_action *(*create_flow_action_esp)(
		struct ibv_context *context,
		struct ibv_flow_action_esp_attr *attr);
	struct ibv_qp *(*create_qp)(struct ibv_pd *pd,
				    struct ibv_qp_init_attr *attr);
	struct ibv_qp *(*create_qp_ex)(
		struct ibv_context *context,
		struct ibv_qp_init_attr_ex *qp_init_attr_ex);
	struct ibv_rwq_ind_table *(*create_rwq_ind_table)(
		struct ibv_context *context,
		struct ibv_rwq_ind_table_init_attr *init_attr);
	struct ibv_srq *(*create_srq)(struct ibv_pd *pd,
				      struct ibv_srq_init_attr *srq_init_attr);
	struct ibv_srq *(*create_srq_ex)(
		struct ibv_context *context,
		struct ibv_srq_init_attr_ex *srq_init_attr_ex);
	struct ibv_wq *(*create_wq)(struct ibv_context *context,
				    struct ibv_wq_init_attr *wq_init_attr);
	int (*dealloc_mw)(struct ibv_mw *mw);
	int (*dealloc_pd)(struct ibv_pd *pd);
	int (*dealloc_td)(struct ibv_td *td);
	int (*dereg_mr)(struct verbs_mr *vmr);
	int (*destroy_ah)(struct ibv_ah *ah);
	int (*destroy_counters)(struct ibv_counters *counters);
	int (*destroy_cq)(struct ibv_cq *cq);
	int (*destroy_flow)(struct ibv_flow *flow);
	int (*destroy_flow_action)(struct ibv_flow_action *action);
	int (*destroy_qp)(struct ibv_qp *qp);
	int (*destroy_rwq_ind_table)(struct ibv_rwq_ind_table *rwq_ind_table);
	int (*destroy_srq)(struct ibv_srq *srq);
	int (*destroy_wq)(struct ibv_wq *wq);
	int (*detach_mcast)(struct ibv_qp *qp, const union ibv_gid *gid,
			    uint16_t lid);
	void (*free_context)(struct ibv_context *context);
	int (*free_dm)(struct ibv_dm *dm);
	int (*get_srq_num)(struct ibv_srq *srq, uint32_t *srq_num);
	struct ibv_dm *(*import_dm)(struct ibv_context *context,
				    uint32_t dm_handle);
	struct ibv_mr *(*import_mr)(struct ibv_pd *pd, uint32_t mr_handle);
	struct ibv_pd *(*import_pd)(struct ibv_context *context,
				    uint32_t pd_handle);
	int (*modify_cq)(struct ibv_cq *cq, struct ibv_modify_cq_attr *attr);
	int (*modify_flow_action_esp)(struct ibv_flow_action *action,
				      struct ibv_flow_action_esp_attr *attr);
	int (*modify_qp)(struct ibv_qp *qp, struct ibv_qp_attr *attr,
			 int attr_mask);
	int (*modify_qp_rate_limit)(struct ibv_qp *qp,
				    struct ibv_qp_rate_limit_attr *attr);
	int (*modify_srq)(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
			  int srq_attr_mask);
	int (*modify_wq)(struct ibv_wq *wq, struct ibv_wq_attr *wq_attr);
	struct ibv_qp *(*open_qp)(struct ibv_context *context,
				  struct ibv_qp_open_attr *attr);
	struct ibv_xrcd *(*open_xrcd)(
		struct ibv_context *context,
		struct ibv_xrcd_init_attr *xrcd_init_attr);
	int (*poll_cq)(struct ibv_cq *cq, int num_entries, struct ibv_wc *wc);
	int (*post_recv)(struct ibv_qp *qp, struct ibv_recv_wr *wr,
			 struct ibv_recv_wr **bad_wr);
	int (*post_send)(struct ibv_qp *qp, struct ibv_send_wr *wr,
			 struct ibv_send_wr **bad_wr);
	int (*post_srq_ops)(struct ibv_srq *srq, struct ibv_ops_wr *op,
			    struct ibv_ops_wr **bad_op);
	int (*post_srq_recv)(struct ibv_srq *srq, struct ibv_recv_wr *recv_wr,
			     struct ibv_recv_wr **bad_recv_wr);
	int (*query_device_ex)(struct ibv_context *context,
			       const struct ibv_query_device_ex_input *input,
			       struct ibv_device_attr_ex *attr,
			       size_t attr_size);
	int (*query_ece)(struct ibv_qp *qp, struct ibv_ece *ece);
	int (*query_port)(struct ibv_context *context, uint8_t port_num,
			  struct ibv_port_attr *port_attr);
	int (*query_qp)(struct ibv_qp *qp, struct ibv_qp_attr *attr,
			int attr_mask, struct ibv_qp_init_attr *init_attr);
	int (*query_qp_data_in_order)(struct ibv_qp *qp, enum ibv_wr_opcode op,
				      uint32_t flags);
	int (*query_rt_values)(struct ibv_context *context,
			       struct ibv_values_ex *values);
	int (*query_srq)(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr);
	int (*read_counters)(struct ibv_counters *counters,
			     uint64_t *counters_value, uint32_t ncounters,
			     uint32_t flags);
	struct ibv_mr *(*reg_dm_mr)(struct ibv_pd *pd, struct ibv_dm *dm,
				    uint64_t dm_offset, size_t length,
				    unsigned int access);
	struct ibv_mr *(*reg_dmabuf_mr)(struct ibv_pd *pd, uint64_t offset,
					size_t length, uint64_t iova, int fd,
					int access);
	struct ibv_mr *(*reg_mr)(struct ibv_pd *pd, void *addr, size_t length,
				 uint64_t hca_va, int access);
	int (*req_notify_cq)(struct ibv_cq *cq, int solicited_only);
	int (*rereg_mr)(struct verbs_mr *vmr, int flags, struct ibv_pd *pd,
			void *addr, size_t length, int access);
	int (*resize_cq)(struct ibv_cq *cq, int cqe);
	int (*set_ece)(struct ibv_qp *qp, struct ibv_ece *ece);
	void (*unimport_dm)(struct ibv_dm *dm);
	void (*unimport_mr)(struct ibv_mr *mr);
	void (*unimport_pd)(struct ibv_pd *pd);
};

/* ---------------------------------------------------------------------- */
/* Command buffers for the ibv_cmd_* helpers (kern-abi.h)                 */
/*                                                                        */
/* Legacy commands: ib_uverbs_cmd_hdr, then the kernel core struct.       */
/* Extended commands: struct ex_hdr, then the kernel core struct.         */
/* Core fields are reached as cmd.core_payload.<field>; libibverbs fills  */
/* both the header and the core part.                                     */
/* ---------------------------------------------------------------------- */

struct ex_hdr {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_ex_cmd_hdr ex_hdr;
};

/* "No driver/core part" placeholder for DECLARE_DRV_CMD (GNU C, size 0) */
struct empty {};

struct ibv_get_context {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_get_context core_payload;
};

struct ibv_query_port {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_query_port core_payload;
};

struct ibv_alloc_pd {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_alloc_pd core_payload;
};

struct ibv_reg_mr {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_reg_mr core_payload;
};

struct ibv_rereg_mr {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_rereg_mr core_payload;
};

struct ibv_alloc_mw {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_alloc_mw core_payload;
};

struct ibv_create_cq {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_create_cq core_payload;
};

struct ibv_create_cq_ex {
	struct ex_hdr hdr;
	struct ib_uverbs_ex_create_cq core_payload;
};

struct ibv_resize_cq {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_resize_cq core_payload;
};

struct ibv_create_qp {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_create_qp core_payload;
};

struct ibv_create_qp_ex {
	struct ex_hdr hdr;
	struct ib_uverbs_ex_create_qp core_payload;
};

struct ibv_modify_qp {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_modify_qp core_payload;
};

struct ibv_modify_qp_ex {
	struct ex_hdr hdr;
	struct ib_uverbs_ex_modify_qp core_payload;
};

struct ibv_query_qp {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_query_qp core_payload;
};

struct ibv_create_srq {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_create_srq core_payload;
};

struct ibv_create_xsrq {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_create_xsrq core_payload;
};

struct ibv_modify_srq {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_modify_srq core_payload;
};

struct ibv_query_srq {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_query_srq core_payload;
};

/* Also used raw, with write(), as the zero-WR send doorbell */
struct ibv_post_send {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_post_send core_payload;
};

/* Not passed to a helper; only the core cmd of DECLARE_DRV_CMD(create_ah) */
struct ibv_create_ah {
	struct ib_uverbs_cmd_hdr hdr;
	struct ib_uverbs_create_ah core_payload;
};

/*
 * Size granule of the driver udata: 4 bytes for legacy commands, 8 for
 * extended ones (provider_{in,out}_words count u64s there).
 */
#define PABI34_CMD_ALIGN(_core_cmd)					\
	(offsetof(struct _core_cmd, core_payload) ==			\
	 sizeof(struct ex_hdr) ? 8 : 4)

/*
 * DECLARE_DRV_CMD(name, core_cmd, core_resp, drv_req, drv_resp) defines
 *   struct name {
 *	struct core_cmd ibv_cmd; struct drv_req drv_payload; };
 *   struct name_resp {
 *	struct core_resp ibv_resp; struct drv_resp drv_payload; };
 * All arguments are struct tags without "struct"; pass "empty" for a missing
 * driver part, or for core_resp of commands whose helper takes no response.
 * Use: DECLARE_DRV_CMD(zroce_create_cq, ibv_create_cq,
 *			ib_uverbs_create_cq_resp, empty, zroce_cq_resp);
 *      ibv_cmd_create_cq(..., &cmd.ibv_cmd, sizeof(cmd),
 *			  &resp.ibv_resp, sizeof(resp));
 */
#ifdef __clang__
/* core structs end in driver_data[]; rdma-core builds with this off too */
#define __pabi34_fam_begin						\
	_Pragma("clang diagnostic push")				\
	_Pragma("clang diagnostic ignored \"-Wgnu-variable-sized-type-not-at-end\"")
#define __pabi34_fam_end _Pragma("clang diagnostic pop")
#else
#define __pabi34_fam_begin
#define __pabi34_fam_end
#endif

#define DECLARE_DRV_CMD(_name, _core_cmd, _core_resp, _drv_req, _drv_resp) \
	__pabi34_fam_begin						\
	struct _name {							\
		struct _core_cmd ibv_cmd;				\
		struct _drv_req drv_payload;				\
	};								\
	struct _name##_resp {						\
		struct _core_resp ibv_resp;				\
		struct _drv_resp drv_payload;				\
	};								\
	__pabi34_fam_end						\
	_Static_assert(offsetof(struct _name, drv_payload) ==		\
		       sizeof(struct _core_cmd),			\
		       #_name ": padding before driver cmd");		\
	_Static_assert(sizeof(struct _name) ==				\
		       sizeof(struct _core_cmd) + sizeof(struct _drv_req), \
		       #_name ": padding after driver cmd");		\
	_Static_assert(sizeof(struct _name) %				\
		       PABI34_CMD_ALIGN(_core_cmd) == 0,		\
		       #_name ": driver cmd size not a udata granule");	\
	_Static_assert(offsetof(struct _name##_resp, drv_payload) ==	\
		       sizeof(struct _core_resp),			\
		       #_name ": padding before driver resp");		\
	_Static_assert(sizeof(struct _name##_resp) ==			\
		       sizeof(struct _core_resp) +			\
		       sizeof(struct _drv_resp),			\
		       #_name ": padding after driver resp");		\
	_Static_assert(sizeof(struct _name##_resp) %			\
		       PABI34_CMD_ALIGN(_core_cmd) == 0,		\
		       #_name ": driver resp size not a udata granule")

/* ---------------------------------------------------------------------- */
/* Exported functions, version IBVERBS_PRIVATE_34                         */
/* ---------------------------------------------------------------------- */

/* The PABI number is part of the symbol name */
#define __pabi34_paste(a, b)		a##b
#define __pabi34_reg_name(v)	__pabi34_paste(verbs_register_driver_, v)
#define verbs_register_driver	__pabi34_reg_name(IBVERBS_PABI_VERSION)

void verbs_register_driver_34(const struct verbs_device_ops *ops);

void *_verbs_init_and_alloc_context(struct ibv_device *device, int cmd_fd,
				    size_t alloc_size,
				    struct verbs_context *context_offset,
				    uint32_t driver_id);
void verbs_uninit_context(struct verbs_context *context);
void verbs_set_ops(struct verbs_context *vctx,
		   const struct verbs_context_ops *ops);

void verbs_init_cq(struct ibv_cq *cq, struct ibv_context *context,
		   struct ibv_comp_channel *channel, void *cq_context);

int ibv_cmd_get_context(struct verbs_context *context,
			struct ibv_get_context *cmd, size_t cmd_size,
			struct ib_uverbs_get_context_resp *resp,
			size_t resp_size);
int ibv_cmd_query_device_any(struct ibv_context *context,
			     const struct ibv_query_device_ex_input *input,
			     struct ibv_device_attr_ex *attr, size_t attr_size,
			     struct ib_uverbs_ex_query_device_resp *resp,
			     size_t *resp_size);
int ibv_cmd_query_port(struct ibv_context *context, uint8_t port_num,
		       struct ibv_port_attr *port_attr,
		       struct ibv_query_port *cmd, size_t cmd_size);

int ibv_cmd_alloc_pd(struct ibv_context *context, struct ibv_pd *pd,
		     struct ibv_alloc_pd *cmd, size_t cmd_size,
		     struct ib_uverbs_alloc_pd_resp *resp, size_t resp_size);
int ibv_cmd_dealloc_pd(struct ibv_pd *pd);

int ibv_cmd_reg_mr(struct ibv_pd *pd, void *addr, size_t length,
		   uint64_t hca_va, int access, struct verbs_mr *vmr,
		   struct ibv_reg_mr *cmd, size_t cmd_size,
		   struct ib_uverbs_reg_mr_resp *resp, size_t resp_size);
int ibv_cmd_rereg_mr(struct verbs_mr *vmr, uint32_t flags, void *addr,
		     size_t length, uint64_t hca_va, int access,
		     struct ibv_pd *pd, struct ibv_rereg_mr *cmd,
		     size_t cmd_sz, struct ib_uverbs_rereg_mr_resp *resp,
		     size_t resp_sz);
int ibv_cmd_dereg_mr(struct verbs_mr *vmr);
int ibv_cmd_advise_mr(struct ibv_pd *pd, enum ibv_advise_mr_advice advice,
		      uint32_t flags, struct ibv_sge *sg_list,
		      uint32_t num_sge);

int ibv_cmd_alloc_mw(struct ibv_pd *pd, enum ibv_mw_type type,
		     struct ibv_mw *mw, struct ibv_alloc_mw *cmd,
		     size_t cmd_size, struct ib_uverbs_alloc_mw_resp *resp,
		     size_t resp_size);
int ibv_cmd_dealloc_mw(struct ibv_mw *mw);

int ibv_cmd_create_cq(struct ibv_context *context, int cqe,
		      struct ibv_comp_channel *channel, int comp_vector,
		      struct ibv_cq *cq, struct ibv_create_cq *cmd,
		      size_t cmd_size, struct ib_uverbs_create_cq_resp *resp,
		      size_t resp_size);
int ibv_cmd_create_cq_ex(struct ibv_context *context,
			 const struct ibv_cq_init_attr_ex *cq_attr,
			 struct verbs_cq *cq, struct ibv_create_cq_ex *cmd,
			 size_t cmd_size,
			 struct ib_uverbs_ex_create_cq_resp *resp,
			 size_t resp_size, uint32_t cmd_flags);
int ibv_cmd_resize_cq(struct ibv_cq *cq, int cqe, struct ibv_resize_cq *cmd,
		      size_t cmd_size, struct ib_uverbs_resize_cq_resp *resp,
		      size_t resp_size);
int ibv_cmd_destroy_cq(struct ibv_cq *cq);
int ibv_cmd_req_notify_cq(struct ibv_cq *cq, int solicited_only);

int ibv_cmd_create_qp(struct ibv_pd *pd, struct ibv_qp *qp,
		      struct ibv_qp_init_attr *attr, struct ibv_create_qp *cmd,
		      size_t cmd_size, struct ib_uverbs_create_qp_resp *resp,
		      size_t resp_size);
int ibv_cmd_create_qp_ex2(struct ibv_context *context, struct verbs_qp *qp,
			  struct ibv_qp_init_attr_ex *qp_attr,
			  struct ibv_create_qp_ex *cmd, size_t cmd_size,
			  struct ib_uverbs_ex_create_qp_resp *resp,
			  size_t resp_size);
int ibv_cmd_modify_qp(struct ibv_qp *qp, struct ibv_qp_attr *attr,
		      int attr_mask, struct ibv_modify_qp *cmd,
		      size_t cmd_size);
int ibv_cmd_modify_qp_ex(struct ibv_qp *qp, struct ibv_qp_attr *attr,
			 int attr_mask, struct ibv_modify_qp_ex *cmd,
			 size_t cmd_size,
			 struct ib_uverbs_ex_modify_qp_resp *resp,
			 size_t resp_size);
int ibv_cmd_query_qp(struct ibv_qp *qp, struct ibv_qp_attr *qp_attr,
		     int attr_mask, struct ibv_qp_init_attr *qp_init_attr,
		     struct ibv_query_qp *cmd, size_t cmd_size);
int ibv_cmd_destroy_qp(struct ibv_qp *qp);

int ibv_cmd_create_srq(struct ibv_pd *pd, struct ibv_srq *srq,
		       struct ibv_srq_init_attr *attr,
		       struct ibv_create_srq *cmd, size_t cmd_size,
		       struct ib_uverbs_create_srq_resp *resp,
		       size_t resp_size);
int ibv_cmd_create_srq_ex(struct ibv_context *context, struct verbs_srq *srq,
			  struct ibv_srq_init_attr_ex *attr_ex,
			  struct ibv_create_xsrq *cmd, size_t cmd_size,
			  struct ib_uverbs_create_srq_resp *resp,
			  size_t resp_size);
int ibv_cmd_modify_srq(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
		       int srq_attr_mask, struct ibv_modify_srq *cmd,
		       size_t cmd_size);
int ibv_cmd_query_srq(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
		      struct ibv_query_srq *cmd, size_t cmd_size);
int ibv_cmd_destroy_srq(struct ibv_srq *srq);

int ibv_cmd_create_ah(struct ibv_pd *pd, struct ibv_ah *ah,
		      struct ibv_ah_attr *attr,
		      struct ib_uverbs_create_ah_resp *resp, size_t resp_size);
int ibv_cmd_destroy_ah(struct ibv_ah *ah);

int ibv_cmd_attach_mcast(struct ibv_qp *qp, const union ibv_gid *gid,
			 uint16_t lid);
int ibv_cmd_detach_mcast(struct ibv_qp *qp, const union ibv_gid *gid,
			 uint16_t lid);

int ibv_query_gid_type(struct ibv_context *context, uint8_t port_num,
		       unsigned int index, enum ibv_gid_type_sysfs *type);
int ibv_read_ibdev_sysfs_file(char *buf, size_t size,
			      struct verbs_sysfs_dev *sysfs_dev,
			      const char *fnfmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Set from RDMAV_ALLOW_DISASSOC_DESTROY (declared in cmd_write.h in v44) */
extern bool verbs_allow_disassociate_destroy;

/* ---------------------------------------------------------------------- */
/* Provider glue                                                          */
/* ---------------------------------------------------------------------- */

/*
 * PROVIDER_DRIVER(name, ops): register ops (a struct verbs_device_ops) at
 * dlopen() time.  Unlike rdma-core no verbs_provider_<name> alias is made:
 * it only serves static builds of rdma-core and would be an exported symbol.
 */
#define PROVIDER_DRIVER(_provider_name, _drv_struct)			\
	static __attribute__((constructor)) void			\
	pabi34_register_##_provider_name(void)				\
	{								\
		verbs_register_driver(&(_drv_struct));			\
	}

/*
 * ctx = verbs_init_and_alloc_context(ibdev, cmd_fd, ctx, ibv_ctx, id);
 * callocs *ctx, whose member ibv_ctx must be a struct verbs_context, and
 * initialises it.  Returns NULL (cmd_fd closed) on failure.
 */
#define __pabi34_must_be_vctx(_type, _memb)				\
	(sizeof(char[1 - 2 * !__builtin_types_compatible_p(		\
		__typeof__(((_type *)NULL)->_memb),			\
		struct verbs_context)]) - 1)

#define verbs_init_and_alloc_context(ibdev, cmd_fd, drv_ctx_ptr, ctx_memb, \
				     driver_id)				\
	((__typeof__(drv_ctx_ptr))_verbs_init_and_alloc_context(	\
		(ibdev), (cmd_fd), sizeof(*(drv_ctx_ptr)),		\
		(struct verbs_context *)(uintptr_t)			\
		(offsetof(__typeof__(*(drv_ctx_ptr)), ctx_memb) +	\
		 __pabi34_must_be_vctx(__typeof__(*(drv_ctx_ptr)), ctx_memb)), \
		(driver_id)))

static inline struct verbs_device *
verbs_get_device(const struct ibv_device *dev)
{
	return (struct verbs_device *)((uintptr_t)dev -
				       offsetof(struct verbs_device, device));
}

static inline struct verbs_mr *verbs_get_mr(struct ibv_mr *mr)
{
	return (struct verbs_mr *)((uintptr_t)mr -
				   offsetof(struct verbs_mr, ibv_mr));
}

/* ---------------------------------------------------------------------- */
/* Layout checks                                                          */
/* ---------------------------------------------------------------------- */

#define PABI34_CHECK_OP(memb, idx)					\
	PABI34_CHECK_OFF(struct verbs_context_ops, memb,		\
			 (idx) * sizeof(void (*)(void)))

PABI34_CHECK_OP(advise_mr, 0);
PABI34_CHECK_OP(alloc_dm, 1);
PABI34_CHECK_OP(alloc_mw, 2);
PABI34_CHECK_OP(alloc_null_mr, 3);
PABI34_CHECK_OP(alloc_parent_domain, 4);
PABI34_CHECK_OP(alloc_pd, 5);
PABI34_CHECK_OP(alloc_td, 6);
PABI34_CHECK_OP(async_event, 7);
PABI34_CHECK_OP(attach_counters_point_flow, 8);
PABI34_CHECK_OP(attach_mcast, 9);
PABI34_CHECK_OP(bind_mw, 10);
PABI34_CHECK_OP(close_xrcd, 11);
PABI34_CHECK_OP(cq_event, 12);
PABI34_CHECK_OP(create_ah, 13);
PABI34_CHECK_OP(create_counters, 14);
PABI34_CHECK_OP(create_cq, 15);
PABI34_CHECK_OP(create_cq_ex, 16);
PABI34_CHECK_OP(create_flow, 17);
PABI34_CHECK_OP(create_flow_action_esp, 18);
PABI34_CHECK_OP(create_qp, 19);
PABI34_CHECK_OP(create_qp_ex, 20);
PABI34_CHECK_OP(create_rwq_ind_table, 21);
PABI34_CHECK_OP(create_srq, 22);
PABI34_CHECK_OP(create_srq_ex, 23);
PABI34_CHECK_OP(create_wq, 24);
PABI34_CHECK_OP(dealloc_mw, 25);
PABI34_CHECK_OP(dealloc_pd, 26);
PABI34_CHECK_OP(dealloc_td, 27);
PABI34_CHECK_OP(dereg_mr, 28);
PABI34_CHECK_OP(destroy_ah, 29);
PABI34_CHECK_OP(destroy_counters, 30);
PABI34_CHECK_OP(destroy_cq, 31);
PABI34_CHECK_OP(destroy_flow, 32);
PABI34_CHECK_OP(destroy_flow_action, 33);
PABI34_CHECK_OP(destroy_qp, 34);
PABI34_CHECK_OP(destroy_rwq_ind_table, 35);
PABI34_CHECK_OP(destroy_srq, 36);
PABI34_CHECK_OP(destroy_wq, 37);
PABI34_CHECK_OP(detach_mcast, 38);
PABI34_CHECK_OP(free_context, 39);
PABI34_CHECK_OP(free_dm, 40);
PABI34_CHECK_OP(get_srq_num, 41);
PABI34_CHECK_OP(import_dm, 42);
PABI34_CHECK_OP(import_mr, 43);
PABI34_CHECK_OP(import_pd, 44);
PABI34_CHECK_OP(modify_cq, 45);
PABI34_CHECK_OP(modify_flow_action_esp, 46);
PABI34_CHECK_OP(modify_qp, 47);
PABI34_CHECK_OP(modify_qp_rate_limit, 48);
PABI34_CHECK_OP(modify_srq, 49);
PABI34_CHECK_OP(modify_wq, 50);
PABI34_CHECK_OP(open_qp, 51);
PABI34_CHECK_OP(open_xrcd, 52);
PABI34_CHECK_OP(poll_cq, 53);
PABI34_CHECK_OP(post_recv, 54);
PABI34_CHECK_OP(post_send, 55);
PABI34_CHECK_OP(post_srq_ops, 56);
PABI34_CHECK_OP(post_srq_recv, 57);
PABI34_CHECK_OP(query_device_ex, 58);
PABI34_CHECK_OP(query_ece, 59);
PABI34_CHECK_OP(query_port, 60);
PABI34_CHECK_OP(query_qp, 61);
PABI34_CHECK_OP(query_qp_data_in_order, 62);
PABI34_CHECK_OP(query_rt_values, 63);
PABI34_CHECK_OP(query_srq, 64);
PABI34_CHECK_OP(read_counters, 65);
PABI34_CHECK_OP(reg_dm_mr, 66);
PABI34_CHECK_OP(reg_dmabuf_mr, 67);
PABI34_CHECK_OP(reg_mr, 68);
PABI34_CHECK_OP(req_notify_cq, 69);
PABI34_CHECK_OP(rereg_mr, 70);
PABI34_CHECK_OP(resize_cq, 71);
PABI34_CHECK_OP(set_ece, 72);
PABI34_CHECK_OP(unimport_dm, 73);
PABI34_CHECK_OP(unimport_mr, 74);
PABI34_CHECK_OP(unimport_pd, 75);
PABI34_CHECK_SIZE(struct verbs_context_ops, 76 * sizeof(void (*)(void)));

/* Command buffers: header, then core payload, nothing else */
#define PABI34_CHECK_CMD(_cmd, _hdr, _size)				\
	PABI34_CHECK_OFF(struct _cmd, hdr, 0);				\
	PABI34_CHECK_OFF(struct _cmd, core_payload, sizeof(_hdr));	\
	PABI34_CHECK_SIZE(struct _cmd, _size)

PABI34_CHECK_SIZE(struct ib_uverbs_cmd_hdr, 8);
PABI34_CHECK_SIZE(struct ib_uverbs_ex_cmd_hdr, 16);
PABI34_CHECK_OFF(struct ex_hdr, hdr, 0);
PABI34_CHECK_OFF(struct ex_hdr, ex_hdr, 8);
PABI34_CHECK_SIZE(struct ex_hdr, 24);
PABI34_CHECK_SIZE(struct empty, 0);

PABI34_CHECK_CMD(ibv_get_context, struct ib_uverbs_cmd_hdr, 16);
PABI34_CHECK_CMD(ibv_query_port, struct ib_uverbs_cmd_hdr, 24);
PABI34_CHECK_CMD(ibv_alloc_pd, struct ib_uverbs_cmd_hdr, 16);
PABI34_CHECK_CMD(ibv_reg_mr, struct ib_uverbs_cmd_hdr, 48);
PABI34_CHECK_CMD(ibv_rereg_mr, struct ib_uverbs_cmd_hdr, 56);
PABI34_CHECK_CMD(ibv_alloc_mw, struct ib_uverbs_cmd_hdr, 24);
PABI34_CHECK_CMD(ibv_create_cq, struct ib_uverbs_cmd_hdr, 40);
PABI34_CHECK_CMD(ibv_create_cq_ex, struct ex_hdr, 56);
PABI34_CHECK_CMD(ibv_resize_cq, struct ib_uverbs_cmd_hdr, 24);
PABI34_CHECK_CMD(ibv_create_qp, struct ib_uverbs_cmd_hdr, 64);
PABI34_CHECK_CMD(ibv_create_qp_ex, struct ex_hdr, 88);
PABI34_CHECK_CMD(ibv_modify_qp, struct ib_uverbs_cmd_hdr, 120);
PABI34_CHECK_CMD(ibv_modify_qp_ex, struct ex_hdr, 144);
PABI34_CHECK_CMD(ibv_query_qp, struct ib_uverbs_cmd_hdr, 24);
PABI34_CHECK_CMD(ibv_create_srq, struct ib_uverbs_cmd_hdr, 40);
PABI34_CHECK_CMD(ibv_create_xsrq, struct ib_uverbs_cmd_hdr, 56);
PABI34_CHECK_CMD(ibv_modify_srq, struct ib_uverbs_cmd_hdr, 24);
PABI34_CHECK_CMD(ibv_query_srq, struct ib_uverbs_cmd_hdr, 24);
PABI34_CHECK_CMD(ibv_post_send, struct ib_uverbs_cmd_hdr, 32);
PABI34_CHECK_CMD(ibv_create_ah, struct ib_uverbs_cmd_hdr, 64);

/* Core responses (kernel uAPI structs, used as-is) */
PABI34_CHECK_SIZE(struct ib_uverbs_get_context_resp, 8);
PABI34_CHECK_SIZE(struct ib_uverbs_alloc_pd_resp, 4);
PABI34_CHECK_SIZE(struct ib_uverbs_reg_mr_resp, 12);
PABI34_CHECK_SIZE(struct ib_uverbs_rereg_mr_resp, 8);
PABI34_CHECK_SIZE(struct ib_uverbs_alloc_mw_resp, 8);
PABI34_CHECK_SIZE(struct ib_uverbs_create_cq_resp, 8);
PABI34_CHECK_SIZE(struct ib_uverbs_ex_create_cq_resp, 16);
PABI34_CHECK_SIZE(struct ib_uverbs_resize_cq_resp, 8);
PABI34_CHECK_SIZE(struct ib_uverbs_create_qp_resp, 32);
PABI34_CHECK_SIZE(struct ib_uverbs_ex_create_qp_resp, 40);
PABI34_CHECK_SIZE(struct ib_uverbs_ex_modify_qp_resp, 8);
PABI34_CHECK_SIZE(struct ib_uverbs_create_srq_resp, 16);
PABI34_CHECK_SIZE(struct ib_uverbs_post_send_resp, 4);
PABI34_CHECK_SIZE(struct ib_uverbs_create_ah_resp, 4);

#if PABI34_X86_64
PABI34_CHECK_OFF(struct verbs_match_ent, driver_data, 0);
PABI34_CHECK_OFF(struct verbs_match_ent, u.modalias, 8);
PABI34_CHECK_OFF(struct verbs_match_ent, u.driver_id, 8);
PABI34_CHECK_OFF(struct verbs_match_ent, vendor, 16);
PABI34_CHECK_OFF(struct verbs_match_ent, device, 18);
PABI34_CHECK_OFF(struct verbs_match_ent, kind, 20);
PABI34_CHECK_SIZE(struct verbs_match_ent, 24);

PABI34_CHECK_OFF(struct verbs_sysfs_dev, entry, 0);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, provider_data, 16);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, match, 24);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, flags, 32);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, sysfs_name, 36);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, sysfs_cdev, 104);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, ibdev_name, 112);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, ibdev_path, 176);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, modalias, 432);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, node_guid, 944);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, driver_id, 952);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, node_type, 956);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, ibdev_idx, 960);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, num_ports, 964);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, abi_ver, 968);
PABI34_CHECK_OFF(struct verbs_sysfs_dev, time_created, 976);
PABI34_CHECK_SIZE(struct verbs_sysfs_dev, 992);

PABI34_CHECK_OFF(struct verbs_device_ops, name, 0);
PABI34_CHECK_OFF(struct verbs_device_ops, match_min_abi_version, 8);
PABI34_CHECK_OFF(struct verbs_device_ops, match_max_abi_version, 12);
PABI34_CHECK_OFF(struct verbs_device_ops, match_table, 16);
PABI34_CHECK_OFF(struct verbs_device_ops, static_providers, 24);
PABI34_CHECK_OFF(struct verbs_device_ops, match_device, 32);
PABI34_CHECK_OFF(struct verbs_device_ops, alloc_context, 40);
PABI34_CHECK_OFF(struct verbs_device_ops, import_context, 48);
PABI34_CHECK_OFF(struct verbs_device_ops, alloc_device, 56);
PABI34_CHECK_OFF(struct verbs_device_ops, uninit_device, 64);
PABI34_CHECK_SIZE(struct verbs_device_ops, 72);

PABI34_CHECK_SIZE(struct ibv_device, 664);
PABI34_CHECK_OFF(struct verbs_device, device, 0);
PABI34_CHECK_OFF(struct verbs_device, ops, 664);
PABI34_CHECK_OFF(struct verbs_device, refcount, 672);
PABI34_CHECK_OFF(struct verbs_device, entry, 680);
PABI34_CHECK_OFF(struct verbs_device, sysfs, 696);
PABI34_CHECK_OFF(struct verbs_device, core_support, 704);
PABI34_CHECK_SIZE(struct verbs_device, 712);

PABI34_CHECK_OFF(struct verbs_context, context,
		 648 - sizeof(struct ibv_context));
PABI34_CHECK_SIZE(struct verbs_context, 648);

PABI34_CHECK_SIZE(struct ibv_xrcd, 8);
PABI34_CHECK_OFF(struct verbs_xrcd, xrcd, 0);
PABI34_CHECK_OFF(struct verbs_xrcd, comp_mask, 8);
PABI34_CHECK_OFF(struct verbs_xrcd, handle, 12);
PABI34_CHECK_SIZE(struct verbs_xrcd, 16);

PABI34_CHECK_SIZE(struct ibv_srq, 128);
PABI34_CHECK_OFF(struct verbs_srq, srq, 0);
PABI34_CHECK_OFF(struct verbs_srq, srq_type, 128);
PABI34_CHECK_OFF(struct verbs_srq, xrcd, 136);
PABI34_CHECK_OFF(struct verbs_srq, cq, 144);
PABI34_CHECK_OFF(struct verbs_srq, srq_num, 152);
PABI34_CHECK_SIZE(struct verbs_srq, 160);

PABI34_CHECK_SIZE(struct ibv_mr, 48);
PABI34_CHECK_OFF(struct verbs_mr, ibv_mr, 0);
PABI34_CHECK_OFF(struct verbs_mr, mr_type, 48);
PABI34_CHECK_OFF(struct verbs_mr, access, 52);
PABI34_CHECK_SIZE(struct verbs_mr, 56);

PABI34_CHECK_SIZE(struct ibv_qp, 160);
PABI34_CHECK_SIZE(struct ibv_qp_ex, 352);
PABI34_CHECK_OFF(struct verbs_qp, qp, 0);
PABI34_CHECK_OFF(struct verbs_qp, qp_ex, 0);
PABI34_CHECK_OFF(struct verbs_qp, comp_mask, 352);
PABI34_CHECK_OFF(struct verbs_qp, xrcd, 360);
PABI34_CHECK_SIZE(struct verbs_qp, 368);

PABI34_CHECK_SIZE(struct ibv_cq, 128);
PABI34_CHECK_SIZE(struct ibv_cq_ex, 288);
PABI34_CHECK_OFF(struct verbs_cq, cq, 0);
PABI34_CHECK_OFF(struct verbs_cq, cq_ex, 0);
PABI34_CHECK_SIZE(struct verbs_cq, 288);

PABI34_CHECK_SIZE(struct verbs_context_ops, 608);
#endif /* PABI34_X86_64 */

#endif /* ZROCE_PABI34_H */
