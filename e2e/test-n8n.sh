#!/usr/bin/env bash
# `npm run test:n8n`: the acceptance run (e2e/acceptance.ts) and the examples (e2e/examples.ts), side
# by side, each in a real n8n of its own: its own user folder, simulator and ports (and, as root, its
# own network namespace). Their lines come out as they happen, marked with the run's name.
# `npm run test:n8n -- <command>` runs <command> too (.ci/run: the queue-mode run), once both runs
# have said that what is left of them waits on n8n's schedules (e2e/checks.ts, ONLY_SCHEDULES_LEFT)
# or have ended: both bound how long IPS may take to answer the look before an executeJob (300 ms),
# and with three n8n suites starting n8n processes on two cores at once that bound is what breaks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash e2e/prepare-n8n.sh
[ -n "${E2E_BUILT:-}" ] || npm run build >/dev/null
[ -n "${E2E_TOOLS_BUILT:-}" ] || npm run build:tools >/dev/null
export E2E_BUILT=1 E2E_TOOLS_BUILT=1

LOGS="$(mktemp -d "${TMPDIR:-/tmp}/n8n-ips-test-n8n.XXXXXX")"
trap 'rm -rf "$LOGS"' EXIT
ONLY_SCHEDULES_LEFT="$(node -p 'require("./.build/e2e/checks").ONLY_SCHEDULES_LEFT')"

run() { # name, task runner broker port, script
	local started=$SECONDS status=0
	N8N_RUNNERS_BROKER_PORT="$2" bash e2e/with-n8n.sh "$3" 2>&1 | sed -u "s/^/[$1] /" |
		tee "$LOGS/$1" || status=$?
	echo "[test:n8n] $1 took $((SECONDS - started)) s"
	return "$status"
}
only_schedules_left() { # name:pid ...: each run has said so, or has ended
	local entry
	for entry in "$@"; do
		grep -qF "$ONLY_SCHEDULES_LEFT" "$LOGS/${entry%%:*}" 2>/dev/null ||
			! kill -0 "${entry#*:}" 2>/dev/null || return 1
	done
}

status=0
run examples 5692 .build/e2e/examples.js &
examples=$!
run acceptance 5691 .build/e2e/acceptance.js &
acceptance=$!
if [ "$#" -gt 0 ]; then
	until only_schedules_left "acceptance:$acceptance" "examples:$examples"; do sleep 1; done
	started=$SECONDS
	"$@" 2>&1 | sed -u "s/^/[${!#}] /" || { echo "[test:n8n] $* failed"; status=1; }
	echo "[test:n8n] ${!#} took $((SECONDS - started)) s"
fi
wait "$acceptance" || { echo "[test:n8n] the acceptance run failed"; status=1; }
wait "$examples" || { echo "[test:n8n] the examples failed"; status=1; }
exit "$status"
