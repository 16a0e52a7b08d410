#!/usr/bin/env bash
# hark batch against a shell loop of sox over the same 1,000 one-second clips, at the same
# image size (1 + floor(44100/512) = 87 columns x 513 rows), in one run; the ratio is sox's
# wall time over hark's (hark's best of 3). Then the floor for the same pixels (bench/floor.c)
# and hark's time as a multiple of it.
#   bash bench/batch.sh [CLIPS]     (from the repository root; CLIPS defaults to 1000)
#   HARK=/path/to/hark bash bench/batch.sh    to time an existing binary instead of building
#   (the floor probe: FLOOR=/path/to/hark-floor, else the one beside HARK, else built here)
set -euo pipefail
cd "$(dirname "$0")/.."

clips=${1:-1000}
[[ "$clips" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash bench/batch.sh [CLIPS]" >&2; exit 2; }

source bench/lib.sh
hark_for_bench batch.sh --bench

# The clips: deterministic (sox -R), 1 s, 44.1 kHz mono 16-bit, a different tone each.
clipdir=bench/.cache/clips-$clips
if [[ ! -f "$clipdir/.done" ]]; then
  echo "making $clips clips in $clipdir" >&2
  rm -rf "$clipdir"
  mkdir -p "$clipdir"
  for ((i = 0; i < clips; i++)); do
    sox -R -n -r 44100 -b 16 -c 1 "$clipdir/clip$(printf %05d "$i").wav" \
        synth 1 sine $((200 + i % 5000)) synth 1 pinknoise mix vol 0.5
  done
  touch "$clipdir/.done"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$clipdir"/*.wav >/dev/null # warm the page cache

now() { date +%s.%N; }

# hark: the best of 3 runs, each into a new folder; nothing is deleted until the end (on ext4,
# creating files just after deleting others costs several times more: the inode allocator
# steps around recently freed inodes; sox's loop, after them, creates new files too).
hark_s=
for run in 1 2 3; do
  t0=$(now)
  "$HARK" batch "$clipdir" -o "$tmp/hark$run" >"$tmp/hark.out"
  t1=$(now)
  s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  if [[ -z "$hark_s" ]] || awk -v a="$s" -v b="$hark_s" 'BEGIN { exit !(a < b) }'; then hark_s=$s; fi
done
t1=$(now)
for f in "$clipdir"/*.wav; do
  sox "$f" -n spectrogram -x 100 -y 513 -r -o "$tmp/sox-$(basename "$f" .wav).png"
done
t2=$(now)
sox_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
floor_out=$("$FLOOR" --runs 3 "$clipdir"/*.wav)
floor_s=$(sed -n 's/^floor_s=//p' <<<"$floor_out")
echo "hark bench/batch.sh: $("$HARK" --version); $(sox --version 2>&1 | sed 's/^.*SoX/SoX/'); cpus: $(nproc)"
echo "$clips one-second clips (44.1 kHz mono 16-bit), fft 1024, hop 512"
awk -v n="$clips" -v h="$hark_s" -v s="$sox_s" 'BEGIN {
  printf "   %-34s %8s %12s %7s\n", "tool", "wall s", "ms per file", "ratio"
  printf "   %-34s %8.2f %12.2f %7s\n", "hark batch (one process)", h, 1000 * h / n, "1.0x"
  printf "   %-34s %8.2f %12.2f %6.1fx\n", "sox spectrogram, a shell loop", s, 1000 * s / n, s / h }'
echo "   note: sox's -x has a minimum of 100, so its images are 100 x 513; hark's are 87 x 513"
echo "   note: hark's time is its best of 3 runs; the sox loop (1,000 processes) runs once"
tail -1 "$tmp/hark.out" | sed 's/^/   /'
grep -v '^floor_s=' <<<"$floor_out" | sed 's/^/   /'
awk -v f="$floor_s" -v h="$hark_s" -v n="$clips" 'BEGIN {
  printf "   hark / floor: %.2fx (hark %.3f ms a file, floor %.3f ms a file)\n", h / f, 1000 * h / n, 1000 * f / n }'
