#!/usr/bin/env bash
# Install what is missing, build hark with warnings as errors, and run the whole test suite;
# then run it again under ThreadSanitizer (the rings, render's worker threads, the parallel PNG
# compressor) and under AddressSanitizer + UBSan; then fuzz the decoder path and the option
# parser, whole command lines and the Huffman coder for 60 s (libFuzzer, scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHARK_WERROR=ON -DBUILD_TESTING=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
for sanitizer in thread address; do
  echo "== the test suite under HARK_SANITIZE=$sanitizer"
  cmake -S . -B "build-$sanitizer" -DCMAKE_BUILD_TYPE=Debug -DHARK_WERROR=ON -DBUILD_TESTING=ON \
        -DHARK_SANITIZE="$sanitizer" >/dev/null
  cmake --build "build-$sanitizer" -j "$jobs" >/dev/null
  ctest --test-dir "build-$sanitizer" --output-on-failure -j "$jobs"
done
echo "== fuzzing (libFuzzer, ASan + UBSan), 60 s"
bash scripts/fuzz.sh 60
