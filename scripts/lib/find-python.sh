# Sourced by the scripts in scripts/: sets $python to an interpreter that has
# synthcheck installed, or exits 2 (a usage error, never 1: that means "roll back").
#   $SYNTHCHECK_PYTHON, else the project's .venv, else python3 on the PATH.
# Expects $root (the project directory) and $tool (the script's name, for messages).

python="${SYNTHCHECK_PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ -x "$root/.venv/bin/python" ]]; then
    python="$root/.venv/bin/python"
  else
    python="$(command -v python3 || command -v python || true)"
  fi
fi
if [[ -z "$python" ]] || ! "$python" -c 'import synthcheck' 2>/dev/null; then
  echo "$tool: synthcheck is not installed for ${python:-python3}." >&2
  echo "  set it up once: python3 -m venv .venv && .venv/bin/pip install -e ." >&2
  exit 2
fi

# Arguments for the verifier, with -h/--help (before any `--`) answered by $1's help.
collect_args() {
  local help_command="$1"
  shift
  args=()
  local passthrough=0
  for arg in "$@"; do
    if [[ $passthrough -eq 0 ]]; then
      case "$arg" in
        --) passthrough=1 ;;
        -h|--help) exec "$python" -m synthcheck "$help_command" --help ;;
      esac
    fi
    args+=("$arg")
  done
}
