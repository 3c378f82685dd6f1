# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
# Helpers for the two-VM guests of scripts/vm2. A test sources lib.sh, then
# this file. The guest sees ZROCE_VM_ROLE (a or b), ZROCE_LOCAL_IP and
# ZROCE_PEER_IP, and ZROCE_NETDEV once vm2_net_up ran (scripts/vm2 runs it
# before the command). A is the server side of every pair. The functions
# use globals named vm2_* only.

vm2_port=${ZROCE_SYNC_PORT:-18600}

# The workloads of scripts/bench, one per line: NAME PROGRAM SIZE.
vm2_bench_workloads='write_bw_64 ib_write_bw 64
write_bw_4k ib_write_bw 4096
write_bw_64k ib_write_bw 65536
read_bw_64k ib_read_bw 65536
send_bw_64k ib_send_bw 65536
send_lat_2 ib_send_lat 2
write_lat_2 ib_write_lat 2'

# vm2_bench_list: the workloads named in ZROCE_BENCH_ONLY (all if unset).
vm2_bench_list() {
	echo "$vm2_bench_workloads" | awk -v only="${ZROCE_BENCH_ONLY:-}" '
		BEGIN { n = split(only, w, " "); for (i = 1; i <= n; i++) want[w[i]] = 1 }
		!n || ($1 in want)'
}
vm2_out=/tmp/vm2-pair.$$

# vm2_net_up: give the first virtio NIC ZROCE_LOCAL_IP/24 and bring it up;
# export its name as ZROCE_NETDEV.
vm2_net_up() {
	for vm2_d in /sys/class/net/*; do
		if [ -e "$vm2_d/device" ]; then
			ZROCE_NETDEV=${vm2_d##*/}
			break
		fi
	done
	if [ -z "${ZROCE_NETDEV:-}" ]; then
		echo "vm2_net_up: no NIC in /sys/class/net" >&2
		return 1
	fi
	export ZROCE_NETDEV
	ip addr add "$ZROCE_LOCAL_IP/24" dev "$ZROCE_NETDEV" &&
		ip link set "$ZROCE_NETDEV" up || return 1
	vm2_i=0
	until [ "$(cat "/sys/class/net/$ZROCE_NETDEV/operstate")" = up ]; do
		vm2_i=$((vm2_i + 1))
		if [ $vm2_i -gt 100 ]; then
			echo "vm2_net_up: $ZROCE_NETDEV is not up after 10 s" >&2
			return 1
		fi
		sleep 0.1
	done
}

# The rendezvous of vm2_sync, in python3: A listens on vm2_port, B connects
# (retrying); B sends "NAME<tab>MESSAGE\n", A answers the same or, if the
# names differ, "?<tab>NAME". A side waiting at a name that starts with @
# (the runner's) keeps waiting then; any other gives up at once, so that a
# test whose peer has gone back to the runner does not wait it out.
vm2_sync_py='
import socket, sys, time
role, peer, port, secs, name, msg = sys.argv[1:]
end = time.monotonic() + float(secs)
mine = ("%s\t%s\n" % (name, msg)).encode()
def left():
    t = end - time.monotonic()
    if t <= 0:
        sys.exit("vm2_sync %s: no peer after %s s" % (name, secs))
    return t
def talk(c):
    c.settimeout(min(left(), 30))
    if role == "b":
        c.sendall(mine)
    got = c.makefile("rb").readline().decode().rstrip("\n").partition("\t")
    if role == "a":
        c.sendall(mine if got[0] == name else ("?\t%s\n" % name).encode())
    c.close()
    return got[0], got[2]
if role == "a":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", int(port)))
    s.listen(8)
while True:
    try:
        if role == "a":
            s.settimeout(left())
            got, theirs = talk(s.accept()[0])
            where = got
        else:
            got, theirs = talk(socket.create_connection((peer, int(port)), min(left(), 5)))
            where = theirs
    except OSError:
        time.sleep(0.2)
        continue
    if got == name:
        break
    if got and not name.startswith("@"):
        sys.exit("vm2_sync %s: the peer is at %s" % (name, where))
    time.sleep(0.2)
print(theirs)
'

# vm2_sync [-t SECS] NAME [MESSAGE]: wait (SECS, default 120) until the
# peer VM reaches vm2_sync NAME too; exchange MESSAGEs (one line each, "-"
# by default, no tabs) and print the peer's. Fails on timeout or when the
# peer waits at another NAME.
vm2_sync() {
	vm2_secs=120
	if [ "$1" = -t ]; then
		vm2_secs=$2
		shift 2
	fi
	/usr/bin/python3 -I -S -c "$vm2_sync_py" "$ZROCE_VM_ROLE" \
		"$ZROCE_PEER_IP" "$vm2_port" "$vm2_secs" "$1" "${2:--}"
}

# wait_tcp HOST PORT [SECS]: wait (30 s) until HOST accepts a TCP connection
# on PORT. The probe is a connection: servers that accept only one, such as
# ibv_rc_pingpong and perftest, take it for their client and fail; for
# those, the server side waits with vm2_listening and then vm2_sync.
wait_tcp() {
	/usr/bin/python3 -I -S -c '
import socket, sys, time
end = time.monotonic() + float(sys.argv[3])
while True:
    try:
        socket.create_connection((sys.argv[1], int(sys.argv[2])), 2).close()
        break
    except OSError:
        if time.monotonic() > end:
            sys.exit("wait_tcp: %s:%s refuses connections" % tuple(sys.argv[1:3]))
        time.sleep(0.2)
' "$1" "$2" "${3:-30}"
}

# vm2_listening PORT: true if a local TCP socket listens on PORT.
vm2_listening() {
	grep -q "^ *[0-9]*: [0-9A-F]*:$(printf %04X "$1") [0-9A-F]*:0000 0A " \
		/proc/net/tcp /proc/net/tcp6
}

# vm2_running PID: true while child PID has not exited (a zombie has).
vm2_running() {
	vm2_stat=
	read -r vm2_stat 2>/dev/null <"/proc/$1/stat"
	case $vm2_stat in '' | *') Z '*) return 1 ;; esac
}

# vm2_pair NAME READY SECS CMD [ARG]...: A runs the server CMD ARG... and,
# once it is ready, lets B run the client CMD ARG... PEER_IP. READY is a
# TCP port the server listens on when ready, or a shell command that
# succeeds then.
# Each side gets SECS seconds, prints its output (also left in $vm2_out)
# and returns its own status; B tells A its status, and A stops its server
# at once if B failed.
vm2_pair() {
	vm2_name=$1 vm2_ready=$2 vm2_limit=$3
	shift 3
	if [ "$ZROCE_VM_ROLE" = a ]; then
		timeout -k 5 "$vm2_limit" "$@" >"$vm2_out" 2>&1 &
		vm2_pid=$! vm2_i=0 vm2_go=go
		until case $vm2_ready in
			*[!0-9]*) sh -c "$vm2_ready" ;;
			*) vm2_listening "$vm2_ready" ;;
			esac; do
			vm2_i=$((vm2_i + 1))
			if ! vm2_running $vm2_pid || [ $vm2_i -gt 300 ]; then
				vm2_go=no
				break
			fi
			sleep 0.2
		done
		vm2_peer=$(vm2_sync -t 60 "$vm2_name" "$vm2_go" >/dev/null &&
			vm2_sync -t "$((vm2_limit + 30))" "$vm2_name/done") ||
			vm2_peer=lost
		if [ "$vm2_peer" != 0 ]; then kill $vm2_pid 2>/dev/null; fi
		wait $vm2_pid
		vm2_rc=$?
		cat "$vm2_out"
		if [ $vm2_go != go ]; then
			echo "vm2_pair $vm2_name: the server did not get ready ($vm2_ready)"
		fi
		if [ "$vm2_peer" != 0 ]; then
			echo "vm2_pair $vm2_name: the client on B: $vm2_peer"
		fi
	else
		vm2_rc=1 vm2_peer='not run'
		: >"$vm2_out"
		if ! vm2_go=$(vm2_sync -t 60 "$vm2_name"); then
			echo "vm2_pair $vm2_name: A did not come" >"$vm2_out"
		elif [ "$vm2_go" != go ]; then
			echo "vm2_pair $vm2_name: the server on A did not start" >"$vm2_out"
		else
			timeout -k 5 "$vm2_limit" "$@" "$ZROCE_PEER_IP" >"$vm2_out" 2>&1
			vm2_rc=$?
			case $vm2_rc in
			0) vm2_peer=0 ;;
			124) vm2_peer="timed out after $vm2_limit s" ;;
			*) vm2_peer="exit status $vm2_rc" ;;
			esac
		fi
		vm2_sync -t "$((vm2_limit + 30))" "$vm2_name/done" "$vm2_peer" >/dev/null
		cat "$vm2_out"
	fi
	return $vm2_rc
}

# vm2_dev_type: this side's device type, ZROCE_A_DEV_TYPE or
# ZROCE_B_DEV_TYPE (zroce or rxe; zroce by default).
vm2_dev_type() {
	if [ "$ZROCE_VM_ROLE" = a ]; then
		echo "${ZROCE_A_DEV_TYPE:-zroce}"
	else
		echo "${ZROCE_B_DEV_TYPE:-zroce}"
	fi
}

# vm2_dev_up TYPE: create the RDMA device TYPE0 (zroce0, rxe0) on
# ZROCE_NETDEV; set VM2_TYPE, VM2_DEV and VM2_GID (its RoCE v2 IPv4 GID
# index). Returns non-zero, with a message, if that fails.
vm2_dev_up() {
	VM2_TYPE=$1 VM2_DEV='' VM2_GID=''
	modprobe ib_uverbs || return 1
	if ! rdma link add "${1}0" type "$1" netdev "$ZROCE_NETDEV"; then
		echo "vm2_dev_up: rdma link add ${1}0 type $1 failed" >&2
		return 1
	fi
	VM2_DEV=${1}0
	vm2_i=0
	until VM2_GID=$(roce_v2_ipv4_gid "$VM2_DEV"); do
		vm2_i=$((vm2_i + 1))
		if [ $vm2_i -gt 100 ]; then
			echo "vm2_dev_up: $VM2_DEV has no RoCE v2 IPv4 GID after 20 s" >&2
			return 1
		fi
		sleep 0.2
	done
	echo "$ZROCE_VM_ROLE: $VM2_DEV ($VM2_TYPE) on $ZROCE_NETDEV $ZROCE_LOCAL_IP, GID index $VM2_GID"
}

# vm2_dev_down: delete the device of vm2_dev_up and unload its module, which
# frees UDP port 4791 for the next device type (rdma_rxe holds it while it
# is loaded).
vm2_dev_down() {
	if [ -n "${VM2_DEV:-}" ]; then rdma link delete "$VM2_DEV"; fi
	case ${VM2_TYPE:-} in
	rxe) modprobe -r rdma_rxe ;;
	zroce) modprobe -r zroce ;;
	esac
	VM2_DEV='' VM2_TYPE=''
}

# vm2_perftest_result FILE: print the result line of perftest output FILE,
# the last line that starts with two integers (#bytes #iterations), then
# BW peak, BW average [MB/sec], MsgRate [Mpps] for the bandwidth tests,
# t_min, t_max, t_typical, t_avg ... [usec] for the latency tests.
vm2_perftest_result() {
	awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && NF >= 4 { l = $0 }
		END { if (l == "") exit 1; print l }' "$1"
}

# vm2_dev_reset: delete every RDMA link and unload rdma_rxe and zroce,
# whatever a test left behind (tests/vm2/run calls it after each test).
vm2_dev_reset() {
	for vm2_d in $(rdma link show | awk '$1 == "link" { sub("/.*", "", $2); print $2 }'); do
		rdma link delete "$vm2_d"
	done
	for vm2_d in rdma_rxe zroce; do
		if grep -q "^$vm2_d " /proc/modules && ! modprobe -r "$vm2_d"; then
			echo "vm2_dev_reset: cannot unload $vm2_d"
			return 1
		fi
	done
}
