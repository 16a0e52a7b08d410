#!/usr/bin/env bash
# Install the Debian 12 packages hark needs that are not installed yet (and nothing when all are).
#   scripts/setup.sh           what building and running hark needs
#   scripts/setup.sh --test    ... and what the test suite needs
#   scripts/setup.sh --bench   ... and what the benchmarks compare against (sox, ffmpeg)
#   scripts/setup.sh --fuzz    ... and clang with libFuzzer (scripts/fuzz.sh)
set -euo pipefail

# libgl1-mesa-dri: Mesa's OpenGL drivers (llvmpipe where there is no GPU), for the live window.
build_pkgs=(gcc make cmake pkg-config
            libfftw3-dev libebur128-dev libsndfile1-dev libpng-dev libfreetype-dev portaudio19-dev libsdl2-dev
            libsamplerate0-dev
            libgl-dev libgl1-mesa-dri)
# The end-to-end tests use independent oracles: numpy's FFT, PIL's PNG reader, and libsndfile
# through python3-soundfile to write test files (Debian's python3, not a virtualenv's); and a
# real sound server: PulseAudio with a null sink, reached by PortAudio through ALSA's pulse
# plugin; and a real X server without a screen, Xvfb, for the live window (xdotool types
# its keys); valgrind for memcheck over render and info; gdb for the stacks of a process that
# hangs in a test; man and groff to render the man page;
# sox, ffmpeg and arecord (alsa-utils), whose streams go through hark in the pipeline tests;
# dpkg-dev (cpack's dpkg-shlibdeps) and zsh for the install test; a single-node Slurm
# (slurmctld, slurmd, munge) for the cluster test; a JACK server (jackd2, its dummy backend,
# and its tools) and PipeWire (pipewire, wireplumber, pipewire-pulse, with a private D-Bus)
# for the sound servers besides PulseAudio.
test_pkgs=(python3 python3-numpy python3-pil python3-soundfile
           pulseaudio pulseaudio-utils libasound2-plugins xvfb xdotool valgrind gdb man-db groff-base
           sox libsox-fmt-all ffmpeg alsa-utils dpkg-dev zsh slurmctld slurmd slurm-client munge
           jackd2 pipewire pipewire-pulse wireplumber dbus)
bench_pkgs=(sox libsox-fmt-all ffmpeg time python3 python3-pil)
# libFuzzer is clang's (its runtime is in libclang-rt); the seed corpus is written by soundfile.
fuzz_pkgs=(clang-14 libclang-rt-14-dev python3 python3-numpy python3-soundfile)

want=("${build_pkgs[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${test_pkgs[@]}") ;;
    --bench) want+=("${bench_pkgs[@]}") ;;
    --fuzz) want+=("${fuzz_pkgs[@]}") ;;
    *) echo "setup.sh: unknown option '$arg' (use --test, --bench, --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#want[@]} packages are installed"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: run as root, or install sudo" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
