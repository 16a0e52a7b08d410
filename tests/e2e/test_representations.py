"""Beyond the plain STFT: zero-padding (--window-size), the reassigned spectrogram
(--reassign), PCEN (--pcen) and the constant-Q scale (--scale cqt), each against a reference
written here in NumPy from the published formulas (independent of hark's C), in render, and
the same numbers from live --input (the DSP thread's path)."""
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, load_json, main, periodic_window, png_text, run, sine  # noqa: E402


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def frames_of(x, fft, hop):
    """hark's framing: frame k centred on sample k*hop, zeros around the signal."""
    x = np.asarray(x, dtype=np.float64)
    frames = 1 + len(x) // hop
    pad = np.concatenate([np.zeros(fft // 2), x, np.zeros(fft)])
    return pad[np.arange(fft)[None, :] + hop * np.arange(frames)[:, None]]


def centred_window(name, fft, size):
    """A periodic window of `size` samples centred in `fft` (zeros around it)."""
    w = np.zeros(fft)
    at = (fft - size) // 2
    w[at:at + size] = periodic_window(name, size)
    return w


def stft_power(x, fft, hop, size=None, window="hann"):
    """Bins of power, scaled so a bin-centred sine of amplitude A reads A^2. (frames, bins)"""
    w = centred_window(window, fft, size or fft)
    X = np.fft.rfft(frames_of(x, fft, hop) * w, axis=1)
    p = np.abs(X) ** 2 * (2.0 / w.sum()) ** 2
    p[:, 0] /= 4
    p[:, -1] /= 4
    return p


def db(p, floor=-120.0):
    with np.errstate(divide="ignore"):
        return np.maximum(10 * np.log10(p), floor)


def reassigned(x, fft, hop, threshold_db=-100.0):
    """Auger-Flandrin reassignment as the docs state it: the power of each bin moved to the
    nearest bin of its instantaneous frequency k - Im(X_dh X*)/|X|^2 N/(2 pi) and the nearest
    frame of its group delay Re(X_th X*)/|X|^2 (samples), divided by the window's equivalent
    noise bandwidth; bins below the threshold, or whose place is beyond half the window or the
    bins, stay. (bins, frames) in dBFS."""
    n = np.arange(fft)
    ph = 2 * np.pi * n / fft
    h = 0.5 - 0.5 * np.cos(ph)
    dh = (2 * np.pi / fft) * 0.5 * np.sin(ph)
    th = h * (n - fft // 2)
    F = frames_of(x, fft, hop)
    X, Xd, Xt = (np.fft.rfft(F * win, axis=1) for win in (h, dh, th))
    power = np.abs(X) ** 2 * (2.0 / h.sum()) ** 2
    power[:, 0] /= 4
    power[:, -1] /= 4
    enbw = fft * (h ** 2).sum() / h.sum() ** 2
    mag2 = np.abs(X) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kb = np.arange(X.shape[1])[None, :] - np.imag(Xd * np.conj(X)) / mag2 * fft / (2 * np.pi)
        dt = np.real(Xt * np.conj(X)) / mag2 / hop
    frames, bins = power.shape
    delay = -(-(fft // 2) // hop)
    out = np.zeros_like(power)
    for m in range(frames):
        for k in range(bins):
            p = power[m, k] / enbw
            if not power[m, k] >= 10 ** (threshold_db / 10) or mag2[m, k] <= 1e-30:
                out[m, k] += p
                continue
            kk, tt = int(np.floor(kb[m, k] + 0.5)), int(np.floor(dt[m, k] + 0.5))
            if kk < 0 or kk >= bins or abs(tt) > delay:
                out[m, k] += p
            elif 0 <= m + tt < frames:
                out[m + tt, kk] += p
    return db(out).T


def pcen(power, rate, hop, gain=0.98, bias=2.0, power_exp=0.5, time_s=0.4, eps=1e-6):
    """librosa.pcen's formula on the magnitude, with its start (M[0] = E[0]). (bins, frames)"""
    E = np.sqrt(power.T)
    t = time_s * rate / hop
    b = (np.sqrt(1 + 4 * t * t) - 1) / (2 * t * t)
    M = np.empty_like(E)
    M[:, 0] = E[:, 0]
    for i in range(1, E.shape[1]):
        M[:, i] = (1 - b) * M[:, i - 1] + b * E[:, i]
    return (E / (eps + M) ** gain + bias) ** power_exp - bias ** power_exp


class ZeroPaddingTest(HarkTest):
    RATE = 48000

    def test_a_half_bin_sine_reads_its_level_once_padded(self):
        W = 1024
        x = sine(self.RATE, 2.0, 40.5 * self.RATE / W)  # half a bin off the unpadded grid
        wav = self.write("half.wav", x.astype(np.float32), self.RATE, "FLOAT")
        levels = {}
        for fft, extra in ((W, []), (4 * W, ["--window-size", str(W)])):
            npy = self.path(f"h{fft}.npy")
            code, _, err = run("render", wav, "--fft", fft, "--hop", 256, "--raw", npy,
                               "--no-png", *extra)
            self.assertEqual(code, 0, err)
            rows = np.load(npy)
            self.assertEqual(rows.shape, (fft // 2 + 1, 1 + len(x) // 256), "frames follow the hop")
            levels[fft] = rows[:, 10:-10].max(axis=0)
        self.assertLess(np.abs(levels[W] + 1.42).max(), 0.05, "Hann's scalloping, unpadded")
        self.assertLess(np.abs(levels[4 * W]).max(), 0.1, "padded: the sine's own level")
        meta = load_json(self.path(f"h{4 * W}.json"))
        self.assertEqual((meta["fft"], meta["window_size"]), (4 * W, W))

    def test_padded_rows_match_numpy_and_a_bin_centred_sine_reads_0_dbfs(self):
        fft, W, hop = 2048, 512, 128
        rng = np.random.default_rng(3)
        x = sine(self.RATE, 1.0, 100 * self.RATE / fft) + rng.normal(0, 1e-3, self.RATE)
        x = x.astype(np.float32)
        wav = self.write("pad.wav", x, self.RATE, "FLOAT")
        npy = self.path("pad.npy")
        code, _, err = run("render", wav, "--fft", fft, "--window-size", W, "--hop", hop,
                           "--raw", npy, "--no-png")
        self.assertEqual(code, 0, err)
        got = np.load(npy)
        want = db(stft_power(x, fft, hop, W)).T
        self.assertEqual(got.shape, want.shape)
        # float32's FFT is not exact in the deep nulls between the padded window's side lobes
        above = want > -100
        self.assertLess(np.abs(got - want)[above].max(), 0.05)
        self.assertLess(np.abs(got[100, 8:-8]).max(), 0.1, "full scale, bin-centred: 0 dBFS")

    def test_bad_window_sizes_are_refused(self):
        wav = self.write("t.wav", sine(8000, 0.5, 500).astype(np.float32), 8000, "FLOAT")
        for args in (["--fft", "1024", "--window-size", "2048"],
                     ["--fft", "1024", "--window-size", "513"],
                     ["--window-size", "8"]):
            code, _, err = run("render", wav, "-o", self.path("t.png"), *args)
            self.assertEqual(code, 2, err)
            self.assertRegex(err, r"^hark: .*window-size.*\n$")


class ReassignTest(HarkTest):
    RATE = 16000
    FFT, HOP = 1024, 256

    def render(self, x, name, *args):
        wav = self.write(name + ".wav", np.asarray(x, dtype=np.float32), self.RATE, "FLOAT")
        npy = self.path(name + ".npy")
        code, _, err = run("render", wav, "--fft", self.FFT, "--hop", self.HOP, "--raw", npy,
                           "-o", self.path(name + ".png"), *args)
        self.assertEqual(code, 0, err)
        return np.load(npy)

    def test_a_chirp_is_at_least_twice_as_sharp(self):
        seconds, f0, f1 = 3.0, 500.0, 6000.0
        t = np.arange(int(self.RATE * seconds)) / self.RATE
        rate = (f1 - f0) / seconds
        x = 0.5 * np.cos(2 * np.pi * (f0 * t + 0.5 * rate * t * t))

        def spread(rows):
            """Energy-weighted RMS distance, in rows, from the chirp's frequency at each
            frame's centre (within 20 rows of it, away from the ends)."""
            tc = np.arange(rows.shape[1]) * self.HOP / self.RATE
            d = np.arange(rows.shape[0])[:, None] - (f0 + rate * tc)[None, :] / (self.RATE / self.FFT)
            keep = (tc > 0.1) & (tc < seconds - 0.1)
            p, d = 10 ** (rows[:, keep] / 10), d[:, keep]
            near = np.abs(d) < 20
            return float(np.sqrt((p * d * d * near).sum() / (p * near).sum()))

        plain, sharp = spread(self.render(x, "plain")), spread(self.render(x, "sharp", "--reassign"))
        self.assertLessEqual(sharp, plain / 2, f"plain {plain:.2f} rows, reassigned {sharp:.2f}")
        self.assertLess(sharp, 0.7)

    def test_a_steady_sine_stays_at_its_frequency_and_level(self):
        # (A sine exactly half way between two bins splits its energy between them.)
        for offset in (0.0, 0.25, 0.4):
            k = 100 + offset
            x = sine(self.RATE, 2.0, k * self.RATE / self.FFT, 0.1)
            rows = self.render(x, f"s{offset}", "--reassign")[:, 8:-8]
            peak = rows.argmax(axis=0)
            self.assertTrue(np.all(np.abs(peak - k) <= 0.5 + 1e-9), (offset, np.unique(peak)))
            # Its energy gathered in one bin: its own level, -20 dBFS, whatever the offset.
            self.assertLess(np.abs(rows.max(axis=0) + 20).max(), 0.1, offset)
            power = 10 ** (rows / 10)
            centre = (power * np.arange(rows.shape[0])[:, None]).sum(axis=0) / power.sum(axis=0)
            self.assertLess(np.abs(centre - round(k + 1e-9)).max(), 0.1, "no energy strays")

    def test_it_matches_numpy_above_minus_80_dbfs(self):
        rng = np.random.default_rng(5)
        n = self.RATE // 2
        t = np.arange(n) / self.RATE
        x = (0.3 * np.cos(2 * np.pi * (700 * t + 2000 * t * t)) + 0.05 * np.cos(2 * np.pi * 3100.7 * t)
             + rng.normal(0, 1e-3, n)).astype(np.float32)
        got = self.render(x, "mix", "--reassign")
        want = reassigned(x, self.FFT, self.HOP)
        self.assertEqual(got.shape, want.shape)
        loud = want > -80
        err = np.abs(got - want)[loud]
        self.assertLess(err.max(), 0.5, f"worst {err.max():.3f} dB over {loud.sum()} cells")
        meta = load_json(self.path("mix.json"))
        self.assertEqual(meta["reassign_threshold_db"], -100)
        text = json.loads(png_text(self.path("mix.png"))["hark"])
        self.assertEqual(text["reassign_threshold_db"], -100, "the PNG's text chunk too")


class PcenTest(HarkTest):
    RATE = 8000
    FFT, HOP = 512, 256

    def speech_and_noise(self, seconds, seed=1):
        """A voice-like sound (a gliding harmonic series, syllables of 150-300 ms) over noise."""
        rng = np.random.default_rng(seed)
        n = int(self.RATE * seconds)
        t = np.arange(n) / self.RATE
        f0 = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)
        phase = 2 * np.pi * np.cumsum(f0) / self.RATE
        voice = sum(np.cos(h * phase) / h for h in range(1, 12))
        syllables = (np.sin(2 * np.pi * 2.3 * t) > 0.2).astype(float)
        return (0.1 * voice * syllables + rng.normal(0, 0.01, n)).astype(np.float32)

    def test_it_matches_librosas_formula(self):
        x = self.speech_and_noise(6.0)
        wav = self.write("speech.wav", x, self.RATE, "FLOAT")
        npy = self.path("speech.npy")
        code, _, err = run("render", wav, "--fft", self.FFT, "--hop", self.HOP, "--pcen",
                           "--raw", npy, "-o", self.path("speech.png"))
        self.assertEqual(code, 0, err)
        got = np.load(npy)
        want = pcen(stft_power(x, self.FFT, self.HOP), self.RATE, self.HOP)
        self.assertEqual(got.shape, want.shape)
        self.assertLess(np.abs(got - want).max(), 1e-4)
        meta = load_json(self.path("speech.json"))
        self.assertEqual(meta["units"], "PCEN")
        self.assertEqual(meta["range_pcen"], [0, 3])
        self.assertEqual(meta["pcen"], {"gain": 0.98, "bias": 2, "power": 0.5, "time_s": 0.4,
                                        "eps": 1e-6})
        # Other parameters are taken and written.
        code, _, err = run("render", wav, "--fft", self.FFT, "--hop", self.HOP, "--pcen",
                           "--pcen-gain", "0.8", "--pcen-time", "0.06", "--raw", npy,
                           "--no-png")
        self.assertEqual(code, 0, err)
        want = pcen(stft_power(x, self.FFT, self.HOP), self.RATE, self.HOP, gain=0.8, time_s=0.06)
        self.assertLess(np.abs(np.load(npy) - want).max(), 1e-4)

    def test_noise_falls_away_and_a_burst_stands_out(self):
        rng = np.random.default_rng(2)
        n = self.RATE * 8
        white = np.fft.rfft(rng.normal(0, 1, n))
        pink = np.fft.irfft(white / np.sqrt(np.maximum(np.arange(len(white)), 1)), n)
        pink *= 0.05 / pink.std()
        t = np.arange(n) / self.RATE
        burst = (t >= 6.0) & (t < 6.5)
        k = 64  # 1000 Hz
        x = pink + 0.2 * burst * np.cos(2 * np.pi * k * self.RATE / self.FFT * t)
        wav = self.write("pink.wav", x.astype(np.float32), self.RATE, "FLOAT")
        npy = self.path("pink.npy")
        code, _, err = run("render", wav, "--fft", self.FFT, "--hop", self.HOP, "--pcen",
                           "--raw", npy, "--no-png")
        self.assertEqual(code, 0, err)
        rows = np.load(npy)
        fps = self.RATE / self.HOP
        steady = rows[4:-4, int(3 * fps):int(5.5 * fps)]  # noise alone, settled
        # Stationary noise ends near a constant, whatever its level in each band (pink: 20 dB
        # from the lowest bands to the highest).
        band_means = steady.mean(axis=1)
        self.assertLess(band_means.max() - band_means.min(), 0.1, band_means)
        self.assertLess(steady.mean(axis=0).std(), 0.03, "and steady in time")
        # The burst stands out by what the formula gives for its bin: its onset is the
        # highest value (the smoother has not caught up yet), many times the noise's.
        onset = slice(int(5.9 * fps), int(6.6 * fps))
        want = pcen(stft_power(x, self.FFT, self.HOP), self.RATE, self.HOP)[k, onset]
        got = rows[k, onset]
        self.assertAlmostEqual(float(got.max()), float(want.max()), delta=1e-3)
        self.assertGreater(got.max(), 5 * band_means.mean())
        self.assertLess(int(np.argmax(got)), int(0.2 * fps), "at the onset")

    def test_one_and_two_threads_give_the_same_bytes(self):
        # Long enough that render splits it (>= 4096 frames a thread): the second thread
        # starts early, so its PCEN smoother has warmed up and its first reassigned rows have
        # the energy of the frames before its share.
        x = self.speech_and_noise(300.0, seed=4)
        wav = self.write("long.wav", x, self.RATE, "FLOAT")
        for options in (["--pcen"], ["--reassign"], ["--reassign", "--pcen"]):
            outs = []
            for tag, prefix in (("one", ["taskset", "-c", "0"]), ("two", [])):
                npy, png = self.path(tag + ".npy"), self.path(tag + ".png")
                p = subprocess.run([*prefix, HARK, "render", wav, "--fft", str(self.FFT),
                                    "--hop", str(self.HOP), *options, "--raw", npy, "-o", png],
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stderr)
                outs.append(tuple(read_bytes(f) for f in (npy, png)))
                self.assertIn("1 CPU" if tag == "one" else "2 CPUs", p.stdout)
            self.assertEqual(outs[0][0], outs[1][0], f"{options}: .npy")
            self.assertEqual(outs[0][1], outs[1][1], f"{options}: PNG")
            self.assertGreater(len(outs[0][0]), 4 * 257 * 8192)


class CqtTest(HarkTest):
    RATE = 48000

    def render(self, x, name, *args):
        wav = self.write(name + ".wav", np.asarray(x, dtype=np.float32), self.RATE, "FLOAT")
        npy = self.path(name + ".npy")
        code, _, err = run("render", wav, "--fft", 8192, "--scale", "cqt", "--raw", npy,
                           "-o", self.path(name + ".png"), *args)
        self.assertEqual(code, 0, err)
        return np.load(npy)[:, 4:-4].mean(axis=1), load_json(self.path(name + ".json"))

    def test_a4_in_its_row_semitones_one_row_apart_at_their_level(self):
        for note, hz in (("A4", 440.0), ("A#4", 466.1637615), ("C6", 1046.502261),
                         ("E2", 82.40688923)):
            level, meta = self.render(sine(self.RATE, 1.5, hz), "n")
            row = int(np.argmax(level))
            self.assertAlmostEqual(meta["row_hz"][row], hz, places=3, msg=note)
            self.assertLess(abs(level[row]), 0.5, f"{note}: {level[row]:.2f} dBFS")
        self.assertEqual(meta["bins_per_octave"], 12)
        self.assertAlmostEqual(meta["fmin_hz"], 32.70319566, places=6)
        hz = np.array(meta["row_hz"])
        self.assertTrue(np.allclose(hz[1:] / hz[:-1], 2 ** (1 / 12)), "a semitone a row")
        self.assertEqual(meta["row_hz"][45], 440.0, "A4 is 45 semitones above C1")
        # From C1 to the last note below Nyquist (24 kHz): 9 octaves and a bit.
        self.assertEqual(meta["rows"], int(np.floor(12 * np.log2(24000 / 32.70319566))) + 1)

    def test_bins_per_octave_and_fmin(self):
        level, meta = self.render(sine(self.RATE, 1.5, 440.0), "q", "--bins-per-octave", "36",
                                  "--fmin", "55")
        self.assertEqual(meta["row_hz"][0], 55.0)
        self.assertEqual(meta["row_hz"][3 * 36], 440.0)
        self.assertEqual(int(np.argmax(level)), 3 * 36)
        self.assertLess(abs(level.max()), 0.5)
        for bad in (["--bins-per-octave", "11"], ["--bins-per-octave", "97"], ["--fmin", "30000"]):
            code, _, err = run("render", self.path("q.wav"), "--scale", "cqt", "-o",
                               self.path("bad.png"), *bad)
            self.assertEqual(code, 2, (bad, err))
            self.assertTrue(err.startswith("hark: ") and err.count("\n") == 1, err)

    def test_labelled_image_says_cqt(self):
        self.render(sine(self.RATE, 1.0, 440.0), "l", "--labels")
        text = png_text(self.path("l.png"))
        self.assertEqual(json.loads(text["hark"])["scale"], "cqt")
        self.assertIn("hark-data-area", text)


class LiveRowsTest(HarkTest):
    """live --input runs the DSP thread's path: its rows are render's."""
    RATE = 16000

    def test_live_gives_renders_rows(self):
        rng = np.random.default_rng(9)
        n = self.RATE * 2
        t = np.arange(n) / self.RATE
        x = (0.3 * np.cos(2 * np.pi * (500 * t + 800 * t * t)) + rng.normal(0, 0.01, n))
        wav = self.write("in.wav", x.astype(np.float32), self.RATE, "FLOAT")
        for args in (["--pcen"], ["--reassign"], ["--scale", "cqt", "--fft", "4096"],
                     ["--fft", "4096", "--window-size", "1024"]):
            with self.subTest(args=args):
                live, offline = self.path("live.npy"), self.path("render.npy")
                p = subprocess.run([HARK, "live", "--input", wav, "--headless", "--raw", live,
                                    "--hop", "256", *args], capture_output=True, text=True,
                                   timeout=120)
                self.assertEqual((p.returncode, p.stderr), (0, ""))
                code, _, err = run("render", wav, "--hop", 256, "--fft", 2048, "--raw",
                                   offline, "--no-png", *args)
                self.assertEqual(code, 0, err)
                a, b = np.load(live), np.load(offline)
                self.assertEqual(a.shape[0], b.shape[0])
                self.assertGreater(a.shape[1], b.shape[1] - 12)
                self.assertLess(np.abs(a - b[:, :a.shape[1]]).max(), 1e-4)
                meta = load_json(self.path("live.json"))
                self.assertEqual(meta["units"], "PCEN" if "--pcen" in args else "dBFS")


if __name__ == "__main__":
    main()
