#!/usr/bin/env bash
# Render the same files with hark, sox and ffmpeg in one run, at the same image size where the
# tools allow it, and report each tool's best wall time as a ratio to hark's; then the
# machine's floor for the same pixels (bench/floor.c: each step hark cannot skip, timed alone
# with hark's own parts, summed, divided by the cores) and hark's time as a multiple of it.
#   bash bench/render.sh [RUNS]      (from the repository root; RUNS defaults to 3)
#   HARK=/path/to/hark bash bench/render.sh    to time an existing binary instead of building
#   (the floor probe: FLOOR=/path/to/hark-floor, else the one beside HARK, else built here)
# Inputs (made once, deterministically, with sox -R, in bench/.cache/):
#   long.wav     14 min, 44.1 kHz, mono, 16-bit: a 200-8000 Hz sweep + pink noise + a tone
#   stereo.flac   5 min, 48 kHz, stereo, 24-bit FLAC (mixed to mono by every tool)
# Analysis: FFT 1024, hop 512 (hark's defaults), so the image is frames x 513 pixels with
# frames = 1 + floor(samples / 512). sox is asked for exactly that (-x frames -y 513: a
# 1024-point DFT, hop 512). ffmpeg's showspectrumpic takes its FFT size from the height
# (FFT = 2 x height), so it is asked for frames x 512: a 1024-point FFT, the Nyquist row
# dropped. At height 513 it would run a 1026-point FFT, which FFmpeg 5.1 computes about
# 80x slower: that would measure a pathology, not a spectrogram. Its hop is about 512
# (samples / width, rounded down in the filter), with the same number of columns.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash bench/render.sh [RUNS]" >&2; exit 2; }

cache=bench/.cache
mkdir -p "$cache"

source bench/lib.sh
hark_for_bench render.sh --bench
long=$cache/long.wav
stereo=$cache/stereo.flac
if [[ ! -s "$long" ]]; then
  echo "making $long (840 s, 44.1 kHz mono 16-bit)" >&2
  sox -R -n -r 44100 -b 16 -c 1 "$long.tmp.wav" \
      synth 840 sine 200-8000 synth 840 pinknoise mix synth 840 sine mix 440 vol 0.3
  mv "$long.tmp.wav" "$long"
fi
if [[ ! -s "$stereo" ]]; then
  echo "making $stereo (300 s, 48 kHz stereo 24-bit FLAC)" >&2
  sox -R -n -r 48000 -b 24 -c 2 "$stereo.tmp.flac" \
      synth 300 sine 100-12000 pinknoise synth 300 sine mix 1000 sine mix 3000 vol 0.3
  mv "$stereo.tmp.flac" "$stereo"
fi

# Limits of the other tools (checked with sox 14.4.2 and FFmpeg 5.1 on Debian 12):
SOX_MAX_X=200000   # sox spectrogram: -x must be between 100 and 200000
# FFmpeg's image size check: (w + 128) * (h + 128) < INT_MAX / 8, so at height 512 the
# widest showspectrumpic image is 419300 pixels (419500 fails, "Picture size ... is invalid").
FF_MAX_AREA=$(( 2147483647 / 8 ))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# png_size FILE -> "WxH", read from the PNG's IHDR chunk
png_size() {
  local b
  read -r -a b < <(od -An -tu1 -j16 -N8 "$1")
  echo "$(( (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3] ))x$(( (b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7] ))"
}

# best NAME OUT CMD... : run CMD $runs times. Sets best_wall (s, the smallest of the runs, timed
# with bash's microsecond clock), best_cpu (user + sys s) and best_rss (max RSS KiB, from
# /usr/bin/time) of that fastest run. Each run writes OUT anew: the previous run's OUT is
# deleted before the clock starts, for every tool alike (on ext4, dropping a 25 MB file that
# an output replaces costs about 15 ms; the floor's write step also writes a new file).
best() {
  local name=$1 out=$2; shift 2
  local i t0 t1 wall user sys rss
  best_wall='' best_cpu='' best_rss=''
  for ((i = 0; i < runs; i++)); do
    rm -f "$out"
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>&1; then
      echo "render.sh: $name failed: $*" >&2; cat "$tmp/out" >&2; exit 1
    fi
    t1=$EPOCHREALTIME
    read -r user sys rss <"$tmp/time"
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    if [[ -z "$best_wall" ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall best_rss=$rss
      best_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    fi
  done
}

echo "bench/render.sh: $("$HARK" --version 2>&1 | head -1), $(sox --version 2>&1 | sed 's/^.*SoX /SoX /'), $(ffmpeg -version | head -1 | cut -d' ' -f1,3)"
echo "cpus (nproc): $(nproc); best wall time of $runs runs each, warm page cache; FFT 1024, hop 512"
echo "ratio = tool wall / hark wall (sox 4.0x = sox took 4 times as long as hark)"

bench_file() {
  local in=$1 label=$2 samples frames w_sox w_ff h_ff=512
  samples=$(soxi -s "$in")
  frames=$(( 1 + samples / 512 ))
  w_sox=$(( frames < SOX_MAX_X ? frames : SOX_MAX_X ))
  w_ff=$frames
  if (( (w_ff + 128) * (h_ff + 128) >= FF_MAX_AREA )); then
    w_ff=$(( (FF_MAX_AREA - 1) / (h_ff + 128) - 128 ))
  fi

  echo
  echo "== $label: $in"
  echo "   $samples samples per channel -> $frames frames; hark and sox ${frames}x513, ffmpeg ${w_ff}x${h_ff}"
  if (( w_sox < frames )); then
    echo "   NOTE: sox's -x is at most $SOX_MAX_X: sox draws $w_sox of the $frames columns"
  fi
  if (( w_ff < frames )); then
    echo "   NOTE: ffmpeg's image is at most $w_ff wide at height $h_ff: it draws $w_ff of the $frames columns"
  fi
  cat "$in" >/dev/null    # warm the page cache: no tool is timed reading from disk

  local -a names walls cpus rsss sizes
  best hark "$tmp/hark.png" "$HARK" render "$in" -o "$tmp/hark.png"
  names+=(hark) walls+=("$best_wall") cpus+=("$best_cpu") rsss+=("$best_rss")
  sizes+=("$(png_size "$tmp/hark.png")")

  # remix - : mix all channels to one, as hark's default --channel mix does
  best sox "$tmp/sox.png" sox "$in" -n remix - spectrogram -x "$w_sox" -y 513 -r -o "$tmp/sox.png"
  names+=(sox) walls+=("$best_wall") cpus+=("$best_cpu") rsss+=("$best_rss")
  sizes+=("$(png_size "$tmp/sox.png")")

  best ffmpeg "$tmp/ff.png" ffmpeg -nostdin -v error -y -i "$in" \
      -lavfi "aformat=channel_layouts=mono,showspectrumpic=s=${w_ff}x${h_ff}:legend=0" \
      -frames:v 1 "$tmp/ff.png"
  names+=(ffmpeg) walls+=("$best_wall") cpus+=("$best_cpu") rsss+=("$best_rss")
  sizes+=("$(png_size "$tmp/ff.png")")

  local floor_out floor_s
  floor_out=$("$FLOOR" --runs "$runs" "$in")
  floor_s=$(sed -n 's/^floor_s=//p' <<<"$floor_out")

  printf '   %-7s %9s %8s %11s %13s %7s\n' tool "wall s" "cpu s" "max RSS MB" "image WxH" ratio
  local i
  for i in "${!names[@]}"; do
    awk -v n="${names[$i]}" -v w="${walls[$i]}" -v c="${cpus[$i]}" -v r="${rsss[$i]}" \
        -v s="${sizes[$i]}" -v h="${walls[0]}" 'BEGIN {
          ratio = (h > 0) ? sprintf("%.1fx", w / h) : "n/a"
          printf "   %-7s %9.3f %8.2f %11.1f %13s %7s\n", n, w, c, r / 1024, s, ratio }'
  done
  grep -v '^floor_s=' <<<"$floor_out" | sed 's/^/   /'
  awk -v f="$floor_s" -v h="${walls[0]}" 'BEGIN {
    printf "   hark / floor: %.2fx (hark %.3f s, floor %.3f s)\n", h / f, h, f }'
}

# Beyond the plain STFT (README, "Beyond the plain STFT"): each option's cost as a multiple of
# the plain STFT with the same frame, on the same file, in the same run.
bench_options() {
  local in=$1
  echo
  echo "== analysis options on $in: hark's wall time / the plain STFT's with the same --fft"
  printf '   %-40s %9s %9s %7s
' options "wall s" "plain s" cost
  local -a cases=(
    "--fft 4096 --window-size 1024|--fft 4096"
    "--reassign|"
    "--pcen|"
    "--scale cqt --fft 8192|--fft 8192"
    "--reassign --pcen|"
  )
  local c opts plain w_opt
  for c in "${cases[@]}"; do
    opts=${c%%|*} plain=${c#*|}
    # shellcheck disable=SC2086
    best "hark $opts" "$tmp/o.png" "$HARK" render "$in" -o "$tmp/o.png" $opts
    w_opt=$best_wall
    # shellcheck disable=SC2086
    best "hark $plain" "$tmp/p.png" "$HARK" render "$in" -o "$tmp/p.png" $plain
    awk -v n="$opts" -v a="$w_opt" -v b="$best_wall" 'BEGIN {
      printf "   %-40s %9.3f %9.3f %6.2fx\n", n, a, b, a / b }'
  done
}

# Every channel (README, "Every channel"): the stereo file's two channels stacked, against its
# mono mix, in the same run; and sox's own stacking of the channels (its default) for scale.
bench_channels() {
  local in=$1 w_mix w_all
  echo
  echo "== channels on $in: --channel all (stacked) against the mono mix"
  best "hark mix" "$tmp/m.png" "$HARK" render "$in" -o "$tmp/m.png"
  w_mix=$best_wall
  best "hark all" "$tmp/a.png" "$HARK" render "$in" -o "$tmp/a.png" --channel all
  w_all=$best_wall
  best "sox stacked" "$tmp/s.png" sox "$in" -n spectrogram -x 28126 -y 513 -r -o "$tmp/s.png"
  awk -v m="$w_mix" -v a="$w_all" -v s="$best_wall" -v size="$(png_size "$tmp/a.png")" 'BEGIN {
    printf "   hark mix %.3f s, hark --channel all %.3f s (%s): %.2fx the mix; sox stacked %.3f s (%.1fx hark all)\n",
           m, a, size, a / m, s, s / a }'
}

bench_file "$long" "14 min, 44.1 kHz mono 16-bit WAV"
bench_file "$stereo" "5 min, 48 kHz stereo 24-bit FLAC (every tool mixes to mono)"
bench_options "$long"
bench_channels "$stereo"
