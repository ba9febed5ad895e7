#!/usr/bin/env bash
# Runs a command in a new network namespace that has only the loopback interface, so the
# end-to-end tests can reach 127.0.0.1 and nothing else. This needs root (or user namespaces) and
# util-linux's unshare. Without them the command runs unconfined after a warning, and the tests
# still block non-loopback traffic through the browser's routing and the editor settings.
#
# Usage: scripts/ci-offline.sh COMMAND [ARGS...]   (NTK_E2E_NETNS=0 skips the namespace)
set -euo pipefail

if [[ "${NTK_E2E_NETNS:-1}" != 0 ]] && command -v unshare >/dev/null && command -v ip >/dev/null \
	&& unshare -n true 2>/dev/null; then
	exec unshare -n -- sh -c 'ip link set lo up && exec "$@"' ntk-offline "$@"
fi
echo 'ci-offline: running without a loopback-only network namespace (unshare -n not available)' >&2
exec "$@"
