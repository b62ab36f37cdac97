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

python="${SYNTHCHECK_PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ -x "$root/.venv/bin/python" ]]; then
    python="$root/.venv/bin/python"
  else
    python="$(command -v python3 || command -v python || true)"
  fi
fi
if [[ -z "$python" ]] || ! "$python" -c 'import synthcheck' 2>/dev/null; then
  echo "deploy-verify: synthcheck is not installed for ${python:-python3}." >&2
  echo "  set it up once: python3 -m venv .venv && .venv/bin/pip install -e ." >&2
  exit 2
fi

args=()
passthrough=0
for arg in "$@"; do
  if [[ $passthrough -eq 0 ]]; then
    case "$arg" in
      --) passthrough=1 ;;
      -h|--help) exec "$python" -m synthcheck verify --help ;;
    esac
  fi
  args+=("$arg")
done

# exec: the exit code of the verifier is the exit code of this script, unchanged.
exec "$python" -m synthcheck verify "${args[@]+"${args[@]}"}"
