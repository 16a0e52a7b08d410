#!/usr/bin/env bash
# Install what is missing, build hark, and render the bundled example (no display or sound
# card needed). Prints where the images went.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
mkdir -p out
./build/hark info assets/examples/demo.flac
./build/hark render assets/examples/demo.flac -o out/demo.png
./build/hark render assets/examples/demo.flac --labels -o out/demo-labels.png
echo "demo: the spectrogram is in $(pwd)/out/demo.png, with axes in $(pwd)/out/demo-labels.png"
