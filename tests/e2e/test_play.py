"""hark play, for real: the file goes through PortAudio into PulseAudio's null sink, a second
process (parecord) records the sink's monitor, and the window runs under Xvfb. What came out
must be the file (pitch and timing of every tone burst, nothing dropped or repeated), the
picture must be locked to the DAC clock (the --stats sync log), and pause, seek, loop and
resampling must do what they say."""
import csv
import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import soundfile as sf
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, audio_stderr, finish, main, start_hark, stop_process  # noqa: E402
from window import WindowTest  # noqa: E402

RATE = 44100
FFT = 2048
HOP = 1024          # play's default: 50 % overlap
FRAME_S = 1 / 60    # one video frame
SANITIZED = os.environ.get("HARK_SANITIZE", "") != ""


def burst_freq(k):
    return 600.0 + 400.0 * k


def bursts(n, period=1.0, length=0.3, start=0.5, rate=RATE, amp=0.3):
    """n tone bursts: burst k starts at start + k * period, lasts `length`, at burst_freq(k)."""
    x = np.zeros(int((start + n * period) * rate))
    t = np.arange(int(length * rate)) / rate
    ramp = np.minimum(1.0, np.minimum(t, length - t) / 0.005)  # 5 ms edges: no clicks
    for k in range(n):
        i = int((start + k * period) * rate)
        x[i:i + len(t)] = amp * ramp * np.sin(2 * np.pi * burst_freq(k) * t)
    return x


def found_bursts(wav):
    """(onset seconds, burst index) of each burst in a recording, from 5 ms energy frames."""
    x, rate = sf.read(wav)
    x = x.mean(axis=1) if x.ndim == 2 else x
    win = int(0.005 * rate)
    e = np.sqrt(np.mean(x[:len(x) // win * win].reshape(-1, win) ** 2, axis=1))
    loud = e > 0.05
    out = []
    i = 0
    while i < len(loud):
        if not loud[i]:
            i += 1
            continue
        j = i
        while j < len(loud) and loud[j]:
            j += 1
        seg = x[i * win:j * win]
        if len(seg) > 2048:
            spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
            f = np.fft.rfftfreq(len(seg), 1 / rate)[int(np.argmax(spec))]
            k = int(round((f - 600.0) / 400.0))
            if abs(f - burst_freq(k)) > 0.01 * burst_freq(k):
                raise AssertionError(f"a burst at {f:.1f} Hz is none of the file's")
            out.append((i * win / rate, k, (j - i) * win / rate))
        i = j
    return out


def wait_rows(test, log, n):
    """Until the --stats log has n rows (a loaded machine starts slowly)."""
    for _ in range(600):
        if os.path.exists(log) and sum(1 for _ in open(log)) > n:
            return
        time.sleep(0.05)
    test.fail(f"fewer than {n} rows shown")


def wait_wraps(test, log, n):
    """Until the --stats log's positions went back n times (round a loop), then half a second
    for the sound of the last rows to reach the monitor."""
    for _ in range(1200):
        if os.path.exists(log):
            with open(log) as f:
                t = [float(ln.split(",")[1]) for ln in f.read().split("\n")[1:-1]
                     if ln.count(",") == 4]
            if sum(b < a - 0.5 for a, b in zip(t, t[1:])) >= n:
                time.sleep(0.5)
                return
        time.sleep(0.05)
    test.fail(f"not {n} times round the loop")


class PlayTest(WindowTest):
    def play(self, path, *args, during=None, headless=False, timeout=120):
        """Run hark play on path while recording the monitor; during(proc) runs once the start
        line is out. Returns (stdout, recording path)."""
        rec = self.path("monitor-%d.wav" % len(os.listdir(self.dir)))
        recorder = self.server.record(rec)
        time.sleep(0.3)
        cmd = ["play", path, *args] + (["--headless"] if headless else
                                       ["--size", "1280x720", "--snapshot-dir", self.dir])
        hark = start_hark(*cmd, env=self.env)
        try:
            first = self.expect_start(hark, "play")
            if during:
                during(hark)
            out, err = finish(hark, timeout)
            time.sleep(0.3)
        finally:
            stop_process(hark)
            stop_process(recorder)
        self.assertEqual((hark.returncode, audio_stderr(err)), (0, ""), out)
        return first + out, rec

    def test_what_is_heard_is_the_file_and_the_picture_follows_the_dac(self):
        wav = self.write("bursts.wav", bursts(6), RATE, "PCM_16")
        seconds = 6.5

        def snapshot(hark):
            time.sleep(3.2)
            hark.send_signal(signal.SIGUSR1)

        out, rec = self.play(wav, "--stats", self.path("sync.csv"), during=snapshot)
        self.assertIn("-> default at 44100 Hz, 1 channel; analysing mix; fft 2048, hop 1024, "
                      "window", out)
        self.assertRegex(out, r"heard up to 6\.\d\d s, \d+ rows, 0 frames of underrun")
        # The sound that came out: every burst once, in order, at its pitch, 1 s apart.
        got = found_bursts(rec)
        self.assertEqual([k for _, k, _ in got], list(range(6)), got)
        gaps = np.diff([t for t, _, _ in got])
        self.assertLess(np.max(np.abs(gaps - 1.0)), 0.01, f"burst spacing {gaps}")
        lengths = [d for _, _, d in got]
        self.assertLess(max(abs(d - 0.3) for d in lengths), 0.02, f"burst lengths {lengths}")
        # The sync log: every row once, in order, shown after its centre reached the DAC and
        # (median) within a hop and a video frame of it.
        with open(self.path("sync.csv")) as f:
            rows = list(csv.DictReader(f))
        index = [int(r["row"]) for r in rows]
        frames = 1 + int(seconds * RATE) // HOP
        self.assertEqual(index, list(range(len(index))))
        self.assertGreaterEqual(len(index), frames - FFT // 2 // HOP - 1)
        offsets = np.array([float(r["offset_ms"]) for r in rows]) / 1000
        self.assertTrue(np.all(offsets >= 0), "a row is never shown before it is heard")
        bound = HOP / RATE + FRAME_S
        median = float(np.median(offsets))
        if not SANITIZED:  # sanitizer builds draw several times slower: order only
            self.assertLess(median, bound, f"median display-to-sound offset {median * 1000:.1f} ms")
        self.assertRegex(out, r"sync: median \d+\.\d ms, p99 \d+\.\d ms over \d+ rows")
        for r in rows:
            self.assertAlmostEqual(float(r["file_s"]), int(r["row"]) * HOP / RATE, places=4)
        self.check_snapshot(out)

    def check_snapshot(self, out):
        """The snapshot's now line is at the position it names, and each burst stands where
        the file has it, in rows of one frame each below the now line."""
        m = re.search(r"(\S+hark-\S+Z\.png) \(1280 x 720\)", out)
        self.assertIsNotNone(m, out)
        image = Image.open(m.group(1))
        meta = json.loads(image.text["hark"])
        self.assertEqual((meta["command"], meta["source"]), ("play", "bursts.wav"))
        now = meta["position_s"]
        self.assertTrue(0.9 < now < 6.5, now)  # sanitizer builds start slower
        x0, y0, w, h = meta["data_area"]
        rgb = np.asarray(image.convert("RGB")).astype(float)[y0:y0 + h, x0:x0 + w].sum(axis=2)
        checked = 0
        for k in range(6):
            start, end = 0.5 + k, 0.8 + k
            if end > now - 0.1:
                continue  # not (wholly) on screen yet
            col = int(round(burst_freq(k) / (RATE / 2) * (w - 1)))
            lit = np.flatnonzero(rgb[:, col] > 300)
            # Row y (0 = the now line) shows frame position now - y * hop / rate.
            want_top, want_bottom = (now - end) * RATE / HOP, (now - start) * RATE / HOP
            runs = lit[(lit > want_top - 6) & (lit < want_bottom + 6)]
            self.assertGreater(len(runs), 0, f"burst {k} not found near rows {want_top:.0f}..")
            self.assertLess(abs(runs.min() - want_top), 3.5, f"burst {k} ends at row {runs.min()}")
            self.assertLess(abs(runs.max() - want_bottom), 3.5, f"burst {k} starts at {runs.max()}")
            checked += 1
        self.assertGreaterEqual(checked, 1)

    def test_pause_seek_and_loop(self):
        wav = self.write("ten.wav", bursts(10), RATE, "PCM_16")

        log = self.path("sync.csv")

        def shown():
            """The file positions on the now line so far (the --stats log: whole lines only,
            after the header; it is being written while this reads it)."""
            with open(log) as f:
                lines = f.read().split("\n")[1:-1]
            return [float(ln.split(",")[1]) for ln in lines if ln.count(",") == 4]

        def wait_until(test, what):
            for _ in range(600):
                if os.path.exists(log) and test(shown()):
                    return
                time.sleep(0.05)
            self.fail("play never got " + what)

        # Keys go in the silences between bursts, by the position on the now line (which is
        # what is heard): a loaded machine is slow to start and to pass keys on.
        def keys(hark):
            wait_until(lambda s: s and s[-1] >= 1.0, "to 1.0 s")
            self.type_keys("space")                   # pause for 1.5 s
            time.sleep(1.5)
            self.type_keys("space")
            wait_until(lambda s: s[-1] >= 2.9, "to 2.9 s")
            self.type_keys("Right")                   # seek to about 8.0 s
            wait_until(lambda s: any(b < a - 5 for a, b in zip(s, s[1:]))
                       and s[-1] < 3 and s[-1] >= 1.9, "round the loop to 1.9 s")
            hark.send_signal(signal.SIGTERM)

        out, rec = self.play(wav, "--loop", "--stats", log, during=keys)
        # Keys land where they land (a loaded machine is slower to pass them on): a pause or a
        # seek inside a burst cuts it in two, so pieces of one burst count once.
        found = found_bursts(rec)
        got = [b for i, b in enumerate(found) if i == 0 or b[1] != found[i - 1][1]]
        ks = [k for _, k, _ in got]
        onsets = np.array([t for t, _, _ in got])
        # In order, except one jump ahead (the seek) and one back to the start (the loop).
        jumps = [(a, b) for a, b in zip(ks, ks[1:]) if b != a + 1]
        self.assertEqual(len(jumps), 2, f"bursts heard: {ks}")
        (s0, s1), (l0, l1) = jumps
        self.assertGreaterEqual(s1 - s0, 5, f"the seek skips about 5 bursts: {ks}")
        self.assertEqual((l0, l1), (9, 0), f"the loop goes from the last burst to the first: {ks}")
        # The pause: one gap between consecutive bursts about 1.5 s longer than the rest.
        gaps = np.diff(onsets)[:ks.index(s0)]
        self.assertEqual(int(np.sum(gaps > 1.8)), 1, f"gaps before the seek: {gaps}; heard {got}")
        self.assertTrue(2.1 < float(np.max(gaps)) < 3.0, f"the pause: {gaps}")
        # Loop: the first burst again 1.5 s after the last one's start (0.5 s lead-in + 1 s).
        i = ks.index(0, 1)
        self.assertLess(abs(onsets[i] - onsets[i - 1] - 1.5), 0.02, onsets)

    def test_resampled_stereo_flac(self):
        # 48 kHz stereo FLAC with bursts on the left and a steady tone on the right, played
        # through a device opened at 44.1 kHz: libsamplerate converts, pitch and timing hold.
        x = bursts(4, rate=48000)
        t = np.arange(len(x)) / 48000
        right = 0.1 * np.sin(2 * np.pi * 5000.0 * t)
        flac = self.write("stereo.flac", np.stack([x, right], axis=1), 48000, "PCM_24")
        out, rec = self.play(flac, "--rate", "44100", headless=True)
        self.assertIn("48000 Hz, 2 channels -> default at 44100 Hz, 2 channels "
                      "(resampled by libsamplerate)", out)
        y, rate = sf.read(rec)
        got = found_bursts(rec)
        self.assertEqual([k for _, k, _ in got], list(range(4)), got)
        gaps = np.diff([t for t, _, _ in got])
        self.assertLess(np.max(np.abs(gaps - 1.0)), 0.01, gaps)
        # The right channel carries the 5 kHz tone only; the left, the bursts only.
        quiet = y[int((got[0][0] + 0.6) * rate):int((got[1][0] - 0.1) * rate)]
        spec = np.abs(np.fft.rfft(quiet[:, 1] * np.hanning(len(quiet))))
        peak = np.fft.rfftfreq(len(quiet), 1 / rate)[int(np.argmax(spec))]
        self.assertLess(abs(peak - 5000.0), 5.0)
        self.assertLess(np.sqrt(np.mean(quiet[:, 0] ** 2)), 0.002, "the left is silent between")

    def test_record_strips_are_the_file_across_joins(self):
        # --record while playing: the strips side by side are the spectrogram of what was
        # played, every frame once, each burst at the columns of its time in the file.
        wav = self.write("rec.wav", bursts(6), RATE, "PCM_16")
        folder = self.path("strips")
        out, _ = self.play(wav, "--record", folder, "--record-seconds", "1", headless=True)
        rows = int(re.search(r"heard up to [\d.]+ s, (\d+) rows", out).group(1))
        names = sorted(f for f in os.listdir(folder) if f.endswith(".png"))
        # Strip k holds frames round(k rate / hop) up to the next one's.
        self.assertEqual(len(names), sum(1 for k in range(100) if round(k * RATE / HOP) < rows))
        images = [Image.open(os.path.join(folder, n)) for n in names]
        meta = [json.loads(im.text["hark"]) for im in images]
        self.assertEqual([m["first_frame"] for m in meta],
                         [round(k * RATE / HOP) for k in range(len(names))])
        joined = np.concatenate([np.array(im) for im in images], axis=1)
        self.assertEqual(joined.shape, (FFT // 2 + 1, rows), "no frame missing or repeated")
        for k in range(6):
            b = int(round(burst_freq(k) * FFT / RATE))
            line = joined[FFT // 2 - b]  # PNG line of bin b (0 Hz at the bottom)
            lit = np.flatnonzero(line > 200)
            first, last = (0.5 + k) * RATE / HOP, (0.8 + k) * RATE / HOP
            self.assertLess(abs(lit.min() - first), 2.5, f"burst {k} begins at column {lit.min()}")
            self.assertLess(abs(lit.max() - last), 2.5, f"burst {k} ends at column {lit.max()}")

    def test_start_and_the_end_of_the_file(self):
        wav = self.write("six.wav", bursts(6), RATE, "PCM_16")
        out, rec = self.play(wav, "--start", "3.4", headless=True)
        self.assertEqual([k for _, k, _ in found_bursts(rec)], [3, 4, 5])
        self.assertRegex(out, r"heard up to 6\.\d\d s")

    def test_a_b_loop_plays_that_part_over_and_over(self):
        # Bursts 2 and 3 start at 2.5 and 3.5 s; the loop 2.4:3.9 holds them both, 1.5 s long:
        # heard 2, 3, 2, 3, ... with onsets 1.0 then 0.5 s apart (3.9 - 3.5 + 2.5 - 2.4).
        wav = self.write("six.wav", bursts(6), RATE, "PCM_16")
        log = self.path("loop.csv")

        def a_while(hark):
            wait_wraps(self, log, 3)
            hark.send_signal(signal.SIGTERM)

        out, rec = self.play(wav, "--loop", "2.4:3.9", "--stats", log, during=a_while)
        self.assertIn("analysing mix", out)
        got = found_bursts(rec)
        ks = [k for _, k, _ in got]
        self.assertGreaterEqual(len(ks), 6, got)
        self.assertEqual(ks, [2, 3] * (len(ks) // 2) + [2] * (len(ks) % 2), got)
        # (The first burst, 0.1 s after the device starts, may reach the monitor a little
        # late: the sound server's start; the gaps from the second on are the loop's.)
        gaps = np.diff([t for t, _, _ in got])[1:]
        want = np.where(np.arange(len(gaps)) % 2 == 0, 0.5, 1.0)
        self.assertLess(np.max(np.abs(gaps - want)), 0.01, f"onset gaps {gaps}")
        with open(log) as f:
            shown = [float(ln.split(",")[1]) for ln in f.read().split("\n")[1:-1]]
        self.assertGreater(len(shown), 100)
        self.assertTrue(all(2.4 - 0.01 <= t < 3.9 for t in shown),
                        f"every row shown is in the loop: {min(shown)}..{max(shown)}")
        for bad, says in (("3:2", "0 <= A < B"), ("9:10", "the file is 6.500 s long"),
                          ("1:x", "expected A:B")):
            p = subprocess.run([HARK, "play", wav, "--headless", "--loop=" + bad],
                               env=self.env, capture_output=True, text=True, timeout=60)
            self.assertEqual((p.returncode, p.stderr.count("\n")), (2, 1), p.stderr)
            self.assertIn(says, p.stderr)

    def test_half_speed_plays_an_octave_down_for_twice_as_long_and_stays_in_sync(self):
        # Three bursts (600, 1000, 1400 Hz; 0.3 s at 0.5, 1.5, 2.5 s): at 0.5x the monitor
        # hears 300, 500, 700 Hz for 0.6 s, at 1, 3 and 5 s; the rows stay locked to the sound.
        wav = self.write("three.wav", bursts(3), RATE, "PCM_16")
        log = self.path("half.csv")
        out, rec = self.play(wav, "--speed", "0.5", "--stats", log)
        self.assertIn("at 0.5x speed", out)
        self.assertRegex(out, r"heard up to 3\.\d\d s")
        x, rate = sf.read(rec)
        x = x.mean(axis=1) if x.ndim == 2 else x
        win = int(0.005 * rate)
        e = np.sqrt(np.mean(x[:len(x) // win * win].reshape(-1, win) ** 2, axis=1)) > 0.05
        edges = np.flatnonzero(np.diff(e.astype(int)))
        self.assertEqual(len(edges), 6, f"three bursts, each heard once: {edges * 0.005}")
        starts, ends = edges[0::2] * 0.005, edges[1::2] * 0.005
        self.assertLess(np.max(np.abs(ends - starts - 0.6)), 0.02, f"lengths {ends - starts}")
        self.assertLess(np.max(np.abs(np.diff(starts) - 2.0)), 0.02, f"onsets {starts}")
        for k, (a, b) in enumerate(zip(starts, ends)):
            seg = x[int(a * rate) + 500:int(b * rate) - 500]
            spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
            f = np.fft.rfftfreq(len(seg), 1 / rate)[int(np.argmax(spec))]
            self.assertLess(abs(f - burst_freq(k) / 2), 3.0, f"burst {k} heard at {f:.1f} Hz")
        with open(log) as f:
            rows = list(csv.DictReader(f))
        self.assertGreater(len(rows), 200)
        offsets = np.array([float(r["offset_ms"]) for r in rows]) / 1000
        self.assertTrue(np.all(offsets >= 0), "a row is never shown before it is heard")
        if not SANITIZED:
            self.assertLess(float(np.median(offsets)), HOP / RATE + FRAME_S)
        # Positions are the file's: half a second of the file a second of sound (after the
        # first second: the sound server dates the first few buffers of a stream early).
        file_s = np.array([float(r["file_s"]) for r in rows])[100:]
        dac_s = np.array([float(r["dac_s"]) for r in rows])[100:]
        slope = np.polyfit(dac_s, file_s, 1)[0]
        self.assertLess(abs(slope - 0.5), 0.01, f"file seconds a second: {slope:.4f}")
        self.assertTrue(np.allclose(np.diff(file_s), HOP / RATE / 2, atol=1e-5),
                        "a row every hop of sound: half a hop of the file")
        for bad in ("0", "5", "x"):
            p = subprocess.run([HARK, "play", wav, "--headless", "--speed", bad], env=self.env,
                               capture_output=True, text=True, timeout=60)
            self.assertEqual((p.returncode, p.stderr.count("\n")), (2, 1), p.stderr)

    def overview_click(self, hark, log, seconds, length, drag_to=None):
        """Once the overview strip is in a snapshot, click on it at `seconds` of a file
        `length` s long (or drag from there to `drag_to`); returns the position clicked, as
        the strip's pixel gives it."""
        wait_rows(self, log, 20)
        x0, y0, w, h = self.snapshot_now(hark)["overview_area"]
        x, y = round(x0 + seconds / length * (w - 1)), y0 + h // 2
        win = self.window_id()
        moves = ["mousemove", "--window", win, x, y, "mousedown", 1]
        if drag_to is not None:
            x2 = round(x0 + drag_to / length * (w - 1))
            moves += ["mousemove", "--window", win, (x + x2) // 2, y,
                      "mousemove", "--window", win, x2, y]
        self.xdo("windowfocus", "--sync", win, settle=0)
        self.xdo(*moves, "mouseup", 1, settle=0)
        return (x - x0) / (w - 1) * length

    def test_a_click_on_the_overview_seeks_there(self):
        # Ten bursts (burst k at 0.5 + k s): a click at 6.2 s, between bursts 5 and 6; the
        # next burst heard is 6, and the first row after the jump is the position clicked.
        wav = self.write("ten.wav", bursts(10), RATE, "PCM_16")
        log = self.path("click.csv")
        clicked = []

        def click(hark):
            clicked.append(self.overview_click(hark, log, 6.2, 10.5))
            time.sleep(2.0)
            hark.send_signal(signal.SIGTERM)

        out, rec = self.play(wav, "--stats", log, during=click)
        ks = [k for _, k, _ in found_bursts(rec)]
        jump = [i for i in range(1, len(ks)) if ks[i] != ks[i - 1] + 1]
        self.assertEqual(len(jump), 1, f"bursts heard: {ks}")
        self.assertEqual(ks[jump[0]], 6, f"after the click, burst 6: {ks}")
        with open(log) as f:
            rows = list(csv.DictReader(f))
        file_s = [float(r["file_s"]) for r in rows]
        after = [b for a, b in zip(file_s, file_s[1:]) if b > a + 1.0]
        self.assertEqual(len(after), 1, "one jump ahead")
        self.assertLess(abs(after[0] - clicked[0]), HOP / RATE,
                        f"the first row after it: {after[0]:.3f} s, clicked {clicked[0]:.3f} s")

    def test_a_click_on_a_paused_line_seeks_to_it(self):
        # Paused at about 3 s, a click on the waterfall's line 60 (--orient top: 60 rows
        # below the newest) goes to that line's position: the first row after resuming is it.
        wav = self.write("ten.wav", bursts(10), RATE, "PCM_16")
        log = self.path("line.csv")
        target = []

        def click(hark):
            wait_rows(self, log, 120)
            win = self.window_id()
            self.xdo("key", "--window", win, "space", settle=0.5)
            meta = self.snapshot_now(hark)
            x0, y0, w, h = meta["data_area"]
            target.append(meta["position_s"] - 60 * HOP / RATE)
            self.xdo("windowfocus", "--sync", win, settle=0)
            self.xdo("mousemove", "--window", win, x0 + w // 2, y0 + 60, "click", 1, settle=0.5)
            self.xdo("key", "--window", win, "space", settle=1.5)
            hark.send_signal(signal.SIGTERM)

        out, rec = self.play(wav, "--stats", log, during=click)
        with open(log) as f:
            file_s = [float(r["file_s"]) for r in csv.DictReader(f)]
        back = [b for a, b in zip(file_s, file_s[1:]) if b < a - 0.5]
        self.assertEqual(len(back), 1, "one jump back")
        self.assertLess(abs(back[0] - target[0]), HOP / RATE,
                        f"the first row after it: {back[0]:.3f} s, the line's {target[0]:.3f} s")

    def test_a_drag_on_the_overview_loops_that_part(self):
        wav = self.write("ten.wav", bursts(10), RATE, "PCM_16")
        log = self.path("drag.csv")

        def drag(hark):
            self.overview_click(hark, log, 2.4, 10.5, drag_to=3.9)
            wait_wraps(self, log, 3)
            hark.send_signal(signal.SIGTERM)

        out, rec = self.play(wav, "--stats", log, during=drag)
        ks = [k for _, k, _ in found_bursts(rec)]
        looped = ks[ks.index(2):] if 2 in ks else []
        self.assertGreaterEqual(len(looped), 5, f"bursts heard: {ks}")
        self.assertEqual(looped[:5], [2, 3, 2, 3, 2], f"bursts heard: {ks}")

    def test_errors(self):
        p = subprocess.run([HARK, "play", self.path("missing.wav"), "--headless"], env=self.env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, r"^hark: \S+missing\.wav: .+\n$")
        p = subprocess.run([HARK, "play"], env=self.env, capture_output=True, text=True,
                           timeout=60)
        self.assertEqual((p.returncode, p.stderr.count("\n")), (2, 1), p.stderr)
        wav = self.write("short.wav", bursts(1), RATE, "PCM_16")
        p = subprocess.run([HARK, "play", wav, "--start", "9", "--headless"], env=self.env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("the file is 1.500 s long", p.stderr)
        env = dict(self.server.env)
        env.pop("DISPLAY", None)
        env.pop("SDL_VIDEODRIVER", None)
        p = subprocess.run([HARK, "play", wav], env=env, capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stderr.startswith("hark: play: no display"), p.stderr)


if __name__ == "__main__":
    main()
