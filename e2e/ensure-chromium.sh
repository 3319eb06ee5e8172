#!/usr/bin/env bash
# The screenshots need Debian's chromium (never a browser downloaded by a test tool).
set -euo pipefail
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "[screenshots] installing Debian's chromium…"
	apt-get update >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null
else
	echo "[screenshots] needs Chromium at /usr/bin/chromium (apt-get install chromium) or CHROMIUM_PATH" >&2
	exit 1
fi
