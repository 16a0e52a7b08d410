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


if __name__ == "__main__":
    main()
