"""hark in shell pipelines: '-' reads standard input (WAV, FLAC and Ogg streams from sox and
ffmpeg, and headerless samples with --raw-format), '-o -' writes the PNG to standard output,
live --input runs the live session on a file or a stream paced at real time, and a pipe that
carries no audio says so in one line, with how much was read."""
import io
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import (HARK, HarkTest, bin_freq, finish, main, png_indices, sine, stop_process)  # noqa: E402
from sound import NullSinkServer

RATE = 48000


def pipe(producer, consumer, stdin=None):
    """Run producer | consumer; return (consumer's status, stdout bytes, stderr text)."""
    a = subprocess.Popen(producer, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=stdin)
    b = subprocess.Popen(consumer, stdin=a.stdout, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    a.stdout.close()
    out, err = finish(b, 300)
    a.wait(timeout=60)
    return b.returncode, out, err.decode()


class PipeTest(HarkTest):
    def setUp(self):
        super().setUp()
        self.tone = bin_freq(RATE, 1024, 64)  # 3000 Hz, on a bin centre
        self.x = sine(RATE, 3.0, self.tone, 0.5)
        self.wav = self.write("tone.wav", self.x, RATE, "PCM_16")
        self.frames = 1 + len(self.x) // 512
        code, out, err = self.render(self.wav, "-o", self.path("direct.png"))
        self.direct = png_indices(self.path("direct.png"))

    def render(self, *args):
        p = subprocess.run([HARK, "render", *args], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.returncode, p.stdout, p.stderr

    def peak_row(self, indices):
        return int(np.argmax(indices[::-1, indices.shape[1] // 2]))  # row 0 = 0 Hz

    def test_wav_and_flac_streams_from_sox_match_the_file(self):
        for kind in ("wav", "flac"):
            with self.subTest(kind=kind):
                out = self.path(f"{kind}.png")
                code, stdout, err = pipe(["sox", self.wav, "-t", kind, "-"],
                                         [HARK, "render", "-", "-o", out])
                self.assertEqual((code, err), (0, ""))
                self.assertTrue(np.array_equal(png_indices(out), self.direct), kind)

    def test_ogg_stream_from_sox_and_wav_from_ffmpeg(self):
        code, _, err = pipe(["sox", self.wav, "-t", "ogg", "-"],
                            [HARK, "render", "-", "-o", self.path("ogg.png")])
        self.assertEqual((code, err), (0, ""))
        ogg = png_indices(self.path("ogg.png"))
        self.assertEqual(ogg.shape[0], 513)
        self.assertLessEqual(abs(ogg.shape[1] - self.frames), 4)  # the codec's own padding
        self.assertEqual(self.peak_row(ogg), 64)
        code, _, err = pipe(["ffmpeg", "-v", "error", "-i", self.wav, "-f", "wav", "-"],
                            [HARK, "render", "-", "-o", self.path("ff.png")])
        self.assertEqual((code, err), (0, ""))
        self.assertTrue(np.array_equal(png_indices(self.path("ff.png")), self.direct))

    def test_headerless_samples(self):
        cases = [("s16le", ["-t", "s16"], "PCM_16"), ("s24le", ["-t", "s24"], "PCM_24"),
                 ("s32le", ["-t", "s32"], "PCM_32"), ("f32le", ["-t", "f32"], "FLOAT")]
        for name, sox_type, subtype in cases:
            with self.subTest(name=name):
                src = self.write(f"t-{name}.wav", self.x, RATE, subtype)
                self.render(src, "-o", self.path(f"file-{name}.png"))
                out = self.path(f"raw-{name}.png")
                code, _, err = pipe(["sox", src, *sox_type, "-"],
                                    [HARK, "render", "-", "--raw-format", name, "--rate",
                                     str(RATE), "-o", out])
                self.assertEqual((code, err), (0, ""))
                self.assertTrue(np.array_equal(png_indices(out),
                                               png_indices(self.path(f"file-{name}.png"))))
        # Two channels, interleaved: the right one taken.
        stereo = np.stack([np.zeros_like(self.x), self.x], axis=1)
        st = self.write("st.wav", stereo, RATE, "PCM_16")
        code, _, err = pipe(["sox", st, "-t", "s16", "-"],
                            [HARK, "render", "-", "--raw-format", "s16le", "--rate", str(RATE),
                             "--channels", "2", "--channel", "2", "-o", self.path("right.png")])
        self.assertEqual((code, err), (0, ""))
        self.assertTrue(np.array_equal(png_indices(self.path("right.png")), self.direct))

    def test_png_to_standard_output(self):
        code, png, err = pipe(["sox", self.wav, "-t", "wav", "-"],
                              [HARK, "render", "-", "-o", "-"])
        self.assertEqual((code, err), (0, ""))
        im = np.array(Image.open(io.BytesIO(png)))
        self.assertTrue(np.array_equal(im, self.direct))

    def test_info_from_a_pipe(self):
        code, out, err = pipe(["sox", self.wav, "-t", "flac", "-"], [HARK, "info", "-"])
        self.assertEqual((code, err), (0, ""))
        text = out.decode()
        self.assertIn("FLAC", text)
        self.assertIn(f"rate:      {RATE} Hz", text)

    def live_rows(self, consumer_args, producer=None):
        """Run hark live --input ... --headless --raw; return (the rows, wall seconds)."""
        npy = self.path("live.npy")
        cmd = [HARK, "live", "--headless", "--raw", npy, *consumer_args]
        t0 = time.monotonic()
        if producer:
            code, out, err = pipe(producer, cmd)
            out = out.decode()
        else:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            code, out, err = p.returncode, p.stdout, p.stderr
        wall = time.monotonic() - t0
        self.assertEqual((code, err), (0, ""))
        self.assertIn("0 samples dropped", out)
        return np.load(npy), wall

    def check_tone(self, rows):
        self.assertEqual(rows.shape[0], 1025)  # live's default fft, 2048
        middle = rows[:, 5:-5]
        self.assertTrue((middle.argmax(axis=0) == 128).all())  # 3000 Hz at 23.4375 Hz a bin
        self.assertAlmostEqual(float(middle.max(axis=0).min()), -6.02, delta=0.1)  # amp 0.5

    def test_live_input_from_a_file_a_pipe_and_raw_samples(self):
        flac = self.write("tone.flac", self.x, RATE, "PCM_16")
        rows, wall = self.live_rows(["--input", flac])
        self.check_tone(rows)
        self.assertGreater(wall, 0.9 * 3.0, "paced at real time: 3 s of sound")
        rows, _ = self.live_rows(["--input", "-"],
                                 ["ffmpeg", "-v", "error", "-i", self.wav, "-f", "wav", "-"])
        self.check_tone(rows)
        rows, _ = self.live_rows(["--input", "-", "--raw-format", "s16le", "--rate", str(RATE)],
                                 ["sox", self.wav, "-t", "s16", "-"])
        self.check_tone(rows)
        p = subprocess.run([HARK, "live", "--input", "-", "--raw-format", "s16le", "--headless"],
                           input=b"", capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("needs --rate", p.stderr.decode())

    def test_live_input_from_arecord(self):
        """The README's arecord pipe, arecord reading the monitor of a private null sink (its
        ALSA default, through the pulse plugin) while a tone plays into the sink."""
        server = NullSinkServer()
        self.addCleanup(server.stop)
        long_tone = self.write("long.wav", sine(RATE, 8.0, self.tone, 0.5), RATE, "PCM_16")
        player = server.play(long_tone)
        self.addCleanup(stop_process, player)
        npy = self.path("arecord.npy")
        rec = subprocess.Popen(["arecord", "-q", "-f", "S16_LE", "-r", str(RATE), "-c", "1",
                                "-d", "4"], stdout=subprocess.PIPE, env=server.env)
        live = subprocess.run([HARK, "live", "--input", "-", "--raw-format", "s16le", "--rate",
                               str(RATE), "--headless", "--raw", npy], stdin=rec.stdout,
                              capture_output=True, text=True, timeout=120, env=server.env)
        rec.stdout.close()
        rec.wait(timeout=30)
        self.assertEqual(live.returncode, 0, live.stderr)
        rows = np.load(npy)
        self.assertGreater(rows.shape[1], 100)  # about 4 s at hop 1024
        peaks = rows.argmax(axis=0)
        self.assertGreater(np.mean(peaks == 128), 0.5, "the tone, at its bin, most of the time")

    def test_what_is_not_audio_says_how_much_was_read(self):
        p = subprocess.run([HARK, "render", "-", "-o", self.path("x.png")], input=b"not audio\n",
                           capture_output=True, timeout=60)
        err = p.stderr.decode()
        self.assertEqual(p.returncode, 1, err)
        self.assertEqual(err.count("\n"), 1, err)
        self.assertTrue(err.startswith("hark: -: format not recognised"), err)
        self.assertIn("after the first 10 bytes of the stream", err)
        self.assertFalse(os.path.exists(self.path("x.png")))
        p = subprocess.run([HARK, "render", "-", "-o", self.path("x.png")], input=b"",
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn("ended before any byte came", p.stderr.decode())
        for args, fragment in [(["--rate", "48000"], "give --raw-format too"),
                               (["--raw-format", "s16le"], "needs --rate"),
                               (["--raw-format", "u8", "--rate", "8000"], "expected s16le")]:
            with self.subTest(args=args):
                p = subprocess.run([HARK, "render", "-", *args], input=b"", capture_output=True,
                                   timeout=60)
                self.assertEqual(p.returncode, 2)
                self.assertIn(fragment, p.stderr.decode())


if __name__ == "__main__":
    main()
