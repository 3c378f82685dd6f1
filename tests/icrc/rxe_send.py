#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
"""Make rdma_rxe put a few known packets on the wire (see rxe-capture).

Usage: rxe_send.py DEV GID_INDEX DGID
Posts, from DEV's port 1 to DGID (nobody answers there):
  UD SEND_ONLY, 13 bytes, dest QPN 0x123456, Q_Key 0x11223344
  UD SEND_ONLY_WITH_IMMEDIATE, 8 bytes, imm 0xa1b2c3d4
  RC RDMA_WRITE_ONLY_WITH_IMMEDIATE, 7 bytes to va 0x1122334455667788,
     rkey 0xcafe, imm 0x01020304 (dest QPN 0x654321, PSN 0x00fffe)
"""
import sys
import time

import pyverbs.enums as e
from pyverbs.addr import AH, AHAttr, GID, GlobalRoute
from pyverbs.cq import CQ
from pyverbs.device import Context
from pyverbs.mr import MR
from pyverbs.pd import PD
from pyverbs.qp import QP, QPAttr, QPCap, QPInitAttr
from pyverbs.wr import SGE, SendWR

dev, gid_index, dgid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = Context(name=dev)
pd = PD(ctx)
cq = CQ(ctx, 16)
mr = MR(pd, 64, e.IBV_ACCESS_LOCAL_WRITE)
mr.write(b'zroce icrc vector 0123456789abcdef', 34)
cap = QPCap(max_send_wr=4, max_recv_wr=4, max_send_sge=1, max_recv_sge=1)


def ah_attr():
    gr = GlobalRoute(dgid=GID(dgid), sgid_index=gid_index, hop_limit=64,
                     traffic_class=0, flow_label=0)
    return AHAttr(gr=gr, is_global=1, port_num=1)


def send_wr(opcode, length, imm=0):
    return SendWR(opcode=opcode, num_sge=1,
                  sg=[SGE(mr.buf, length, mr.lkey)],
                  send_flags=e.IBV_SEND_SIGNALED, imm_data=imm)


attr = QPAttr()
attr.qkey = 0x11223344
attr.port_num = 1
ud = QP(pd, QPInitAttr(qp_type=e.IBV_QPT_UD, scq=cq, rcq=cq, cap=cap), attr)
ah = AH(pd, attr=ah_attr())
for opcode, length, imm in ((e.IBV_WR_SEND, 13, 0),
                            (e.IBV_WR_SEND_WITH_IMM, 8, 0xd4c3b2a1)):
    wr = send_wr(opcode, length, imm)
    wr.set_wr_ud(ah, 0x123456, 0x11223344)
    ud.post_send(wr)
    time.sleep(0.3)

rc = QP(pd, QPInitAttr(qp_type=e.IBV_QPT_RC, scq=cq, rcq=cq, cap=cap),
        QPAttr())
attr = QPAttr()
attr.port_num = 1
attr.dest_qp_num = 0x654321
attr.rq_psn = 0
attr.sq_psn = 0x00fffe
attr.path_mtu = e.IBV_MTU_1024
attr.max_dest_rd_atomic = 1
attr.max_rd_atomic = 1
attr.min_rnr_timer = 1
attr.timeout = 20
attr.retry_cnt = 1
attr.rnr_retry = 1
attr.ah_attr = ah_attr()
rc.to_rts(attr)
wr = send_wr(e.IBV_WR_RDMA_WRITE_WITH_IMM, 7, 0x04030201)
wr.set_wr_rdma(0xcafe, 0x1122334455667788)
rc.post_send(wr)
time.sleep(0.5)
print('rxe_send: posted')
