// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * One SRQ shared by an RC QP and a UD QP of one device (loopback): SENDs
 * to either land in the SRQ's WQEs in order, with the receiving QP's
 * number in the completion; the armed srq_limit reports
 * IBV_EVENT_SRQ_LIMIT_REACHED once fewer WQEs remain, and disarms; a
 * limit above max_wr is EINVAL; an RC QP on the SRQ that enters the error
 * state reports IBV_EVENT_QP_LAST_WQE_REACHED.
 *
 * Usage: srq_ops DEVICE GID_INDEX
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <infiniband/verbs.h>

#include "expect.h"

#define WAIT_MS		5000
#define SLOTS		16		/* WQEs posted to the SRQ */
#define LIMIT		8
#define MSG		256
#define GRH		40
#define QKEY		0x5151U

static struct ibv_context *ctx;
static struct ibv_pd *pd;
static struct ibv_cq *cq;
static struct ibv_srq *srq;
static union ibv_gid gid;
static int gid_index;
static uint8_t *sbuf, *rbuf;		/* MSG; SLOTS of GRH + MSG */
static struct ibv_mr *smr, *rmr;
static struct ibv_qp *rc_a, *rc_b, *ud_a, *ud_b;	/* b ones on the SRQ */
static struct ibv_ah *ah;

static struct ibv_qp *qp_new(enum ibv_qp_type type, struct ibv_srq *s)
{
	struct ibv_qp_init_attr init = {
		.send_cq = cq, .recv_cq = cq, .srq = s, .qp_type = type,
		.cap = { .max_send_wr = SLOTS, .max_recv_wr = s ? 0 : 1,
			 .max_send_sge = 1, .max_recv_sge = 1 },
		.sq_sig_all = 1,
	};
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT, .port_num = 1, .qkey = QKEY,
	};
	struct ibv_qp *qp = ibv_create_qp(pd, &init);

	if (!EXPECT(qp, "create_qp type %d: %s", type, strerror(errno)))
		return NULL;
	EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			      IBV_QP_PORT | (type == IBV_QPT_UD ?
					     IBV_QP_QKEY :
					     IBV_QP_ACCESS_FLAGS)), "INIT");
	return qp;
}

static bool ud_ready(struct ibv_qp *qp)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_RTR };

	if (!EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE), "UD RTR"))
		return false;
	a.qp_state = IBV_QPS_RTS;
	return EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_SQ_PSN),
		      "UD RTS");
}

static bool rc_connect(struct ibv_qp *qp, uint32_t dest)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_RTR, .path_mtu = IBV_MTU_1024,
		.dest_qp_num = dest, .min_rnr_timer = 1,
		.ah_attr = { .is_global = 1, .port_num = 1,
			     .grh = { .dgid = gid, .sgid_index = gid_index,
				      .hop_limit = 64 } },
	};

	if (!EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV |
				   IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
				   IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC |
				   IBV_QP_MIN_RNR_TIMER), "RC RTR"))
		return false;
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	return EXPECT(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT |
				     IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY |
				     IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC),
		      "RC RTS");
}

static bool setup(const char *name)
{
	struct ibv_srq_init_attr sa = {
		.attr = { .max_wr = SLOTS, .max_sge = 1 },
	};
	struct ibv_ah_attr aa = {
		.is_global = 1, .port_num = 1,
		.grh = { .sgid_index = gid_index, .hop_limit = 64 },
	};

	ctx = open_device(name);
	if (!EXPECT(ctx, "cannot open %s", name))
		return false;
	pd = ibv_alloc_pd(ctx);
	cq = ibv_create_cq(ctx, 4 * SLOTS, NULL, NULL, 0);
	srq = ibv_create_srq(pd, &sa);
	sbuf = calloc(1, MSG);
	rbuf = calloc(SLOTS, GRH + MSG);
	if (!EXPECT(pd && cq && srq && sbuf && rbuf, "resources: %s",
		    strerror(errno)) ||
	    !EXPECT(!ibv_query_gid(ctx, 1, gid_index, &gid), "query_gid"))
		return false;
	smr = ibv_reg_mr(pd, sbuf, MSG, IBV_ACCESS_LOCAL_WRITE);
	rmr = ibv_reg_mr(pd, rbuf, SLOTS * (GRH + MSG), IBV_ACCESS_LOCAL_WRITE);
	aa.grh.dgid = gid;
	ah = ibv_create_ah(pd, &aa);
	rc_a = qp_new(IBV_QPT_RC, NULL);
	rc_b = qp_new(IBV_QPT_RC, srq);
	ud_a = qp_new(IBV_QPT_UD, NULL);
	ud_b = qp_new(IBV_QPT_UD, srq);
	if (!EXPECT(smr && rmr && ah, "mr/ah: %s", strerror(errno)) ||
	    !rc_a || !rc_b || !ud_a || !ud_b)
		return false;
	return rc_connect(rc_a, rc_b->qp_num) && rc_connect(rc_b, rc_a->qp_num) &&
	       ud_ready(ud_a) && ud_ready(ud_b);
}

static void post_srq(int n)
{
	struct ibv_sge sge = { .length = GRH + MSG, .lkey = rmr->lkey };
	struct ibv_recv_wr wr = { .sg_list = &sge, .num_sge = 1 }, *bad;
	int i;

	for (i = 0; i < n; i++) {
		wr.wr_id = i;
		sge.addr = (uintptr_t)rbuf + (size_t)i * (GRH + MSG);
		EXPECT(!ibv_post_srq_recv(srq, &wr, &bad), "post_srq_recv %d",
		       i);
	}
}

/* Message m (its bytes are m) from rc_a or ud_a; both completions. */
static void send_one(int m, bool ud)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)sbuf, .length = MSG, .lkey = smr->lkey,
	};
	struct ibv_send_wr wr = {
		.wr_id = 1000 + m, .sg_list = &sge, .num_sge = 1,
		.opcode = IBV_WR_SEND,
		.wr.ud = { .ah = ah, .remote_qpn = ud_b->qp_num,
			   .remote_qkey = QKEY },
	}, *bad;
	struct ibv_qp *to = ud ? ud_b : rc_b;
	struct ibv_wc wc[2];
	int got = 0, i;
	uint8_t *slot;
	long long end = now_ms() + WAIT_MS;

	memset(sbuf, m, MSG);
	if (!EXPECT(!ibv_post_send(ud ? ud_a : rc_a, &wr, &bad), "post_send"))
		return;
	while (got < 2 && now_ms() < end)
		got += ibv_poll_cq(cq, 2 - got, wc + got);
	if (!EXPECT(got == 2, "message %d: %d completions", m, got))
		return;
	for (i = 0; i < 2; i++) {
		if (wc[i].opcode != IBV_WC_RECV) {
			EXPECT(wc[i].status == IBV_WC_SUCCESS &&
			       wc[i].wr_id == 1000U + m, "send %d status %d",
			       m, wc[i].status);
			continue;
		}
		/* the SRQ hands out its WQEs in order */
		EXPECT(wc[i].status == IBV_WC_SUCCESS && wc[i].wr_id == (uint64_t)m,
		       "message %d: status %d in WQE %llu", m, wc[i].status,
		       (unsigned long long)wc[i].wr_id);
		EXPECT(wc[i].qp_num == to->qp_num, "message %d to QP %u not %u",
		       m, wc[i].qp_num, to->qp_num);
		EXPECT(wc[i].byte_len == MSG + (ud ? GRH : 0), "byte_len %u",
		       wc[i].byte_len);
		/* a datagram lands after its GRH area, RC data at the start */
		slot = rbuf + (size_t)m * (GRH + MSG) + (ud ? GRH : 0);
		EXPECT(slot[0] == m && slot[MSG - 1] == m, "message %d bytes",
		       m);
	}
}

/* The next async event within ms, or -1 */
static int async_event(int ms, struct ibv_async_event *ev)
{
	struct pollfd pfd = { .fd = ctx->async_fd, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	if (ibv_get_async_event(ctx, ev))
		return -1;
	ibv_ack_async_event(ev);
	return ev->event_type;
}

static void test_limit(void)
{
	struct ibv_srq_attr a = { .srq_limit = LIMIT };
	struct ibv_async_event ev;
	int m, type;

	test_name = "srq_limit";
	EXPECT(!ibv_modify_srq(srq, &a, IBV_SRQ_LIMIT), "arm the limit");
	memset(&a, 0, sizeof(a));
	EXPECT(!ibv_query_srq(srq, &a) && a.srq_limit == LIMIT,
	       "srq_limit %u", a.srq_limit);
	post_srq(SLOTS);
	/* SLOTS - LIMIT messages leave LIMIT WQEs: not below the limit */
	for (m = 0; m < SLOTS - LIMIT; m++)
		send_one(m, m & 1);
	EXPECT(async_event(300, &ev) < 0, "an event at %d WQEs left", LIMIT);
	send_one(m++, false);
	type = async_event(WAIT_MS, &ev);
	EXPECT(type == IBV_EVENT_SRQ_LIMIT_REACHED && ev.element.srq == srq,
	       "event %d", type);
	memset(&a, 0, sizeof(a));
	EXPECT(!ibv_query_srq(srq, &a) && a.srq_limit == 0,
	       "srq_limit %u after the event", a.srq_limit);
	send_one(m++, true);
	EXPECT(async_event(300, &ev) < 0, "a second limit event");

	a.srq_limit = a.max_wr + 1;
	EXPECT(ibv_modify_srq(srq, &a, IBV_SRQ_LIMIT) == EINVAL,
	       "srq_limit above max_wr %u", a.max_wr);
}

static void test_last_wqe(void)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_ERR };
	struct ibv_async_event ev;
	int type;

	test_name = "last_wqe";
	EXPECT(!ibv_modify_qp(rc_b, &a, IBV_QP_STATE), "to ERR");
	type = async_event(WAIT_MS, &ev);
	EXPECT(type == IBV_EVENT_QP_LAST_WQE_REACHED && ev.element.qp == rc_b,
	       "event %d", type);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: srq_ops DEVICE GID_INDEX\n");
		return 2;
	}
	gid_index = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup(argv[1])) {
		test_limit();
		test_last_wqe();
	}
	printf("srq_ops: %d checks, %d failures\n", checks, failures);
	return failures || !checks;
}
