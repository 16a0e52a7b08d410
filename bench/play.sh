#!/usr/bin/env bash
# hark play measured for real: a private PulseAudio server with a null sink takes the sound,
# a private Xvfb (Mesa's llvmpipe) shows the window. Reports:
#   sync      display-to-sound offset over a 60-second file at 48 kHz, fft 2048, hop 512, a
#             1280x720 window: from hark's --stats log (for each row: the DAC time of its centre
#             sample, and the swap of the first frame showing it), median, p90, p99, max; and
#             the CPU of the whole process over the run
#   start-up  from the command to the first sound, for a 1-hour stereo FLAC: hark play, sox
#             (sox FILE -t pulseaudio) and ffmpeg (-f pulse), the same way: the sink's monitor is
#             recorded (parecord) through all three runs, each launch time is noted, and the first
#             loud sample after it is found (parecord at 5 ms latency; what it adds is in every
#             figure alike). Also hark's own figure (its first buffer's DAC time).
#   bash bench/play.sh [RUNS]         (from anywhere; start-up runs per player, default 3)
#   HARK=/path/to/hark bash bench/play.sh     to measure an existing binary instead of building
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash bench/play.sh [RUNS]" >&2; exit 2; }
RATE=48000 FFT=2048 HOP=512 SIZE=1280x720

bash scripts/setup.sh --test >&2
source bench/lib.sh
hark_for_bench play.sh --bench
cache=bench/.cache

source bench/realtime.sh
hark_pid='' rec_pid=''
cleanup() {
  rt_stop "$hark_pid"; rt_stop "$rec_pid"; rt_stop "$xvfb_pid"; rt_stop "$pulse_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rt_servers "$RATE"

# ---- the files: 60 s of tone bursts (WAV), and one hour of stereo tones (FLAC, cached)
wav=$tmp/bursts60.wav
/usr/bin/python3 - "$wav" "$RATE" <<'EOF'
import sys
import numpy as np
import soundfile as sf
path, rate = sys.argv[1], int(sys.argv[2])
x = np.zeros(60 * rate)
t = np.arange(int(0.25 * rate)) / rate
for k in range(120):  # a burst every 0.5 s, 0.25 s long, 500..4000 Hz
    i = k * rate // 2
    x[i:i + len(t)] = 0.3 * np.sin(2 * np.pi * (500 + 250 * (k % 15)) * t)
sf.write(path, x.astype(np.float32), rate, subtype="PCM_16")
EOF
hour=$cache/hour-48k-stereo.flac
if [[ ! -s "$hour" ]]; then
  echo "play.sh: making a 1-hour stereo FLAC (once; cached in $cache)" >&2
  sox -n -r "$RATE" -c 2 -b 16 "$hour.part.flac" synth 3600 sine 440 sine 660 vol 0.3
  mv "$hour.part.flac" "$hour"
fi

echo "bench/play.sh: $("$HARK" --version 2>&1 | head -1), $(nproc) cpus, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "default output = PulseAudio null sink at $RATE Hz; window $SIZE on Xvfb (Mesa llvmpipe)"

# ---- sync over 60 s, with the window
out=$tmp/sync.out
/usr/bin/time -f "%U %S %e" -o "$tmp/sync.time" \
    "${henv[@]}" "$HARK" play "$wav" --fft "$FFT" --hop "$HOP" --size "$SIZE" \
    --stats "$tmp/sync.csv" --snapshot-dir "$tmp" >"$out" 2>"$tmp/sync.err" ||
  { cat "$out" "$tmp/sync.err" >&2; echo "play.sh: hark play failed" >&2; exit 1; }
echo
echo "== sync, 60-second file, fft $FFT, hop $HOP ($(awk -v h="$HOP" -v r="$RATE" \
    'BEGIN { printf "%.1f", 1000 * h / r }') ms) + one 60 Hz frame (16.7 ms) = the bound:"
sed 's/^/   /' "$out"
/usr/bin/python3 - "$tmp/sync.csv" "$tmp/sync.time" <<'EOF'
import csv, sys
import numpy as np
rows = list(csv.DictReader(open(sys.argv[1])))
off = np.array([float(r["offset_ms"]) for r in rows])
user, sys_, wall = map(float, open(sys.argv[2]).read().split()[-3:])
print("   %d rows: offset median %.1f ms, p90 %.1f, p99 %.1f, max %.1f; rows in order: %s"
      % (len(off), np.median(off), np.percentile(off, 90), np.percentile(off, 99), off.max(),
         [int(r["row"]) for r in rows] == list(range(len(rows)))))
print("   CPU of the process: %.0f %% of one core over %.1f s" % (100 * (user + sys_) / wall, wall))
EOF

# ---- start-up to first sound, 1-hour FLAC, each player `runs` times, the monitor recorded
rec=$tmp/monitor.wav
# a 5 ms capture latency: parecord's default (large fragments) would add a second to each figure
"${penv[@]}" parecord --device=hark.monitor --latency-msec=5 --file-format=wav --rate="$RATE" \
    --channels=1 "$rec" &
rec_pid=$!
sleep 1
t_rec=$EPOCHREALTIME
launches=$tmp/launches
: >"$launches"
# launch NAME CMD...: run a player for 2.5 s, note when it was launched, stop it, 1 s of quiet
launch() {
  local name=$1; shift
  echo "$name $EPOCHREALTIME" >>"$launches"
  "$@" >"$tmp/$name.out" 2>&1 &
  hark_pid=$!
  sleep 2.5
  rt_stop "$hark_pid"
  hark_pid=''
  sleep 1
}
for ((i = 0; i < runs; i++)); do
  launch hark "${penv[@]}" "$HARK" play "$hour" --headless
  grep -o 'first sound [0-9.]* ms' "$tmp/hark.out" >>"$tmp/hark.own" || true
  launch sox "${penv[@]}" sox -q "$hour" -t pulseaudio default
  launch ffmpeg "${penv[@]}" ffmpeg -nostdin -loglevel error -i "$hour" -f pulse -device default hark
done
t_end=$EPOCHREALTIME
rt_stop "$rec_pid"
rec_pid=''
echo
echo "== start-up to first sound, 1-hour 48 kHz stereo FLAC ($(du -h "$hour" | cut -f1)), $runs runs each:"
/usr/bin/python3 - "$rec" "$launches" "$t_end" <<'EOF'
import sys
import numpy as np
import soundfile as sf
x, rate = sf.read(sys.argv[1])
x = x if x.ndim == 1 else x.mean(axis=1)
t_end = float(sys.argv[3])
t0 = t_end - len(x) / rate  # the recording's first sample, dated from its end
loud = np.flatnonzero(np.abs(x) > 0.05)
res = {}
for line in open(sys.argv[2]):
    name, t = line.split()
    i = int((float(t) - t0) * rate)
    after = loud[loud >= max(i, 0)]
    res.setdefault(name, []).append((after[0] - i) / rate * 1000 if len(after) else float("nan"))
for name, ms in res.items():
    print("   %-7s %s ms   median %.0f ms" % (name, " ".join("%.0f" % m for m in ms), np.nanmedian(ms)))
h = np.nanmedian(res["hark"])
for name in ("sox", "ffmpeg"):
    print("   %s / hark: %.2fx" % (name, np.nanmedian(res[name]) / h))
print("   (nan: no sound found within the run)")
EOF
if [[ -s "$tmp/hark.own" ]]; then
  echo "   hark's own figure (its first buffer's DAC time): $(awk '{ printf "%s%s ms", sep, $3; sep = ", " }' "$tmp/hark.own")"
fi
