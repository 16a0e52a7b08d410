"""The window shows render's numbers. A file of three steady tones (on a bin centre, a quarter
and a half bin off) is played in a window of 640x360 and of 1920x1080 on the linear, log and
mel scale (and at 640x360 the cqt scale, whose rows are kernels over the bins), grey map; a snapshot's data area, read back, is compared pixel by pixel with the
.npy that render writes for the same frames with --height set to the window's pixels along the
frequency axis: within 0.5 dB plus one 8-bit step (docs/ARCHITECTURE.md, "The window")."""
import json
import os
import re
import signal
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import (audio_stderr, bin_freq, finish, main, run, sine, start_hark, stop_process)  # noqa: E402
from window import WindowTest  # noqa: E402

RATE = 44100
FFT = 2048
HOP = FFT // 2
BINS = (93, 186.25, 279.5)  # a bin centre, a quarter and a half bin off
RANGE = (-120.0, 0.0)


class WindowAccuracyTest(WindowTest):
    DISPLAY_SIZE = (2000, 1200)  # room for a 1920x1080 window

    def snapshot(self, wav, size, scale):
        log = self.path(f"sync-{size}-{scale}.csv")
        hark = start_hark("play", wav, "--size", size, "--scale", scale, "--colormap", "gray",
                          "--snapshot-dir", self.dir, "--stats", log, env=self.env)
        try:
            self.expect_start(hark, "play")
            # Snapshot once 40 rows are on screen (the --stats log says so): a sanitizer build
            # on a loaded machine starts slowly.
            for _ in range(600):
                if os.path.exists(log) and sum(1 for _ in open(log)) > 41:
                    break
                time.sleep(0.05)
            hark.send_signal(signal.SIGUSR1)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""), out)
        m = re.search(r"(\S+hark-\S+Z\.png) \(%s\)" % size.replace("x", " x "), out)
        self.assertIsNotNone(m, out)
        image = Image.open(m.group(1))
        image.load()
        return image, json.loads(image.text["hark"])

    def test_pixels_are_renders_rows(self):
        x = sum(sine(RATE, 8.0, bin_freq(RATE, FFT, k), 0.3) for k in BINS)
        wav = self.write("tones.wav", x, RATE, "PCM_16")
        step_db = (RANGE[1] - RANGE[0]) / 255
        for size in ("640x360", "1920x1080"):
            for scale in ("linear", "log", "mel", "cqt")[:4 if size == "640x360" else 3]:
                with self.subTest(size=size, scale=scale):
                    image, meta = self.snapshot(wav, size, scale)
                    self.assertEqual((meta["scale"], meta["colormap"]), (scale, "gray"))
                    x0, y0, w, h = meta["data_area"]
                    self.assertEqual(meta["rows"], w, "one row per pixel across")
                    npy = self.path(f"r-{size}-{scale}.npy")
                    code, _, err = run("render", wav, "--no-png", "--raw", npy, "--fft", FFT,
                                       "--scale", scale, "--height", w)
                    self.assertEqual(code, 0, err)
                    frames = np.load(npy)
                    grey = np.asarray(image.convert("L")).astype(float)
                    # Line y0 + i shows frame newest - i (the snapshot says which frames).
                    newest = meta["first_frame"] + meta["frames"] - 1
                    self.assertGreater(meta["frames"], 30)
                    worst = (0.0, "")
                    for i in range(30):
                        shown_db = RANGE[0] + grey[y0 + i, x0:x0 + w] * step_db
                        want = np.clip(frames[:, newest - i], RANGE[0], RANGE[1])
                        error = np.abs(shown_db - want)
                        j = int(np.argmax(error))
                        if error[j] > worst[0]:
                            worst = (float(error[j]), f"line {i}, pixel {j}: window "
                                     f"{shown_db[j]:.2f} dB, render {want[j]:.2f} dB")
                    self.assertLessEqual(worst[0], 0.5 + step_db, worst[1])
                    shown = grey[y0, x0:x0 + w]
                    want = frames[:, newest]
                    # The tones stand where render has them, at their level.
                    peak = int(np.argmax(want))
                    self.assertGreater(shown[peak], 200, f"the loudest row, {peak}, is lit")


    def test_e_and_l_show_pcen_on_the_cqt_scale(self):
        # play (the analysis gets the file's own samples, whatever the sound server does): a
        # 440 Hz tone in bursts (PCEN keeps onsets: a steady tone would fade, and so would
        # bursts too close for its 0.4 s smoother to forget the last one) over noise at
        # -60 dBFS (after digital silence the smoother decays to eps and PCEN would light the
        # ramps' faint splatter everywhere). E turns PCEN on, L three times goes linear ->
        # log -> mel -> cqt: a snapshot; E again, back to dBFS on cqt: another.
        t = np.arange(int(RATE * 10.0)) / RATE
        phase = (t % 1.5) / 0.3  # a 300 ms burst every 1.5 s, 15 ms ramps: no clicks
        envelope = np.clip(np.minimum(phase, 1 - phase) * 20, 0, 1) * (phase < 1)
        noise = np.random.default_rng(6).normal(0, 1e-3, len(t))
        wav = self.write("a4.wav", 0.3 * np.cos(2 * np.pi * 440.0 * t) * envelope + noise,
                         RATE, "PCM_16")
        # --fft 8192: bins of 5.4 Hz, finer than A4's constant-Q bandwidth (26 Hz)
        hark = start_hark("play", wav, "--size", "1280x720", "--snapshot-dir", self.dir,
                          "--colormap", "gray", "--fft", "8192", "--hop", "512", env=self.env)
        try:
            self.expect_start(hark, "play")
            time.sleep(1.0)
            self.type_keys("e", "l", "l", "l", settle=3.5)
            hark.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
            self.type_keys("e", settle=3.5)
            hark.send_signal(signal.SIGUSR1)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""), out)
        paths = re.findall(r"(\S+hark-\S+Z\.png) \(1280 x 720\)", out)
        self.assertEqual(len(paths), 2, out)
        shots = []
        for path in paths:
            image = Image.open(path)
            image.load()
            meta = json.loads(image.text["hark"])
            x0, y0, w, h = meta["data_area"]
            shots.append((meta, np.asarray(image.convert("L")).astype(float)[y0:y0 + h, x0:x0 + w]))
        (pcen, lit), (db, grey) = shots
        self.assertEqual((pcen["scale"], pcen["units"], pcen["range_pcen"]), ("cqt", "PCEN", [0, 3]))
        self.assertEqual((db["scale"], db["units"], db["range_db"]), ("cqt", "dBFS", [-120, 0]))
        # PCEN: the noise settles to a dark grey (about 0.3 of 3), the onsets stand out at
        # over 1.4 near A4 (their first frames, partly in the 186 ms window, peak a little
        # below the note).
        w = db["data_area"][2]
        top = 32.70319566 * 2 ** (np.floor(12 * np.log2(db["rate_hz"] / 2 / 32.70319566)) / 12)
        a4 = (w - 1) * np.log(440 / 32.70319566) / np.log(top / 32.70319566)
        semitone = (w - 1) * np.log(2 ** (1 / 12)) / np.log(top / 32.70319566)
        shown = lit[lit.max(axis=1) > 0]
        self.assertLess(np.median(shown), 60, "the noise falls away")
        line, column = np.unravel_index(np.argmax(shown), shown.shape)
        self.assertGreater(shown[line, column], 120, "the onsets stand out")
        self.assertLess(abs(column - a4), 2 * semitone, f"A4 at {a4:.1f}, onset at {column}")
        # dBFS on cqt: the lines of the bursts at full level (the loudest) are lit at A4's
        # pixel: the middle of the kernel's flat top, within a third of a semitone (the 8-bit
        # grey makes the top a few pixels wide; the values themselves are checked against
        # render's above).
        loud = grey[grey.max(axis=1) >= grey.max() - 2]
        self.assertGreater(grey.max(), 200, "a burst is on screen")
        brightest = float(np.median([np.mean(np.flatnonzero(line >= line.max() - 1))
                                     for line in loud]))
        self.assertLessEqual(abs(brightest - a4), semitone / 3,
                             f"A4 at pixel {a4:.1f}, lit at {brightest}")


if __name__ == "__main__":
    main()
