// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Data path counters, per port, shown by `rdma statistic show` and in
 * sysfs ports/1/hw_counters.
 */
#include "zroce.h"

static const struct rdma_stat_desc zroce_counter_descs[] = {
	[ZROCE_CNT_TX_PKTS].name = "sent_pkts",
	[ZROCE_CNT_TX_BYTES].name = "sent_bytes",
	[ZROCE_CNT_TX_DROPPED].name = "send_dropped",
	[ZROCE_CNT_RX_PKTS].name = "rcvd_pkts",
	[ZROCE_CNT_RX_BYTES].name = "rcvd_bytes",
	[ZROCE_CNT_RETRANSMITS].name = "retransmits",
	[ZROCE_CNT_RNR_NAKS_RCVD].name = "rcvd_rnr_naks",
	[ZROCE_CNT_RNR_NAKS_SENT].name = "sent_rnr_naks",
	[ZROCE_CNT_SEQ_ERRS].name = "seq_errors",
	[ZROCE_CNT_ICRC_ERRS].name = "icrc_errors",
	[ZROCE_CNT_MALFORMED].name = "malformed_dropped",
	[ZROCE_CNT_NO_QP].name = "no_qp_dropped",
	[ZROCE_CNT_DUPLICATES].name = "duplicate_requests",
	[ZROCE_CNT_BAD_QKEY].name = "bad_qkey_dropped",
	[ZROCE_CNT_NO_RECV_WQE].name = "no_recv_wqe_dropped",
	[ZROCE_CNT_UC_DROPPED].name = "uc_msgs_dropped",
	[ZROCE_CNT_ODP_FAULTS].name = "odp_faults",
	[ZROCE_CNT_ODP_DEFERRED].name = "odp_rx_deferred",
	[ZROCE_CNT_ODP_DROPPED].name = "odp_rx_dropped",
};

static_assert(ARRAY_SIZE(zroce_counter_descs) == ZROCE_CNT_MAX);

struct rdma_hw_stats *zroce_alloc_hw_port_stats(struct ib_device *ibdev,
						u32 port)
{
	return rdma_alloc_hw_stats_struct(zroce_counter_descs,
					  ARRAY_SIZE(zroce_counter_descs),
					  RDMA_HW_STATS_DEFAULT_LIFESPAN);
}

int zroce_get_hw_stats(struct ib_device *ibdev, struct rdma_hw_stats *stats,
		       u32 port, int index)
{
	struct zroce_dev *zdev = to_zdev(ibdev);
	int i;

	for (i = 0; i < ZROCE_CNT_MAX; i++)
		stats->value[i] = atomic64_read(&zdev->counters[i]);
	return ZROCE_CNT_MAX;
}
