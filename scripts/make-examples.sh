#!/usr/bin/env bash
# Regenerate assets/examples/demo.flac: 12 s of synthetic sound with features a spectrogram
# should show (see assets/examples/README.md). Deterministic: fixed seed, no input files.
# Needs Debian's python3 with numpy and soundfile (scripts/setup.sh --test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 - <<'PY'
import numpy as np
import soundfile as sf

RATE = 44100
t = np.arange(12 * RATE) / RATE
out = np.zeros_like(t)
rng = np.random.default_rng(20261124)


def env(start, length, attack=0.01, decay=None):
    """A note envelope: linear attack, exponential decay, zero outside [start, start+length)."""
    x = t - start
    e = np.clip(x / attack, 0, 1)
    if decay:
        e *= np.exp(-np.clip(x, 0, None) / decay)
    e[(x < 0) | (x >= length)] = 0
    return e


# 0-2 s: a steady 1 kHz tone at -20 dBFS (a level to check against the colour bar).
out += 0.1 * np.sin(2 * np.pi * 1000 * t) * env(0, 2, 0.005)
# 2-6 s: a logarithmic sweep from 50 Hz to 20 kHz at -12 dBFS.
f0, f1, T = 50.0, 20000.0, 4.0
x = np.clip(t - 2, 0, T)
phase = 2 * np.pi * f0 * T / np.log(f1 / f0) * (np.exp(x / T * np.log(f1 / f0)) - 1)
out += 0.25 * np.sin(phase) * env(2, T, 0.005)
# 6-10 s: plucked notes (A minor arpeggio) with 12 decaying harmonics each.
for i, midi in enumerate([57, 60, 64, 69, 72, 76, 81, 84]):
    f = 440 * 2 ** ((midi - 69) / 12)
    start = 6 + 0.5 * i
    for h in range(1, 13):
        if f * h < RATE / 2:
            out += 0.12 / h * np.sin(2 * np.pi * f * h * t) * env(start, 1.5, 0.003, 0.5 / h ** 0.5)
# 10-11 s: a white-noise burst; 11-12 s: clicks every 100 ms.
out += 0.05 * rng.standard_normal(t.size) * env(10, 1, 0.01)
for k in range(10):
    i = int((11 + 0.1 * k) * RATE)
    out[i:i + 3] += [0.6, -0.6, 0.3]

assert np.max(np.abs(out)) < 1.0
sf.write("assets/examples/demo.flac", out, RATE, subtype="PCM_16")
PY
echo "wrote assets/examples/demo.flac"
