"""hark render end to end: sizes, tone positions, dBFS against an independent STFT, the .npy
and its sidecar, labels that leave the data untouched, tiles, determinism."""
import os
import pty
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import (HARK, HarkTest, bin_freq, load_json, main, png_indices, png_text, read_png,
                     reference_db, run, sine)

RATE = 44100


class RenderTest(HarkTest):
    def test_size_and_tone_row(self):
        # 2.5 s of a bin-centred 1 kHz-ish tone: frames = 1 + n // hop, rows = fft/2 + 1.
        k = 93
        x = sine(RATE, 2.5, bin_freq(RATE, 1024, k), 0.5)
        wav = self.write("tone.wav", x, RATE, "PCM_16")
        out = self.path("tone.png")
        self.render_ok(wav, "-o", out)
        idx = png_indices(out)
        self.assertEqual(idx.shape, (513, 1 + len(x) // 512))
        # 0 Hz is the bottom line: bin k is line 512 - k; the brightest line in every column.
        bright = np.argmax(idx[:, 2:-2], axis=0)
        self.assertTrue(np.all(bright == 512 - k), np.unique(bright))

    def test_npy_matches_independent_stft(self):
        rng = np.random.default_rng(7)
        n = RATE * 3 + 123
        x = (sine(RATE, n / RATE, bin_freq(RATE, 1024, 40), 10 ** (-20 / 20))
             + sine(RATE, n / RATE, 5000.0, 10 ** (-6 / 20))
             + rng.normal(0, 10 ** (-50 / 20), n))
        wav = self.write("mix.wav", x.astype(np.float32), RATE, "FLOAT")
        npy = self.path("mix.npy")
        self.render_ok(wav, "--raw", npy, "-o", self.path("mix.png"))
        got = np.load(npy)
        want = reference_db(x.astype(np.float32).astype(np.float64))
        self.assertEqual(got.shape, want.shape)
        self.assertEqual(got.dtype, np.float32)
        self.assertTrue(np.all(np.isfinite(got)))
        err = np.abs(got - want)
        self.assertLess(err.max(), 0.05, f"worst {err.max():.4f} dB at {np.unravel_index(err.argmax(), err.shape)}")
        # The -20 dBFS bin-centred tone reads -20 in its bin, away from the edges.
        self.assertLess(np.abs(got[40, 5:-5] + 20).max(), 0.1)
        meta = load_json(self.path("mix.json"))
        for key, value in [("fft", 1024), ("hop", 512), ("window", "hann"), ("scale", "linear"),
                           ("rate_hz", RATE), ("rows", 513), ("frames", got.shape[1]),
                           ("framing", "centered"), ("channel", "mix"), ("units", "dBFS")]:
            self.assertEqual(meta[key], value, key)
        self.assertEqual(meta["range_db"], [-120, 0])
        self.assertEqual(meta["npy"]["shape"], [513, got.shape[1]])
        self.assertEqual(len(meta["row_hz"]), 513)
        self.assertAlmostEqual(meta["row_hz"][40], 40 * RATE / 1024, places=3)
        self.assertIn("version", meta)

    def test_png_levels_follow_the_range(self):
        # The palette index is the dB level mapped linearly over --range onto 0..255.
        x = sine(RATE, 1.0, bin_freq(RATE, 1024, 100), 10 ** (-30 / 20))
        wav = self.write("t.wav", x.astype(np.float32), RATE, "FLOAT")
        self.render_ok(wav, "-o", self.path("a.png"), "--raw", self.path("a.npy"),
                       "--range", "-90:-10")
        idx = png_indices(self.path("a.png"))
        db = np.load(self.path("a.npy"))
        want = np.clip(np.round((db - -90) / 80 * 255), 0, 255)
        self.assertLessEqual(np.abs(idx[::-1, :].astype(int) - want).max(), 1)

    def test_silence_is_the_floor_everywhere(self):
        wav = self.write("silence.wav", np.zeros(RATE), RATE, "PCM_16")
        self.render_ok(wav, "-o", self.path("s.png"), "--raw", self.path("s.npy"))
        self.assertTrue(np.all(np.load(self.path("s.npy")) == -120.0))
        self.assertTrue(np.all(png_indices(self.path("s.png")) == 0))

    def test_same_bytes_every_time(self):
        rng = np.random.default_rng(1)
        wav = self.write("n.flac", rng.uniform(-0.5, 0.5, RATE * 2), RATE, "PCM_16")
        runs = []
        for _ in (1, 2):
            self.render_ok(wav, "-o", self.path("o.png"), "--raw", self.path("o.npy"))
            runs.append({ext: read_bytes(self.path(f"o.{ext}")) for ext in ("png", "npy", "json")})
            for ext in ("png", "npy", "json"):
                os.remove(self.path(f"o.{ext}"))
        for ext in ("png", "npy", "json"):
            self.assertEqual(runs[0][ext], runs[1][ext], ext)

    def test_png_deflate_changes_bytes_never_pixels(self):
        # The fast Huffman coder and zlib give other bytes but the same decoded pixels, for
        # noise, tones, silence (long runs), labels and tiles; and pngcheck-strict readers
        # (PIL, zlib) read both. zlib's path is today's bytes.
        rng = np.random.default_rng(5)
        x = np.concatenate([rng.normal(0, 0.1, RATE * 3), np.zeros(RATE * 2),
                            sine(RATE, 2.0, 1234.5, 0.5)])
        wav = self.write("mix.wav", x.astype(np.float32), RATE, "FLOAT")
        cases = [(), ("--labels",), ("--tile-seconds", "2"), ("--scale", "log", "--height", "900")]
        for extra in cases:
            outs = {}
            for mode in ("huffman", "zlib"):
                out = self.path(f"{mode}.png")
                self.render_ok(wav, "-o", out, "--png-deflate", mode, *extra)
                names = sorted(n for n in os.listdir(self.dir) if n.startswith(mode))
                outs[mode] = [(read_bytes(self.path(n)),
                               np.array(read_png(self.path(n)).convert("RGB"))) for n in names]
                for n in names:
                    os.remove(self.path(n))
            self.assertEqual(len(outs["huffman"]), len(outs["zlib"]), extra)
            for (hb, hp), (zb, zp) in zip(outs["huffman"], outs["zlib"]):
                self.assertTrue(np.array_equal(hp, zp), f"{extra}: pixels differ")
                self.assertLess(len(hb), len(zb) * 1.15, f"{extra}: huffman much larger")
        code, _, err = run("render", wav, "--png-deflate", "gzip")
        self.assertEqual(code, 2)
        self.assertIn("--png-deflate 'gzip': expected huffman or zlib", err)

    def test_avx2_and_sse2_give_the_same_bytes(self):
        # The per-pixel loops run as AVX2 where the CPU has it; HARK_SIMD=sse2 forces the
        # baseline build. Levels and pictures must not depend on the CPU's vector width.
        rng = np.random.default_rng(9)
        x = np.concatenate([rng.normal(0, 0.2, RATE * 2), np.zeros(RATE),
                            sine(RATE, 2.0, 3001.0, 0.9)])
        wav = self.write("v.wav", x.astype(np.float32), RATE, "FLOAT")
        got = {}
        for simd in ("", "sse2"):
            env = dict(os.environ, HARK_SIMD=simd)
            for extra in ((), ("--scale", "mel", "--height", "300")):
                out, raw = self.path(f"v{simd}.png"), self.path(f"v{simd}.npy")
                p = subprocess.run([HARK, "render", wav, "-o", out, "--raw", raw, *extra],
                                   capture_output=True, env=env)
                self.assertEqual(p.returncode, 0, p.stderr)
                got[(simd, extra)] = (read_bytes(raw), read_bytes(out))
        for extra in ((), ("--scale", "mel", "--height", "300")):
            self.assertEqual(got[("", extra)][0], got[("sse2", extra)][0], f"{extra}: .npy differs")
            self.assertEqual(got[("", extra)][1], got[("sse2", extra)][1], f"{extra}: PNG differs")

    def test_long_file_split_between_threads_is_exact(self):
        # Long enough for render to split the frames between threads (PNG only); the .npy
        # path runs on one thread: the two must agree on every pixel.
        rng = np.random.default_rng(3)
        n = RATE * 240 + 77
        x = rng.normal(0, 0.05, n) + sine(RATE, n / RATE, 3000.0, 0.3)
        wav = self.write("long.wav", x.astype(np.float32), RATE, "FLOAT")
        self.render_ok(wav, "-o", self.path("split.png"))
        self.render_ok(wav, "--raw", self.path("m.npy"), "--no-png")
        idx = png_indices(self.path("split.png"))
        db = np.load(self.path("m.npy"))
        self.assertEqual(idx.shape, (513, 1 + n // 512))
        want = np.clip(np.floor((db + 120) / 120 * 255 + 0.5), 0, 255).astype(np.uint8)
        diff = np.abs(idx[::-1, :].astype(int) - want)
        self.assertLessEqual(diff.max(), 1)
        self.assertLess(np.count_nonzero(diff), idx.size // 10000)

    def test_labels_keep_the_data_pixel_for_pixel(self):
        x = sine(RATE, 3.0, 2000.0, 0.25) + sine(RATE, 3.0, 9000.0, 0.01)
        wav = self.write("lab.wav", x, RATE, "PCM_24")
        plain, labelled = self.path("plain.png"), self.path("labelled.png")
        self.render_ok(wav, "-o", plain)
        self.render_ok(wav, "-o", labelled, "--labels")
        a = np.array(read_png(plain).convert("RGB"))
        im = read_png(labelled)
        area = load_json_text(im.text["hark-data-area"])
        b = np.array(im.convert("RGB"))
        x0, y0, w, h = area["x"], area["y"], area["width"], area["height"]
        self.assertEqual((h, w), a.shape[:2])
        self.assertGreater(b.shape[0], h + 20)
        self.assertGreater(b.shape[1], w + 40)
        self.assertTrue(np.array_equal(b[y0:y0 + h, x0:x0 + w], a), "data area differs")
        # Something is drawn around it: the margins are not all one colour.
        self.assertGreater(len(np.unique(b[:y0].reshape(-1, 3), axis=0)), 2, "no title")
        self.assertGreater(len(np.unique(b[:, :x0].reshape(-1, 3), axis=0)), 2, "no frequency axis")

    def test_tiles_join_into_the_whole_image(self):
        x = sine(RATE, 7.3, 1500.0, 0.5)
        wav = self.write("t.wav", x, RATE, "PCM_16")
        whole = self.path("whole.png")
        self.render_ok(wav, "-o", whole)
        out = self.render_ok(wav, "-o", self.path("tile.png"), "--tile-seconds", "2")
        tiles = sorted(f for f in self.listing() if f.startswith("tile-"))
        self.assertEqual(tiles, [f"tile-{i:04d}.png" for i in range(1, 5)], out)
        joined = np.concatenate([png_indices(self.path(t)) for t in tiles], axis=1)
        self.assertTrue(np.array_equal(joined, png_indices(whole)))
        meta = load_json_text(png_text(self.path("tile-0002.png"))["hark"])
        self.assertEqual(meta["first_frame"], round(2 * RATE / 512))

    def test_a_tile_longer_than_the_file(self):
        wav = self.write("short.wav", sine(RATE, 1.0, 440.0, 0.5), RATE)
        out = self.render_ok(wav, "--tile-seconds", "100000", "-o", self.path("t.png"))
        self.assertIn("t-0001.png (1 tile, 87 x 513 pixels, ", out)
        self.assertEqual(png_indices(self.path("t-0001.png")).shape, (513, 87))

    def test_audio_from_a_pipe(self):
        # A stream's header has no usable length: read to the end instead.
        x = sine(RATE, 1.0, bin_freq(RATE, 1024, 40), 0.5)
        wav = self.write("p.wav", x, RATE, "PCM_16")
        with open(wav, "rb") as f:
            audio = f.read()
        p = subprocess.Popen([HARK, "render", "/dev/stdin", "-o", self.path("p.png")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = p.communicate(audio, timeout=60)  # a real pipe: not seekable
        self.assertEqual((p.returncode, err), (0, b""))
        self.assertEqual(png_indices(self.path("p.png")).shape, (513, 1 + len(x) // 512))

    def test_default_output_name_in_current_folder(self):
        src = os.path.join(self.dir, "in")
        os.mkdir(src)
        wav = self.write("in/My Recording.take1.wav", sine(RATE, 0.5, 440.0), RATE)
        out = self.render_ok(wav, cwd=self.dir)
        self.assertTrue(os.path.exists(self.path("My Recording.take1.png")), out)
        self.assertIn("My Recording.take1.png", out)

    def test_scales_and_height(self):
        x = sine(RATE, 1.0, 1000.0, 0.5)
        wav = self.write("s.wav", x, RATE)
        frames = 1 + len(x) // 512
        for scale in ("log", "mel"):
            out = self.path(f"{scale}.png")
            self.render_ok(wav, "-o", out, "--scale", scale)
            self.assertEqual(png_indices(out).shape, (513, frames))
            self.render_ok(wav, "-o", out, "--scale", scale, "--height", "200")
            idx = png_indices(out)
            self.assertEqual(idx.shape, (200, frames))
            row = 199 - int(np.argmax(idx[:, frames // 2]))
            if scale == "log":
                lo, hi = RATE / 1024, RATE / 2
                want = np.log(1000 / lo) / np.log(hi / lo) * 199
            else:
                mel = lambda f: 2595 * np.log10(1 + f / 700)
                want = mel(1000) / mel(RATE / 2) * 199
            self.assertLessEqual(abs(row - want), 1.5, f"{scale}: row {row}, want {want:.1f}")

    def test_stereo_channel_choice(self):
        left = sine(RATE, 1.0, bin_freq(RATE, 1024, 50), 0.5)
        right = sine(RATE, 1.0, bin_freq(RATE, 1024, 200), 0.5)
        wav = self.write("st.wav", np.stack([left, right], axis=1), RATE, "PCM_16")
        for channel, k in (("1", 50), ("2", 200)):
            self.render_ok(wav, "--raw", self.path("c.npy"), "--no-png", "--channel", channel)
            db = np.load(self.path("c.npy"))
            self.assertEqual(int(np.argmax(db[:, 10])), k)
            self.assertAlmostEqual(float(db[k, 10]), -6.02, delta=0.1)
        self.render_ok(wav, "--raw", self.path("m.npy"), "--no-png")
        db = np.load(self.path("m.npy"))
        # The mix is the mean of the channels: each tone at half its level, -12 dBFS.
        self.assertAlmostEqual(float(db[50, 10]), -12.04, delta=0.1)
        self.assertAlmostEqual(float(db[200, 10]), -12.04, delta=0.1)

    def test_progress_bar_only_on_a_terminal(self):
        wav = self.write("p.wav", sine(RATE, 30.0, 440.0, 0.5), RATE)
        code, out, err = run("render", wav, "-o", self.path("p.png"))
        self.assertEqual((code, err), (0, ""), "no bar when stderr is not a terminal")
        # Under a pseudo-terminal: a bar is drawn, then erased before the result line.
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(HARK, [HARK, "render", wav, "-o", self.path("q.png")])
        seen = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, seen)
        text = seen.decode()
        self.assertIn("rendering [", text)
        self.assertIn("%", text)
        self.assertIn("\x1b[K", text, "the bar is erased")
        self.assertRegex(text.rstrip(), r"q\.png \(2584 x 513 pixels, \d+ CPUs?\)$")


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def load_json_text(s):
    import json
    return json.loads(s)


if __name__ == "__main__":
    main()
