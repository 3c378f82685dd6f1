// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Packets that cannot leave, because the sender's source address is gone
 * and so is every route from it, are lost as they could be on the wire,
 * and nothing else is: UD sends all complete, and the SQ goes on to the
 * WQEs behind them; an RC SEND waits, retransmitted, and completes once
 * the address is back.  Neither QP stalls.
 *
 * Usage: no_route DEV_A GID_A DEV_B GID_B
 *   checks a -> b traffic, prints "ready", waits for a line on stdin (the
 *   caller deletes a's address), sends into the void, prints "lost", waits
 *   for another line (the address is back), then checks that all goes on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <infiniband/verbs.h>

#include "expect.h"

#define WAIT_MS		10000
#define QUIET_MS	500
#define N		32	/* UD sends posted at once */
#define MSG		256
#define GRH		40
#define QKEY		0x11111111
#define TIMEOUT		18	/* 4.096 us << 18: 1.07 s, 7 retries */

struct side {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq *rc_cq;
	struct ibv_cq *ud_cq;
	struct ibv_qp *rc;
	struct ibv_qp *ud;
	uint8_t *buf;		/* sent from, or received into: N slots */
	struct ibv_mr *mr;
	union ibv_gid gid;
	int gid_index;
};

static struct side a, b;
static struct ibv_ah *ah;	/* a to b */

static struct ibv_qp *qp_new(struct side *s, struct ibv_cq *cq,
			     enum ibv_qp_type type)
{
	struct ibv_qp_init_attr init = {
		.send_cq = cq, .recv_cq = cq, .qp_type = type,
		.cap = { .max_send_wr = N, .max_recv_wr = 2 * N,
			 .max_send_sge = 1, .max_recv_sge = 1 },
		.sq_sig_all = 1,
	};

	return ibv_create_qp(s->pd, &init);
}

static int side_open(struct side *s, const char *dev, const char *gid)
{
	s->gid_index = atoi(gid);
	s->ctx = open_device(dev);
	if (!EXPECT(s->ctx, "no device %s", dev))
		return -1;
	s->pd = ibv_alloc_pd(s->ctx);
	s->rc_cq = ibv_create_cq(s->ctx, 4 * N, NULL, NULL, 0);
	s->ud_cq = ibv_create_cq(s->ctx, 4 * N, NULL, NULL, 0);
	s->buf = calloc(N, GRH + MSG);
	if (!EXPECT(s->pd && s->rc_cq && s->ud_cq && s->buf,
		    "resources: %s", strerror(errno)))
		return -1;
	s->mr = ibv_reg_mr(s->pd, s->buf, N * (GRH + MSG),
			   IBV_ACCESS_LOCAL_WRITE);
	s->rc = qp_new(s, s->rc_cq, IBV_QPT_RC);
	s->ud = qp_new(s, s->ud_cq, IBV_QPT_UD);
	if (!EXPECT(s->mr && s->rc && s->ud, "mr/qp: %s", strerror(errno)))
		return -1;
	return EXPECT(!ibv_query_gid(s->ctx, 1, s->gid_index, &s->gid),
		      "query_gid") ? 0 : -1;
}

static int rc_connect(struct side *s, const struct side *peer)
{
	struct ibv_qp_attr attr = {
		.qp_state = IBV_QPS_INIT, .port_num = 1,
		.path_mtu = IBV_MTU_1024, .dest_qp_num = peer->rc->qp_num,
		.ah_attr = { .is_global = 1, .port_num = 1,
			     .grh = { .dgid = peer->gid, .hop_limit = 64,
				      .sgid_index = s->gid_index } },
		.timeout = TIMEOUT, .retry_cnt = 7, .rnr_retry = 7,
		.min_rnr_timer = 12,
	};

	if (!EXPECT(!ibv_modify_qp(s->rc, &attr, IBV_QP_STATE |
				   IBV_QP_PKEY_INDEX | IBV_QP_PORT |
				   IBV_QP_ACCESS_FLAGS), "RC INIT"))
		return -1;
	attr.qp_state = IBV_QPS_RTR;
	if (!EXPECT(!ibv_modify_qp(s->rc, &attr, IBV_QP_STATE | IBV_QP_AV |
				   IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
				   IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC |
				   IBV_QP_MIN_RNR_TIMER), "RC RTR"))
		return -1;
	attr.qp_state = IBV_QPS_RTS;
	return EXPECT(!ibv_modify_qp(s->rc, &attr, IBV_QP_STATE |
				     IBV_QP_SQ_PSN | IBV_QP_TIMEOUT |
				     IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY |
				     IBV_QP_MAX_QP_RD_ATOMIC),
		      "RC RTS") ? 0 : -1;
}

static int ud_ready(struct side *s)
{
	struct ibv_qp_attr attr = {
		.qp_state = IBV_QPS_INIT, .port_num = 1, .qkey = QKEY,
	};

	if (!EXPECT(!ibv_modify_qp(s->ud, &attr, IBV_QP_STATE |
				   IBV_QP_PKEY_INDEX | IBV_QP_PORT |
				   IBV_QP_QKEY), "UD INIT"))
		return -1;
	attr.qp_state = IBV_QPS_RTR;
	if (!EXPECT(!ibv_modify_qp(s->ud, &attr, IBV_QP_STATE), "UD RTR"))
		return -1;
	attr.qp_state = IBV_QPS_RTS;
	return EXPECT(!ibv_modify_qp(s->ud, &attr, IBV_QP_STATE |
				     IBV_QP_SQ_PSN), "UD RTS") ? 0 : -1;
}

/* b's receive WQEs: slot i of its buffer, GRH area first for UD. */
static void post_recvs(struct ibv_qp *qp, int n)
{
	struct ibv_sge sge = { .length = GRH + MSG, .lkey = b.mr->lkey };
	struct ibv_recv_wr wr = { .sg_list = &sge, .num_sge = 1 }, *bad;
	int i;

	for (i = 0; i < n; i++) {
		wr.wr_id = i % N;
		sge.addr = (uintptr_t)b.buf + (size_t)(i % N) * (GRH + MSG);
		EXPECT(!ibv_post_recv(qp, &wr, &bad), "post_recv %d", i);
	}
}

/* Send n messages from a, as one list; message m carries bytes seed + m. */
static void post_sends(struct ibv_qp *qp, int n, int seed)
{
	struct ibv_sge sge[N];
	struct ibv_send_wr wr[N], *bad;
	int m;

	memset(wr, 0, sizeof(wr));
	for (m = 0; m < n; m++) {
		memset(a.buf + (size_t)m * MSG, seed + m, MSG);
		sge[m] = (struct ibv_sge){
			.addr = (uintptr_t)a.buf + (size_t)m * MSG,
			.length = MSG, .lkey = a.mr->lkey,
		};
		wr[m] = (struct ibv_send_wr){
			.wr_id = m, .sg_list = &sge[m], .num_sge = 1,
			.opcode = IBV_WR_SEND, .next = m + 1 < n ? &wr[m + 1] :
								  NULL,
			.wr.ud = { .ah = ah, .remote_qpn = b.ud->qp_num,
				   .remote_qkey = QKEY },
		};
	}
	EXPECT(!ibv_post_send(qp, wr, &bad), "post_send of %d", n);
}

/* n send completions on cq, in order, all successful. */
static void sends_complete(struct ibv_cq *cq, int n)
{
	struct ibv_wc wc;
	int m;

	for (m = 0; m < n; m++) {
		if (!EXPECT(poll_one(cq, &wc, WAIT_MS) == 1,
			    "no send completion for %d of %d", m, n))
			return;
		EXPECT(wc.status == IBV_WC_SUCCESS && wc.wr_id == (uint64_t)m,
		       "send %d: status %s wr_id %llu", m,
		       ibv_wc_status_str(wc.status),
		       (unsigned long long)wc.wr_id);
	}
}

/*
 * Receive completions on cq until QUIET_MS pass with none (wait_ms for
 * the first), each a whole message sent with a seed from seed on.
 */
static int receives(struct ibv_cq *cq, int seed, int off, int wait_ms)
{
	struct ibv_wc wc;
	uint8_t *p;
	int n = 0, i;

	while (poll_one(cq, &wc, n ? QUIET_MS : wait_ms) == 1) {
		n++;
		if (!EXPECT(wc.status == IBV_WC_SUCCESS && wc.byte_len ==
			    (uint32_t)(off + MSG), "recv: status %s len %u",
			    ibv_wc_status_str(wc.status), wc.byte_len))
			continue;
		p = b.buf + wc.wr_id * (GRH + MSG) + off;
		for (i = 0; i < MSG && p[i] == p[0]; i++)
			;
		EXPECT(i == MSG && p[0] >= seed && p[0] < seed + N,
		       "recv %d: wrong or torn bytes", n);
	}
	return n;
}

static bool wait_line(void)
{
	char line[16];

	fflush(stdout);
	return EXPECT(fgets(line, sizeof(line), stdin), "no line on stdin");
}

int main(int argc, char **argv)
{
	struct ibv_ah_attr ah_attr = { .is_global = 1, .port_num = 1 };
	struct ibv_wc wc;

	if (argc != 5) {
		fprintf(stderr, "usage: no_route DEV_A GID_A DEV_B GID_B\n");
		return 2;
	}
	if (side_open(&a, argv[1], argv[2]) || side_open(&b, argv[3], argv[4]) ||
	    rc_connect(&a, &b) || rc_connect(&b, &a) || ud_ready(&a) ||
	    ud_ready(&b))
		goto out;
	ah_attr.grh = (struct ibv_global_route){
		.dgid = b.gid, .sgid_index = a.gid_index, .hop_limit = 64,
	};
	ah = ibv_create_ah(a.pd, &ah_attr);
	if (!EXPECT(ah, "create_ah: %s", strerror(errno)))
		goto out;
	post_recvs(b.ud, 2 * N);
	post_recvs(b.rc, 2);

	test_name = "route";
	post_sends(a.ud, N, 1);
	sends_complete(a.ud_cq, N);
	EXPECT(receives(b.ud_cq, 1, GRH, WAIT_MS) == N, "not all UD sends arrived");
	post_sends(a.rc, 1, 1);
	sends_complete(a.rc_cq, 1);
	EXPECT(receives(b.rc_cq, 1, 0, WAIT_MS) == 1, "the RC SEND did not arrive");
	printf("ready\n");

	test_name = "no route";
	if (!wait_line())
		goto out;
	post_sends(a.rc, 1, 100);
	/* the datagrams are lost; those behind each go on all the same */
	post_sends(a.ud, N, 100);
	sends_complete(a.ud_cq, N);
	EXPECT(receives(b.ud_cq, 100, GRH, QUIET_MS) == 0,
	       "UD sends with no route arrived");
	EXPECT(poll_one(a.rc_cq, &wc, QUIET_MS) == 0,
	       "an RC SEND with no route completed: status %s",
	       ibv_wc_status_str(wc.status));
	printf("lost\n");

	test_name = "route back";
	if (!wait_line())
		goto out;
	sends_complete(a.rc_cq, 1);	/* retransmitted */
	EXPECT(receives(b.rc_cq, 100, 0, WAIT_MS) == 1, "the RC SEND did not arrive");
	post_sends(a.ud, N, 200);
	sends_complete(a.ud_cq, N);
	EXPECT(receives(b.ud_cq, 200, GRH, WAIT_MS) == N, "not all UD sends arrived");
out:
	printf("%d checks, %d failures\n", checks, failures);
	return failures || !checks;
}
