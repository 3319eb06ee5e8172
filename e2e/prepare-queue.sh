#!/usr/bin/env bash
# Installs what n8n's queue mode needs for `npm run test:queue`, from Debian's packages, when it is
# missing: Redis and PostgreSQL. Runs before the test enters its loopback-only network namespace.
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v runuser >/dev/null || need+=(util-linux)
if [ "${#need[@]}" -gt 0 ]; then
	echo "[prepare-queue] installing ${need[*]} (apt)…"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# The packages' own services are not wanted: the test starts its own, on free ports.
	made_policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
		made_policy=1
	fi
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	[ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
fi
echo "[prepare-queue] $(redis-server --version | cut -d' ' -f1-3); PostgreSQL $(ls /usr/lib/postgresql/) ($SECONDS s)"
