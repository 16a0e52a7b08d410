#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan + UBSan; tests/fuzz) and run each for a bounded time
# on a seed corpus made afresh by scripts/make-fuzz-corpus.py. Any crash, leak, timeout or
# sanitizer report fails the run (the input that did it is left in build-fuzz/findings/).
#   bash scripts/fuzz.sh [SECONDS]     (total, default 60: 2/5 on the decoder, 1/5 each on the
#                                       option parser, whole command lines and the Huffman coder)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash scripts/fuzz.sh [SECONDS]" >&2; exit 2; }
bash scripts/setup.sh --fuzz
CC=clang-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DHARK_SANITIZE=fuzzer \
    -DHARK_WERROR=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" >/dev/null
rm -rf build-fuzz/corpus build-fuzz/work build-fuzz/findings
/usr/bin/python3 scripts/make-fuzz-corpus.py build-fuzz/corpus
mkdir -p build-fuzz/work/decode build-fuzz/work/options build-fuzz/work/cli \
    build-fuzz/work/huffblock build-fuzz/findings
# run TARGET SECONDS MAX_LEN [FLAGS]: new inputs go to build-fuzz/work/TARGET, the seeds stay
# as made
run() {
  local name=$1 secs=$2 max_len=$3 flags=${4:-}
  echo "== fuzz_$name for $secs s"
  if ! (cd build-fuzz/findings &&
        LSAN_OPTIONS=suppressions=../../tests/fuzz/lsan.supp ../tests/fuzz/fuzz_"$name" -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$PWD/" \
            $flags ../work/"$name" ../corpus/"$name" \
            >../fuzz_"$name".log 2>&1); then
    tail -n 60 build-fuzz/fuzz_"$name".log >&2
    echo "fuzz.sh: fuzz_$name found a problem; its input is in build-fuzz/findings/" >&2
    exit 1
  fi
  grep -aE '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' build-fuzz/fuzz_"$name".log |
    sed 's/^/   /'
}
fifth=$(( seconds / 5 > 0 ? seconds / 5 : 1 ))
run decode $(( seconds - 3 * fifth > 0 ? seconds - 3 * fifth : 1 )) 65536
run options $fifth 512
run cli $fifth 24 -close_fd_mask=1 # its images to stdout
run huffblock $fifth 131072
