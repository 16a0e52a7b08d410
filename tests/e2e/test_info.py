"""hark info: the facts of a file, and the image size render would give."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import HarkTest, main, png_indices, run, sine


class InfoTest(HarkTest):
    def fields(self, *args):
        code, out, err = run("info", *args)
        self.assertEqual(code, 0, err)
        return dict(re.match(r"(\w+):\s+(.*)", line).groups() for line in out.splitlines())

    def test_facts(self):
        import numpy as np
        x = np.stack([sine(48000, 2.0, 440.0)] * 2, axis=1) * 0.3
        p = self.write("st.flac", x, 48000, "PCM_24")
        f = self.fields(p)
        self.assertIn("FLAC", f["format"])
        self.assertIn("24 bit", f["format"])
        self.assertEqual(f["channels"], "2")
        self.assertEqual(f["rate"], "48000 Hz")
        self.assertEqual(f["frames"], "96000")
        self.assertTrue(f["duration"].startswith("2.000 s"))
        self.assertEqual(f["image"], f"{1 + 96000 // 512} x 513 (frames x rows)")

    def test_image_size_matches_render(self):
        p = self.write("t.wav", sine(22050, 1.37, 1000.0) * 0.5, 22050)
        for opts in ([], ["--fft", "2048", "--hop", "300"], ["--fft", "512", "--overlap", "75%"],
                     ["--scale", "mel", "--height", "128"]):
            with self.subTest(opts=opts):
                f = self.fields(p, *opts)
                w, h = map(int, re.match(r"(\d+) x (\d+)", f["image"]).groups())
                out = self.path("o.png")
                code, _, err = run("render", p, "-o", out, *opts)
                self.assertEqual(code, 0, err)
                self.assertEqual(png_indices(out).shape, (h, w))


if __name__ == "__main__":
    main()
