# shellcheck shell=sh
# A pm2 process's own log: its out and error files, each line tagged "out " or "err ", the last
# $2 of each (after the host's zone, for lines that give a time without one), then (follow) every new line until the session ends, which kills the tails. The
# files are the ones pm2's description names (node reads its JSON, printing the two paths only:
# the description carries the process's environment), else pm2's default place, so it works
# where pm2 itself is not on the PATH.
# $1 the pm2 name  $2 lines  $3 follow|once
name=$1 lines=$2 mode=$3
files=''
if command -v pm2 >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  # shellcheck disable=SC2016 # JavaScript, for node: its ${} is its own.
  files=$(pm2 jlist 2>/dev/null | node -e '
let s = "";
process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const json = s.split("\n").find((l) => l.trimStart().startsWith("["));
  const p = json && JSON.parse(json).find((x) => x && x.name === process.argv[1]);
  if (p && p.pm2_env) console.log(`${p.pm2_env.pm_out_log_path}\n${p.pm2_env.pm_err_log_path}`);
});' "$name" 2>/dev/null)
fi
if [ -n "$files" ]; then
  out=$(printf '%s\n' "$files" | sed -n 1p)
  err=$(printf '%s\n' "$files" | sed -n 2p)
else
  out="${PM2_HOME:-$HOME/.pm2}/logs/$name-out.log"
  err="${PM2_HOME:-$HOME/.pm2}/logs/$name-error.log"
fi
if [ ! -r "$out" ] && [ ! -r "$err" ]; then
  printf 'no log files: %s and %s are not there (or not readable)\n' "$out" "$err" >&2
  exit 3
fi
printf 'tz %s\n' "$(date +%z)"
printf 'files %s %s\n' "$out" "$err"
tagged() {
  if [ "$mode" = follow ]; then tail -n "$lines" -F -- "$2" 2>/dev/null; else tail -n "$lines" -- "$2" 2>/dev/null; fi | while IFS= read -r line; do printf '%s %s\n' "$1" "$line"; done
}
if [ "$mode" = follow ]; then
  tagged out "$out" &
  tagged err "$err" &
  wait
else
  tagged out "$out"
  tagged err "$err"
fi
