"""hark levels against references made here: EBU Tech 3341's stereo 1 kHz cases (-23 and
-33 dBFS read -23.0 and -33.0 LUFS momentary, short-term and integrated), BS.1770-4's
true-peak case (a quarter-rate sine at 45 degrees: sample peak -3.01 dBFS, true peak 0 dBTP),
RMS (a -20 dBFS sine: -23.01 dBFS), clipping, silence, each channel on its own, JSON and
standard input."""
import csv
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, main, run

RATE = 48000


def sine(seconds, freq, peak_dbfs, phase=0.0):
    n = np.arange(int(RATE * seconds))
    return 10 ** (peak_dbfs / 20) * np.sin(2 * np.pi * freq * n / RATE + phase)


class LevelsTest(HarkTest):
    def levels(self, path, *extra, stdin=None):
        p = subprocess.run([HARK, "levels", path, "--json", *extra], capture_output=True,
                           timeout=120, input=stdin)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout, parse_constant=lambda c: self.fail(f"{c} in the JSON"))

    def test_ebu_tech_3341_stereo_sines(self):
        for level in (-23.0, -33.0):
            with self.subTest(level=level):
                x = sine(20.0, 1000.0, level)
                wav = self.write(f"s{-level:.0f}.wav", np.stack([x, x], axis=1), RATE, "PCM_24")
                prog = self.levels(wav)["programme"]
                for key in ("integrated_lufs", "max_momentary_lufs", "max_short_term_lufs"):
                    self.assertAlmostEqual(prog[key], level, delta=0.1, msg=key)
                self.assertAlmostEqual(prog["loudness_range_lu"], 0.0, delta=0.1)

    def test_true_peak(self):
        x = sine(2.0, RATE / 4, 0.0, phase=np.pi / 4)  # samples at +-0.707, the wave at +-1
        wav = self.write("tp.wav", np.stack([x, x], axis=1), RATE, "FLOAT")
        prog = self.levels(wav)["programme"]
        self.assertAlmostEqual(prog["sample_peak_dbfs"], -3.01, delta=0.01)
        self.assertAlmostEqual(prog["true_peak_dbtp"], 0.0, delta=0.3)
        self.assertEqual(prog["clipped_samples"], 0)

    def test_rms_clipping_and_each_channel(self):
        left = sine(4.0, 1000.0, -20.0)
        right = np.zeros_like(left)
        right[100:110] = 1.5  # ten samples beyond full scale (a float file can hold them)
        right[200:205] = -1.0  # five at it
        wav = self.write("lr.wav", np.stack([left, right], axis=1), RATE, "FLOAT")
        out = self.levels(wav)
        left_l, right_l = out["per_channel"]
        self.assertAlmostEqual(left_l["rms_dbfs"], -23.01, delta=0.05)
        self.assertAlmostEqual(left_l["sample_peak_dbfs"], -20.0, delta=0.01)
        self.assertEqual(left_l["clipped_samples"], 0)
        self.assertEqual(right_l["clipped_samples"], 15)
        self.assertEqual(out["programme"]["clipped_samples"], 15)
        self.assertAlmostEqual(right_l["sample_peak_dbfs"], 20 * np.log10(1.5), delta=0.01)
        # one channel alone: a -20 dBFS sine is -23.0 LUFS (BS.1770's weight 1 for a channel)
        self.assertAlmostEqual(left_l["integrated_lufs"], -23.0, delta=0.1)

    def test_silence_says_so(self):
        wav = self.write("zero.wav", np.zeros((RATE, 2)), RATE, "PCM_16")
        out = self.levels(wav)
        for s in [out["programme"], *out["per_channel"]]:
            for key in ("sample_peak_dbfs", "true_peak_dbtp", "rms_dbfs", "integrated_lufs",
                        "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs"):
                self.assertIsNone(s[key], key)
        code, text, err = run("levels", wav)
        self.assertEqual((code, err), (0, ""))
        self.assertIn("silent", text)
        self.assertNotIn("inf", text.lower())
        self.assertNotIn("nan", text.lower())

    def test_batch_levels_in_the_manifest(self):
        x = sine(4.0, 1000.0, -20.0)
        files = [self.write("a.wav", np.stack([x, 0.5 * x], axis=1), RATE, "PCM_16"),
                 self.write("b.wav", np.zeros(RATE), RATE, "PCM_16")]
        code, out, err = run("batch", *files, "-o", self.path("out"), "--levels")
        self.assertEqual((code, err), (0, ""))
        with open(self.path("out/manifest.csv"), newline="") as f:
            rows = {os.path.basename(r["input"]): r for r in csv.DictReader(f)}
        want = self.levels(files[0])["programme"]
        for key, value in want.items():
            got = rows["a.wav"][key]
            if key == "clipped_samples":
                self.assertEqual(int(got), value)
            else:
                self.assertAlmostEqual(float(got), value, delta=0.006, msg=key)
        self.assertEqual(rows["b.wav"]["integrated_lufs"], "")  # silence: an empty cell
        self.assertEqual(rows["b.wav"]["clipped_samples"], "0")
        code, out, err = run("batch", *files, "-o", self.path("plain"))
        with open(self.path("plain/manifest.csv")) as f:
            self.assertNotIn("lufs", f.readline())

    def test_table_standard_input_and_errors(self):
        x = sine(3.0, 1000.0, -20.0)
        wav = self.write("m.wav", x, RATE, "PCM_16")
        code, text, err = run("levels", wav)
        self.assertEqual((code, err), (0, ""))
        self.assertRegex(text, r"programme\s+-20\.00 dBFS\s+-20\.0\d dBTP\s+-23\.01 dBFS\s+0\s")
        with open(wav, "rb") as f:
            piped = self.levels("-", stdin=f.read())
        self.assertEqual(piped["frames"], len(x))
        self.assertAlmostEqual(piped["programme"]["rms_dbfs"], -23.01, delta=0.05)
        code, out, err = run("levels", self.path("nope.wav"))
        self.assertEqual(code, 1)
        self.assertEqual(err.count("\n"), 1)
        self.assertTrue(err.startswith(f"hark: {self.path('nope.wav')}: "), err)
        code, out, err = run("levels")
        self.assertEqual(code, 2)


if __name__ == "__main__":
    main()
