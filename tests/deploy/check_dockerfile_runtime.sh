#!/usr/bin/env bash
# Checks, without a container engine, that the Dockerfile's runtime stage
# installs every shared library the built binaries load.
#
#   check_dockerfile_runtime.sh BIN_DIR [DOCKERFILE]
#
# 1. ldd BIN_DIR/awsd BIN_DIR/awsctl: every library must resolve;
# 2. each resolved file is mapped to its Debian package (dpkg -S);
# 3. the runtime stage's "apt-get install" packages (stage "runtime", else
#    the last FROM) are expanded with their Pre-Depends/Depends, recursively,
#    as apt would (first alternative), read from dpkg or apt-cache;
# 4. every package from 2 must be in that closure or in BASE_PACKAGES;
#    a miss fails naming the package and the libraries that need it.
# Library packages in the install line that no binary needs are reported
# as a warning (image bloat), not a failure.
# The host must be Debian 12 like the image, so package names match.
# Exit: 0 pass, 1 failure, 77 skipped (binaries not built yet).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin_dir=${1:?usage: check_dockerfile_runtime.sh BIN_DIR [DOCKERFILE]}
dockerfile=${2:-$here/../../Dockerfile}

# Packages debian:12-slim itself contains that the binaries use; their
# libraries are not installed by the Dockerfile:
#   libc6      libc.so.6 libm.so.6 libresolv.so.2 ld-linux-*.so (glibc)
#   libstdc++6 libstdc++.so.6   (in slim: apt depends on it)
#   libgcc-s1  libgcc_s.so.1    (in slim: libc6 depends on it)
# linux-vdso.so.1 comes from the kernel, not from a file. Anything else,
# even if slim happens to have it (zlib1g, libsystemd0), must be installed
# explicitly or pulled in by a listed package.
BASE_IMAGE_RE='^debian:(12|bookworm)-slim(@.*)?$'
BASE_PACKAGES=(libc6 libstdc++6 libgcc-s1)

for b in awsd awsctl; do
  [ -x "$bin_dir/$b" ] || { echo "SKIP: $bin_dir/$b not built yet"; exit 77; }
done
[ -f "$dockerfile" ] || { echo "FAIL: no Dockerfile at $dockerfile"; exit 1; }
for tool in ldd dpkg dpkg-query; do
  command -v "$tool" > /dev/null || { echo "SKIP: $tool not available (not a Debian host)"; exit 77; }
done

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# ---- 1+2: libraries -> packages ---------------------------------------------
declare -A pkg_libs=()   # package -> "lib lib ..."
declare -A lib_path=()   # soname -> resolved file
for b in awsd awsctl; do
  if ! ldd_out=$(ldd "$bin_dir/$b" 2>&1); then
    fail "ldd $bin_dir/$b: $ldd_out"; continue
  fi
  while read -r line; do
    fail "$b: $line"
  done < <(grep 'not found' <<< "$ldd_out")
  # "libx.so.1 => /path (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
  while read -r lib path; do
    [ -n "$path" ] && lib_path[$lib]=$path
  done < <(awk '$2 == "=>" && $3 ~ /^\// {print $1, $3} $1 ~ /^\// && $2 != "=>" {print $1, $1}' <<< "$ldd_out")
done

# candidates FILE: FILE and its /usr-merge aliases, also of its symlink target
# (dpkg records each file under the one path its package ships it at).
candidates() {
  local f real
  real=$(readlink -f "$1")
  for f in "$1" "$real"; do
    echo "$f"; echo "/usr$f"; [[ $f == /usr/* ]] && echo "${f#/usr}"
  done | sort -u
}
declare -A owner_of=()   # path -> package; one dpkg -S call for all paths
mapfile -t all_paths < <(for l in "${!lib_path[@]}"; do candidates "${lib_path[$l]}"; done | sort -u)
if [ "${#all_paths[@]}" -gt 0 ]; then
  while IFS= read -r line; do
    [[ $line == "diversion by"* ]] && continue
    pkgs=${line%%: /*}; path=${line#"$pkgs: "}
    pkg=${pkgs%%,*}; pkg=${pkg%%:*}   # "libgrpc29:amd64" -> "libgrpc29"
    owner_of[$path]=$pkg
  done < <(dpkg -S "${all_paths[@]}" 2> /dev/null)
fi
for lib in "${!lib_path[@]}"; do
  pkg=""
  while read -r cand; do
    [ -n "${owner_of[$cand]:-}" ] && { pkg=${owner_of[$cand]}; break; }
  done < <(candidates "${lib_path[$lib]}")
  if [ -z "$pkg" ]; then
    fail "awsd/awsctl load ${lib_path[$lib]}, which no Debian package owns: the image cannot provide it"
    continue
  fi
  pkg_libs[$pkg]="${pkg_libs[$pkg]:-}${pkg_libs[$pkg]:+ }$lib"
done
[ "${#pkg_libs[@]}" -gt 0 ] || fail "ldd found no libraries at all"

# ---- 3: the runtime stage's install line ------------------------------------
# Joins continuation lines, drops comment lines, then prints "FROM image name"
# per stage and "PKG stage package" per apt-get/apt install argument.
parsed=$(awk '
  function flush(   n, i, j, segs, w, nw, inst, from) {
    if (buf == "") return
    n = split(buf, w, /[ \t]+/)
    if (toupper(w[1]) == "FROM") {
      stage++; from = ""; name = ""
      for (i = 2; i <= n; i++) {
        if (w[i] ~ /^--/) continue
        if (from == "") { from = w[i]; continue }
        if (toupper(w[i]) == "AS" && i < n) name = w[i + 1]
      }
      print "FROM", stage, from, name
    } else if (toupper(w[1]) == "RUN") {
      gsub(/&&|\|\||;|\|/, "\n", buf)
      nseg = split(buf, segs, "\n")
      for (j = 1; j <= nseg; j++) {
        nw = split(segs[j], w, /[ \t]+/); apt = 0; inst = 0
        for (i = 1; i <= nw; i++) {
          if (w[i] ~ /^-[oct]$/) { i++; continue }   # option taking a value
          if (!inst) {
            if (w[i] ~ /(^|\/)apt(-get)?$/) apt = 1
            else if (apt && w[i] == "install") inst = 1
            continue
          }
          if (w[i] == "" || w[i] ~ /^-/) continue
          sub(/=.*/, "", w[i]); sub(/\/.*/, "", w[i])
          print "PKG", stage, w[i]
        }
      }
    }
    buf = ""
  }
  /^[ \t]*#/ { next }
  {
    line = $0
    cont = sub(/[ \t]*\\[ \t]*$/, "", line)
    sub(/^[ \t]+/, "", line)
    buf = (buf == "" ? line : buf " " line)
    if (!cont) flush()
  }
  END { flush() }
' "$dockerfile")

runtime_stage=$(awk '$1 == "FROM" && $4 == "runtime" {print $2}' <<< "$parsed" | tail -n1)
[ -n "$runtime_stage" ] || runtime_stage=$(awk '$1 == "FROM" {print $2}' <<< "$parsed" | tail -n1)
[ -n "$runtime_stage" ] || { echo "FAIL: no FROM in $dockerfile"; exit 1; }
runtime_image=$(awk -v s="$runtime_stage" '$1 == "FROM" && $2 == s {print $3}' <<< "$parsed")
if ! [[ $runtime_image =~ $BASE_IMAGE_RE ]]; then
  fail "runtime stage is FROM '$runtime_image'; BASE_PACKAGES in this script describe debian:12-slim only"
fi
mapfile -t listed < <(awk -v s="$runtime_stage" '$1 == "PKG" && $2 == s {print $3}' <<< "$parsed" | sort -u)
if [ "${#listed[@]}" -eq 0 ]; then
  fail "runtime stage (FROM $runtime_image) has no apt-get install line"
fi
echo "runtime stage: FROM $runtime_image; installs: ${listed[*]}"

# Installed packages' dependencies, read once (apt-cache for the others).
declare -A installed_deps=()
while IFS=$'\t' read -r p d; do
  installed_deps[$p]=${d:-,}
done < <(dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Pre-Depends}, ${Depends}\n' 2> /dev/null |
         awk -F'\t' '$1 ~ /^ii/ {print $2 "\t" $3}')
# depends PKG: Pre-Depends and Depends of PKG, first alternative, bare names.
depends() {
  local raw=${installed_deps[$1]:-}
  if [ -z "$raw" ]; then
    raw=$(apt-cache show --no-all-versions "$1" 2> /dev/null |
          awk -F': ' '/^(Pre-)?Depends: /{printf "%s, ", $2} /^$/{exit}')
  fi
  tr ',' '\n' <<< "$raw" | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g' | grep -v '^$'
}
known() { [ -n "${installed_deps[$1]:-}" ] || apt-cache show --no-all-versions "$1" > /dev/null 2>&1; }

declare -A closure=() via=()  # package -> 1; package -> listed package pulling it
queue=()
for p in "${listed[@]}"; do
  known "$p" || fail "runtime stage installs '$p', which is not a Debian 12 package here"
  closure[$p]=1; via[$p]=$p; queue+=("$p")
done
while [ "${#queue[@]}" -gt 0 ]; do
  p=${queue[0]}; queue=("${queue[@]:1}")
  while read -r d; do
    [ -n "$d" ] && [ -z "${closure[$d]:-}" ] || continue
    closure[$d]=1; via[$d]=${via[$p]}; queue+=("$d")
  done < <(depends "$p")
done

# ---- 4: every needed package is installed -------------------------------------
for pkg in $(printf '%s\n' "${!pkg_libs[@]}" | sort); do
  if printf '%s\n' "${BASE_PACKAGES[@]}" | grep -qxF "$pkg"; then
    printf '  %-22s base image (debian:12-slim)\n' "$pkg"
  elif [ -n "${closure[$pkg]:-}" ]; then
    if [ "${via[$pkg]}" = "$pkg" ]; then
      printf '  %-22s listed\n' "$pkg"
    else
      printf '  %-22s via %s\n' "$pkg" "${via[$pkg]}"
    fi
  else
    fail "package '$pkg' (${pkg_libs[$pkg]}) is not installed by the runtime stage of $dockerfile"
  fi
done

# Listed library packages no binary needs, directly or through another one.
for p in "${listed[@]}"; do
  [[ $p == lib* ]] || continue
  [ -n "${pkg_libs[$p]:-}" ] || echo "WARN: runtime stage installs $p, which awsd/awsctl do not load"
done

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"; exit 1
fi
echo "all ${#pkg_libs[@]} library packages of awsd/awsctl are provided by the runtime image"
