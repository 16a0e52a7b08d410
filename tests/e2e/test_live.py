"""hark devices and hark live (headless) against a real PulseAudio server with a null sink:
what is played into the sink is captured through PortAudio, and its spectrum checked."""
import os
import re
import subprocess
import sys
import time

import glob
import json
import signal

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import (HARK, audio_stderr, bin_freq, finish, main, sine, start_hark, stop_process)  # noqa: E402
from sound import SoundServerTest  # noqa: E402

RATE = 44100
FFT = 2048
SUMMARY = re.compile(r"live: (.+): ([\d.]+) s at (\d+) Hz, (\d+) rows, (\d+) samples dropped, "
                     r"(\d+) rows dropped, peak (-?[\d.]+) dBFS")


class LiveTest(SoundServerTest):
    def hark(self, *args, timeout=60):
        p = subprocess.run([HARK, *map(str, args)], env=self.server.env, capture_output=True,
                           text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def live(self, *args):
        code, out, err = self.hark("live", "--headless", *args)
        self.assertEqual(code, 0, err)
        self.assertEqual(audio_stderr(err), "", "PortAudio's probing noise stays off stderr")
        m = SUMMARY.search(out)
        self.assertIsNotNone(m, out)
        return m

    def test_devices_lists_the_default_input(self):
        code, out, err = self.hark("devices")
        self.assertEqual((code, err), (0, ""))
        lines = out.splitlines()
        self.assertTrue(lines[0].split()[:3] == ["index", "in", "out"], out)
        default = [line for line in lines if "default input" in line]
        self.assertEqual(len(default), 1, out)
        self.assertGreater(int(default[0].split()[1]), 0, "the default input has channels")

    def test_three_tones_stand_where_they_should(self):
        # Three -20 dBFS tones on bin centres 46, 186 and 326 (about 1, 4 and 7 kHz).
        bins = (46, 186, 326)
        x = sum(sine(RATE, 30.0, bin_freq(RATE, FFT, k), 0.1) for k in bins)  # long: slow starts
        wav = self.write("tones.wav", x, RATE, "PCM_16")
        player = self.server.play(wav)
        try:
            time.sleep(0.5)
            m = self.live("--duration", "3", "--raw", self.path("live.npy"))
        finally:
            stop_process(player)
        self.assertEqual(int(m.group(3)), RATE)
        self.assertEqual(int(m.group(5)), 0, "no sample dropped")
        self.assertEqual(int(m.group(6)), 0, "no row dropped")
        db = np.load(self.path("live.npy"))
        self.assertEqual(db.shape, (FFT // 2 + 1, int(m.group(4))))
        # Captured samples n give floor((n - fft/2) / hop) + 1 rows, within a callback's worth.
        seconds = float(m.group(2))
        self.assertLessEqual(abs(db.shape[1] - (seconds * RATE - FFT / 2) / (FFT / 2)), 8)
        middle = db[:, db.shape[1] // 4: db.shape[1] * 3 // 4]
        peaks = [sorted(np.argsort(col)[-3:]) for col in middle.T]
        self.assertTrue(all(p == list(bins) for p in peaks), peaks[:3])
        for k in bins:
            self.assertLess(float(np.max(np.abs(middle[k] + 20.0))), 0.5,
                            f"bin {k} reads -20 dBFS: {middle[k][:5]}")
        self.assertLess(float(np.max(np.delete(middle, [k + d for k in bins for d in (-1, 0, 1)],
                                             axis=0))), -60, "nothing else is loud")

    def test_a_stalled_dsp_thread_drops_and_counts(self):
        # The sample ring holds about 3 s: a 4 s stall must drop about a second, and the
        # capture goes on (the callback never waits).
        m = self.live("--duration", "6", "--test-stall-dsp", "0.5:4", "--record",
                      self.path("stalled"), "--record-seconds", "2")
        dropped = int(m.group(5))
        self.assertGreater(dropped, RATE // 2, m.group(0))
        self.assertLess(dropped, 3 * RATE, m.group(0))
        self.assertGreaterEqual(float(m.group(2)), 6.0)
        # The strips say what was lost before and within them: their frames' times are off by it.
        _, meta = self.strips(self.path("stalled"))
        self.assertEqual(meta[0]["samples_dropped"][0], 0)
        self.assertEqual(meta[-1]["samples_dropped"][1], dropped)
        for a, b in zip(meta, meta[1:]):
            self.assertEqual(a["samples_dropped"][1], b["samples_dropped"][0])

    def strips(self, folder):
        paths = sorted(glob.glob(os.path.join(folder, "*")))
        self.assertTrue(all(p.endswith(".png") for p in paths), f"only whole PNGs: {paths}")
        images = [Image.open(p) for p in paths]
        for im in images:
            im.load()
        return [np.array(im) for im in images], [json.loads(im.text["hark"]) for im in images]

    def test_recording_strips_join_without_gaps(self):
        x = sum(sine(RATE, 30.0, bin_freq(RATE, FFT, k), 0.1) for k in (46, 186))
        player = self.server.play(self.write("r.wav", x, RATE, "PCM_16"))
        try:
            time.sleep(0.3)
            m = self.live("--duration", "3.5", "--record", self.path("rec"), "--record-seconds",
                          "1", "--raw", self.path("r.npy"))
        finally:
            stop_process(player)
        strips, meta = self.strips(self.path("rec"))
        rows = int(m.group(4))
        self.assertEqual(len(strips), 4, "three whole seconds and a partial one")
        self.assertEqual([s.shape[0] for s in strips], [FFT // 2 + 1] * 4)
        # Strip k starts where strip k-1 ended, on whole seconds to the nearest frame.
        self.assertEqual([d["first_frame"] for d in meta],
                         [round(k * RATE / (FFT // 2)) for k in range(4)])
        joined = np.concatenate(strips, axis=1)
        self.assertEqual(joined.shape[1], rows, "no frame missing or repeated at the joins")
        # The same rows as the .npy of the same run, quantised: the strips are the session.
        db = np.load(self.path("r.npy"))
        levels = np.clip(np.floor((db + 120) * 255 / 120 + 0.5), 0, 255).astype(np.uint8)
        self.assertTrue(np.array_equal(joined, levels[::-1]))
        self.assertTrue(meta[1]["start_utc"].endswith("Z") and "T" in meta[1]["start_utc"])
        self.assertTrue(all(d["samples_dropped"] == [0, 0] for d in meta), "nothing lost")
        # One set of names for every output (docs/FORMATS.md): what made it, what was heard.
        self.assertTrue(all(d["command"] == "live" for d in meta))
        self.assertTrue(all(d["source"] == "default" for d in meta), meta[0]["source"])

    def test_sigterm_finishes_the_current_strip(self):
        folder = self.path("daemon")
        p = start_hark("live", "--headless", "--record", folder, "--record-seconds", "1",
                       env=self.server.env)
        try:
            self.expect_start(p, "live")
            # Two whole strips written (the writer prints each path), then stop it mid-strip.
            for _ in range(2):
                self.assertIn(".png (", p.stdout.readline())
            time.sleep(0.5)
            p.send_signal(signal.SIGTERM)
            out, err = finish(p, 60)
        finally:
            stop_process(p)
        self.assertEqual((p.returncode, audio_stderr(err)), (0, ""))
        strips, meta = self.strips(folder)
        m = SUMMARY.search(out)
        self.assertEqual(sum(s.shape[1] for s in strips), int(m.group(4)), out)
        self.assertEqual(len(strips), 3, "two whole strips and the one SIGTERM cut short")
        self.assertLess(strips[2].shape[1], strips[0].shape[1])

    def test_device_by_name_and_bad_device(self):
        m = self.live("--device", "pulse", "--duration", "0.5")
        self.assertEqual(m.group(1), "pulse")
        code, out, err = self.hark("live", "--headless", "--device", "no-such-device")
        self.assertEqual(code, 1)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertTrue(err.startswith("hark: live: no input device matches 'no-such-device'"), err)


if __name__ == "__main__":
    main()
