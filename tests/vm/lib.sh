# Helpers for VM tests in sh; source it: . "$(dirname "$0")/lib.sh"
# See tests/vm/run for how a test passes, fails or skips. Calls that end the
# test (skip, fail, and check/expect_fail/wait_for when they fail) end only
# a subshell when used inside $(...) or a pipeline.

KSFT_SKIP=4

# skip REASON: end the test as skipped.
skip() {
	echo "SKIP: $*"
	exit "$KSFT_SKIP"
}

# fail MESSAGE: end the test as failed.
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# check CMD [ARG]...: run CMD; fail with its command line if it fails.
check() {
	"$@" || fail "exit status $?: $*"
}

# expect_fail CMD [ARG]...: run CMD; fail if it succeeds.
expect_fail() {
	if "$@"; then fail "succeeded, expected a failure: $*"; fi
}

# wait_for [-t SECS] CMD [ARG]...: run CMD every 0.2 s until it succeeds;
# fail after SECS (default 30) seconds.
wait_for() {
	secs=30
	if [ "$1" = -t ]; then
		secs=$2
		shift 2
	fi
	deadline=$(($(date +%s) + secs))
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || fail "still failing after $secs s: $*"
		sleep 0.2
	done
}

# roce_v2_gid_prefix DEV PREFIX [PORT]: print the lowest GID index of DEV's
# PORT (1) that is a RoCE v2 GID starting with PREFIX (as sysfs prints GIDs).
roce_v2_gid_prefix() {
	port=/sys/class/infiniband/$1/ports/${3:-1}
	i=0
	while [ -e "$port/gids/$i" ]; do
		gid='' type=''
		read -r gid <"$port/gids/$i"
		read -r type <"$port/gid_attrs/types/$i" 2>/dev/null
		case $gid:$type in
		"$2"*:"RoCE v2")
			echo "$i"
			return 0
			;;
		esac
		i=$((i + 1))
	done
	return 1
}

# roce_v2_ipv4_gid DEV [PORT]: print the lowest GID index of DEV's PORT (1)
# that is a RoCE v2 GID holding an IPv4 address (::ffff:a.b.c.d).
roce_v2_ipv4_gid() {
	roce_v2_gid_prefix "$1" 0000:0000:0000:0000:0000:ffff: "${2:-1}"
}

# The tests change the system: refuse to run outside a scripts/vm guest.
[ "${ZROCE_VM:-}" = 1 ] || skip "not in a scripts/vm guest (ZROCE_VM=1 is unset)"
