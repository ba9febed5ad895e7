#!/usr/bin/env bash
# Runs every test layer in order (type check, unit tests, extension-host integration suite in
# code-server, Playwright UI suite), keeps going after a failing layer, and ends with a table of
# each layer's result, test counts and wall time. Exits non-zero when any layer failed.
#
# Usage: scripts/ci-test.sh [LAYER...]   LAYER is types, unit, integration or ui (default: all)
# Each layer's full output goes to the terminal and to test-output/<layer>.log.
set -uo pipefail

cd "$(dirname "$0")/.."
mkdir -p test-output

declare -A commands=(
	[types]='npm run --silent check-types'
	[unit]='npm run --silent test:unit'
	[integration]='npm run --silent test:integration'
	[ui]='npm run --silent test:ui'
)
layers=("$@")
((${#layers[@]} > 0)) || layers=(types unit integration ui)

# Prints "N passed, M failed" from a node:test summary (tap or spec reporter) or from the
# integration runner's last line; prints nothing when the output has no counts.
count_tests() {
	local log_file="$1"
	local line
	line="$(grep -E '^integration suite \(code-server\):' "$log_file" | tail -1)"
	if [[ -n "$line" ]]; then
		grep -oE '[0-9]+ passed, [0-9]+ failed' <<<"$line" || true
		return
	fi
	local pass fail
	pass="$(grep -E '^(# |ℹ )pass [0-9]+' "$log_file" | tail -1 | grep -oE '[0-9]+$')"
	fail="$(grep -E '^(# |ℹ )fail [0-9]+' "$log_file" | tail -1 | grep -oE '[0-9]+$')"
	[[ -n "$pass" ]] && echo "$pass passed, ${fail:-0} failed"
}

# Runs the layers and prints the table. The whole script is one function, so bash has parsed all
# of it before the first layer starts, and editing this file during a run cannot break that run.
main() {
	local summary=()
	local failed=0
	local layer log_file started status seconds counts result counts_note
	for layer in "${layers[@]}"; do
		if [[ -z "${commands[$layer]:-}" ]]; then
			echo "ci-test: unknown layer '$layer'; expected types, unit, integration or ui" >&2
			exit 2
		fi
		# A private file while the layer runs, so that two runs at once do not mix their logs.
		log_file="$(mktemp)"
		echo "=== $layer: ${commands[$layer]}"
		started=$SECONDS
		bash -c "${commands[$layer]}" 2>&1 | tee "$log_file"
		status=${PIPESTATUS[0]}
		# NOTE: the UI layer drives a browser through a workbench that is still loading. One of the
		# full runs on a 2-core machine timed out on two of its steps, which passed in every rerun,
		# so it gets one retry. The first attempt's log is kept as test-output/ui-first-attempt.log.
		if ((status != 0)) && [[ "$layer" == ui ]]; then
			mv "$log_file" test-output/ui-first-attempt.log
			log_file="$(mktemp)"
			echo "=== ui: failed (exit $status); retrying once, first log in test-output/ui-first-attempt.log"
			bash -c "${commands[$layer]}" 2>&1 | tee "$log_file"
			status=${PIPESTATUS[0]}
			counts_note=' (retried)'
		else
			counts_note=''
		fi
		seconds=$((SECONDS - started))
		counts="$(count_tests "$log_file")$counts_note"
		mv "$log_file" "test-output/$layer.log"
		result=passed
		if ((status != 0)); then
			result="FAILED (exit $status)"
			failed=1
		fi
		summary+=("$(printf '%-12s %-18s %-24s %5d s' "$layer" "$result" "${counts:--}" "$seconds")")
	done

	echo
	echo '=== test layers'
	printf '%-12s %-18s %-24s %7s\n' layer result tests time
	printf '%s\n' "${summary[@]}"
	return "$failed"
}

main; exit
