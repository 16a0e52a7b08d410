"""hark spectrum against references made here: a -20 dBFS sine on a bin centre reads -20.0
in its bin (mean and max), white noise reads flat, a sine between bins reads its level in its
third-octave band (IEC 61260-1 base-10 centres), and the A and C weightings match IEC 61672-1's
table at 100 Hz, 1 kHz and 10 kHz."""
import csv
import io
import os
import subprocess
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, main, run

RATE = 48000


def sine(seconds, freq, peak_dbfs):
    n = np.arange(int(RATE * seconds))
    return 10 ** (peak_dbfs / 20) * np.sin(2 * np.pi * freq * n / RATE + 0.3)


class SpectrumTest(HarkTest):
    def spectrum(self, path, *args):
        p = subprocess.run([HARK, "spectrum", path, *args], capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        hz = np.array([float(r["hz"]) for r in rows])
        mean = np.array([float(r["mean_dbfs"]) for r in rows])
        peak = np.array([float(r["max_dbfs"]) for r in rows])
        return hz, mean, peak

    def test_a_bin_centred_sine(self):
        wav = self.write("s.wav", sine(4.0, 40 * RATE / 1024, -20.0), RATE, "FLOAT")
        hz, mean, peak = self.spectrum(wav)
        self.assertEqual(len(hz), 513)
        self.assertAlmostEqual(hz[40], 1875.0)
        self.assertAlmostEqual(mean[40], -20.0, delta=0.1)
        self.assertAlmostEqual(peak[40], -20.0, delta=0.1)
        self.assertEqual(int(np.argmax(mean)), 40)
        self.assertGreaterEqual(mean.min(), -120.0)  # clamped at the range, never -inf

    def test_white_noise_is_flat(self):
        rng = np.random.default_rng(3)
        wav = self.write("n.wav", 0.1 * rng.standard_normal(RATE * 30), RATE, "FLOAT")
        hz, mean, _ = self.spectrum(wav)
        inner = mean[1:-1]  # DC and Nyquist are scaled as single-sided bins are not
        self.assertLess(np.max(np.abs(inner - np.median(inner))), 0.5)

    def test_third_octave_bands(self):
        wav = self.write("k.wav", sine(4.0, 1000.0, -20.0), RATE, "FLOAT")  # between bins
        hz, mean, _ = self.spectrum(wav, "--octave", "3")
        self.assertIn(1000.0, hz)
        # base-10 centres, 1000 * 10^(k/10); below about 300 Hz a third of an octave is
        # narrower than the 47 Hz between bins, and a band with no bin centre is left out
        for k in range(-4, 11):
            self.assertTrue(np.any(np.isclose(hz, 1000.0 * 10 ** (k / 10), rtol=1e-6)), k)
        self.assertAlmostEqual(mean[list(hz).index(1000.0)], -20.0, delta=0.1)

    def test_weightings(self):
        # fft 4800 at 48 kHz: 10 Hz bins, so 100 Hz, 1 kHz and 10 kHz are bin centres
        table = {"A": {100: -19.1, 1000: 0.0, 10000: -2.5}, "C": {100: -0.3, 1000: 0.0, 10000: -4.4}}
        for f in (100, 1000, 10000):
            wav = self.write(f"w{f}.wav", sine(3.0, f, -20.0), RATE, "FLOAT")
            _, z, _ = self.spectrum(wav, "--fft", "4800")
            for w, gains in table.items():
                with self.subTest(weighting=w, hz=f):
                    _, level, _ = self.spectrum(wav, "--fft", "4800", "--weighting", w)
                    self.assertAlmostEqual(level[f // 10] - z[f // 10], gains[f], delta=0.2)

    def test_plot(self):
        f = 40 * RATE / 1024  # 1875 Hz, on a bin
        wav = self.write("p.wav", sine(4.0, f, -20.0), RATE, "FLOAT")
        code, out, err = run("spectrum", wav, "-o", self.path("p.csv"), "--plot", self.path("p.png"))
        self.assertEqual((code, out, err), (0, "", ""))
        im = np.array(Image.open(self.path("p.png")).convert("RGB")).astype(int)
        frame = np.all(im == (128, 128, 128), axis=2)
        cols = np.nonzero(frame.sum(axis=0) > 390)[0]  # the data area's two sides (400 high)
        rows = np.nonzero(frame.sum(axis=1) > 950)[0]  # its top and bottom (960 wide)
        x0, x1 = cols[0] + 1, cols[-1]
        y0, y1 = rows[0] + 1, rows[-1]
        self.assertEqual((x1 - x0, y1 - y0), (960, 400))
        mean = np.all(im[y0:y1, x0:x1] == (252, 141, 89), axis=2)
        ys, xs = np.nonzero(mean)
        top = np.argmin(ys)
        # the mean trace's highest point: the tone, at its frequency and level
        self.assertLessEqual(abs(xs[top] - f / (RATE / 2) * 959), 2)
        self.assertLessEqual(abs(ys[top] - (0 - (-20.0)) / 120 * 399), 2)  # -120..0 dBFS
        # the plot's folder does not exist: neither output appears
        code, out, err = run("spectrum", wav, "-o", self.path("q.csv"), "--plot",
                             self.path("no/such/q.png"))
        self.assertEqual(code, 1, err)
        self.assertFalse(os.path.exists(self.path("q.csv")))

    def test_output_file_and_errors(self):
        wav = self.write("s.wav", sine(1.0, 1000.0, -20.0), RATE, "PCM_16")
        out = self.path("lt.csv")
        code, stdout, err = run("spectrum", wav, "-o", out)
        self.assertEqual((code, stdout, err), (0, "", ""))
        with open(out) as f:
            self.assertEqual(f.readline(), "hz,mean_dbfs,max_dbfs\n")
        for args, fragment in [(["--octave", "5"], "expected 1, 3, 6, 12 or 24"),
                               (["--weighting", "B"], "expected Z, A or C"),
                               (["--height", "100"], "--height does not apply")]:
            with self.subTest(args=args):
                code, stdout, err = run("spectrum", wav, *args)
                self.assertEqual(code, 2, err)
                self.assertIn(fragment, err)
        code, stdout, err = run("spectrum", self.path("nope.wav"))
        self.assertEqual(code, 1)
        self.assertEqual(err.count("\n"), 1, err)


if __name__ == "__main__":
    main()
