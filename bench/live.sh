#!/usr/bin/env bash
# The live side of hark, measured for real: a private PulseAudio server with a null sink plays
# tones into hark live's default input, and a private Xvfb (Mesa's llvmpipe draws the window,
# on the CPU) shows its window. Reports, for 48 kHz, fft 2048, hop 512, a 1280x720 window:
#   latency  hark's own exit line (ADC time of a sample to the swap of the first frame showing it)
#   CPU      user + sys of the whole process, and of its DSP thread ("hark-dsp") alone, as % of
#            one core, from /proc between the start line and the last sample before exit
#   memory   VmRSS every 5 s: the first sample (5 s in), the last, the largest
# and the same (without latency) for a --headless run, for comparison.
#   bash bench/live.sh [DURATION]     (from anywhere; DURATION in seconds, default 60)
#   HARK=/path/to/hark bash bench/live.sh     to measure an existing binary instead of building
#   HEADLESS_S=N    the headless run's length (default: DURATION, at most 60)
#   HARK_NO_PANELS=1  hark's window starts without the analyzer's spectrum panel and meters
#                   (passed through to hark: to see what the panels cost)
#   LIVE_ARGS="..."  more options for both runs (as --channel 1,2: two panes, two lanes)
# Everything it starts (pulseaudio, Xvfb, paplay, hark) is its child, in a private temporary
# folder, and is stopped by the process id it started.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${1:-60}
[[ "$duration" =~ ^[1-9][0-9]*$ ]] && ((duration >= 10)) ||
  { echo "usage: bash bench/live.sh [DURATION]   (whole seconds, at least 10)" >&2; exit 2; }
headless_s=${HEADLESS_S:-$((duration < 60 ? duration : 60))}
[[ "$headless_s" =~ ^[1-9][0-9]*$ ]] || { echo "live.sh: HEADLESS_S must be whole seconds" >&2; exit 2; }
RATE=48000 FFT=2048 HOP=512 SIZE=1280x720

cache=bench/.cache
mkdir -p "$cache"

source bench/lib.sh
hark_for_bench live.sh --test

source bench/realtime.sh
player_pid='' hark_pid=''
cleanup() {
  rt_stop "$hark_pid"; rt_stop "$player_pid"; rt_stop "$xvfb_pid"; rt_stop "$pulse_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ticks FILE -> utime + stime (clock ticks) from a /proc .../stat file; fails if it is gone.
# The sampling below reads /proc with builtins only (tick_of sets $tk), so that it forks
# almost nothing while it measures.
tick_of() {
  local s f
  { read -r s <"$1"; } 2>/dev/null || return 1
  s=${s##*) }           # after "pid (comm) ": state is field 0, utime 11, stime 12
  read -r -a f <<<"$s"
  tk=$(( f[11] + f[12] ))
}
ticks() { tick_of "$1" && echo "$tk"; }
# rss_of PID: sets $rss to VmRSS (KiB); fails if it is gone
rss_of() {
  local k v
  rss=''
  { while read -r k v _; do [[ "$k" == VmRSS: ]] && { rss=$v; break; }; done <"/proc/$1/status"; } 2>/dev/null
  [[ -n "$rss" ]]
}

hz=$(getconf CLK_TCK)
pname=$(basename "$HARK" | cut -c1-15)
# threads PID -> one line per thread: "tid name ticks" (the main thread is "main", llvmpipe-N
# are summed as llvmpipe-*, threads that kept the process's name are "unnamed")
threads() {
  local t c
  nthreads=0
  for t in /proc/"$1"/task/*; do
    { read -r c <"$t/comm"; } 2>/dev/null && tick_of "$t/stat" || continue
    [[ "${t##*/}" == "$1" ]] && c=main || { [[ "$c" == "$pname" ]] && c=unnamed; }
    c=${c// /_}
    echo "${t##*/} ${c/#llvmpipe-[0-9]*/llvmpipe-*} $tk"
    nthreads=$((nthreads + 1))
  done
}

rt_servers "$RATE"

# ---- the sound: three tones (1, 4 and 7 kHz, -30 dBFS each) and a slow 200-8000 Hz sweep
# (-36 dBFS), long enough for both runs, played once by one paplay
play_s=$(( (duration > headless_s ? duration : headless_s) + 30 ))
wav=$tmp/tones.wav
/usr/bin/python3 - "$wav" "$RATE" "$play_s" <<'EOF'
import sys
import numpy as np
import soundfile as sf
path, rate, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
a_tone, a_sweep, f0, f1, period = 10 ** (-30 / 20), 10 ** (-36 / 20), 200.0, 8000.0, 20.0
with sf.SoundFile(path, "w", rate, 1, "PCM_16") as f:
    for start in range(0, seconds, 10):
        t = (start * rate + np.arange(10 * rate)) / rate
        x = sum(a_tone * np.sin(2 * np.pi * fr * t) for fr in (1000.0, 4000.0, 7000.0))
        # exponential sweep f0 -> f1 in `period` seconds, repeated (phase reset each period)
        k = np.log(f1 / f0) / period
        tp = t % period
        x += a_sweep * np.sin(2 * np.pi * f0 * (np.exp(k * tp) - 1) / k)
        f.write(x.astype(np.float32))
EOF
"${penv[@]}" paplay "$wav" >"$tmp/paplay.log" 2>&1 &
player_pid=$!
sleep 0.5

# run_hark NAME SECONDS [ARGS...] : runs hark live for SECONDS on the default input, sampling
# /proc every second. Sets: out (its stdout file), cpu_pct, dsp_pct, cpu_s (process CPU s
# over the sampled interval), span_s, rss_first/rss_last/rss_max (KiB), nthreads, and
# by_thread (CPU % of each kind of thread, largest first)
run_hark() {
  local name=$1 secs=$2; shift 2
  out=$tmp/$name.out
  local err=$tmp/$name.err
  "${henv[@]}" "$HARK" live --duration "$secs" --rate "$RATE" --fft "$FFT" --hop "$HOP" \
      --snapshot-dir "$tmp" ${LIVE_ARGS:-} "$@" >"$out" 2>"$err" &
  hark_pid=$!
  local i
  for ((i = 0; ; i++)); do
    grep -q '^live: .* at [0-9]* Hz, .*fft [0-9]' "$out" 2>/dev/null && break
    if ((i >= 600)) || [[ "$(rt_state "$hark_pid")" =~ ^(Z|gone)$ ]]; then
      cat "$out" "$err" >&2; echo "live.sh: hark live ($name) did not start" >&2; exit 1
    fi
    sleep 0.05
  done
  local t0 p0 d0 dsp_stat='' tid c
  t0=$EPOCHREALTIME
  p0=$(ticks "/proc/$hark_pid/stat")
  for tid in /proc/"$hark_pid"/task/*; do
    c=$(cat "$tid/comm" 2>/dev/null || true)
    [[ "$c" == hark-dsp ]] && dsp_stat=$tid/stat
  done
  [[ -n "$dsp_stat" ]] || { echo "live.sh: no hark-dsp thread in hark ($name)" >&2; exit 1; }
  d0=$(ticks "$dsp_stat")
  threads "$hark_pid" >"$tmp/$name.threads0"
  local t1=$t0 p1=$p0 d1=$d0 p d now rss next=5 st
  rss_first='' rss_last='' rss_max=0 nthreads=0
  local u0=$((10#${t0/./})) st_line
  missed=0
  while :; do
    sleep 1
    { read -r st_line <"/proc/$hark_pid/stat"; } 2>/dev/null || break
    st_line=${st_line##*) }
    [[ "${st_line%% *}" =~ ^(Z|X)$ ]] && break
    now=$EPOCHREALTIME
    # a read of /proc that fails while hark still runs is skipped (and counted), not the end
    if ! { tick_of "/proc/$hark_pid/stat" && p=$tk && tick_of "$dsp_stat" && d=$tk &&
           rss_of "$hark_pid"; }; then
      [[ "$(rt_state "$hark_pid")" =~ ^(Z|gone)$ ]] && break
      missed=$((missed + 1))
      continue
    fi
    t1=$now p1=$p d1=$d
    threads "$hark_pid" >"$tmp/$name.threads1"
    # memory every 5 s from the start line (5 s, 10 s, ...)
    now=${now/./}
    if (( 10#$now - u0 >= next * 1000000 )); then
      [[ -n "$rss_first" ]] || rss_first=$rss
      rss_last=$rss
      ((rss > rss_max)) && rss_max=$rss
      echo "$name $next $rss" >>"$tmp/rss.log"
      next=$((next + 5))
    fi
  done
  local code=0
  wait "$hark_pid" || code=$?
  hark_pid=''
  if ((code != 0)); then
    cat "$out" "$err" >&2; echo "live.sh: hark live ($name) exited with status $code" >&2; exit 1
  fi
  if [[ -s "$err" ]]; then
    echo "   NOTE: hark live ($name) wrote on stderr:" >&2; sed 's/^/     /' "$err" >&2
  fi
  read -r span_s cpu_s cpu_pct dsp_pct < <(awk -v t0="$t0" -v t1="$t1" -v p0="$p0" -v p1="$p1" \
      -v d0="$d0" -v d1="$d1" -v hz="$hz" 'BEGIN {
        s = t1 - t0; c = (p1 - p0) / hz
        printf "%.1f %.2f %.1f %.1f\n", s, c, (s > 0 ? 100 * c / s : 0),
               (s > 0 ? 100 * (d1 - d0) / hz / s : 0) }')
  by_thread=$(awk -v s="$span_s" -v hz="$hz" '
      NR == FNR { k0[$1] = $3; next }
      { pct[$2] += 100 * ($3 - k0[$1]) / hz / s }
      END { for (n in pct) printf "%.1f %s\n", pct[n], n }' \
      "$tmp/$name.threads0" "$tmp/$name.threads1" | sort -rn | awk '$1 >= 0.1 { printf "%s%s %s", sep, $2, $1; sep = ", " }')
}

echo "bench/live.sh: $("$HARK" --version 2>&1 | head -1), $(nproc) cpus, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "default input = PulseAudio null sink monitor at $RATE Hz; fft $FFT, hop $HOP; window $SIZE on Xvfb (Mesa llvmpipe)"
echo "CPU % = user+sys / wall over the run from the start line, 100 % = one core"

x0=$(ticks "/proc/$xvfb_pid/stat"); xt0=$EPOCHREALTIME
run_hark window "$duration" --size "$SIZE"
x1=$(ticks "/proc/$xvfb_pid/stat"); xt1=$EPOCHREALTIME
w_out=$out w_span=$span_s w_cpu_s=$cpu_s w_cpu=$cpu_pct w_dsp=$dsp_pct w_missed=$missed
w_rss=("$rss_first" "$rss_last" "$rss_max") w_threads=$nthreads w_by=$by_thread
xvfb_pct=$(awk -v a="$x0" -v b="$x1" -v s="$xt0" -v e="$xt1" -v hz="$hz" \
               'BEGIN { printf "%.1f", 100 * (b - a) / hz / (e - s) }')

run_hark headless "$headless_s" --headless
h_out=$out h_span=$span_s h_cpu_s=$cpu_s h_cpu=$cpu_pct h_dsp=$dsp_pct h_missed=$missed
h_rss=("$rss_first" "$rss_last" "$rss_max") h_threads=$nthreads h_by=$by_thread

echo
echo "== window run, $duration s (hark's own lines):"
grep -E '^(live|latency|window):' "$w_out" | sed 's/^/   /'
echo "== headless run, $headless_s s:"
grep -E '^live:' "$h_out" | tail -n 1 | sed 's/^/   /'
echo
lat() { sed -n 's/^latency: median \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 \2/p' "$1"; }
drops() { sed -n 's/^live: .* \([0-9]*\) samples dropped, \([0-9]*\) rows dropped.*/\1 \2/p' "$1"; }
mb() { awk -v k="$1" 'BEGIN { if (k == "") print "n/a"; else printf "%.1f", k / 1024 }'; }
printf '   %-9s %6s %14s %16s %7s %7s %8s %22s\n' run "s" "dropped smp/row" "latency med/p99" \
    "cpu %" "dsp %" threads "RSS MB first/last/max"
row() {
  local name=$1 secs=$2 o=$3 c=$4 d=$5 th=$6 r1=$7 r2=$8 r3=$9 l dr
  l=$(lat "$o"); dr=$(drops "$o")
  printf '   %-9s %6s %14s %16s %7s %7s %8s %22s\n' "$name" "$secs" "${dr/ //}" \
      "$([[ -n "$l" ]] && echo "${l/ / / } ms" || echo -)" "$c" "$d" "$th" \
      "$(mb "$r1") / $(mb "$r2") / $(mb "$r3")"
}
row window "$duration" "$w_out" "$w_cpu" "$w_dsp" "$w_threads" "${w_rss[@]}"
row headless "$headless_s" "$h_out" "$h_cpu" "$h_dsp" "$h_threads" "${h_rss[@]}"
echo "   (CPU over ${w_span} s / ${h_span} s sampled: ${w_cpu_s} / ${h_cpu_s} CPU s; Xvfb during the window run: ${xvfb_pct} %; /proc reads skipped: ${w_missed} / ${h_missed})"
echo "   window CPU % by thread:   $w_by"
echo "   headless CPU % by thread: $h_by"
awk -v a="${w_rss[0]}" -v b="${w_rss[1]}" 'BEGIN { if (a > 0) printf "   window RSS last - first: %+.1f MB (%+.1f %%)\n", (b - a) / 1024, 100 * (b - a) / a }'
if ((duration >= 120)); then
  echo "   window RSS MB every 60 s: $(awk '$1 == "window" && $2 % 60 == 0 { printf "%s%.1f", sep, $3 / 1024; sep = " " }' "$tmp/rss.log")"
fi
if ((headless_s >= 120)); then
  echo "   headless RSS MB every 60 s: $(awk '$1 == "headless" && $2 % 60 == 0 { printf "%s%.1f", sep, $3 / 1024; sep = " " }' "$tmp/rss.log")"
fi
