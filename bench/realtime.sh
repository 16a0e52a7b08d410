# Shared by the bench scripts that use real audio and a real window (sourced, after lib.sh):
# a private PulseAudio server with a null sink "hark" (its monitor the default source, ALSA's
# default pointed at it) and a private Xvfb, both children of the calling shell, in a private
# temporary folder $tmp, stopped by the process ids started (rt_stop). Sets penv (the sound
# server's environment, as an env command) and henv (the same with DISPLAY).
#   rt_servers RATE      start both; the caller's EXIT trap should rt_stop "$xvfb_pid" "$pulse_pid"
#                        and remove $tmp
tmp=$(mktemp -d)      # 0700
home=$tmp/home        # HOME and XDG_RUNTIME_DIR of the private sound server
mkdir -m 700 "$home"
printf 'pcm.!default { type pulse }\nctl.!default { type pulse }\n' >"$home/.asoundrc"
pulse_pid='' xvfb_pid=''

# rt_stop PID: SIGTERM, up to 5 s to go, then SIGKILL; reaps it (all are children of this shell)
rt_stop() {
  local pid=$1 i
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  for ((i = 0; i < 50; i++)); do
    [[ "$(rt_state "$pid")" =~ ^(Z|gone)$ ]] && break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# rt_state PID -> the state letter from /proc/PID/stat, or "gone"
rt_state() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return; }
  s=${s##*) }
  echo "${s%% *}"
}

rt_servers() {
  local RATE=$1 i display
  # ---- the sound server: PulseAudio, null sink "hark" at RATE, its monitor the default source
  penv=(env -u SDL_VIDEODRIVER XDG_RUNTIME_DIR="$home" HOME="$home" PULSE_SERVER="unix:$home/pulse/native")
  "${penv[@]}" pulseaudio -n --daemonize=no --exit-idle-time=-1 --log-target=stderr \
      "--load=module-null-sink sink_name=hark rate=$RATE" \
      --load=module-native-protocol-unix >"$tmp/pulse.log" 2>&1 &
  pulse_pid=$!
  for ((i = 0; ; i++)); do
    "${penv[@]}" pactl info >/dev/null 2>&1 && break
    if ((i >= 200)) || [[ "$(rt_state "$pulse_pid")" =~ ^(Z|gone)$ ]]; then
      tail -n 20 "$tmp/pulse.log" >&2; echo "bench: pulseaudio did not start" >&2; exit 1
    fi
    sleep 0.05
  done
  "${penv[@]}" pactl set-default-sink hark
  "${penv[@]}" pactl set-default-source hark.monitor

  # ---- the display: Xvfb on a free display number it picks itself
  Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -noreset 3>"$tmp/display" \
      >"$tmp/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for ((i = 0; ; i++)); do
    display=$(head -n 1 "$tmp/display" 2>/dev/null || true)
    [[ "$display" =~ ^[0-9]+$ ]] && break
    if ((i >= 200)) || [[ "$(rt_state "$xvfb_pid")" =~ ^(Z|gone)$ ]]; then
      tail -n 20 "$tmp/xvfb.log" >&2; echo "bench: Xvfb did not start" >&2; exit 1
    fi
    sleep 0.05
  done
  henv=("${penv[@]}" DISPLAY=":$display")
}
