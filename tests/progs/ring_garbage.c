// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * A process may write anything into the rings it shares with the kernel.
 * This one fills its SQ and RQ mappings (indices included) with garbage,
 * then makes the kernel read them: the QP must end in error or complete
 * WQEs with an error status, and the kernel must stay alive (the VM run
 * fails on any oops, warning or lockup).  A producer index out of range,
 * which no completion can report, must raise IBV_EVENT_QP_FATAL.
 *
 * Usage: ring_garbage DEVICE GID_INDEX ROUNDS
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <infiniband/verbs.h>

#define SQ_PAGES	1	/* 16 WQEs of 128 bytes and the header */
#define RQ_PAGES	2	/* 64 WQEs of 64 bytes and the header */

static struct ibv_context *ctx;
static struct ibv_pd *pd;
static int gid_index;
static int fatal_events;	/* IBV_EVENT_QP_FATAL of the rounds' QPs */

/* Fill every mapping of the uverbs device of npages pages. */
static int trash(long npages, int pattern)
{
	long page = sysconf(_SC_PAGESIZE);
	char line[512];
	int n = 0;
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		unsigned char *p;

		if (!strstr(line, "/dev/infiniband/uverbs") ||
		    sscanf(line, "%lx-%lx", &lo, &hi) != 2 ||
		    (long)(hi - lo) != npages * page)
			continue;
		for (p = (void *)lo; p < (unsigned char *)hi; p++)
			*p = pattern < 0 ? rand() : pattern;
		n++;
	}
	fclose(f);
	return n;
}

static int to_rts(struct ibv_qp *qp)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT, .port_num = 1,
		.qp_access_flags = IBV_ACCESS_REMOTE_WRITE |
				   IBV_ACCESS_REMOTE_READ,
	};

	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			  IBV_QP_PORT | IBV_QP_ACCESS_FLAGS))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = IBV_MTU_1024;
	a.dest_qp_num = qp->qp_num;
	a.max_dest_rd_atomic = 1;
	a.min_rnr_timer = 1;
	a.ah_attr.is_global = 1;
	a.ah_attr.port_num = 1;
	a.ah_attr.grh.sgid_index = gid_index;
	a.ah_attr.grh.hop_limit = 1;
	ibv_query_gid(ctx, 1, gid_index, &a.ah_attr.grh.dgid);
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
			  IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
			  IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 10;
	a.retry_cnt = 1;
	a.rnr_retry = 1;
	a.max_rd_atomic = 1;
	return ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT |
			     IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY |
			     IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC);
}

/* The QP_FATAL events of qp; read before it is destroyed, which drops them */
static int qp_fatal_events(struct ibv_qp *qp)
{
	struct pollfd pfd = { .fd = ctx->async_fd, .events = POLLIN };
	struct ibv_async_event ev;
	int n = 0;

	while (poll(&pfd, 1, 100) == 1 && !ibv_get_async_event(ctx, &ev)) {
		n += ev.event_type == IBV_EVENT_QP_FATAL && ev.element.qp == qp;
		ibv_ack_async_event(&ev);
	}
	return n;
}

/*
 * One round; returns 0 if the kernel reported the garbage as an error, or
 * for all-zero rings (two empty queues) left the QP working.
 */
static int round_trip(int pattern)
{
	struct ibv_qp_init_attr init = {
		.qp_type = IBV_QPT_RC,
		.cap = { .max_send_wr = 16, .max_recv_wr = 64,
			 .max_send_sge = 1, .max_recv_sge = 1 },
	};
	struct ibv_qp_init_attr qinit;
	struct ibv_qp_attr qa;
	struct ibv_wc wc[16];
	int errors = 0, i, n;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	time_t end;

	cq = ibv_create_cq(ctx, 1024, NULL, NULL, 0);
	init.send_cq = init.recv_cq = cq;
	qp = cq ? ibv_create_qp(pd, &init) : NULL;
	if (!qp) {
		fprintf(stderr, "create: %s\n", strerror(errno));
		return -1;
	}
	if (trash(SQ_PAGES, pattern) < 1 || trash(RQ_PAGES, pattern) < 1) {
		fprintf(stderr, "ring mappings not found\n");
		return -1;
	}
	if (to_rts(qp)) {	/* RTS runs the requester over the garbage */
		fprintf(stderr, "to RTS: %s\n", strerror(errno));
		return -1;
	}
	for (end = time(NULL) + 3; time(NULL) < end;) {
		n = ibv_poll_cq(cq, 16, wc);
		for (i = 0; i < n; i++)
			errors += wc[i].status != IBV_WC_SUCCESS;
		if (errors)
			break;
		usleep(10000);
	}
	if (ibv_query_qp(qp, &qa, IBV_QP_STATE, &qinit))
		return -1;
	fatal_events += qp_fatal_events(qp);
	printf("pattern %d: %d error completions, QP state %d\n", pattern,
	       errors, qa.qp_state);
	if (ibv_destroy_qp(qp) || ibv_destroy_cq(cq))
		return -1;
	if (!pattern)
		return !errors && qa.qp_state == IBV_QPS_RTS ? 0 : 1;
	return errors || qa.qp_state == IBV_QPS_ERR ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const int patterns[] = { 0xff, 0x00, 0x80, -1 };
	struct ibv_device **list;
	int i, rounds, bad = 0;

	if (argc != 4)
		return 2;
	gid_index = atoi(argv[2]);
	rounds = atoi(argv[3]);
	list = ibv_get_device_list(NULL);
	for (i = 0; list && list[i]; i++)
		if (!strcmp(ibv_get_device_name(list[i]), argv[1]))
			ctx = ibv_open_device(list[i]);
	pd = ctx ? ibv_alloc_pd(ctx) : NULL;
	if (!pd)
		return 1;
	srand(1);
	for (i = 0; i < rounds; i++) {
		int r = round_trip(patterns[i % 4]);

		if (r < 0)
			return 1;
		bad += r;
	}
	printf("%d of %d rounds ended otherwise; %d QP fatal events\n", bad,
	       rounds, fatal_events);
	/* 0xff and 0x80 rounds leave producer indices out of range */
	if (rounds >= 3 && !fatal_events)
		bad++;
	ibv_dealloc_pd(pd);
	ibv_close_device(ctx);
	ibv_free_device_list(list);
	return bad ? 1 : 0;
}
