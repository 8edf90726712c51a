#!/usr/bin/env bash
# Checks the systemd units in systemd/ (system) and systemd/user/ (user).
#
#   check_systemd_units.sh BIN_DIR [UNITS_DIR]
#
# BIN_DIR holds the freshly built awsd; UNITS_DIR defaults to the repository's
# systemd/ folder. The units are copied to a temporary folder with
# /usr/bin/awsd rewritten to BIN_DIR/awsd, since "systemd-analyze verify"
# refuses an ExecStart= binary that does not exist. Then, per unit set:
#   1. systemd-analyze verify must exit 0 AND print nothing: it only warns
#      ("Failed to parse ..., ignoring") and exits 0 on most bad settings;
#   2. settings the deployment relies on must be present (a deleted line is
#      not an error for systemd);
#   3. systemd-analyze security --offline must stay under a threshold.
# Finally a deliberately broken copy must be rejected, which proves that
# step 1 still detects errors with this systemd version.
#
# Works as root or not, with or without systemd as PID 1 (no manager is
# contacted): the --user checks get a private XDG_RUNTIME_DIR.
# Exit: 0 pass, 1 failure, 77 skipped (no systemd-analyze, awsd not built).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin_dir=${1:?usage: check_systemd_units.sh BIN_DIR [UNITS_DIR]}
units_dir=${2:-$here/../../systemd}

# Exposure scores (x10) from "systemd-analyze security"; today 1.5 and 4.5.
# The user score is higher because the offline analyzer counts capability
# and device settings a user manager cannot apply.
system_threshold=20
user_threshold=50

analyze=$(command -v systemd-analyze || true)
[ -x /usr/bin/systemd-analyze ] && analyze=/usr/bin/systemd-analyze
if [ -z "$analyze" ]; then
  echo "SKIP: systemd-analyze not found"; exit 77
fi
bin_dir=$(cd "$bin_dir" 2>/dev/null && pwd) || { echo "SKIP: $1 does not exist (not built yet)"; exit 77; }
if [ ! -x "$bin_dir/awsd" ]; then
  echo "SKIP: $bin_dir/awsd not built yet"; exit 77
fi
units_dir=$(cd "$units_dir" && pwd) || { echo "FAIL: no units folder $2"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/system" "$work/user" "$work/runtime" "$work/broken"
chmod 700 "$work/runtime"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# stage SRC_DIR DEST_DIR: copies awsd.service/awsd.socket, pointing at BIN_DIR.
stage() {
  local f
  for f in awsd.service awsd.socket; do
    [ -f "$1/$f" ] || { fail "missing $1/$f"; continue; }
    sed -e "s#/usr/bin/awsd\\b#$bin_dir/awsd#g" -e "s#/usr/bin/awsctl\\b#$bin_dir/awsctl#g" \
      "$1/$f" > "$2/$f"
  done
}

# run_analyze MODE DIR ARGS...: systemd-analyze in DIR, system or user mode.
run_analyze() {
  local mode=$1 dir=$2; shift 2
  if [ "$mode" = user ]; then
    (cd "$dir" && XDG_RUNTIME_DIR="$work/runtime" "$analyze" --user "$@")
  else
    (cd "$dir" && "$analyze" "$@")
  fi
}

# verify MODE DIR: 0 when systemd-analyze verify exits 0 and prints nothing.
verify() {
  local out rc
  out=$(run_analyze "$1" "$2" verify --man=no --recursive-errors=no ./awsd.socket ./awsd.service 2>&1)
  rc=$?
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
    printf '%s\n' "$out" | sed 's/^/    /'
    return 1
  fi
}

# require FILE LINE...: each exact line must be in FILE.
require() {
  local file=$1 line; shift
  for line in "$@"; do
    grep -qxF -- "$line" "$file" || fail "$(basename "$(dirname "$file")")/$(basename "$file") lacks '$line'"
  done
}

common_service=(
  'Type=notify' 'ExecReload=/bin/kill -HUP $MAINPID' 'WatchdogSec=30s' 'Restart=on-failure'
  'Requires=awsd.socket' 'RuntimeDirectory=awsd' 'RuntimeDirectoryPreserve=yes' 'UMask=0077' 'LimitCORE=0'
  'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=read-only' 'PrivateTmp=yes'
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'MemoryDenyWriteExecute=yes'
  'LockPersonality=yes' 'SystemCallArchitectures=native' 'Also=awsd.socket'
)

echo "== system units ($units_dir)"
stage "$units_dir" "$work/system"
if verify system "$work/system"; then echo "ok: systemd-analyze verify"; else fail "systemd-analyze verify (system units)"; fi
require "$units_dir/awsd.service" "${common_service[@]}" \
  'ExecStart=/usr/bin/awsd --config /etc/awsd/awsd.toml' 'User=awsd' 'RuntimeDirectoryMode=0750' \
  'ReadWritePaths=-/var/lib/awsd/.aws/sso/cache -/var/lib/awsd/.aws/cli/cache' 'CapabilityBoundingSet='
require "$units_dir/awsd.socket" 'ListenStream=/run/awsd/awsd.sock' 'SocketMode=0660' \
  'SocketGroup=awsd' 'WantedBy=sockets.target'
if run_analyze system "$work/system" security --offline=yes --threshold="$system_threshold" \
     ./awsd.service > "$work/security.txt" 2>&1; then
  echo "ok: $(tail -n1 "$work/security.txt" | sed 's/^→ //')"
else
  grep '✗' "$work/security.txt" | sed 's/^/    /'
  fail "system awsd.service exposure above $system_threshold: $(tail -n1 "$work/security.txt")"
fi

echo "== user units ($units_dir/user)"
stage "$units_dir/user" "$work/user"
if verify user "$work/user"; then echo "ok: systemd-analyze --user verify"; else fail "systemd-analyze --user verify (user units)"; fi
require "$units_dir/user/awsd.service" "${common_service[@]}" \
  'ExecStart=/usr/bin/awsd --config %E/awsd/awsd.toml' 'PrivateUsers=yes' \
  'ReadWritePaths=-%h/.aws/sso/cache -%h/.aws/cli/cache' 'WantedBy=default.target'
require "$units_dir/user/awsd.socket" 'ListenStream=%t/awsd/awsd.sock' 'SocketMode=0600' \
  'WantedBy=sockets.target'
if run_analyze user "$work/user" security --offline=yes --threshold="$user_threshold" \
     ./awsd.service > "$work/security.txt" 2>&1; then
  echo "ok: $(tail -n1 "$work/security.txt" | sed 's/^→ //')"
else
  grep '✗' "$work/security.txt" | sed 's/^/    /'
  fail "user awsd.service exposure above $user_threshold: $(tail -n1 "$work/security.txt")"
fi

echo "== negative control (a broken copy must be rejected)"
cp "$work/system/awsd.socket" "$work/broken/"
sed 's/^Type=notify$/Type=notifyy/' "$work/system/awsd.service" > "$work/broken/awsd.service"
if verify system "$work/broken" > /dev/null; then
  fail "systemd-analyze verify accepted Type=notifyy: this check cannot detect unit errors"
else
  echo "ok: Type=notifyy rejected"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"; exit 1
fi
echo "all systemd unit checks passed"
