"""valgrind's memcheck over render, info, levels and spectrum: no invalid access, no use of uninitialised
memory, no definite or indirect leak. Registered for the plain build only (tests/CMakeLists.txt):
valgrind and the sanitizers' runtimes do not mix."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, main, sine  # noqa: E402

RATE = 44100
MEMCHECK = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect"]


class ValgrindTest(HarkTest):
    def memcheck(self, *args):
        p = subprocess.run(MEMCHECK + [HARK, *args], capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, f"hark {args[0]} under memcheck:\n{p.stderr}")
        self.assertEqual(p.stderr, "", p.stderr)
        return p.stdout

    def test_render_with_every_output(self):
        wav = self.write("v.wav", sine(RATE, 2.0, 1000.0, 0.5), RATE, "PCM_24")
        self.memcheck("render", wav, "-o", self.path("v.png"), "--raw", self.path("v.npy"),
                      "--labels")
        self.assertTrue(os.path.exists(self.path("v.png")) and os.path.exists(self.path("v.npy")))

    def test_info(self):
        wav = self.write("i.wav", sine(RATE, 1.0, 440.0, 0.5), RATE, "PCM_16")
        self.assertIn("44100", self.memcheck("info", wav))

    def test_levels_and_spectrum(self):
        wav = self.write("l.wav", sine(RATE, 2.0, 1000.0, 0.5), RATE, "FLOAT")
        self.assertIn("LUFS", self.memcheck("levels", wav))
        self.assertIn("hz,mean_dbfs", self.memcheck("spectrum", wav, "--octave", "3",
                                                    "--weighting", "A"))
        self.memcheck("spectrum", wav, "-o", self.path("l.csv"), "--plot", self.path("l.png"),
                      "--scale", "log")
        self.assertTrue(os.path.exists(self.path("l.png")))


if __name__ == "__main__":
    main()
