"""Every channel in render and batch: --channel all, lists, mid, side and ms stack the channels
in one image (channel 1 at the top, each band exactly `rows` high), the .npy is (channels,
rows, frames), --split-channels writes one set of files per channel, --labels names the bands;
each band's numbers against NumPy's STFT of that channel."""
import csv
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import (HARK, HarkTest, bin_freq, load_json, main, png_indices, png_text, read_png,  # noqa: E402
                     reference_db, run, sine)

RATE = 44100
ROWS = 513  # fft 1024


def one_line_error(test, code, err, status=2):
    test.assertEqual(code, status, err)
    test.assertTrue(err.startswith("hark: ") and err.count("\n") == 1, err)


class ChannelsTest(HarkTest):
    def stereo(self, left, right, name="st.wav"):
        x = np.stack([left, right], axis=1).astype(np.float32)
        return self.write(name, x, RATE, "FLOAT"), x

    def test_all_stacks_left_over_right_at_their_levels(self):
        k1, k5 = 23, 116  # 990.5 and 4995.7 Hz, bin-centred
        n = RATE * 2
        wav, x = self.stereo(sine(RATE, 2, bin_freq(RATE, 1024, k1), 0.5),
                             sine(RATE, 2, bin_freq(RATE, 1024, k5), 0.1))
        png, npy = self.path("st.png"), self.path("st.npy")
        code, out, err = run("render", wav, "--channel", "all", "-o", png, "--raw", npy)
        self.assertEqual((code, err), (0, ""))
        frames = 1 + n // 512
        self.assertIn(f"st.png ({frames} x {2 * ROWS} pixels", out)
        self.assertIn(f"st.npy (2 x {ROWS} x {frames} float32)", out)
        image = png_indices(png)
        self.assertEqual(image.shape, (2 * ROWS, frames), "2 x rows high, no separator")
        self.assertEqual(int(np.argmax(image[:ROWS, 10])), ROWS - 1 - k1, "top band: left")
        self.assertEqual(int(np.argmax(image[ROWS:, 10])), ROWS - 1 - k5, "bottom band: right")
        rows = np.load(npy)
        self.assertEqual(rows.shape, (2, ROWS, frames))
        for c, (k, level) in enumerate(((k1, -6.02), (k5, -20.0))):
            want = reference_db(x[:, c].astype(np.float64))
            self.assertLess(np.abs(rows[c] - want).max(), 0.05, f"channel {c + 1} vs NumPy")
            self.assertLess(np.abs(rows[c, k, 4:-4] - level).max(), 0.1)
        meta = json.loads(png_text(png)["hark"])
        self.assertEqual((meta["channel"], meta["channels_stacked"], meta["rows"]),
                         ("stacked", [1, 2], ROWS))
        side = load_json(self.path("st.json"))
        self.assertEqual(side["npy"]["shape"], [2, ROWS, frames])
        self.assertEqual(side["channels_stacked"], [1, 2])
        # A list picks and orders: 2,1 puts the right channel on top.
        code, _, err = run("render", wav, "--channel", "2,1", "-o", self.path("r.png"))
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(int(np.argmax(png_indices(self.path("r.png"))[:ROWS, 10])), ROWS - 1 - k5)

    def test_side_of_equal_channels_and_mid_of_opposite_ones_are_silence(self):
        tone = sine(RATE, 1, bin_freq(RATE, 1024, 23), 0.5)
        same, _ = self.stereo(tone, tone, "same.wav")
        opposite, _ = self.stereo(tone, -tone, "opposite.wav")
        for wav, channel in ((same, "side"), (opposite, "mid")):
            npy = self.path(channel + ".npy")
            code, _, err = run("render", wav, "--channel", channel, "--raw", npy, "--no-png")
            self.assertEqual((code, err), (0, ""))
            self.assertEqual(float(np.load(npy).max()), -120.0, f"{channel}: the floor everywhere")
        # ms stacks both: mid carries the tone of `same`, side nothing.
        npy = self.path("ms.npy")
        code, _, err = run("render", same, "--channel", "ms", "--raw", npy, "--no-png")
        self.assertEqual((code, err), (0, ""))
        rows = np.load(npy)
        self.assertAlmostEqual(float(rows[0].max()), -6.02, delta=0.1)
        self.assertEqual(float(rows[1].max()), -120.0)
        self.assertEqual(load_json(self.path("ms.json"))["channels_stacked"], ["mid", "side"])

    def test_six_channels_in_the_files_order(self):
        n = RATE
        bins = [20 + 30 * c for c in range(6)]
        x = np.stack([sine(RATE, 1, bin_freq(RATE, 1024, k), 0.3) for k in bins], axis=1)
        wav = self.write("six.wav", x.astype(np.float32), RATE, "FLOAT")
        npy, png = self.path("six.npy"), self.path("six.png")
        code, _, err = run("render", wav, "--channel", "all", "--raw", npy, "-o", png)
        self.assertEqual((code, err), (0, ""))
        rows = np.load(npy)
        self.assertEqual(rows.shape, (6, ROWS, 1 + n // 512))
        self.assertEqual([int(np.argmax(rows[c, :, 10])) for c in range(6)], bins)
        # Each plane is, bit for bit, that channel rendered alone (the stacked channels are
        # read in step, block after block).
        for c in range(6):
            one = self.path(f"one{c}.npy")
            code, _, err = run("render", wav, "--channel", c + 1, "--raw", one, "--no-png")
            self.assertEqual((code, err), (0, ""))
            self.assertTrue(np.array_equal(np.load(one), rows[c]), f"channel {c + 1}")
        image = png_indices(png)
        self.assertEqual(image.shape[0], 6 * ROWS)
        for c, k in enumerate(bins):  # band c (from the top) holds channel c + 1
            self.assertEqual(int(np.argmax(image[c * ROWS:(c + 1) * ROWS, 10])), ROWS - 1 - k)
        code, _, err = run("render", wav, "--channel", "1,3", "--raw", npy, "--no-png")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual([int(np.argmax(r[:, 10])) for r in np.load(npy)], [bins[0], bins[2]])

    def test_split_channels_are_the_stacks_bands(self):
        wav, _ = self.stereo(sine(RATE, 1, 1000.0, 0.5), sine(RATE, 1, 3000.0, 0.2))
        code, _, err = run("render", wav, "--channel", "all", "-o", self.path("all.png"),
                           "--raw", self.path("all.npy"))
        self.assertEqual((code, err), (0, ""))
        code, out, err = run("render", wav, "--channel", "all", "--split-channels", "-o",
                             self.path("sp.png"), "--raw", self.path("sp.npy"))
        self.assertEqual((code, err), (0, ""))
        stacked, planes = png_indices(self.path("all.png")), np.load(self.path("all.npy"))
        for c in range(2):
            tag = f"ch{c + 1}"
            self.assertIn(f"sp-{tag}.png", out)
            band = png_indices(self.path(f"sp-{tag}.png"))
            self.assertTrue(np.array_equal(band, stacked[c * ROWS:(c + 1) * ROWS]), tag)
            self.assertTrue(np.array_equal(np.load(self.path(f"sp-{tag}.npy")), planes[c]), tag)
            meta = load_json(self.path(f"sp-{tag}.json"))
            self.assertEqual((meta["channel"], meta["npy"]["shape"][0]), (c + 1, ROWS))
        self.assertFalse(os.path.exists(self.path("sp.png")))
        code, _, err = run("render", wav, "--split-channels", "-o", self.path("x.png"))
        one_line_error(self, code, err)

    def test_labels_name_each_band_around_the_same_pixels(self):
        wav, _ = self.stereo(sine(RATE, 1, 1000.0, 0.5), sine(RATE, 1, 3000.0, 0.2))
        code, _, err = run("render", wav, "--channel", "all", "--labels", "--colormap", "gray",
                           "-o", self.path("l.png"))
        self.assertEqual((code, err), (0, ""))
        code, _, err = run("render", wav, "--channel", "all", "--colormap", "gray", "-o",
                           self.path("p.png"))
        self.assertEqual((code, err), (0, ""))
        labelled = read_png(self.path("l.png"))
        area = json.loads(labelled.text["hark-data-area"])
        self.assertEqual(area["height"], 2 * ROWS)
        data = np.asarray(labelled.convert("L"))[area["y"]:area["y"] + area["height"],
                                                 area["x"]:area["x"] + area["width"]]
        plain = np.asarray(read_png(self.path("p.png")).convert("L"))
        self.assertTrue(np.array_equal(data, plain), "the data area is the plain image")
        # The band names stand in the left margin, one per band: ink beside each band.
        grey = np.asarray(labelled.convert("L")).astype(int)
        margin = grey[:, :area["x"] // 3]
        for b in range(2):
            top = area["y"] + b * ROWS
            self.assertGreater(margin[top:top + ROWS].max(), 150, f"band {b + 1} is named")

    def test_one_and_two_threads_give_the_same_stack(self):
        n = RATE * 120  # 10,336 frames: split between two threads
        rng = np.random.default_rng(8)
        wav, _ = self.stereo(sine(RATE, 120, 1000.0, 0.3) + rng.normal(0, 0.01, n),
                             sine(RATE, 120, 4000.0, 0.3) + rng.normal(0, 0.01, n), "long.wav")
        outs = []
        for prefix in (["taskset", "-c", "0"], []):
            p = subprocess.run([*prefix, HARK, "render", wav, "--channel", "all", "-o",
                                self.path("t.png"), "--raw", self.path("t.npy")],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(self.path("t.png"), "rb") as a, open(self.path("t.npy"), "rb") as b:
                outs.append((a.read(), b.read()))
        self.assertEqual(outs[0], outs[1])

    def test_bad_selections_are_clear_errors(self):
        mono = self.write("mono.wav", sine(RATE, 0.5, 1000.0).astype(np.float32), RATE, "FLOAT")
        stereo, _ = self.stereo(sine(RATE, 0.5, 1000.0), sine(RATE, 0.5, 2000.0))
        for wav, channel, words in ((mono, "mid", "stereo"), (mono, "ms", "stereo"),
                                    (stereo, "3", "2 channels"), (stereo, "1,4", "2 channels"),
                                    (stereo, "1,,2", "expected"), (stereo, "mix,1", "expected"),
                                    (stereo, "left", "expected")):
            code, _, err = run("render", wav, "--channel", channel, "-o", self.path("x.png"))
            one_line_error(self, code, err)
            self.assertIn(words, err)
        self.assertFalse(os.path.exists(self.path("x.png")))

    def test_batch_stacks_and_says_what_it_rendered(self):
        stereo, _ = self.stereo(sine(RATE, 0.5, 1000.0, 0.5), sine(RATE, 0.5, 2000.0, 0.5))
        mono = self.write("mono.wav", sine(RATE, 0.5, 1000.0).astype(np.float32), RATE, "FLOAT")
        out = self.path("out")
        code, _, err = run("batch", stereo, mono, "-o", out, "--channel", "all", "--format",
                           "both")
        self.assertEqual((code, err), (0, ""))
        with open(os.path.join(out, "manifest.csv"), newline="") as f:
            rows = {os.path.basename(r["input"]): r for r in csv.DictReader(f)}
        self.assertEqual((rows["st.wav"]["rendered"], rows["mono.wav"]["rendered"]), ("1;2", "1"))
        self.assertEqual(np.load(os.path.join(out, "st.npy")).shape[0], 2)
        self.assertEqual(png_indices(os.path.join(out, "st.png")).shape[0], 2 * ROWS)
        split = self.path("split")
        code, _, err = run("batch", stereo, "-o", split, "--channel", "ms", "--split-channels")
        self.assertEqual((code, err), (0, ""))
        with open(os.path.join(split, "manifest.csv"), newline="") as f:
            row = next(csv.DictReader(f))
        self.assertEqual(row["rendered"], "mid;side")
        self.assertEqual(row["output"].split(";"), [os.path.join(split, "st-mid.png"),
                                                    os.path.join(split, "st-side.png")])
        for tag in ("mid", "side"):
            self.assertEqual(png_indices(os.path.join(split, f"st-{tag}.png")).shape[0], ROWS)


if __name__ == "__main__":
    main()
