#!/usr/bin/env bash
# Install what is missing, build hark with warnings as errors, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHARK_WERROR=ON -DBUILD_TESTING=ON >/dev/null
cmake --build build -j "$(nproc)"
ctest --test-dir build --output-on-failure -j "$(nproc)"
