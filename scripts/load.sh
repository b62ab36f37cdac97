#!/usr/bin/env bash
# Load-test a service with the environment's endpoints, weights and budgets (locust).
#
#   ./scripts/load.sh [--env=NAME] [--base-url=URL] [--load-profile=NAME] [options] [-- pytest args]
#
#   --env=NAME                 environments/NAME.toml (default: local = start the embedded
#                              reference service on a free loopback port and load it)
#   --base-url=URL             load this running service with the environment's budgets
#   --load-profile=NAME        smoke | load (default) | stress | spike | soak
#   --load-users=N             peak concurrent users (at most [load] max_users)
#   --load-duration=TIME       e.g. 90s, 5m, 1h30m (at most [load] max_duration_s)
#   --workers=N                locust master + N local worker processes (default 0: one process)
#   --budget=NAME=VALUE        override a budget, e.g. p95_ms=400 (repeatable)
#   --allow-remote-load        required for any target that is not on this machine
#   --confirm-production-load=ENV_NAME
#                              required in addition for a `production = true` environment
#   more flags:                ./scripts/load.sh --help
#
# Exit codes: 0 every threshold held (warnings allowed) · 1 a threshold broke, or the
#             target is unreachable · 2 usage/config error or a closed safety gate ·
#             3 harness crashed · 130 interrupted (the reports written so far are kept)
# Reports: reports/load/ (locust CSV + HTML, results.json, resources.json, locust.log),
#          reports/summary.json (one `load` entry per threshold), junit.xml, allure-results/
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tool="load"
# shellcheck source=lib/find-python.sh
source "$root/scripts/lib/find-python.sh"
collect_args load "$@"

# exec: the exit code of the load run is the exit code of this script, unchanged.
exec "$python" -m synthcheck load "${args[@]+"${args[@]}"}"
