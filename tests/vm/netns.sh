# SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
# Two zroce devices, zra and zrb, on the ends of a veth pair in the
# namespaces zns-a (192.0.2.1) and zns-b (192.0.2.2).  Source after lib.sh.
# Sets $ga and $gb, their RoCEv2 IPv4 GID indexes.

netns_cleanup() {
	# a failure shows what the devices counted (drops, sequence errors)
	if [ $? -ne 0 ]; then
		rdma statistic show link zra/1
		rdma statistic show link zrb/1
	fi
	rdma link delete zra 2>/dev/null
	rdma link delete zrb 2>/dev/null
	ip netns del zns-a 2>/dev/null
	ip netns del zns-b 2>/dev/null
}

netns_setup() {
	trap netns_cleanup EXIT
	check modprobe ib_uverbs
	check ip netns add zns-a
	check ip netns add zns-b
	check ip link add zra0 netns zns-a type veth peer name zrb0 netns zns-b
	check ip -n zns-a addr add 192.0.2.1/24 dev zra0
	check ip -n zns-b addr add 192.0.2.2/24 dev zrb0
	for ns in zns-a zns-b; do
		check ip -n $ns link set lo up
	done
	check ip -n zns-a link set zra0 up
	check ip -n zns-b link set zrb0 up
	check ip netns exec zns-a rdma link add zra type zroce netdev zra0
	check ip netns exec zns-b rdma link add zrb type zroce netdev zrb0
	wait_for sh -c 'ibv_devices | grep -qw zra && ibv_devices | grep -qw zrb'
	ga=$(roce_v2_ipv4_gid zra) || fail "no IPv4 GID on zra"
	gb=$(roce_v2_ipv4_gid zrb) || fail "no IPv4 GID on zrb"
}

# run_pair PORT SERVER_CMD... -- CLIENT_CMD...: the server in zns-a, the
# client in zns-b once the server listens on TCP PORT; both must succeed.
run_pair() {
	port=$1
	shift
	srv_cmd=
	while [ "$1" != -- ]; do
		srv_cmd="$srv_cmd '$1'"
		shift
	done
	shift
	eval "ip netns exec zns-a timeout 180 $srv_cmd" > /tmp/srv.out 2>&1 &
	srv=$!
	wait_for -t 60 sh -c "ip netns exec zns-a ss -ltn | grep -q :$port"
	ip netns exec zns-b timeout 180 "$@" > /tmp/cli.out 2>&1
	crc=$?
	wait $srv
	src=$?
	cat /tmp/srv.out /tmp/cli.out
	[ $src -eq 0 ] && [ $crc -eq 0 ] ||
		fail "server $src, client $crc: $*"
}
