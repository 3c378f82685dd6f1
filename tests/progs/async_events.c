// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Asynchronous events of a zroce device, driven by the caller, which acts
 * on the lines this prints: "step port-down" (take the netdev's carrier
 * away: IBV_EVENT_PORT_ERR must come), "step port-up" (carrier back:
 * IBV_EVENT_PORT_ACTIVE), "step remove" (delete the netdev: the driver's
 * IBV_EVENT_DEVICE_FATAL, then uverbs' own as it disassociates the
 * context).  In between, a CQ too small for the completions of a UD QP
 * sending to itself must report IBV_EVENT_CQ_ERR.
 *
 * Usage: async_events DEVICE GID_INDEX
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <infiniband/verbs.h>

#include "expect.h"

#define WAIT_MS		20000
#define QKEY		0x1111

static struct ibv_context *ctx;
static int gid_index;

/* The next async event within ms; its type, or -1 */
static int next_event(int ms, struct ibv_async_event *ev)
{
	struct pollfd pfd = { .fd = ctx->async_fd, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1 || ibv_get_async_event(ctx, ev))
		return -1;
	ibv_ack_async_event(ev);
	return ev->event_type;
}

/* Wait for an event of type want, skipping others; false if none came */
static bool wait_event(enum ibv_event_type want, struct ibv_async_event *ev)
{
	long long end = now_ms() + WAIT_MS;
	int type;

	while (now_ms() < end) {
		type = next_event(end - now_ms(), ev);
		if (type == (int)want)
			return true;
		if (type >= 0)
			printf("event %d while waiting for %d\n", type, want);
	}
	return false;
}

static void step(const char *what)
{
	printf("step %s\n", what);
	fflush(stdout);
}

static void test_port(void)
{
	struct ibv_async_event ev;
	struct ibv_port_attr pa;

	test_name = "port";
	step("port-down");
	EXPECT(wait_event(IBV_EVENT_PORT_ERR, &ev) && ev.element.port_num == 1,
	       "no PORT_ERR for port 1");
	EXPECT(!ibv_query_port(ctx, 1, &pa) && pa.state == IBV_PORT_DOWN,
	       "port state %d after PORT_ERR", pa.state);
	step("port-up");
	EXPECT(wait_event(IBV_EVENT_PORT_ACTIVE, &ev) &&
	       ev.element.port_num == 1, "no PORT_ACTIVE for port 1");
	EXPECT(!ibv_query_port(ctx, 1, &pa) && pa.state == IBV_PORT_ACTIVE,
	       "port state %d after PORT_ACTIVE", pa.state);
}

/* A UD QP of pd on cq that sends to itself, in RTS */
static struct ibv_qp *self_qp(struct ibv_pd *pd, struct ibv_cq *cq)
{
	struct ibv_qp_init_attr init = {
		.send_cq = cq, .recv_cq = cq, .qp_type = IBV_QPT_UD,
		.cap = { .max_send_wr = 64, .max_recv_wr = 1,
			 .max_send_sge = 1, .max_recv_sge = 1,
			 .max_inline_data = 16 },
		.sq_sig_all = 1,
	};
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT, .port_num = 1, .qkey = QKEY,
	};
	struct ibv_qp *qp = ibv_create_qp(pd, &init);

	if (!EXPECT(qp, "create_qp: %s", strerror(errno)) ||
	    !EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
				   IBV_QP_PORT | IBV_QP_QKEY), "INIT"))
		return qp;
	a.qp_state = IBV_QPS_RTR;
	EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE), "RTR");
	a.qp_state = IBV_QPS_RTS;
	EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_SQ_PSN), "RTS");
	return qp;
}

/* More signalled sends than the CQ holds, none polled: a CQ overrun. */
static void test_cq_overrun(void)
{
	struct ibv_ah_attr aa = {
		.is_global = 1, .port_num = 1,
		.grh = { .sgid_index = gid_index, .hop_limit = 1 },
	};
	char byte = 'z';
	struct ibv_sge sge = { .addr = (uintptr_t)&byte, .length = 1 };
	struct ibv_send_wr wr = {
		.sg_list = &sge, .num_sge = 1, .opcode = IBV_WR_SEND,
		.send_flags = IBV_SEND_INLINE,
	}, *bad;
	struct ibv_async_event ev;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	struct ibv_ah *ah;
	struct ibv_qp *qp;
	int i;

	test_name = "cq_overrun";
	pd = ibv_alloc_pd(ctx);
	cq = ibv_create_cq(ctx, 4, NULL, NULL, 0);
	if (!EXPECT(pd && cq, "pd/cq: %s", strerror(errno)) ||
	    !EXPECT(!ibv_query_gid(ctx, 1, gid_index, &aa.grh.dgid), "gid"))
		return;
	ah = ibv_create_ah(pd, &aa);
	qp = self_qp(pd, cq);
	if (!EXPECT(ah && qp, "ah/qp: %s", strerror(errno)))
		return;
	wr.wr.ud.ah = ah;
	wr.wr.ud.remote_qpn = qp->qp_num;
	wr.wr.ud.remote_qkey = QKEY;
	for (i = 0; i < cq->cqe + 4; i++)
		EXPECT(!ibv_post_send(qp, &wr, &bad), "post_send %d", i);
	EXPECT(wait_event(IBV_EVENT_CQ_ERR, &ev) && ev.element.cq == cq,
	       "no CQ_ERR for %d sends on a CQ of %d", cq->cqe + 4, cq->cqe);
	ibv_destroy_qp(qp);
	ibv_destroy_ah(ah);
	ibv_destroy_cq(cq);
	ibv_dealloc_pd(pd);
}

static void test_remove(void)
{
	struct ibv_async_event ev;
	int n = 0;

	test_name = "remove";
	step("remove");
	while (n < 2 && wait_event(IBV_EVENT_DEVICE_FATAL, &ev))
		n++;
	EXPECT(n == 2, "%d DEVICE_FATAL events, want the driver's and uverbs'",
	       n);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: async_events DEVICE GID_INDEX\n");
		return 2;
	}
	gid_index = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ctx = open_device(argv[1]);
	if (EXPECT(ctx, "cannot open %s", argv[1])) {
		test_port();
		test_cq_overrun();
		test_remove();
		ibv_close_device(ctx);
	}
	printf("async_events: %d checks, %d failures\n", checks, failures);
	return failures || !checks;
}
