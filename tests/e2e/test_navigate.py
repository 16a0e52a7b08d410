"""Navigating the window (live and play), under a private Xvfb and a null-sink PulseAudio
server, with keys and the mouse typed by xdotool: the rows kept while paused are the session's
own (--raw), scrolled back to and shown pixel for pixel; the frequency axis zooms to a band
(--zoom, or a drag along the axis) and shows render's level there; the time axis zooms out to
the maximum of its frames; --history's memory is what --help says."""
import json
import os
import re
import signal
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import audio_stderr, finish, main, run, sine, start_hark, stop_process  # noqa: E402
from window import WindowTest  # noqa: E402

RATE = 44100
RANGE = (-120.0, 0.0)


def grey_of(db):
    """The grey map's level for dB values, as shaders/waterfall.frag picks the palette texel."""
    level = np.clip((np.float32(db) - np.float32(RANGE[0])) / np.float32(RANGE[1] - RANGE[0]),
                    0, 1).astype(np.float32)
    return np.floor(level * np.float32(255) + np.float32(0.5))


def peak_pixel(line):
    """Where a line peaks: the middle of its brightest plateau (a tone's top is flat over a
    few pixels when a bin spans many: its dB changes less than a grey step a pixel)."""
    top = np.flatnonzero(line >= line.max() - 0.5)
    return float(top.mean())


def tone_line(meta, grey):
    """A line among the newest of a snapshot (--orient top: near the top), and its width."""
    x0, y0, w, h = meta["data_area"]
    return grey[y0 + 5, x0:x0 + w], w


def steps(seconds):
    """A 0.4 s burst every second, each a step higher (500, 700, ... Hz): each part differs."""
    x = np.zeros(int(seconds * RATE))
    t = np.arange(int(0.4 * RATE)) / RATE
    ramp = np.minimum(1.0, np.minimum(t, 0.4 - t) / 0.005)
    for k in range(int(seconds)):
        i = int((k + 0.2) * RATE)
        x[i:i + len(t)] = 0.3 * ramp * np.sin(2 * np.pi * (500 + 200 * (k % 40)) * t)
    return x


class NavigateTest(WindowTest):
    DISPLAY_SIZE = (1400, 900)

    def snapshots(self, out):
        shots = []
        for path in re.findall(r"(\S+hark-\S+Z\.png) \(\d+ x \d+\)", out):
            image = Image.open(path)
            image.load()
            shots.append((json.loads(image.text["hark"]),
                          np.asarray(image.convert("L")).astype(np.float64)))
        return shots

    def data_width_for(self, bins, extra_env):
        """The window width whose data area is `bins` pixels across (no panels)."""
        wav = self.write("probe.wav", np.zeros(3 * RATE), RATE, "PCM_16")
        hark = start_hark("live", "--input", wav, "--size", "800x400", "--snapshot-dir",
                          self.dir, env=dict(self.env, **extra_env))
        try:
            self.expect_start(hark, "live")
            time.sleep(0.3)
            hark.send_signal(signal.SIGUSR1)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        [(meta, _)] = self.snapshots(out)
        return 800 - meta["data_area"][2] + bins

    def test_paused_rows_are_kept_and_scroll_back_as_raw_has_them(self):
        # fft 512: 257 bins, and a data area 257 pixels across: a pixel a bin (the linear
        # scale's rows are then exactly the bins), so every pixel is one number of --raw.
        no_panels = {"HARK_NO_PANELS": "1"}
        width = self.data_width_for(257, no_panels)
        wav = self.write("steps.wav", steps(60), RATE, "PCM_16")
        player = self.server.play(wav)
        raw = self.path("live.npy")
        try:
            time.sleep(0.5)
            hark = start_hark("live", "--fft", 512, "--rate", RATE, "--colormap", "gray",
                              "--size", f"{width}x500", "--raw", raw, "--snapshot-dir",
                              self.dir, env=dict(self.env, **no_panels))
            try:
                start = self.expect_start(hark, "live") + hark.stdout.readline()
                time.sleep(4.0)
                win = self.window_id()
                self.xdo("key", "--window", win, "space")      # pause ...
                time.sleep(30.0)                               # ... for 30 s
                self.xdo("key", "--window", win, "Prior", settle=1.0)  # a screen back
                hark.send_signal(signal.SIGUSR1)
                time.sleep(1.0)
                # Shift+wheel (down: out): two frames a line.
                self.xdo("windowfocus", "--sync", win)
                self.xdo("mousemove", "--window", win, width // 2, 250)
                self.xdo("keydown", "shift")
                self.xdo("click", 5)
                self.xdo("keyup", "shift", settle=1.0)
                hark.send_signal(signal.SIGUSR1)
                time.sleep(1.0)
                hark.send_signal(signal.SIGTERM)
                out, err = finish(hark, 60)
            finally:
                stop_process(hark)
        finally:
            stop_process(player)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""), out)
        self.assertIn("history 600 s", start + out)
        rows = np.load(raw)
        hop_s = 256 / RATE
        self.assertGreater(rows.shape[1] * hop_s, 34, "the rows never paused")
        (back, b_grey), (zoomed, z_grey) = self.snapshots(out)
        x0, y0, w, h = back["data_area"]
        self.assertEqual((w, back["rows"]), (257, 257))
        newest = back["first_frame"] + back["frames"] - 1
        self.assertLess(newest * hop_s, 4.5, "a screen before the pause")
        self.assertGreater(back["frames"], 100)
        # --orient top: line i from the top shows frame newest - i.
        n = min(back["frames"], h)
        shown = b_grey[y0:y0 + n, x0:x0 + w]
        want = grey_of(rows[:, newest - n + 1:newest + 1][:, ::-1].T)
        diff = np.abs(shown - want)
        self.assertGreater(float(np.ptp(want)), 200, "the bursts and the silence are there")
        self.assertLessEqual(diff.max(), 1.0, "pixel for pixel, within a rounding")
        self.assertLess(np.mean(diff > 0), 0.001, f"{np.sum(diff > 0)} pixels differ")
        if os.environ.get("VERBOSE"):
            print(f"scrolled back: {np.sum(diff > 0)} of {diff.size} pixels differ")
        # Zoomed out in time: each line is the maximum of its two frames, bin by bin.
        self.assertEqual(zoomed["frames_per_line"], 2)
        end = zoomed["first_frame"] + zoomed["frames"] - 1
        pairs = np.maximum(rows[:, end - 1::-2][:, :100], rows[:, end::-2][:, :100])
        diff = np.abs(z_grey[y0:y0 + 100, x0:x0 + w] - grey_of(pairs.T))
        self.assertLessEqual(diff.max(), 1.0)
        self.assertLess(np.mean(diff > 0), 0.001)

    def test_zoom_to_900_1100_hz_shows_the_tone_in_the_middle_at_renders_level(self):
        # fft 4410 at 44.1 kHz: bins of 10 Hz, 1 kHz on bin 100, at -20 dBFS.
        wav = self.write("k1.wav", sine(RATE, 12.0, 1000.0, 0.1), RATE, "FLOAT")
        npy = self.path("k1.npy")
        code, _, err = run("render", wav, "--no-png", "--raw", npy, "--fft", 4410)
        self.assertEqual(code, 0, err)
        level = float(np.median(np.load(npy)[100, 5:-5]))
        self.assertLess(abs(level + 20.0), 0.1)
        hark = start_hark("live", "--input", wav, "--fft", 4410, "--colormap", "gray",
                          "--size", "1280x720", "--zoom", "900:1100", "--snapshot-dir",
                          self.dir, env=self.env)
        try:
            self.expect_start(hark, "live")
            time.sleep(3.0)
            hark.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
            win = self.window_id()  # 0: the whole axis again
            self.xdo("key", "--window", win, "0", settle=0.5)
            hark.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
            hark.send_signal(signal.SIGTERM)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual(hark.returncode, 0, err)
        (zoomed, grey), (whole, _) = self.snapshots(out)
        self.assertEqual(zoomed["freq_zoom_hz"], [900, 1100])
        self.assertNotIn("freq_zoom_hz", whole)
        line, w = tone_line(zoomed, grey)
        peak = peak_pixel(line)
        middle = (w - 1) / 2
        self.assertLessEqual(abs(peak - middle), 1.0, f"the tone at pixel {peak} of {w}")
        shown_db = RANGE[0] + line.max() * (RANGE[1] - RANGE[0]) / 255
        self.assertLessEqual(abs(shown_db - level), 0.5 + 120 / 255,
                             f"window {shown_db:.2f} dB, render {level:.2f} dB")

    def test_dragging_along_the_frequency_axis_zooms_to_that_band(self):
        wav = self.write("k1b.wav", sine(RATE, 12.0, 1000.0, 0.1), RATE, "FLOAT")
        hark = start_hark("live", "--input", wav, "--fft", 4410, "--colormap", "gray",
                          "--size", "1280x720", "--snapshot-dir", self.dir, env=self.env)
        try:
            self.expect_start(hark, "live")
            time.sleep(2.0)
            meta = self.snapshot_now(hark)
            x0, y0, w, h = meta["data_area"]
            sx, sy, sw, sh = meta["spectrum_area"]
            # The whole axis: pixel j is j / (w - 1) of Nyquist; the axis' rows are under
            # the spectrum panel (frequency across).
            def x_of(hz):
                return x0 + round(hz / (RATE / 2) * (w - 1))
            win = self.window_id()
            self.xdo("windowfocus", "--sync", win)
            y = sy + sh + 4
            self.xdo("mousemove", "--window", win, x_of(900), y)
            self.xdo("mousedown", 1)
            self.xdo("mousemove", "--window", win, x_of(1100), y)
            self.xdo("mouseup", 1, settle=1.0)
            hark.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
            hark.send_signal(signal.SIGTERM)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual(hark.returncode, 0, err)
        [(zoomed, grey)] = self.snapshots(out)
        px_hz = (RATE / 2) / (w - 1)
        lo, hi = zoomed["freq_zoom_hz"]
        self.assertLess(abs(lo - 900), px_hz + 0.01, (lo, hi))
        self.assertLess(abs(hi - 1100), px_hz + 0.01, (lo, hi))
        line, w = tone_line(zoomed, grey)
        want = (1000 - lo) / (hi - lo) * (w - 1)
        self.assertLessEqual(abs(peak_pixel(line) - want), 1.0,
                             f"peak at {peak_pixel(line)}, want {want:.1f} of {w}; "
                             f"band {lo}..{hi}")

    def test_history_memory_is_what_help_says(self):
        code, out, _ = run("live", "--help")
        self.assertIn("S x rate / hop x (fft/2 + 1) x 4 bytes a channel", out)
        wav = self.write("k48.wav", sine(48000, 6.0, 1000.0, 0.1), 48000, "FLOAT")
        hark = start_hark("live", "--input", wav, "--history", 3600, "--hop", 512, "--fft",
                          2048, "--size", "800x500", env=self.env)
        peak_kb = 0
        try:
            first = self.expect_start(hark, "live") + hark.stdout.readline()
            for _ in range(40):
                try:
                    with open(f"/proc/{hark.pid}/status") as f:
                        for ln in f:
                            if ln.startswith("VmRSS:"):
                                peak_kb = max(peak_kb, int(ln.split()[1]))
                except FileNotFoundError:
                    break
                time.sleep(0.1)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual(hark.returncode, 0, err)
        figure = 3600 * 48000 / 512 * 1025 * 4
        m = re.search(r"history 3600 s \((\d+) MB\)", first + out)
        self.assertIsNotNone(m, first + out)
        self.assertEqual(int(m.group(1)), round(figure / 1e6))
        self.assertLess(peak_kb * 1024, figure, "within the figure stated")
        # Beyond what the machine has: refused in one line before anything is shown.
        code, out, err = run("live", "--input", wav, "--history", 86400, "--hop", 1, "--fft",
                             16384, "--size", "800x500")
        self.assertEqual((code, err.count("\n")), (2, 1), err)
        self.assertIn("more than the", err)
        for bad in (("--history", "0"), ("--history", "90000"), ("--zoom", "5:1"),
                    ("--zoom", "x")):
            code, out, err = run("live", "--input", wav, *bad)
            self.assertEqual((code, err.count("\n"), out), (2, 1, ""), err)
            self.assertIn(bad[0], err)


if __name__ == "__main__":
    main()
