/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/* A minimal assertion helper for the host unit tests. */
#ifndef ZROCE_TEST_CHECK_H
#define ZROCE_TEST_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			check_failures++;				\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long _a = (a), _b = (b);			\
		if (_a != _b) {						\
			fprintf(stderr, "%s:%d: %s == %llu, not %llu\n", \
				__FILE__, __LINE__, #a, _a, _b);	\
			check_failures++;				\
		}							\
	} while (0)

static inline int check_result(const char *name)
{
	printf("%s: %s\n", name, check_failures ? "FAIL" : "pass");
	return check_failures ? 1 : 0;
}

#endif /* ZROCE_TEST_CHECK_H */
