# Shared by the bench scripts (sourced, from the repository root): build hark for benchmarking.
#   hark_for_bench NAME SETUP_FLAG   installs with scripts/setup.sh SETUP_FLAG, then sets HARK to
#   a Release build in build-bench/ (or keeps HARK if it is set), and FLOOR to the floor probe
#   (bench/floor.c): FLOOR if it is set, else the one beside HARK, else build-bench's; NAME is
#   for messages.
build_bench() {
  local name=$1 cache=bench/.cache
  if ! { cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF &&
         cmake --build build-bench -j "$(nproc)"; } >"$cache/build.log" 2>&1; then
    tail -n 30 "$cache/build.log" >&2
    echo "$name: building hark failed (the whole log is in $cache/build.log)" >&2
    exit 1
  fi
}

hark_for_bench() {
  local name=$1 flag=$2
  mkdir -p bench/.cache
  bash scripts/setup.sh "$flag" >&2
  if [[ -z "${HARK:-}" ]]; then
    build_bench "$name"
    HARK=$PWD/build-bench/hark
  fi
  [[ -x "$HARK" ]] || { echo "$name: HARK=$HARK is not an executable" >&2; exit 1; }
  if [[ -z "${FLOOR:-}" ]]; then
    FLOOR=$(dirname "$HARK")/hark-floor
    if [[ ! -x "$FLOOR" ]]; then # an older hark, or one built elsewhere: the probe from here
      build_bench "$name"
      FLOOR=$PWD/build-bench/hark-floor
    fi
  fi
  [[ -x "$FLOOR" ]] || { echo "$name: FLOOR=$FLOOR is not an executable" >&2; exit 1; }
}
