// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * UC between two devices, over a link that the caller may make lossy.  The
 * requester's WQEs all complete, lost packets or not; the responder
 * completes only the messages that arrived whole, each with the right
 * bytes, and a receive WQE under a dropped SEND waits for the next one:
 * once the loss is over (the caller says so on stdin), as many more SENDs
 * land as WQEs were left, and they all complete.  RDMA WRITE with
 * immediate is checked the same way.
 *
 * Usage: uc_loss DEV_A GID_A DEV_B GID_B
 *   sends N messages a -> b, prints "lossy: arrived M of N", waits for a
 *   line on stdin, then sends the rest with no loss.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <infiniband/verbs.h>

#include "expect.h"

#define WAIT_MS		5000
#define QUIET_MS	500
#define N		64		/* messages in the lossy round */
#define MSG		4096		/* 4 packets at MTU 1024 */
#define SENDS		(N / 2)		/* then as many WRITEs with imm */

struct side {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	uint8_t *buf;			/* WRITE targets, then receive slots */
	struct ibv_mr *mr;
	union ibv_gid gid;
	int gid_index;
};

static struct side a, b;

static int side_open(struct side *s, const char *dev, const char *gid)
{
	struct ibv_qp_init_attr init = {
		.qp_type = IBV_QPT_UC,
		.cap = { .max_send_wr = N, .max_recv_wr = N,
			 .max_send_sge = 1, .max_recv_sge = 1 },
		.sq_sig_all = 1,
	};
	struct ibv_qp_attr attr = {
		.qp_state = IBV_QPS_INIT, .port_num = 1,
		.qp_access_flags = IBV_ACCESS_REMOTE_WRITE,
	};

	s->gid_index = atoi(gid);
	s->ctx = open_device(dev);
	if (!EXPECT(s->ctx, "no device %s", dev))
		return -1;
	s->pd = ibv_alloc_pd(s->ctx);
	s->cq = ibv_create_cq(s->ctx, 2 * N, NULL, NULL, 0);
	s->buf = calloc(2 * N, MSG);
	if (!EXPECT(s->pd && s->cq && s->buf, "resources: %s", strerror(errno)))
		return -1;
	s->mr = ibv_reg_mr(s->pd, s->buf, 2 * N * MSG, IBV_ACCESS_LOCAL_WRITE |
			   IBV_ACCESS_REMOTE_WRITE);
	init.send_cq = s->cq;
	init.recv_cq = s->cq;
	s->qp = ibv_create_qp(s->pd, &init);
	if (!EXPECT(s->mr && s->qp, "mr/qp: %s", strerror(errno)))
		return -1;
	if (!EXPECT(!ibv_query_gid(s->ctx, 1, s->gid_index, &s->gid),
		    "query_gid"))
		return -1;
	return EXPECT(!ibv_modify_qp(s->qp, &attr, IBV_QP_STATE |
				     IBV_QP_PKEY_INDEX | IBV_QP_PORT |
				     IBV_QP_ACCESS_FLAGS), "INIT") ? 0 : -1;
}

static int side_connect(struct side *s, const struct side *peer)
{
	struct ibv_qp_attr attr = {
		.qp_state = IBV_QPS_RTR, .path_mtu = IBV_MTU_1024,
		.dest_qp_num = peer->qp->qp_num, .rq_psn = 0,
		.ah_attr = { .is_global = 1, .port_num = 1,
			     .grh = { .dgid = peer->gid, .hop_limit = 64,
				      .sgid_index = s->gid_index } },
	};

	if (!EXPECT(!ibv_modify_qp(s->qp, &attr, IBV_QP_STATE | IBV_QP_AV |
				   IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
				   IBV_QP_RQ_PSN), "RTR"))
		return -1;
	attr.qp_state = IBV_QPS_RTS;
	attr.sq_psn = 0;
	return EXPECT(!ibv_modify_qp(s->qp, &attr, IBV_QP_STATE |
				     IBV_QP_SQ_PSN), "RTS") ? 0 : -1;
}

static void post_recvs(int n)
{
	struct ibv_sge sge = { .length = MSG, .lkey = b.mr->lkey };
	struct ibv_recv_wr wr = { .sg_list = &sge, .num_sge = 1 }, *bad;
	int i;

	for (i = 0; i < n; i++) {
		wr.wr_id = i;
		sge.addr = (uintptr_t)b.buf + (size_t)(N + i) * MSG;
		EXPECT(!ibv_post_recv(b.qp, &wr, &bad), "post_recv %d", i);
	}
}

/* Message m: a SEND, or a WRITE with immediate m into slot m. */
static void post_msg(int m, bool send)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)a.buf + (size_t)m * MSG, .length = MSG,
		.lkey = a.mr->lkey,
	};
	struct ibv_send_wr wr = {
		.wr_id = m, .sg_list = &sge, .num_sge = 1,
		.opcode = send ? IBV_WR_SEND : IBV_WR_RDMA_WRITE_WITH_IMM,
		.imm_data = htonl(m),
		.wr.rdma = { .remote_addr = (uintptr_t)b.buf + (size_t)m * MSG,
			     .rkey = b.mr->rkey },
	}, *bad;

	memset(a.buf + (size_t)m * MSG, 0x40 + m, MSG);
	EXPECT(!ibv_post_send(a.qp, &wr, &bad), "post_send %d", m);
}

/* Sends a..b-1 complete on the requester, every one, successfully. */
static void sender_completes(int from, int to)
{
	struct ibv_wc wc;
	int m;

	for (m = from; m < to; m++) {
		if (!EXPECT(poll_one(a.cq, &wc, WAIT_MS) == 1,
			    "no send completion for %d", m))
			return;
		EXPECT(wc.status == IBV_WC_SUCCESS && wc.wr_id == (uint64_t)m,
		       "send %d: status %d wr_id %llu", m, wc.status,
		       (unsigned long long)wc.wr_id);
	}
}

/* The bytes of message m, MSG of them, at p */
static bool msg_whole(const uint8_t *p, int m)
{
	int i;

	for (i = 0; i < MSG; i++)
		if (p[i] != (uint8_t)(0x40 + m))
			return false;
	return true;
}

/*
 * Receive completions until QUIET_MS pass without one; each must carry a
 * whole message with its own bytes.  Returns how many came.
 */
static int receiver_drains(bool *seen)
{
	struct ibv_wc wc;
	int n = 0, m;
	uint8_t *slot;

	while (poll_one(b.cq, &wc, n ? QUIET_MS : WAIT_MS) == 1) {
		n++;
		if (!EXPECT(wc.status == IBV_WC_SUCCESS, "recv status %d",
			    wc.status))
			continue;
		EXPECT(wc.byte_len == MSG, "byte_len %u", wc.byte_len);
		if (wc.opcode == IBV_WC_RECV_RDMA_WITH_IMM) {
			m = ntohl(wc.imm_data);
			slot = b.buf + (size_t)m * MSG;
			EXPECT(m >= SENDS && m < N, "imm %d", m);
		} else {
			/* a SEND lands in its WQE's slot: which one is it? */
			slot = b.buf + (size_t)(N + wc.wr_id) * MSG;
			m = slot[0] - 0x40;
			EXPECT(wc.opcode == IBV_WC_RECV && m >= 0 && m < N,
			       "opcode %d message %d", wc.opcode, m);
		}
		if (m < 0 || m >= N)
			continue;
		EXPECT(msg_whole(slot, m), "message %d: wrong or torn bytes",
		       m);
		EXPECT(!seen[m], "message %d completed twice", m);
		seen[m] = true;
	}
	return n;
}

int main(int argc, char **argv)
{
	bool seen[N] = { false };
	int lossy_recv, m, left;
	char line[16];

	if (argc != 5) {
		fprintf(stderr, "usage: uc_loss DEV_A GID_A DEV_B GID_B\n");
		return 2;
	}
	if (side_open(&a, argv[1], argv[2]) || side_open(&b, argv[3], argv[4]) ||
	    side_connect(&a, &b) || side_connect(&b, &a))
		goto out;

	test_name = "lossy";
	post_recvs(N);		/* WRITE with imm takes one each, too */
	for (m = 0; m < N; m++)
		post_msg(m, m < SENDS);
	sender_completes(0, N);
	lossy_recv = receiver_drains(seen);
	printf("lossy: arrived %d of %d\n", lossy_recv, N);
	fflush(stdout);
	EXPECT(lossy_recv <= N, "%d receive completions for %d WQEs",
	       lossy_recv, N);

	test_name = "clean";
	if (!fgets(line, sizeof(line), stdin))
		goto out;
	/* the WQEs left over from dropped messages take the next SENDs */
	left = N - lossy_recv;
	memset(seen, 0, sizeof(seen));
	for (m = 0; m < left; m++)
		post_msg(m, true);
	sender_completes(0, left);
	EXPECT(receiver_drains(seen) == left,
	       "the %d receive WQEs left did not all complete", left);
	printf("clean: %d more arrived\n", left);
out:
	printf("%d checks, %d failures\n", checks, failures);
	return failures || !checks;
}
