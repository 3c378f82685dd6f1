// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * UD operations checked one by one between two UD QPs of one device
 * (loopback): the GRH area and the completion of a received datagram,
 * immediate data, inline sends, an AH made from a completion, Q_Key
 * checks (a wrong Q_Key is dropped, the controlled bit of a WR's Q_Key
 * selects the QP's), a message above the path MTU, a receive buffer too
 * small, a datagram with no receive posted, an AH of another PD.
 *
 * Usage: ud_ops DEVICE GID_INDEX
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <stdint.h>
#include <stdlib.h>
#include <infiniband/verbs.h>

#include "expect.h"

#define WAIT_MS		5000	/* for a completion that must come */
#define QUIET_MS	300	/* for one that must not */
#define GRH_LEN		40
#define BUF_LEN		8192
#define QKEY		0x11223344U
#define QKEY_CONTROLLED	0x80000000U
#define DEPTH		16
#define INLINE		64

static struct ibv_context *ctx;
static struct ibv_pd *pd, *other_pd;
static union ibv_gid gid;
static int gid_index;
static uint32_t mtu;
static uint8_t *sbuf, *rbuf;
static struct ibv_mr *smr, *rmr;

struct ud_pair {
	struct ibv_cq *cqa;	/* a's completions */
	struct ibv_cq *cqb;	/* b's completions */
	struct ibv_qp *a;	/* sends */
	struct ibv_qp *b;	/* receives */
	struct ibv_ah *ah;	/* to this device's GID */
};

static struct ibv_qp *ud_qp(struct ibv_cq *cq)
{
	struct ibv_qp_init_attr init = {
		.send_cq = cq, .recv_cq = cq, .qp_type = IBV_QPT_UD,
		.cap = { .max_send_wr = DEPTH, .max_recv_wr = DEPTH,
			 .max_send_sge = 2, .max_recv_sge = 2,
			 .max_inline_data = INLINE },
		.sq_sig_all = 1,
	};
	struct ibv_qp_attr attr = {
		.qp_state = IBV_QPS_INIT, .port_num = 1, .qkey = QKEY,
	};
	struct ibv_qp *qp = ibv_create_qp(pd, &init);

	if (!EXPECT(qp, "create_qp: %s", strerror(errno)))
		return NULL;
	EXPECT(!ibv_modify_qp(qp, &attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			      IBV_QP_PORT | IBV_QP_QKEY), "to INIT");
	attr.qp_state = IBV_QPS_RTR;
	EXPECT(!ibv_modify_qp(qp, &attr, IBV_QP_STATE), "to RTR");
	attr.qp_state = IBV_QPS_RTS;
	attr.sq_psn = 7;
	EXPECT(!ibv_modify_qp(qp, &attr, IBV_QP_STATE | IBV_QP_SQ_PSN),
	       "to RTS");
	return qp;
}

static struct ibv_ah *ah_new(struct ibv_pd *on)
{
	struct ibv_ah_attr attr = {
		.is_global = 1, .port_num = 1,
		.grh = { .dgid = gid, .sgid_index = gid_index,
			 .hop_limit = 64 },
	};

	return ibv_create_ah(on, &attr);
}

static bool pair_new(struct ud_pair *p)
{
	memset(p, 0, sizeof(*p));
	p->cqa = ibv_create_cq(ctx, 2 * DEPTH, NULL, NULL, 0);
	p->cqb = ibv_create_cq(ctx, 2 * DEPTH, NULL, NULL, 0);
	if (!EXPECT(p->cqa && p->cqb, "create_cq: %s", strerror(errno)))
		return false;
	p->a = ud_qp(p->cqa);
	p->b = ud_qp(p->cqb);
	p->ah = ah_new(pd);
	return EXPECT(p->ah, "create_ah: %s", strerror(errno)) && p->a &&
	       p->b;
}

static void pair_free(struct ud_pair *p)
{
	if (p->ah)
		EXPECT(!ibv_destroy_ah(p->ah), "destroy_ah");
	if (p->a)
		EXPECT(!ibv_destroy_qp(p->a), "destroy_qp");
	if (p->b)
		EXPECT(!ibv_destroy_qp(p->b), "destroy_qp");
	if (p->cqa)
		EXPECT(!ibv_destroy_cq(p->cqa), "destroy_cq");
	if (p->cqb)
		EXPECT(!ibv_destroy_cq(p->cqb), "destroy_cq");
}

static bool recv_post(struct ibv_qp *qp, uint64_t id, uint32_t len)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)rbuf, .length = len, .lkey = rmr->lkey,
	};
	struct ibv_recv_wr wr = { .wr_id = id, .sg_list = &sge, .num_sge = 1 };
	struct ibv_recv_wr *bad;

	return EXPECT(!ibv_post_recv(qp, &wr, &bad), "post_recv");
}

/* A datagram of len bytes of sbuf from qp to dest through ah. */
static bool send_post(struct ibv_qp *qp, struct ibv_ah *ah, uint32_t dest,
		      uint32_t qkey, uint32_t len, unsigned int flags)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)sbuf, .length = len, .lkey = smr->lkey,
	};
	struct ibv_send_wr wr = {
		.wr_id = len, .sg_list = &sge, .num_sge = 1,
		.opcode = IBV_WR_SEND_WITH_IMM, .send_flags = flags,
		.imm_data = htonl(0xfeed0000U | len),
		.wr = { .ud = { .ah = ah, .remote_qpn = dest,
				.remote_qkey = qkey } },
	};
	struct ibv_send_wr *bad;

	return EXPECT(!ibv_post_send(qp, &wr, &bad), "post_send");
}

/* The next completion of qp (a or b); false if none came. */
static bool next_wc(struct ud_pair *p, struct ibv_qp *qp, struct ibv_wc *wc,
		    int ms)
{
	if (poll_one(qp == p->a ? p->cqa : p->cqb, wc, ms) != 1)
		return false;
	EXPECT(wc->qp_num == qp->qp_num, "completion of QP %u, wanted %u",
	       wc->qp_num, qp->qp_num);
	return true;
}

static void expect_send_wc(struct ud_pair *p, enum ibv_wc_status status)
{
	struct ibv_wc wc;

	if (!EXPECT(next_wc(p, p->a, &wc, WAIT_MS), "no send completion"))
		return;
	EXPECT(wc.status == status, "send: %s, wanted %s",
	       ibv_wc_status_str(wc.status), ibv_wc_status_str(status));
	if (status == IBV_WC_SUCCESS)
		EXPECT(wc.opcode == IBV_WC_SEND, "send opcode %d", wc.opcode);
}

static void pattern(uint32_t len, unsigned int seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		sbuf[i] = (uint8_t)(i * 7 + seed);
}

/* A pattern to send, and a receive buffer of guard bytes. */
static void fill(uint32_t len, unsigned int seed)
{
	pattern(len, seed);
	memset(rbuf, 0xa5, BUF_LEN);
}

/* A received datagram of len bytes from p->a, with its GRH. */
static void expect_datagram(struct ud_pair *p, uint32_t len)
{
	const struct iphdr *ip = (const void *)(rbuf + GRH_LEN - sizeof(*ip));
	static const uint8_t zero[GRH_LEN - sizeof(struct iphdr)];
	struct ibv_wc wc;

	if (!EXPECT(next_wc(p, p->b, &wc, WAIT_MS), "no receive completion"))
		return;
	EXPECT(wc.status == IBV_WC_SUCCESS, "receive: %s",
	       ibv_wc_status_str(wc.status));
	EXPECT(wc.opcode == IBV_WC_RECV, "opcode %d", wc.opcode);
	EXPECT(wc.byte_len == GRH_LEN + len, "byte_len %u, wanted %u",
	       wc.byte_len, GRH_LEN + len);
	EXPECT(wc.src_qp == p->a->qp_num, "src_qp %u, wanted %u", wc.src_qp,
	       p->a->qp_num);
	EXPECT((wc.wc_flags & (IBV_WC_GRH | IBV_WC_WITH_IMM)) ==
	       (IBV_WC_GRH | IBV_WC_WITH_IMM), "wc_flags 0x%x", wc.wc_flags);
	EXPECT(wc.imm_data == htonl(0xfeed0000U | len), "imm 0x%x",
	       ntohl(wc.imm_data));
	/* an IPv4 GID: the IPv4 header in the last 20 bytes of the GRH */
	EXPECT(!memcmp(rbuf, zero, sizeof(zero)), "GRH head not zeroed");
	EXPECT(ip->version == 4 && ip->ihl == 5 && ip->protocol == 17,
	       "GRH IPv4 header: version %u ihl %u protocol %u", ip->version,
	       ip->ihl, ip->protocol);
	EXPECT(!memcmp(&ip->saddr, &gid.raw[12], 4) &&
	       !memcmp(&ip->daddr, &gid.raw[12], 4), "GRH addresses");
	EXPECT(!memcmp(rbuf + GRH_LEN, sbuf, len), "payload differs");
	EXPECT(rbuf[GRH_LEN + len] == 0xa5, "written past the payload");
}

static void t_send_grh(struct ud_pair *p)
{
	fill(777, 1);
	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, 777, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	expect_datagram(p, 777);
}

static void t_mtu_sized_and_zero(struct ud_pair *p)
{
	fill(mtu, 2);
	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, mtu, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	expect_datagram(p, mtu);
	fill(0, 3);
	recv_post(p->b, 2, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, 0, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	expect_datagram(p, 0);
}

static void t_inline(struct ud_pair *p)
{
	fill(INLINE, 4);
	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, INLINE, IBV_SEND_INLINE);
	memset(sbuf, 0, INLINE);	/* inline: the WQE holds the bytes */
	expect_send_wc(p, IBV_WC_SUCCESS);
	pattern(INLINE, 4);
	expect_datagram(p, INLINE);
}

/* An AH from the receive completion and its GRH leads back to a. */
static void t_ah_from_wc(struct ud_pair *p)
{
	struct ibv_wc wc;
	struct ibv_ah *back;

	fill(100, 5);
	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, 100, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	if (!EXPECT(next_wc(p, p->b, &wc, WAIT_MS), "no receive completion"))
		return;
	back = ibv_create_ah_from_wc(pd, &wc, (struct ibv_grh *)rbuf, 1);
	if (!EXPECT(back, "create_ah_from_wc: %s", strerror(errno)))
		return;
	recv_post(p->a, 2, BUF_LEN);
	send_post(p->b, back, wc.src_qp, QKEY, 50, 0);
	EXPECT(next_wc(p, p->b, &wc, WAIT_MS) && wc.status == IBV_WC_SUCCESS,
	       "reply not sent");
	EXPECT(next_wc(p, p->a, &wc, WAIT_MS) && wc.status == IBV_WC_SUCCESS &&
	       wc.opcode == IBV_WC_RECV && wc.src_qp == p->b->qp_num,
	       "reply not received by the sender");
	EXPECT(!ibv_destroy_ah(back), "destroy_ah");
}

static void t_qkey(struct ud_pair *p)
{
	struct ibv_wc wc;

	fill(64, 6);
	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY + 1, 64, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);	/* sent, then dropped */
	EXPECT(!next_wc(p, p->b, &wc, QUIET_MS),
	       "a datagram with a wrong Q_Key was received");
	/* the controlled bit: the sending QP's own Q_Key, which matches */
	send_post(p->a, p->ah, p->b->qp_num, QKEY_CONTROLLED, 64, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	expect_datagram(p, 64);
}

static void t_no_recv_posted(struct ud_pair *p)
{
	struct ibv_wc wc;

	fill(64, 7);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, 64, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	EXPECT(!next_wc(p, p->b, &wc, QUIET_MS), "completion without a WQE");
	/* dropped, not queued: the next one lands in the next WQE */
	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, 64, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	expect_datagram(p, 64);
}

static void t_above_mtu(struct ud_pair *p)
{
	struct ibv_wc wc;

	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, mtu + 1, 0);
	expect_send_wc(p, IBV_WC_LOC_LEN_ERR);
	EXPECT(!next_wc(p, p->b, &wc, QUIET_MS), "an oversized datagram came");
}

static void t_recv_too_small(struct ud_pair *p)
{
	struct ibv_wc wc;

	fill(100, 8);
	recv_post(p->b, 1, GRH_LEN + 10);
	send_post(p->a, p->ah, p->b->qp_num, QKEY, 100, 0);
	expect_send_wc(p, IBV_WC_SUCCESS);
	if (EXPECT(next_wc(p, p->b, &wc, WAIT_MS), "no receive completion"))
		EXPECT(wc.status == IBV_WC_LOC_LEN_ERR, "receive: %s",
		       ibv_wc_status_str(wc.status));
}

static void t_ah_other_pd(struct ud_pair *p)
{
	struct ibv_ah *ah = ah_new(other_pd);
	struct ibv_wc wc;

	if (!EXPECT(ah, "create_ah: %s", strerror(errno)))
		return;
	recv_post(p->b, 1, BUF_LEN);
	send_post(p->a, ah, p->b->qp_num, QKEY, 10, 0);
	if (EXPECT(next_wc(p, p->a, &wc, WAIT_MS), "no send completion"))
		EXPECT(wc.status != IBV_WC_SUCCESS,
		       "sent through an AH of another PD");
	EXPECT(!next_wc(p, p->b, &wc, QUIET_MS), "it arrived");
	EXPECT(!ibv_destroy_ah(ah), "destroy_ah");
}

static const struct {
	const char *name;
	void (*fn)(struct ud_pair *p);
} tests[] = {
	{ "send_grh", t_send_grh },
	{ "mtu_sized_and_zero", t_mtu_sized_and_zero },
	{ "inline", t_inline },
	{ "ah_from_wc", t_ah_from_wc },
	{ "qkey", t_qkey },
	{ "no_recv_posted", t_no_recv_posted },
	{ "above_mtu", t_above_mtu },
	{ "recv_too_small", t_recv_too_small },
	{ "ah_other_pd", t_ah_other_pd },
};

static bool setup(const char *name)
{
	const int access = IBV_ACCESS_LOCAL_WRITE;
	struct ibv_port_attr port;

	ctx = open_device(name);
	if (!EXPECT(ctx, "cannot open %s", name))
		return false;
	pd = ibv_alloc_pd(ctx);
	other_pd = ibv_alloc_pd(ctx);
	sbuf = aligned_alloc(4096, BUF_LEN);
	rbuf = aligned_alloc(4096, BUF_LEN);
	if (!EXPECT(pd && other_pd && sbuf && rbuf, "setup: %s",
		    strerror(errno)) ||
	    !EXPECT(!ibv_query_gid(ctx, 1, gid_index, &gid), "query_gid") ||
	    !EXPECT(!ibv_query_port(ctx, 1, &port), "query_port"))
		return false;
	mtu = 128U << port.active_mtu;
	smr = ibv_reg_mr(pd, sbuf, BUF_LEN, access);
	rmr = ibv_reg_mr(pd, rbuf, BUF_LEN, access);
	return EXPECT(smr && rmr, "reg_mr: %s", strerror(errno));
}

static void teardown(void)
{
	if (smr)
		ibv_dereg_mr(smr);
	if (rmr)
		ibv_dereg_mr(rmr);
	free(sbuf);
	free(rbuf);
	if (other_pd)
		ibv_dealloc_pd(other_pd);
	if (pd)
		ibv_dealloc_pd(pd);
	if (ctx)
		ibv_close_device(ctx);
}

int main(int argc, char **argv)
{
	struct ud_pair p;
	size_t i;
	int before;

	if (argc != 3) {
		fprintf(stderr, "usage: ud_ops DEVICE GID_INDEX\n");
		return 2;
	}
	gid_index = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup(argv[1])) {
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
			before = failures;
			test_name = tests[i].name;
			if (pair_new(&p))
				tests[i].fn(&p);
			pair_free(&p);
			printf("%-4s %s\n", failures == before ? "ok" : "FAIL",
			       tests[i].name);
		}
	}
	teardown();
	printf("ud_ops: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
