#!/usr/bin/env bash
# `e2e/with-n8n.sh <script.js>`: installs the packed package into a real n8n (a fresh user
# folder), then runs the script (the acceptance run, or the n8n benchmark) offline: in a network
# namespace of its own with loopback only, when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

bash e2e/prepare-n8n.sh
# E2E_BUILT=1: dist/ is current (CI, right after its own build); E2E_TOOLS_BUILT=1: so is .build/
# (runs started side by side, which must not build into the same folder at once).
[ -n "${E2E_BUILT:-}" ] || npm run build >/dev/null
[ -n "${E2E_TOOLS_BUILT:-}" ] || npm run build:tools >/dev/null

# What is tested is what would be published: the packed .tgz, installed as a community package.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/n8n-ips-e2e.XXXXXX")"
# E2E_KEEP=1 keeps the user folder (with each execution's output) for a look afterwards.
[ -n "${E2E_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
TGZ="$(npm pack --silent --pack-destination "$WORK" | tail -n 1)"
source e2e/n8n-env.sh
export N8N_USER_FOLDER="$WORK/user"
mkdir -p "$N8N_USER_FOLDER/.n8n/nodes"
(cd "$N8N_USER_FOLDER/.n8n/nodes" && echo '{"name":"installed-nodes","private":true}' > package.json &&
	npm install --no-audit --no-fund --prefer-offline --legacy-peer-deps --ignore-scripts "$WORK/$TGZ" >/dev/null)
echo "[with-n8n] installed $TGZ into $N8N_USER_FOLDER/.n8n/nodes; n8n $("$N8N_BIN" --version 2>/dev/null | tail -n 1) on node $(node --version)"

SCRIPT=(node "$@")
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null; then
	echo "[with-n8n] running offline: a network namespace with loopback only"
	unshare -n bash -c 'ip link set lo up && exec "$@"' _ "${SCRIPT[@]}"
else
	echo "[with-n8n] not root (or no unshare/ip): running without a network namespace"
	"${SCRIPT[@]}"
fi
