"""Every channel in live and play: a waterfall pane a channel (stacked, or side by side after
B), each showing its own channel's numbers, under a private Xvfb and a null-sink PulseAudio
server; live's capture opens the channels asked and --raw and --record carry each of them as
render stacks them."""
import glob
import json
import os
import re
import signal
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import (audio_stderr, bin_freq, finish, main, png_indices, png_text, run,  # noqa: E402
                     sine, start_hark, stop_process)
from window import WindowTest  # noqa: E402

RATE = 44100
FFT = 2048
K_LEFT, K_RIGHT = 46, 232  # bin centres: 990.5 and 4995.7 Hz
RANGE = (-120.0, 0.0)
STEP_DB = (RANGE[1] - RANGE[0]) / 255


def one_line_error(test, code, err, status=2):
    test.assertEqual(code, status, err)
    test.assertTrue(err.startswith("hark: ") and err.count("\n") == 1, err)


class ChannelsLiveTest(WindowTest):
    DISPLAY_SIZE = (1400, 900)

    def stereo(self, seconds, name="st.wav"):
        """1 kHz at -6 dBFS on the left, 5 kHz at -20 dBFS on the right, bin-centred."""
        left = sine(RATE, seconds, bin_freq(RATE, FFT, K_LEFT), 0.5)
        right = sine(RATE, seconds, bin_freq(RATE, FFT, K_RIGHT), 0.1)
        return self.write(name, np.stack([left, right], axis=1), RATE, "FLOAT")

    def snapshots(self, hark, keys_between=()):
        """Take a snapshot once 40 rows are on screen, type keys_between, take another; return
        hark's stdout and each snapshot as (meta, grey image)."""
        try:
            start = self.expect_start(hark, hark.args[1])
            time.sleep(3.0)
            hark.send_signal(signal.SIGUSR1)
            if keys_between:
                time.sleep(0.5)
                self.type_keys(*keys_between, settle=2.5)
                hark.send_signal(signal.SIGUSR1)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""), out)
        shots = []
        for path in re.findall(r"(\S+hark-\S+Z\.png) \(\d+ x \d+\)", out):
            image = Image.open(path)
            image.load()
            shots.append((json.loads(image.text["hark"]),
                          np.asarray(image.convert("L")).astype(float)))
        self.assertEqual(len(shots), 1 + bool(keys_between), out)
        return start + out, shots

    def newest_lines(self, meta, grey, k):
        """Pane k's lines, newest first, as dB (the grey map over RANGE): (lines, freq px)."""
        x0, y0, w, h = meta["pane_areas"][k]
        # --orient top (live and play's default): frequency across, the newest line on top.
        return RANGE[0] + grey[y0:y0 + h, x0:x0 + w] * STEP_DB

    def test_play_shows_each_channel_in_its_pane_stacked_and_side_by_side(self):
        wav = self.stereo(10.0)
        hark = start_hark("play", wav, "--channel", "all", "--size", "1280x720",
                          "--colormap", "gray", "--fft", FFT, "--snapshot-dir", self.dir,
                          env=self.env)
        out, [(stacked, grey1), (side, grey2)] = self.snapshots(hark, keys_between=("b",))
        self.assertIn("analysing 1, 2", out)
        for meta in (stacked, side):
            self.assertEqual((meta["channel"], meta["channels_stacked"]), ("stacked", [1, 2]))
            self.assertEqual(len(meta["pane_areas"]), 2)
        self.assertEqual((stacked["panes"], side["panes"]), ("stacked", "side by side"))
        # Stacked (each pane a share of the frequency axis: side by side on screen with
        # --orient top), then side by side (each the whole frequency axis: one under the other).
        (a, b) = stacked["pane_areas"]
        self.assertTrue(a[1] == b[1] and b[0] > a[0] + a[2], stacked["pane_areas"])
        (a, b) = side["pane_areas"]
        self.assertTrue(a[0] == b[0] and b[1] > a[1] + a[3], side["pane_areas"])
        for meta, grey in ((stacked, grey1), (side, grey2)):
            width = meta["pane_areas"][0][2]
            self.assertEqual(meta["rows"], width, "a row per pixel across a pane")
            npy = self.path(f"r{width}.npy")
            code, _, err = run("render", wav, "--no-png", "--raw", npy, "--fft", FFT,
                               "--channel", "all", "--height", width)
            self.assertEqual(code, 0, err)
            planes = np.load(npy)
            newest = meta["first_frame"] + meta["frames"] - 1
            for k in range(2):
                lines = self.newest_lines(meta, grey, k)
                want = np.clip(planes[k][:, newest - 20:newest + 1][:, ::-1].T, *RANGE)
                error = np.abs(lines[:21] - want)
                self.assertLessEqual(error.max(), 0.5 + STEP_DB,
                                     f"pane {k + 1} vs render's channel {k + 1}: "
                                     f"line {np.unravel_index(np.argmax(error), error.shape)}")
                peak = int(np.argmax(planes[k][:, newest]))
                self.assertGreater(lines[0, peak], -9 if k == 0 else -23, "its tone is lit")
                other = int(np.argmax(planes[1 - k][:, newest]))
                self.assertLess(lines[0, other], -60, "the other channel's tone is not")

    def test_live_opens_the_channels_asked_and_raw_and_record_carry_them(self):
        wav = self.stereo(30.0, "long.wav")  # long: a sound server's slow start
        player = self.server.play(wav)
        record = self.path("strips")
        try:
            time.sleep(0.5)
            hark = start_hark("live", "--channel", "1,2", "--size", "1024x640", "--duration", 5,
                              "--colormap", "gray", "--fft", FFT, "--rate", RATE,
                              "--snapshot-dir", self.dir, "--raw", self.path("live.npy"),
                              "--record", record, env=self.env)
            out, [(meta, grey)] = self.snapshots(hark)
        finally:
            stop_process(player)
        self.assertRegex(out, r"live: .+ at 44100 Hz, 2 channels in, analysing 1, 2;")
        self.assertEqual(meta["channels_stacked"], [1, 2])
        k_px = []
        for k, (kbin, level) in enumerate(((K_LEFT, -6.02), (K_RIGHT, -20.0))):
            lines = self.newest_lines(meta, grey, k)
            hz = kbin * RATE / FFT
            k_px.append(int(round(hz / (RATE / 2) * (meta["rows"] - 1))))
            peak = int(np.argmax(lines[:10].mean(axis=0)))
            self.assertLessEqual(abs(peak - k_px[k]), 2, f"pane {k + 1}'s tone where it is")
        raw = np.load(self.path("live.npy"))
        self.assertEqual(raw.shape[:2], (2, FFT // 2 + 1))
        self.assertIn(f"live.npy (2 x {FFT // 2 + 1} x {raw.shape[2]} float32)", out)
        steady = raw[:, :, raw.shape[2] // 2:]
        for k, (kbin, level) in enumerate(((K_LEFT, -6.02), (K_RIGHT, -20.0))):
            self.assertTrue((np.argmax(steady[k], axis=0) == kbin).all(), f"channel {k + 1}")
            self.assertLess(np.abs(np.median(steady[k, kbin]) - level), 0.5)
        side = json.load(open(self.path("live.json")))
        self.assertEqual((side["channel"], side["channels_stacked"]), ("stacked", [1, 2]))
        strips = sorted(glob.glob(os.path.join(record, "hark-*.png")))
        self.assertEqual(len(strips), 1, strips)
        image = png_indices(strips[0])
        rows = FFT // 2 + 1
        self.assertEqual(image.shape[0], 2 * rows, "a band a channel, as render's")
        self.assertEqual(json.loads(png_text(strips[0])["hark"])["channels_stacked"], [1, 2])
        late = image.shape[1] - 5
        self.assertEqual(int(np.argmax(image[:rows, late])), rows - 1 - K_LEFT, "top: left")
        self.assertEqual(int(np.argmax(image[rows:, late])), rows - 1 - K_RIGHT, "bottom: right")

    def test_live_input_gives_renders_stack(self):
        # No device: the clocked source paces the file; the rows are render's, each channel's.
        wav = self.stereo(3.0, "short.wav")
        for args in ((), ("--scale", "log", "--height", "200"), ("--channel", "mid,side")):
            with self.subTest(args=args):
                npy, want = self.path("i.npy"), self.path("w.npy")
                channel = () if "--channel" in args else ("--channel", "all")
                code, out, err = run("live", "--headless", "--input", wav, "--fft", FFT,
                                     "--raw", npy, *channel, *args)
                self.assertEqual(code, 0, err)
                code, _, err = run("render", wav, "--no-png", "--raw", want, "--fft", FFT,
                                   *channel, *args)
                self.assertEqual(code, 0, err)
                got, ref = np.load(npy), np.load(want)
                # A live stream has no end to pad: its last frame is the last whole one.
                self.assertEqual(got.shape[:2], ref.shape[:2])
                self.assertEqual(got.shape[2], (3 * RATE - FFT // 2) // (FFT // 2) + 1)
                self.assertLess(np.abs(got - ref[:, :, :got.shape[2]]).max(), 1e-4)

    def test_bad_selections_are_one_line_errors(self):
        wav = self.stereo(1.0, "one.wav")
        many = self.write("ten.wav", np.zeros((4410, 10)), RATE, "FLOAT")
        for args, says in ((("--input", wav, "--channel", "1,3"), "--channel 3"),
                           (("--input", many, "--channel", "all"), "at most 8"),
                           (("--input", wav, "--channel", "1,2,1,2,1,2,1,2,1"), "at most 8")):
            with self.subTest(args=args):
                code, out, err = run("live", "--headless", *args)
                one_line_error(self, code, err)
                self.assertIn(says, err)
                self.assertEqual(out, "")
        code, out, err = run("live", "--input", wav, "--channel", "all", "--fft", "16384")
        one_line_error(self, code, err)
        self.assertIn("with 2 channels", err)


if __name__ == "__main__":
    main()
