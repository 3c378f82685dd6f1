// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The verbs control path of a device, checked object by object: the
 * errno of each refused call, the IBTA QP state machine, MR keys, CQ
 * resize, SRQ attributes and AHs.  No data moves.
 *
 * Usage: verbs_ctl DEVICE GID_INDEX
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <infiniband/verbs.h>

static int failures;

#define EXPECT(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

#define EXPECT_ERRNO(call, err)						\
	do {								\
		errno = 0;						\
		int _r = (call);					\
		EXPECT(_r == (err) || (_r == -1 && errno == (err)),	\
		       "returned %d errno %d, wanted %d", _r, errno, err); \
	} while (0)

static struct ibv_context *ctx;
static struct ibv_pd *pd;
static struct ibv_cq *cq;
static int gid_index;

static struct ibv_qp *make_qp(enum ibv_qp_type type, struct ibv_srq *srq)
{
	struct ibv_qp_init_attr init = {
		.send_cq = cq, .recv_cq = cq, .srq = srq, .qp_type = type,
		.cap = { .max_send_wr = 16, .max_recv_wr = 16,
			 .max_send_sge = 2, .max_recv_sge = 2,
			 .max_inline_data = 64 },
	};
	struct ibv_qp *qp = ibv_create_qp(pd, &init);

	EXPECT(qp, "create_qp type %d: %s", type, strerror(errno));
	if (qp) {
		EXPECT(init.cap.max_send_wr >= 16, "max_send_wr %u",
		       init.cap.max_send_wr);
		EXPECT(init.cap.max_inline_data >= 64, "inline %u",
		       init.cap.max_inline_data);
	}
	return qp;
}

static int to_init(struct ibv_qp *qp)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_INIT, .port_num = 1 };
	int mask = IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT;

	if (qp->qp_type == IBV_QPT_UD) {
		a.qkey = 0x11111111;
		mask |= IBV_QP_QKEY;
	} else {
		a.qp_access_flags = IBV_ACCESS_REMOTE_WRITE;
		mask |= IBV_QP_ACCESS_FLAGS;
	}
	return ibv_modify_qp(qp, &a, mask);
}

static void rtr_attr(struct ibv_qp *qp, struct ibv_qp_attr *a, int *mask)
{
	union ibv_gid gid;

	ibv_query_gid(ctx, 1, gid_index, &gid);
	memset(a, 0, sizeof(*a));
	a->qp_state = IBV_QPS_RTR;
	a->path_mtu = IBV_MTU_1024;
	a->dest_qp_num = qp->qp_num;
	a->rq_psn = 0x123456;
	a->max_dest_rd_atomic = 1;
	a->min_rnr_timer = 12;
	a->ah_attr.is_global = 1;
	a->ah_attr.port_num = 1;
	a->ah_attr.grh.dgid = gid;
	a->ah_attr.grh.sgid_index = gid_index;
	a->ah_attr.grh.hop_limit = 64;
	*mask = IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
		IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC |
		IBV_QP_MIN_RNR_TIMER;
}

static void test_rc_state_machine(void)
{
	struct ibv_qp *qp = make_qp(IBV_QPT_RC, NULL);
	struct ibv_qp_init_attr init;
	struct ibv_qp_attr a;
	int mask;

	if (!qp)
		return;
	/* zroce places every packet in PSN order */
	EXPECT(ibv_query_qp_data_in_order(qp, IBV_WR_RDMA_WRITE, 0) == 1,
	       "WRITE data not in order");
	EXPECT(ibv_query_qp_data_in_order(qp, IBV_WR_SEND, 0) == 1,
	       "SEND data not in order");
	/* RESET -> RTR skips INIT: refused. */
	rtr_attr(qp, &a, &mask);
	EXPECT_ERRNO(ibv_modify_qp(qp, &a, mask), EINVAL);
	EXPECT(to_init(qp) == 0, "RESET -> INIT");

	/* Values out of range are refused, in any transition. */
	rtr_attr(qp, &a, &mask);
	a.path_mtu = IBV_MTU_4096;	/* above a 1500-byte netdev */
	EXPECT_ERRNO(ibv_modify_qp(qp, &a, mask), EINVAL);
	rtr_attr(qp, &a, &mask);
	a.max_dest_rd_atomic = 255;
	EXPECT_ERRNO(ibv_modify_qp(qp, &a, mask), EINVAL);
	rtr_attr(qp, &a, &mask);
	a.ah_attr.is_global = 0;	/* RoCE needs a GRH */
	EXPECT_ERRNO(ibv_modify_qp(qp, &a, mask), EINVAL);
	rtr_attr(qp, &a, &mask);
	mask &= ~IBV_QP_DEST_QPN;	/* required for RTR */
	EXPECT_ERRNO(ibv_modify_qp(qp, &a, mask), EINVAL);

	rtr_attr(qp, &a, &mask);
	EXPECT(ibv_modify_qp(qp, &a, mask) == 0, "INIT -> RTR");

	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 32;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.sq_psn = 0x654321;
	a.max_rd_atomic = 1;
	mask = IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
	       IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC;
	EXPECT_ERRNO(ibv_modify_qp(qp, &a, mask), EINVAL);	/* timeout */
	a.timeout = 14;
	EXPECT(ibv_modify_qp(qp, &a, mask) == 0, "RTR -> RTS");

	memset(&a, 0, sizeof(a));
	EXPECT(ibv_query_qp(qp, &a, IBV_QP_STATE | IBV_QP_SQ_PSN |
			    IBV_QP_RQ_PSN | IBV_QP_TIMEOUT | IBV_QP_AV |
			    IBV_QP_PATH_MTU | IBV_QP_DEST_QPN, &init) == 0,
	       "query_qp");
	EXPECT(a.qp_state == IBV_QPS_RTS, "state %d", a.qp_state);
	EXPECT(a.sq_psn == 0x654321, "sq_psn 0x%x", a.sq_psn);
	EXPECT(a.rq_psn == 0x123456, "rq_psn 0x%x", a.rq_psn);
	EXPECT(a.timeout == 14, "timeout %u", a.timeout);
	EXPECT(a.path_mtu == IBV_MTU_1024, "path_mtu %d", a.path_mtu);
	EXPECT(a.dest_qp_num == qp->qp_num, "dest_qp_num %u", a.dest_qp_num);
	EXPECT(a.ah_attr.is_global && a.ah_attr.grh.sgid_index == gid_index,
	       "AV not kept");
	EXPECT(init.qp_type == IBV_QPT_RC, "qp_type %d", init.qp_type);

	/* RTS -> SQD -> RTS, RTS -> ERR -> RESET -> INIT. */
	a.qp_state = IBV_QPS_SQD;
	EXPECT(ibv_modify_qp(qp, &a, IBV_QP_STATE) == 0, "RTS -> SQD");
	a.qp_state = IBV_QPS_RTS;
	EXPECT(ibv_modify_qp(qp, &a, IBV_QP_STATE) == 0, "SQD -> RTS");
	a.qp_state = IBV_QPS_ERR;
	EXPECT(ibv_modify_qp(qp, &a, IBV_QP_STATE) == 0, "RTS -> ERR");
	a.qp_state = IBV_QPS_RTS;
	EXPECT_ERRNO(ibv_modify_qp(qp, &a, IBV_QP_STATE), EINVAL);
	a.qp_state = IBV_QPS_RESET;
	EXPECT(ibv_modify_qp(qp, &a, IBV_QP_STATE) == 0, "ERR -> RESET");
	EXPECT(to_init(qp) == 0, "RESET -> INIT again");
	EXPECT(ibv_destroy_qp(qp) == 0, "destroy RC QP");
}

static void test_ud(void)
{
	struct ibv_qp *qp = make_qp(IBV_QPT_UD, NULL);
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_RTR };

	if (!qp)
		return;
	EXPECT(to_init(qp) == 0, "UD RESET -> INIT");
	EXPECT(ibv_modify_qp(qp, &a, IBV_QP_STATE) == 0, "UD INIT -> RTR");
	a.qp_state = IBV_QPS_RTS;
	a.sq_psn = 7;
	EXPECT(ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_SQ_PSN) == 0,
	       "UD RTR -> RTS");
	EXPECT(ibv_destroy_qp(qp) == 0, "destroy UD QP");
}

static void test_unsupported_qp(void)
{
	struct ibv_qp_init_attr init = {
		.send_cq = cq, .recv_cq = cq, .qp_type = IBV_QPT_RC,
		.cap = { .max_send_wr = 1 << 20, .max_recv_wr = 1,
			 .max_send_sge = 1, .max_recv_sge = 1 },
	};

	errno = 0;
	EXPECT(!ibv_create_qp(pd, &init) && errno == EINVAL,
	       "too deep an SQ: errno %d", errno);
	init.cap.max_send_wr = 1;
	init.qp_type = IBV_QPT_XRC_SEND;
	errno = 0;
	EXPECT(!ibv_create_qp(pd, &init) && (errno == EOPNOTSUPP ||
					     errno == EINVAL),
	       "XRC: errno %d", errno);
}

static void test_mr(void)
{
	static char buf[3 * 4096];
	struct ibv_mr *a, *b, *c;

	a = ibv_reg_mr(pd, buf, sizeof(buf), IBV_ACCESS_LOCAL_WRITE |
		       IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ);
	b = ibv_reg_mr(pd, buf + 1, 100, IBV_ACCESS_LOCAL_WRITE);
	EXPECT(a && b, "reg_mr: %s", strerror(errno));
	if (a && b) {
		EXPECT(a->lkey != b->lkey, "keys collide");
		EXPECT(a->rkey == a->lkey, "remote MR rkey");
		EXPECT(a->length == sizeof(buf) && a->addr == buf, "MR range");
	}
	errno = 0;
	c = ibv_reg_mr(pd, buf, 100, IBV_ACCESS_REMOTE_WRITE);
	EXPECT(!c && errno == EINVAL, "remote write without local write: %d",
	       errno);
	/* the whole address space only on demand (implicit ODP) */
	errno = 0;
	c = ibv_reg_mr(pd, NULL, SIZE_MAX, IBV_ACCESS_LOCAL_WRITE);
	EXPECT(!c && errno == EINVAL, "implicit MR without ODP: errno %d",
	       errno);
	c = ibv_reg_mr(pd, buf, 100, IBV_ACCESS_ON_DEMAND);
	EXPECT(c, "ODP MR: %s", strerror(errno));
	if (c)
		EXPECT(ibv_dereg_mr(c) == 0, "dereg");
	errno = 0;
	c = ibv_reg_mr(pd, (void *)4096, 4096, IBV_ACCESS_LOCAL_WRITE);
	EXPECT(!c && errno == EFAULT, "unmapped memory: errno %d", errno);
	if (a)
		EXPECT(ibv_dereg_mr(a) == 0, "dereg");
	if (b)
		EXPECT(ibv_dereg_mr(b) == 0, "dereg");
}

static void test_cq(void)
{
	struct ibv_device_attr dev;
	struct ibv_wc wc;
	struct ibv_cq *c;

	EXPECT(ibv_query_device(ctx, &dev) == 0, "query_device");
	c = ibv_create_cq(ctx, 10, NULL, NULL, 0);
	EXPECT(c && c->cqe >= 10, "create_cq 10");
	if (!c)
		return;
	EXPECT(ibv_poll_cq(c, 1, &wc) == 0, "empty CQ polls nothing");
	EXPECT(ibv_resize_cq(c, 100) == 0 && c->cqe >= 100, "resize up");
	EXPECT(ibv_resize_cq(c, 5) == 0 && c->cqe >= 5, "resize down");
	EXPECT_ERRNO(ibv_resize_cq(c, dev.max_cqe + 1), EINVAL);
	EXPECT(ibv_poll_cq(c, 1, &wc) == 0, "resized CQ polls nothing");
	EXPECT(ibv_req_notify_cq(c, 0) == 0, "arm");
	EXPECT(ibv_destroy_cq(c) == 0, "destroy_cq");
	errno = 0;
	EXPECT(!ibv_create_cq(ctx, dev.max_cqe + 1, NULL, NULL, 0) &&
	       errno == EINVAL, "cqe above max_cqe: errno %d", errno);
}

static void test_srq(void)
{
	struct ibv_srq_init_attr init = {
		.attr = { .max_wr = 20, .max_sge = 2, .srq_limit = 0 },
	};
	struct ibv_srq_attr a = {};
	struct ibv_srq *srq;
	struct ibv_qp *qp;

	srq = ibv_create_srq(pd, &init);
	EXPECT(srq, "create_srq: %s", strerror(errno));
	if (!srq)
		return;
	EXPECT(init.attr.max_wr >= 20, "max_wr %u", init.attr.max_wr);
	a.srq_limit = 5;
	EXPECT(ibv_modify_srq(srq, &a, IBV_SRQ_LIMIT) == 0, "set limit");
	memset(&a, 0, sizeof(a));
	EXPECT(ibv_query_srq(srq, &a) == 0 && a.srq_limit == 5 &&
	       a.max_wr >= 20, "query_srq: limit %u", a.srq_limit);
	a.srq_limit = 1 << 20;
	EXPECT_ERRNO(ibv_modify_srq(srq, &a, IBV_SRQ_LIMIT), EINVAL);

	qp = make_qp(IBV_QPT_RC, srq);
	if (qp)
		EXPECT(ibv_destroy_qp(qp) == 0, "destroy QP on SRQ");
	EXPECT(ibv_destroy_srq(srq) == 0, "destroy_srq");
}

static void test_ah(void)
{
	struct ibv_ah_attr a = { .port_num = 1, .is_global = 1 };
	struct ibv_ah *ah;

	ibv_query_gid(ctx, 1, gid_index, &a.grh.dgid);
	a.grh.sgid_index = gid_index;
	a.grh.hop_limit = 1;
	ah = ibv_create_ah(pd, &a);
	EXPECT(ah, "create_ah: %s", strerror(errno));
	if (ah)
		EXPECT(ibv_destroy_ah(ah) == 0, "destroy_ah");
	a.is_global = 0;
	errno = 0;
	EXPECT(!ibv_create_ah(pd, &a), "AH without GRH on RoCE");
}

static void test_port(void)
{
	struct ibv_port_attr port;

	EXPECT(ibv_query_port(ctx, 1, &port) == 0, "query_port");
	EXPECT(port.state == IBV_PORT_ACTIVE, "state %d", port.state);
	EXPECT(port.max_msg_sz > 4096, "max_msg_sz %u", port.max_msg_sz);
	EXPECT(port.link_layer == IBV_LINK_LAYER_ETHERNET, "link layer");
	EXPECT_ERRNO(ibv_query_port(ctx, 2, &port), EINVAL);
}

int main(int argc, char **argv)
{
	struct ibv_device **list;
	int i;

	if (argc != 3) {
		fprintf(stderr, "usage: verbs_ctl DEVICE GID_INDEX\n");
		return 2;
	}
	gid_index = atoi(argv[2]);
	list = ibv_get_device_list(NULL);
	for (i = 0; list && list[i]; i++)
		if (!strcmp(ibv_get_device_name(list[i]), argv[1]))
			ctx = ibv_open_device(list[i]);
	if (!ctx) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	pd = ibv_alloc_pd(ctx);
	cq = ibv_create_cq(ctx, 64, NULL, NULL, 0);
	if (!pd || !cq) {
		fprintf(stderr, "no PD or CQ: %s\n", strerror(errno));
		return 1;
	}

	test_port();
	test_mr();
	test_cq();
	test_rc_state_machine();
	test_ud();
	test_unsupported_qp();
	test_srq();
	test_ah();

	ibv_destroy_cq(cq);
	ibv_dealloc_pd(pd);
	ibv_close_device(ctx);
	ibv_free_device_list(list);
	printf("verbs_ctl %s: %d failures\n", argv[1], failures);
	return failures ? 1 : 0;
}
