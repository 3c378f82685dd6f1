/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * What the verbs test programs share: checks that count and report
 * failures with their line, waits with deadlines, opening a device by
 * name.  Each program is one file that includes this once.
 */
#ifndef ZROCE_TESTS_EXPECT_H
#define ZROCE_TESTS_EXPECT_H
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <infiniband/verbs.h>

#ifndef __FILE_NAME__
#define __FILE_NAME__ __FILE__
#endif

static int checks, failures;
static const char *test_name = "setup";

/* Count a check; print a failure with the line it was made for. */
#define EXPECT_AT(line, cond, ...)					\
	({								\
		bool _ok = (cond);					\
									\
		checks++;						\
		if (!_ok) {						\
			printf("FAIL %s:%d: %s: %s: ", __FILE_NAME__,	\
			       line, test_name, #cond);			\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
		_ok;							\
	})
#define EXPECT(cond, ...) EXPECT_AT(__LINE__, cond, __VA_ARGS__)

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* One completion of cq within ms milliseconds; 0 if none came, -1 on error */
static inline int poll_one(struct ibv_cq *cq, struct ibv_wc *wc, int ms)
{
	long long end = now_ms() + ms;
	int n;

	for (;;) {
		n = ibv_poll_cq(cq, 1, wc);
		if (n || now_ms() > end)
			return n;
		usleep(200);
	}
}

static inline struct ibv_context *open_device(const char *name)
{
	struct ibv_context *c = NULL;
	struct ibv_device **list;
	int i;

	list = ibv_get_device_list(NULL);
	for (i = 0; list && list[i]; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			c = ibv_open_device(list[i]);
	if (list)
		ibv_free_device_list(list);
	return c;
}

#endif /* ZROCE_TESTS_EXPECT_H */
