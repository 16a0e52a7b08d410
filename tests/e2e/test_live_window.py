"""hark live with its window, for real: PulseAudio's null sink for the sound, Xvfb and Mesa's
llvmpipe for the window. Tones played into the sink must stand where they should in a
snapshot taken by SIGUSR1, with the axes around them."""
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
from harness import (HARK, audio_stderr, bin_freq, finish, main, sine, start_hark, stop_process)  # noqa: E402
from window import WindowTest  # noqa: E402

RATE = 44100
FFT = 2048


class LiveWindowTest(WindowTest):
    def snapshot_of(self, wav, *args, wait_s=2.5, keys=()):
        """Play wav, run the window, type keys into it (xdotool), SIGUSR1 once audio has
        flowed wait_s, return the PNG and its parameters. The tones last 30 s: a sanitizer
        build on a loaded machine can take over 10 s to get this far."""
        player = self.server.play(wav)
        hark = start_hark("live", "--duration", "8", "--size", "1280x720", "--snapshot-dir",
                          self.dir, *args, env=self.env)
        try:
            self.expect_start(hark, "live")
            window = hark.stdout.readline()
            self.assertTrue(window.startswith("window: x11, OpenGL"), window)
            time.sleep(wait_s)
            if keys:
                self.type_keys(*keys, settle=0.5)
            hark.send_signal(signal.SIGUSR1)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
            stop_process(player)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""))
        m = re.search(r"(\S+hark-\S+Z\.png) \(1280 x 720\)", out)
        self.assertIsNotNone(m, out)
        summary = re.search(r"(\d+) samples dropped, (\d+) rows dropped", out)
        self.assertEqual(summary.groups(), ("0", "0"), out)
        # The display latency is measured and reported (its size is for bench/, not a test).
        self.assertRegex(out, r"latency: median \d+\.\d ms, p99 \d+\.\d ms over [1-9]\d* frames")
        image = Image.open(m.group(1))
        image.load()
        return image, json.loads(image.text["hark"])

    def test_r_starts_and_stops_recording(self):
        x = sine(RATE, 30.0, bin_freq(RATE, FFT, 186), 0.1)
        player = self.server.play(self.write("r.wav", x, RATE, "PCM_16"))
        rec = self.path("rec")
        os.mkdir(rec)
        hark = start_hark("live", "--duration", "6", "--snapshot-dir", rec, env=self.env)
        try:
            self.expect_start(hark, "live")
            hark.stdout.readline()
            time.sleep(1.0)
            self.type_keys("r", settle=0.5)  # start: strips go to the snapshot folder
            time.sleep(1.5)
            self.type_keys("r", settle=0.5)  # stop: the partial strip is written
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
            stop_process(player)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""))
        strips = sorted(f for f in os.listdir(rec) if f.endswith(".png"))
        self.assertEqual(len(strips), 1, out)
        image = Image.open(os.path.join(rec, strips[0]))
        meta = json.loads(image.text["hark"])
        frames, rows = image.size
        self.assertEqual(rows, FFT // 2 + 1)
        self.assertEqual(meta["frames"], frames)
        # About two seconds between the keys (each key waits half a second after typing): about
        # 86 frames at hop 1024.
        self.assertTrue(20 <= frames <= 150, frames)  # keys come late on a loaded machine
        idx = np.array(image)
        self.assertTrue(np.all(np.argmax(idx[:, 2:-2], axis=0) == FFT // 2 - 186))

    def test_no_display_is_a_clear_error(self):
        env = dict(self.server.env)
        env.pop("DISPLAY", None)
        env.pop("SDL_VIDEODRIVER", None)
        p = subprocess.run([HARK, "live", "--duration", "1"], env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr.count("\n"), 1, p.stderr)
        self.assertTrue(p.stderr.startswith("hark: live: no display"), p.stderr)
        self.assertIn("--headless", p.stderr)

    def test_keys_change_map_scale_and_range(self):
        x = sine(RATE, 30.0, bin_freq(RATE, FFT, 186), 0.1)
        image, meta = self.snapshot_of(self.write("k.wav", x, RATE, "PCM_16"),
                                       keys=("c", "l", "Down", "minus"))
        self.assertEqual(meta["colormap"], "viridis", "C: the next colour map")
        self.assertEqual(meta["scale"], "log", "L: the next scale")
        self.assertEqual(meta["range_db"], [-120.0, -6.0], "Down moves by 6 dB, - narrows by 6")
        x0, y0, w, h = meta["data_area"]
        rgb = np.asarray(image.convert("RGB")).astype(int)
        # The tone is drawn in viridis now (its loud end is yellow: red and green high).
        band = rgb[y0 + 2:y0 + 22, x0:x0 + w]
        brightest = band[:, int(np.argmax(band.sum(axis=(0, 2))))].mean(axis=0)
        self.assertGreater(brightest[1], 150, f"a viridis yellow-green: {brightest}")
        self.assertLess(brightest[2], 100, f"little blue, unlike magma's loud end: {brightest}")

    def test_three_tones_are_three_lines_in_order(self):
        bins = (46, 186, 326)  # about 1, 4 and 7 kHz, equally spaced
        x = sum(sine(RATE, 30.0, bin_freq(RATE, FFT, k), 0.1) for k in bins)
        image, meta = self.snapshot_of(self.write("tones.wav", x, RATE, "PCM_16"))
        self.assertEqual(image.size, (1280, 720))
        self.assertEqual((meta["fft"], meta["scale"], meta["orient"]), (FFT, "linear", "top"))
        x0, y0, w, h = meta["data_area"]
        rgb = np.asarray(image.convert("RGB")).astype(float)
        # The newest rows are at the top: average the first 20 lines of the data area.
        band = rgb[y0 + 2:y0 + 22, x0:x0 + w].mean(axis=(0, 2))
        peaks = [i for i in range(1, w - 1)
                 if band[i] > 100 and band[i] >= band[i - 1] and band[i] >= band[i + 1]]
        # Pixel j shows frequency j / (w - 1) * Nyquist on the linear scale.
        want = [k * (RATE / FFT) / (RATE / 2) * (w - 1) for k in bins]
        groups = []
        for p in peaks:
            if groups and p - groups[-1][-1] <= 3:
                groups[-1].append(p)
            else:
                groups.append([p])
        centres = [sum(g) / len(g) for g in groups]
        self.assertEqual(len(centres), 3, f"three lines, found at {centres}")
        for got, expect in zip(centres, want):
            self.assertLessEqual(abs(got - expect), 2.0, f"line at {got}, want {expect:.1f}")
        self.assertAlmostEqual(centres[2] - centres[1], centres[1] - centres[0], delta=2.0)
        # Around the data: the axes are drawn (labels are bright pixels below and left of it).
        below = rgb[y0 + h + 8:y0 + h + 40, x0:x0 + w]
        self.assertGreater(int((below.mean(axis=2) > 150).sum()), 200, "frequency labels")
        left = rgb[y0:y0 + h, :x0 - 8]
        self.assertGreater(int((left.mean(axis=2) > 150).sum()), 100, "time labels")

    def test_orient_right_puts_time_across(self):
        x = sine(RATE, 30.0, bin_freq(RATE, FFT, 186), 0.1)
        image, meta = self.snapshot_of(self.write("tone.wav", x, RATE, "PCM_16"),
                                       "--orient", "right")
        x0, y0, w, h = meta["data_area"]
        rgb = np.asarray(image.convert("RGB")).astype(float)
        # The newest columns are at the right; the tone is one bright line across them.
        band = rgb[y0:y0 + h, x0 + w - 22:x0 + w - 2].mean(axis=(1, 2))
        line = int(np.argmax(band))
        want = (h - 1) - 186 * (RATE / FFT) / (RATE / 2) * (h - 1)
        self.assertLessEqual(abs(line - want), 2.0, f"tone at line {line}, want {want:.1f}")


if __name__ == "__main__":
    main()
