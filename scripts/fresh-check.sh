#!/usr/bin/env bash
# The check to run before saying a first-run change works: the README's two commands on a
# clean clone of what is committed, with a throwaway HOME and TMPDIR (so no ~/.npmrc,
# ~/.npm, ~/.cache, no code-server or ripgrep cache, no lab left from before).
#
#   bash scripts/fresh-check.sh [--only test|demo] [--keep]
#
#   test  npm ci && npm test, in a clone of its own
#   demo  npm ci && npm run demo in another clone with another fresh HOME, until the
#         workbench answers the URL it prints; then Ctrl-C (SIGINT to its process group)
#         and a check that nothing it started is left: no process, no listening port on
#         the lab's addresses or the demo's port, no lab folder.
# It prints the time of each phase and exits non-zero at the first that fails. --keep
# keeps the work folder (logs included); otherwise it is removed when every phase passed.
set -euo pipefail

only=""
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="${2:?--only needs test or demo}"; shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "usage: bash scripts/fresh-check.sh [--only test|demo] [--keep]" >&2; exit 2 ;;
  esac
done
case "$only" in ""|test|demo) ;; *) echo "--only takes test or demo, not '$only'" >&2; exit 2 ;; esac

src=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
commit=$(git -C "$src" rev-parse --short HEAD)
dirty=$(git -C "$src" status --porcelain --untracked-files=no | wc -l)
[ "$dirty" = 0 ] || echo "fresh-check: $dirty changed files are not committed; it checks only what is committed ($commit)" >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/bluegreen-fresh.XXXXXX")
demo_port=${DEMO_PORT:-8099}
lab_subnet=127.77.0
times=()
failed=""

report() {
  echo
  echo "fresh-check on $commit, work folder $work:"
  for t in "${times[@]}"; do echo "  $t"; done
  if [ -n "$failed" ]; then
    echo "FAILED: $failed (logs in $work)"
  else
    echo "passed"
    $keep || rm -rf "$work"
  fi
}
trap report EXIT

# A fresh user: own HOME and TMPDIR, nothing npm or XDG was told by this shell.
fresh_env() { # name → FRESH=(env … HOME=… TMPDIR=…), a prefix for the commands of that user
  local home="$work/$1/home" tmp="$work/$1/tmp" var
  mkdir -p "$home" "$tmp"
  FRESH=(env -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u NODE_OPTIONS)
  for var in $(compgen -e); do
    case "${var,,}" in npm_config_*) FRESH+=(-u "$var") ;; esac
  done
  FRESH+=(HOME="$home" TMPDIR="$tmp")
}

phase() { # label command… → runs it, logs to $work/<label>.log, records its time
  local label="$1" started=$SECONDS
  shift
  echo "fresh-check: $label…"
  if "$@" >"$work/${label// /-}.log" 2>&1; then
    times+=("$(printf '%-28s %5d s' "$label" $((SECONDS - started)))")
  else
    times+=("$(printf '%-28s %5d s  FAILED' "$label" $((SECONDS - started)))")
    failed="$label"
    tail -n 40 "$work/${label// /-}.log" >&2
    exit 1
  fi
}

clone() { git clone --quiet "$src" "$work/$1/clone" && git -C "$work/$1/clone" checkout --quiet "$commit"; }

if [ "$only" != demo ]; then
  clone test
  fresh_env test
  phase "test: npm ci" "${FRESH[@]}" bash -c "cd '$work/test/clone' && npm ci --no-audit --no-fund"
  phase "test: npm test" "${FRESH[@]}" bash -c "cd '$work/test/clone' && npm test"
fi

[ "$only" = test ] && exit 0

clone demo
fresh_env demo
phase "demo: npm ci" "${FRESH[@]}" bash -c "cd '$work/demo/clone' && npm ci --no-audit --no-fund"

demo_log="$work/demo-run.log"
echo "fresh-check: demo: npm run demo until the workbench answers…"
started=$SECONDS
# Its own process group, as a terminal gives it, so that SIGINT reaches npm and node alike.
( cd "$work/demo/clone" && exec setsid "${FRESH[@]}" npm run demo ) >"$demo_log" 2>&1 &
demo_pid=$!
url=""
while [ -z "$url" ] && kill -0 "$demo_pid" 2>/dev/null && [ $((SECONDS - started)) -lt 900 ]; do
  url=$(sed -n 's/^ *Open \(http[^ ]*\).*/\1/p' "$demo_log" | head -n 1)
  sleep 1
done
first_lines=$(grep -v -e '^>' -e '^$' "$demo_log" | head -n 3)
if [ -z "$url" ]; then
  times+=("demo: URL printed            FAILED after $((SECONDS - started)) s")
  failed="demo: URL printed"; tail -n 40 "$demo_log" >&2; kill -INT -- "-$demo_pid" 2>/dev/null || true; exit 1
fi
times+=("$(printf '%-28s %5d s' "demo: URL printed" $((SECONDS - started)))")
answered=false
for _ in $(seq 60); do
  if curl -fsS --max-time 5 "$url" 2>/dev/null | grep -q 'workbench'; then answered=true; break; fi
  sleep 1
done
if ! $answered; then
  times+=("demo: workbench answers      FAILED"); failed="demo: workbench answers"
  kill -INT -- "-$demo_pid" 2>/dev/null || true; exit 1
fi
times+=("$(printf '%-28s %5d s' "demo: workbench answers" $((SECONDS - started)))")
echo "fresh-check: the demo's first lines:"
while IFS= read -r line; do echo "    $line"; done <<<"$first_lines"

stopping=$SECONDS
kill -INT -- "-$demo_pid"
for _ in $(seq 120); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$demo_pid" 2>/dev/null; then
  times+=("demo: Ctrl-C                 FAILED: still running after 60 s"); failed="demo: Ctrl-C"; exit 1
fi
times+=("$(printf '%-28s %5d s' "demo: Ctrl-C" $((SECONDS - stopping)))")

left=""
procs=$(pgrep -af -- "$work/demo" | grep -v -e "pgrep" -e "fresh-check" || true)
[ -z "$procs" ] || left+=$'\n'"processes: $procs"
ports=$(ss -ltnH | awk '{print $4}' | grep -E "^${lab_subnet//./\\.}\.[0-9]+:|:${demo_port}\$" || true)
[ -z "$ports" ] || left+=$'\n'"listening: $ports"
labs=$(find "$work/demo/tmp" -maxdepth 1 -name 'bluegreen-lab*' 2>/dev/null || true)
[ -z "$labs" ] || left+=$'\n'"lab folders: $labs"
if [ -n "$left" ]; then
  echo "the demo left behind:$left" >&2
  times+=("demo: nothing left           FAILED"); failed="demo: nothing left"; exit 1
fi
times+=("demo: nothing left           ok")
