# Shared by the bench scripts (sourced, from the repository root): build hark for benchmarking.
#   hark_for_bench NAME SETUP_FLAG   installs with scripts/setup.sh SETUP_FLAG, then sets HARK to
#   a Release build in build-bench/ (or keeps HARK if it is set), and FLOOR to the floor probe
#   built beside it (bench/floor.c; or keeps FLOOR if it is set); NAME is for messages.
hark_for_bench() {
  local name=$1 flag=$2 cache=bench/.cache
  mkdir -p "$cache"
  bash scripts/setup.sh "$flag" >&2
  if [[ -z "${HARK:-}" ]]; then
    if ! { cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF &&
           cmake --build build-bench -j "$(nproc)"; } >"$cache/build.log" 2>&1; then
      tail -n 30 "$cache/build.log" >&2
      echo "$name: building hark failed (the whole log is in $cache/build.log)" >&2
      exit 1
    fi
    HARK=$PWD/build-bench/hark
  fi
  [[ -x "$HARK" ]] || { echo "$name: HARK=$HARK is not an executable" >&2; exit 1; }
  # The floor probe (bench/floor.c) is built beside hark.
  FLOOR=${FLOOR:-$(dirname "$HARK")/hark-floor}
  [[ -x "$FLOOR" ]] || { echo "$name: $FLOOR (bench/floor.c) is not built beside $HARK" >&2; exit 1; }
}
