#!/usr/bin/env bash
# Verify a deployment against the production runbook's checks.
#
#   ./scripts/deploy-verify.sh [--env=NAME] [--base-url=URL] [--suite=NAME] [-- extra pytest args]
#
#   --env=NAME       environments/NAME.toml (default: local = start the embedded
#                    reference service on a free loopback port and verify it)
#   --base-url=URL   verify this running service with the environment's budgets
#   --suite=NAME     predeploy | postdeploy (default) | canary | load | all
#   more flags:      ./scripts/deploy-verify.sh --help
#
# Exit codes: 0 all checks passed (warnings allowed) · 1 a check failed: roll back ·
#             2 usage or configuration error · 3 harness crashed · 130 interrupted
# Reports: reports/summary.json, reports/junit.xml, reports/allure-results/
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tool="deploy-verify"
# shellcheck source=lib/find-python.sh
source "$root/scripts/lib/find-python.sh"
collect_args verify "$@"

# exec: the exit code of the verifier is the exit code of this script, unchanged.
exec "$python" -m synthcheck verify "${args[@]+"${args[@]}"}"
