"""Shared helpers for the end-to-end tests of the hark binary.

The oracles are independent of hark's own code: numpy's FFT for the spectrum, PIL for reading
PNGs, python3-soundfile (libsndfile) for writing test audio.
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import numpy as np
import soundfile as sf
from PIL import Image

HARK = os.environ.get("HARK") or os.path.join(os.path.dirname(__file__), "../../build/hark")
SOURCE = os.environ.get("HARK_SOURCE") or os.path.join(os.path.dirname(__file__), "../..")


SANITIZED = os.environ.get("HARK_SANITIZE", "") != ""
# Lines ALSA and PortAudio print by themselves while streams run (an xrun on a loaded machine,
# a sound server gone). hark filters them out of its stderr (src/app/stderr_filter.c) except in
# sanitizer builds, whose own reports must never be held back: there the tests drop them.
AUDIO_NOISE = re.compile(r"^(Expression '|ALSA lib |PaAlsa)")


def audio_stderr(err):
    """hark's stderr from a command that streamed audio, as a user of the plain build sees it."""
    if not SANITIZED:
        return err
    return "".join(ln for ln in err.splitlines(True) if not AUDIO_NOISE.match(ln))


def run(*args, cwd=None):
    """Run hark; return (exit status, stdout, stderr)."""
    p = subprocess.run([HARK, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                       timeout=600)
    return p.returncode, p.stdout, p.stderr


def start_hark(*args, env=None, **kw):
    """Start hark in the background, its stdout and stderr as text pipes; the caller stops it
    (stop_process) or waits for it (communicate)."""
    return subprocess.Popen([HARK, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def leftovers(folder):
    """Temporary files and backups of replaced outputs under folder: none may outlive a run."""
    return [f for f in glob.glob(os.path.join(folder, "**", "*"), recursive=True)
            if ".tmp." in os.path.basename(f) or ".old." in os.path.basename(f)]


def stop_for(p, seconds):
    """Ctrl-Z and fg: SIGSTOP to p, seconds later SIGCONT."""
    p.send_signal(signal.SIGSTOP)
    time.sleep(seconds)
    p.send_signal(signal.SIGCONT)


def drain_fifo(fifo, copy):
    """A reader for a FIFO hark writes to: it copies what comes into the file copy (never into
    a pipe nobody reads while hark runs: both would stall once the pipes fill)."""
    with open(copy, "wb") as sink:
        return subprocess.Popen(["cat", fifo], stdout=sink)


def sine(rate, seconds, freq, amp=1.0, phase=0.3):
    n = int(round(rate * seconds))
    t = np.arange(n) / rate
    return amp * np.cos(2 * np.pi * freq * t + phase)


def bin_freq(rate, fft, k):
    return k * rate / fft


def periodic_window(name, n):
    i = np.arange(n)
    a = {"hann": (0.5, 0.5, 0, 0), "hamming": (0.54, 0.46, 0, 0),
         "blackman": (0.42, 0.5, 0.08, 0),
         "blackman-harris": (0.35875, 0.48829, 0.14128, 0.01168), "rect": (1, 0, 0, 0)}[name]
    ph = 2 * np.pi * i / n
    return a[0] - a[1] * np.cos(ph) + a[2] * np.cos(2 * ph) - a[3] * np.cos(3 * ph)


def reference_db(x, fft=1024, hop=512, window="hann", floor=-120.0):
    """hark's STFT (docs/FORMATS.md, "Framing") in float64: frames centred on k*hop, zero padding, 2/sum(w) scaling
    (1/sum(w) at DC and Nyquist), dB clamped at the floor. Shape (bins, frames)."""
    x = np.asarray(x, dtype=np.float64)
    w = periodic_window(window, fft)
    frames = 1 + len(x) // hop
    pad = np.concatenate([np.zeros(fft // 2), x, np.zeros(fft)])
    idx = np.arange(fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.abs(np.fft.rfft(pad[idx] * w, axis=1)) * 2.0 / w.sum()
    spec[:, 0] /= 2
    spec[:, -1] /= 2
    with np.errstate(divide="ignore"):
        db = 20 * np.log10(spec)
    return np.maximum(db, floor).T


def read_png(path):
    im = Image.open(path)
    im.load()
    return im


def png_indices(path):
    """Palette indices of an 8-bit palette PNG as an array (height, width)."""
    im = read_png(path)
    assert im.mode == "P", im.mode
    return np.array(im)


def png_text(path):
    return dict(read_png(path).text)


class HarkTest(unittest.TestCase):
    """A test case with a private temporary folder."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="hark-e2e-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, data, rate, subtype=None, fmt=None):
        p = self.path(name)
        sf.write(p, data, rate, subtype=subtype, format=fmt)
        return p

    def noise(self, name, seconds, seed, rate=44100):
        """A WAV of full-scale white noise (16-bit), the same for the same seed."""
        x = np.random.default_rng(seed).uniform(-1, 1, int(rate * seconds))
        return self.write(name, x, rate, "PCM_16")

    def expect_start(self, hark, command):
        """Read the start line ("live: ...", "play: ...") of a hark started with start_hark;
        fail with its stderr if there is none. Returns the line."""
        first = hark.stdout.readline()
        if not first.startswith(command + ": "):
            self.fail("no start line: " + first + hark.communicate(timeout=60)[1])
        return first

    def render_ok(self, *args, cwd=None):
        code, out, err = run("render", *args, cwd=cwd)
        self.assertEqual(code, 0, f"hark render {args} failed: {err}")
        self.assertEqual(err, "", "a successful render is quiet on stderr when it is not a tty")
        return out

    def listing(self):
        return sorted(os.listdir(self.dir))


def finish(proc, timeout):
    """proc.communicate(timeout=timeout); when it does not end in time, the failure carries
    every thread's stack (gdb), then the process is killed: a hang says where it hung."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        trace = subprocess.run(["gdb", "-p", str(proc.pid), "-batch", "-ex",
                                "thread apply all bt"], capture_output=True, text=True,
                               timeout=120)
        proc.kill()
        proc.communicate()
        stacks = "\n".join(ln for ln in trace.stdout.splitlines() if ln.startswith(("#", "Thread")))
        raise AssertionError("%s did not end in %s s; its threads:\n%s"
                             % (proc.args, timeout, stacks)) from None


def stop_process(proc, timeout=10):
    """Stop a child we started (by its process id): SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    unittest.main(verbosity=2)


def load_json(path):
    with open(path) as f:
        return json.load(f)
