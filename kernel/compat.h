/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Differences between the kernels zroce builds against, each detected by
 * testing for the feature (the type of an op, a macro the change added),
 * never by the kernel version.
 */
#ifndef ZROCE_COMPAT_H
#define ZROCE_COMPAT_H

#include <net/inet_sock.h>
#include <rdma/ib_verbs.h>
#include <rdma/uverbs_ioctl.h>

/* create_cq takes the udata (6.1) or the uverbs attribute bundle (6.11+). */
#define ZROCE_CREATE_CQ_TAKES_ATTRS					\
	__builtin_types_compatible_p(					\
		typeof(((struct ib_device_ops *)NULL)->create_cq),	\
		int (*)(struct ib_cq *, const struct ib_cq_init_attr *,	\
			struct uverbs_attr_bundle *))

#define ZROCE_CREATE_CQ							\
	__builtin_choose_expr(ZROCE_CREATE_CQ_TAKES_ATTRS,		\
			      zroce_create_cq_attrs, zroce_create_cq_udata)

/*
 * Newer kernels record that the user chose the device name, so that
 * renaming on a namespace move keeps it.  Kbuild probes ib_verbs.h.
 */
#ifdef ZROCE_HAVE_MARK_NAME_ASSIGNED
#define zroce_mark_name_assigned_by_user ib_mark_name_assigned_by_user
#else
static inline void zroce_mark_name_assigned_by_user(struct ib_device *ibdev)
{
}
#endif

/*
 * Let the IPv4 socket loop multicast back to this host's own members,
 * which setup_udp_tunnel_sock() turns off.  The flag is a bitfield of
 * inet_sock before 6.6 and a bit of inet_flags since; Kbuild probes
 * inet_sock.h.
 */
static inline void zroce_sock_mc_loop(struct sock *sk)
{
#ifdef ZROCE_HAVE_INET_FLAGS
	inet_set_bit(MC_LOOP, sk);
#else
	inet_sk(sk)->mc_loop = 1;
#endif
}

#endif /* ZROCE_COMPAT_H */
