"""The analyzer of live and play (README, "The analyzer"), for real: sound through PulseAudio's
null sink, the window under Xvfb. The traces written by --trace-out, the levels line, the
spectrum panel and the meters in snapshots, against levels set in the test (EBU Tech 3341
cases, a true-peak case) and the frequencies played."""
import csv
import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, audio_stderr, finish, main, stop_process  # noqa: E402
from window import WindowTest  # noqa: E402

RATE = 48000
FFT = 4096
BIN = 100
TONE_HZ = BIN * RATE / FFT  # a bin centre: 1171.875 Hz


def stereo(x):
    return np.stack([x, x], axis=1)


def levels_line(out, command):
    m = re.search(r"^%s: levels: sample peak (\S+) dBFS, true peak (\S+) dBTP, RMS (\S+) dBFS, "
                  r"integrated (\S+) LUFS, range (\S+) LU, (\d+) clipped samples$" % command, out,
                  re.M)
    assert m, out
    return [float(v) for v in m.groups()]


class AnalyzerTest(WindowTest):
    def run_headless(self, command, *args, timeout=120):
        p = subprocess.run([HARK, command, *map(str, args), "--headless"], env=self.env,
                           capture_output=True, text=True, timeout=timeout)
        self.assertEqual((p.returncode, audio_stderr(p.stderr)), (0, ""), p.stdout)
        return p.stdout

    def traces(self, path):
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(list(rows[0].keys()), ["hz", "current_dbfs", "average_dbfs",
                                                "peak_dbfs", "min_dbfs", "reference_dbfs"])
        return rows

    def test_live_traces_and_rms_of_a_minus_20_dbfs_sine(self):
        """A -20 dBFS bin-centred sine played into the sink reads -20.0 on the current and
        averaged traces in --trace-out, and -23.0 RMS on the levels line."""
        wav = self.write("tone.wav", stereo(0.1 * np.sin(2 * np.pi * TONE_HZ *
                                                          np.arange(30 * RATE) / RATE)),
                         RATE, "FLOAT")
        player = self.server.play(wav)
        try:
            time.sleep(0.5)
            out = self.run_headless("live", "--rate", RATE, "--fft", FFT, "--duration", 4,
                                    "--average", 0.3, "--trace-out", self.path("t.csv"))
        finally:
            stop_process(player)
        rows = self.traces(self.path("t.csv"))
        self.assertEqual(len(rows), FFT // 2 + 1)
        self.assertIn("%s (%d lines)" % (self.path("t.csv"), FFT // 2 + 1), out)
        tone = rows[BIN]
        self.assertAlmostEqual(float(tone["hz"]), TONE_HZ, places=3)
        self.assertAlmostEqual(float(tone["current_dbfs"]), -20.0, delta=0.1)
        self.assertAlmostEqual(float(tone["average_dbfs"]), -20.0, delta=0.1)
        self.assertEqual(tone["reference_dbfs"], "", "no reference captured")
        peak, tp, rms, *_ = levels_line(out, "live")
        self.assertAlmostEqual(rms, -23.0, delta=0.1)
        self.assertAlmostEqual(peak, -20.0, delta=0.1)

    def test_play_ebu_3341_loudness_and_true_peak(self):
        """EBU Tech 3341 cases 1 and 2 (1 kHz stereo sines at -23 and -33 dBFS a channel read
        their level in LUFS) and the true-peak case (a quarter-rate sine at 45 degrees: sample
        peak -3.01 dBFS, true peak 0.0 dBTP), on play's levels line."""
        t = np.arange(20 * RATE) / RATE
        for dbfs in (-23.0, -33.0):
            wav = self.write("l%d.wav" % -dbfs, stereo(10 ** (dbfs / 20) * np.sin(2 * np.pi * 1000 * t)),
                             RATE, "FLOAT")
            _, _, _, integrated, lra, clipped = levels_line(self.run_headless("play", wav), "play")
            self.assertAlmostEqual(integrated, dbfs, delta=0.1)
            self.assertAlmostEqual(lra, 0.0, delta=0.1)
            self.assertEqual(clipped, 0)
        tp_wav = self.write("tp.wav", stereo(np.sin(2 * np.pi * (RATE / 4) * t[:5 * RATE]
                                                    + np.pi / 4)), RATE, "FLOAT")
        peak, tp, *_ = levels_line(self.run_headless("play", tp_wav), "play")
        self.assertAlmostEqual(peak, -3.0, delta=0.05)
        self.assertAlmostEqual(tp, 0.0, delta=0.3)

    def test_play_octave_trace_out(self):
        """--octave 3 --weighting A: a line a band, the 1 kHz band holding a 1 kHz sine at its
        level (A weighting is 0 dB there)."""
        t = np.arange(6 * RATE) / RATE
        wav = self.write("k.wav", stereo(0.1 * np.sin(2 * np.pi * 1000 * t)), RATE, "FLOAT")
        self.run_headless("play", wav, "--fft", FFT, "--octave", 3, "--weighting", "A",
                          "--trace-out", self.path("b.csv"))
        rows = self.traces(self.path("b.csv"))
        band = [r for r in rows if abs(float(r["hz"]) - 1000) < 1][0]
        self.assertAlmostEqual(float(band["average_dbfs"]), -20.0, delta=0.3)
        self.assertLess(len(rows), 40, "bands, not bins")

    def snapshots_while_playing(self, wav, at_s, *args):
        """Play wav in the window; a snapshot (SIGUSR1) at each of at_s seconds after the
        start line; [(image, metadata)]."""
        hark = subprocess.Popen([HARK, "play", wav, "--size", "1280x720", "--snapshot-dir",
                                 self.dir, *map(str, args)], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertTrue(hark.stdout.readline().startswith("play: "))
            start = time.monotonic()
            for t in at_s:
                time.sleep(max(0.0, start + t - time.monotonic()))
                hark.send_signal(signal.SIGUSR1)
            time.sleep(1.0)
            hark.send_signal(signal.SIGTERM)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""), out)
        shots = []
        for path in re.findall(r"(\S+hark-\S+Z\.png) \(1280 x 720\)", out):
            image = Image.open(path)
            image.load()
            shots.append((np.asarray(image.convert("RGB")).astype(int),
                          json.loads(image.text["hark"])))
        self.assertEqual(len(shots), len(at_s), out)
        return shots

    def test_window_panels_show_the_tone_and_the_levels(self):
        """A tone at 5 kHz: the spectrum panel's highest trace point is at the pixel of 5 kHz
        on the panel's frequency axis; the sample-peak meter stands at the level played then
        (-6 dBFS for the first 4 s, -30 dBFS after), read from the bar's top."""
        t = np.arange(10 * RATE) / RATE
        amp = np.where(t < 4.0, 10 ** (-6 / 20), 10 ** (-30 / 20))
        wav = self.write("m.wav", stereo(amp * np.sin(2 * np.pi * 5000 * t)), RATE, "FLOAT")
        for rgb, meta in self.snapshots_while_playing(wav, [2.5, 7.5], "--fft", FFT):
            pos = meta["position_s"]
            with self.subTest(position_s=pos):
                x, y, w, h = meta["spectrum_area"]
                panel = rgb[y + 24:y + h, x:x + w]  # under the legend
                trace = (panel.max(axis=2) > 120)  # the traces, not the grid or background
                cols = np.where(trace.any(axis=0))[0]
                tops = np.array([np.argmax(trace[:, c]) for c in cols])
                peak_col = cols[np.argmin(tops)]
                nyquist = RATE / 2
                self.assertLessEqual(abs(peak_col - 5000 / nyquist * (w - 1)), 2)
                bx, y0, bw, y60 = meta["meter_bars"]
                column = rgb[y0:y60 + 1, bx + 2]
                green = np.where((column[:, 1] > 150) & (column[:, 0] < 120))[0]
                self.assertGreater(len(green), 0, "a peak bar")
                db = -60.0 * (green[0]) / (y60 - y0)
                expected = -6.0 if 0.5 < pos < 3.8 else -30.0 if 4.6 < pos < 9.8 else None
                self.assertIsNotNone(expected, "the snapshot was taken mid-segment")
                self.assertAlmostEqual(db, expected, delta=1.5)


if __name__ == "__main__":
    main()
