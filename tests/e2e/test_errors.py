"""Bad input gets one clear line, 'hark: <subject>: <what is wrong>', exit status 1 (2 for
usage), and leaves no output behind."""
import os
import shutil
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, SANITIZED, HarkTest, main, read_png, run, sine

RATE = 44100


class ErrorTest(HarkTest):
    def setUp(self):
        super().setUp()
        self.good = self.write("good.wav", sine(RATE, 1.0, 440.0, 0.5), RATE, "PCM_16")

    def expect_failure(self, args, status, subject, fragment):
        before = self.listing()
        code, out, err = run(*args, cwd=self.dir)
        self.assertEqual(code, status, f"{args}: exit {code}, stderr {err!r}")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, f"{args}: want one line, got {err!r}")
        self.assertTrue(lines[0].startswith(f"hark: {subject}: "), lines[0])
        self.assertIn(fragment.lower(), lines[0].lower())
        self.assertEqual(out, "")
        self.assertEqual(self.listing(), before, f"{args} left files behind")

    def test_missing_file(self):
        p = self.path("nope.wav")
        self.expect_failure(["render", p], 1, p, "no such file")
        self.expect_failure(["info", p], 1, p, "no such file")

    def test_empty_file(self):
        p = self.path("empty.wav")
        open(p, "w").close()
        self.expect_failure(["render", p, "-o", self.path("x.png")], 1, p, "empty")

    def test_text_file_named_wav(self):
        p = self.path("notes.wav")
        with open(p, "w") as f:
            f.write("This is a shopping list, not a recording.\n" * 20)
        self.expect_failure(["render", p, "-o", self.path("x.png")], 1, p, "format")

    def test_headerless_samples_get_one_line(self):
        """Bytes libsndfile's last probe (MPEG, libmpg123) looks at and gives up on: libmpg123's
        own four lines stay off stderr, and the one line says what to do."""
        p = self.path("take1.raw")
        with open(p, "wb") as f:
            f.write(b"\xff\xff\x01\x00" + bytes(100000))  # -1, 1, then silence, as s16le
        for args in (["render", p, "-o", self.path("x.png")], ["info", p]):
            with self.subTest(args=args):
                code, out, err = run(*args, cwd=self.dir)
                if SANITIZED:  # there stderr is left alone: sanitizer reports must get out
                    err = "".join(ln for ln in err.splitlines(True)
                                  if not ln.startswith(("Note: ", "[src/libmpg123/")))
                self.assertEqual(code, 1, err)
                self.assertEqual(err, f"hark: {p}: format not recognised: not audio libsndfile "
                                 "reads (headerless samples need --raw-format)\n")
                self.assertFalse(os.path.exists(self.path("x.png")))

    def test_wav_cut_inside_its_header(self):
        with open(self.good, "rb") as f:
            head = f.read(30)
        p = self.path("cut.wav")
        with open(p, "wb") as f:
            f.write(head)
        self.expect_failure(["render", p, "-o", self.path("x.png")], 1, p, "")

    def test_wav_with_no_frames(self):
        p = self.write("zero.wav", np.zeros(0), RATE, "PCM_16")
        self.expect_failure(["render", p, "-o", self.path("x.png"), "--raw", self.path("x.npy")],
                            1, p, "no audio frames")
        self.expect_failure(["info", p], 1, p, "no audio frames")

    def test_folder_as_input(self):
        d = self.path("adir")
        os.mkdir(d)
        self.expect_failure(["render", d, "-o", self.path("x.png")], 1, d, "folder")

    def test_output_folder_cannot_be_written(self):
        # Root may write anywhere, so use folders that cannot exist: a missing one, and a
        # "folder" that is a regular file.
        out = self.path("missing/out.png")
        self.expect_failure(["render", self.good, "-o", out], 1, out, "no such file")
        npy = self.path("good.wav/m.npy")
        self.expect_failure(["render", self.good, "--raw", npy, "--no-png"], 1, npy, "not a directory")

    def test_output_that_is_a_folder(self):
        d = self.path("outdir")
        os.mkdir(d)
        self.expect_failure(["render", self.good, "-o", d], 1, d, "is a folder")
        self.expect_failure(["render", self.good, "-o", d + "/"], 1, d + "/", "is a folder")

    def test_output_over_the_input_is_refused(self):
        with open(self.good, "rb") as f:
            audio = f.read()
        self.expect_failure(["render", self.good, "-o", self.good], 2, self.good, "input file")
        self.expect_failure(["render", self.good, "--raw", self.good, "--no-png"], 2, self.good,
                            "input file")
        with open(self.good, "rb") as f:
            self.assertEqual(f.read(), audio, "the recording is untouched")

    def test_two_outputs_with_one_name(self):
        npy = self.path("same.npy")
        self.expect_failure(["render", self.good, "-o", npy, "--raw", npy], 2, npy, "twice")
        json = self.path("q.json")
        self.expect_failure(["render", self.good, "-o", json, "--raw", self.path("q.npy")], 2,
                            json, "twice")

    def test_sidecar_that_cannot_be_written_leaves_nothing(self):
        os.mkdir(self.path("side.json"))
        self.expect_failure(["render", self.good, "-o", self.path("side.png"), "--raw",
                             self.path("side.npy")], 1, self.path("side.json"), "folder")

    def test_bad_option_values_are_usage_errors(self):
        cases = [
            (["--fft", "1000x"], "--fft"), (["--fft", "1023"], "even"), (["--fft", "4"], "--fft"),
            (["--hop", "0"], "--hop"), (["--hop", "4096"], "--hop"), (["--overlap", "1.5%x"], "--overlap"),
            (["--window", "hanning"], "window"), (["--scale", "bark"], "scale"),
            (["--range", "0:-10"], "--range"), (["--range", "-90"], "--range"),
            (["--colormap", "rainbow"], "colormap"), (["--channel", "0"], "--channel"),
            (["--tile-seconds", "-1"], "--tile-seconds"), (["--bogus"], "unknown option"),
            (["--height", "1"], "--height"),
        ]
        for extra, fragment in cases:
            with self.subTest(extra=extra):
                self.expect_failure(["render", self.good, "-o", self.path("x.png"), *extra], 2,
                                    "render", fragment)

    def test_channel_beyond_the_file(self):
        self.expect_failure(["render", self.good, "-o", self.path("x.png"), "--channel", "3"], 2,
                            self.good, "1 channel")

    def test_live_module_missing(self):
        """hark alone, without hark-live.so beside it or in ../lib/hark: render still works;
        live, play and devices say which module they could not load."""
        lone = self.path("bin/hark")
        os.makedirs(os.path.dirname(lone))
        shutil.copy(HARK, lone)
        png = self.path("alone.png")
        p = subprocess.run([lone, "render", self.good, "-o", png], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(read_png(png).size[1], 513)
        module = self.path("bin/hark-live.so")
        for args in (["devices"], ["live", "--headless", "--duration", "1"], ["play", self.good]):
            with self.subTest(args=args):
                p = subprocess.run([lone, *args], capture_output=True, text=True)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertEqual(p.stderr.count("\n"), 1, p.stderr)
                self.assertTrue(p.stderr.startswith(f"hark: {module}: cannot load the live module"),
                                p.stderr)
                self.assertEqual(p.stdout, "")

    def test_usage(self):
        code, out, err = run("render")
        self.assertEqual(code, 2)
        self.assertIn("expected one input file", err)
        code, out, err = run("frobnicate")
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("hark: frobnicate: unknown command"))
        code, out, err = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("hark render", out)
        code, out, err = run("render", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--tile-seconds", out)
        self.assertIn("--window", out)


if __name__ == "__main__":
    main()
