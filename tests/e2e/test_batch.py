"""hark batch end to end: a generated tree of mixed formats with broken files among them, the
mirrored outputs, the manifest, resuming with --skip-existing, and shards that cover every
file exactly once."""
import csv
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, bin_freq, load_json, main, png_indices, run, sine  # noqa: E402

RATE = 44100


class BatchTest(HarkTest):
    def setUp(self):
        super().setUp()
        self.tree = self.path("rec")
        self.tones = {}
        # (relative path, rate, channels, format subtype, bin of the tone)
        files = [("a/one.wav", 44100, 1, "PCM_16", 40), ("a/two.flac", 48000, 2, "PCM_24", 80),
                 ("a/deep/three.ogg", 22050, 1, "VORBIS", 100), ("b/four.aiff", 8000, 1, "PCM_16", 30),
                 ("b/five.wav", 96000, 6, "FLOAT", 200), ("six.wav", 44100, 1, "PCM_32", 300)]
        for rel, rate, ch, subtype, k in files:
            x = sine(rate, 1.5, bin_freq(rate, 1024, k), 0.5)
            data = np.stack([x] * ch, axis=1) if ch > 1 else x
            os.makedirs(os.path.dirname(os.path.join(self.tree, rel)), exist_ok=True)
            self.write(os.path.join("rec", rel), data, rate, subtype)
            self.tones[rel] = (rate, k, len(x))
        # Two broken files, and a text file the folder search must leave alone.
        with open(os.path.join(self.tree, "a/broken.wav"), "w") as f:
            f.write("not audio at all\n" * 10)
        with open(os.path.join(self.tree, "b/empty.flac"), "w"):
            pass
        with open(os.path.join(self.tree, "b/notes.txt"), "w") as f:
            f.write("field notes\n")

    def manifest(self, out):
        with open(os.path.join(out, "manifest.csv"), newline="") as f:
            return {os.path.relpath(r["input"], self.tree): r for r in csv.DictReader(f)}

    def test_tree_with_broken_files(self):
        out = self.path("out")
        code, stdout, err = run("batch", self.tree, "-o", out, "--format", "both", "-j", "3")
        self.assertEqual(code, 1, "a failed file makes the exit status 1")
        self.assertEqual(sorted(line.split(":")[1].strip() for line in err.splitlines()[:2]),
                         sorted([os.path.join(self.tree, "a/broken.wav"),
                                 os.path.join(self.tree, "b/empty.flac")]), err)
        self.assertIn("6 ok, 2 failed, 0 skipped of 8", stdout)
        rows = self.manifest(out)
        self.assertEqual(len(rows), 8, "the text file is not an input")
        for rel, (rate, k, n) in self.tones.items():
            png = os.path.join(out, "rec", os.path.splitext(rel)[0] + ".png")
            idx = png_indices(png)
            self.assertEqual(idx.shape, (513, 1 + n // 512), rel)
            self.assertTrue(np.all(np.argmax(idx[:, 2:-2], axis=0) == 512 - k), rel)
            npy = np.load(png[:-4] + ".npy")
            self.assertAlmostEqual(float(npy[k, 5]), -6.02, delta=0.2, msg=rel)
            self.assertEqual(load_json(png[:-4] + ".json")["rate_hz"], rate)
            row = rows[rel]
            self.assertEqual(row["status"], "ok")
            self.assertEqual((int(row["rate_hz"]), int(row["frames"]), int(row["bins"])),
                             (rate, 1 + n // 512, 513))
            self.assertAlmostEqual(float(row["duration_s"]), 1.5, places=3)
            self.assertAlmostEqual(float(row["peak_dbfs"]), -6.02, delta=0.2)
        for rel in ("a/broken.wav", "b/empty.flac"):
            self.assertTrue(rows[rel]["status"].startswith("error: "), rows[rel])
            self.assertFalse(os.path.exists(os.path.join(out, "rec", os.path.splitext(rel)[0] + ".png")))

    def test_skip_existing_redoes_nothing(self):
        out = self.path("out")
        run("batch", self.tree, "-o", out)
        pngs = [os.path.join(dp, f) for dp, _, fs in os.walk(out) for f in fs if f.endswith(".png")]
        before = {p: os.stat(p).st_mtime_ns for p in pngs}
        code, stdout, _ = run("batch", self.tree, "-o", out, "--skip-existing")
        self.assertIn("0 ok, 2 failed, 6 skipped of 8", stdout)
        self.assertEqual({p: os.stat(p).st_mtime_ns for p in pngs}, before, "nothing rewritten")
        # The manifest still gives each skipped file's figures (all but the peak).
        with open(os.path.join(out, "manifest.csv")) as f:
            skipped = [r for r in csv.DictReader(f) if r["status"].startswith("skipped")]
        self.assertEqual(len(skipped), 6)
        for r in skipped:
            self.assertTrue(float(r["rate_hz"]) > 0 and int(r["frames"]) > 0 and r["bins"], r)
            self.assertEqual(r["peak_dbfs"], "")

    def test_shards_cover_every_file_once(self):
        seen = []
        for i in (1, 2, 3):
            out = self.path(f"shard{i}")
            run("batch", self.tree, "-o", out, "--shard", f"{i}/3")
            seen += list(self.manifest(out))
        self.assertEqual(sorted(seen), sorted(list(self.tones) + ["a/broken.wav", "b/empty.flac"]))

    def run_env(self, env, *args):
        p = subprocess.run([HARK, *args], capture_output=True, text=True, timeout=300,
                           env={k: v for k, v in {**os.environ, **env}.items()
                                if not k.startswith(("SLURM_", "JOB_COMPLETION"))
                                or k in env})
        return p.returncode, p.stdout, p.stderr

    def test_shard_auto_from_slurm_and_kubernetes(self):
        everything = sorted(list(self.tones) + ["a/broken.wav", "b/empty.flac"])
        # A Slurm array --array=3-7:2 (tasks 3, 5, 7) and a Kubernetes Indexed Job of 3.
        arrays = [[{"SLURM_ARRAY_TASK_ID": str(t), "SLURM_ARRAY_TASK_MIN": "3",
                    "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "3"}, []]
                  for t in (3, 5, 7)]
        arrays += [[{"JOB_COMPLETION_INDEX": str(i)}, ["--shard-count", "3"]] for i in range(3)]
        for n, (env, extra) in enumerate(arrays):
            with self.subTest(env=env):
                out = self.path(f"auto{n}")
                code, stdout, err = self.run_env(env, "batch", self.tree, "-o", out,
                                                 "--shard", "auto", *extra)
                self.assertIn(f"shard {n % 3 + 1}/3", stdout, err)
                # the same share as --shard I/N
                same = self.path(f"fixed{n}")
                run("batch", self.tree, "-o", same, "--shard", f"{n % 3 + 1}/3")
                self.assertEqual(sorted(self.manifest(out)), sorted(self.manifest(same)))
        seen = []
        for n in range(3):
            seen += list(self.manifest(self.path(f"auto{n}")))
        self.assertEqual(sorted(seen), everything)
        for env, extra, fragment in [
                ({}, [], "neither SLURM_ARRAY_TASK_ID"),
                ({"JOB_COMPLETION_INDEX": "1"}, [], "--shard-count N"),
                ({"JOB_COMPLETION_INDEX": "3"}, ["--shard-count", "3"], "not below"),
                ({"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "3",
                  "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "3"}, [], "not one of"),
                ({"SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "3"}, [], "'x'")]:
            with self.subTest(env=env, extra=extra):
                code, stdout, err = self.run_env(env, "batch", self.tree, "-o", self.path("bad"),
                                                 "--shard", "auto", *extra)
                self.assertEqual(code, 2, err)
                self.assertEqual(err.count("\n"), 1, err)
                self.assertTrue(err.startswith("hark: batch: --shard auto: "), err)
                self.assertIn(fragment, err)
                self.assertFalse(os.path.exists(self.path("bad")))

    def test_list_file_and_clashing_names(self):
        lst = self.path("list.txt")
        with open(lst, "w") as f:
            f.write("# two of them\n%s\n\n%s\n" % (os.path.join(self.tree, "a/one.wav"),
                                                   os.path.join(self.tree, "six.wav")))
        code, stdout, err = run("batch", "@" + lst, "-o", self.path("l"))
        self.assertEqual((code, err), (0, ""))
        self.assertIn("2 ok, 0 failed", stdout)
        # Two files that would write one output are refused before any work.
        os.makedirs(self.path("x"), exist_ok=True)
        other = self.write("x/one.wav", sine(RATE, 0.2, 440.0), RATE)
        code, _, err = run("batch", os.path.join(self.tree, "a/one.wav"), other, "-o", self.path("m"))
        self.assertEqual(code, 2, err)
        self.assertIn("same output name", err)
        self.assertFalse(os.path.exists(self.path("m")))

    def test_outputs_stay_inside_the_output_folder(self):
        # ".." in a list entry or as a folder argument must not lead outside -o DIR.
        lst = self.path("list.txt")
        with open(lst, "w") as f:
            f.write("../../%s/rec/six.wav\n" % os.path.basename(self.dir))  # from rec/
        deep = self.path("rec/a/deep")
        code, _, err = run("batch", "@" + lst, "-o", self.path("o1"), cwd=self.path("rec"))
        self.assertEqual((code, err), (0, ""))
        code, _, err = run("batch", "..", "-o", self.path("o2"), cwd=deep)
        written = [os.path.relpath(os.path.join(dp, f), self.dir)
                   for dp, _, fs in os.walk(self.dir) for f in fs if f.endswith(".png")]
        self.assertTrue(written and all(w.startswith(("o1/", "o2/")) for w in written), written)

    def test_same_file_twice_and_same_name_twice(self):
        six = os.path.join(self.tree, "six.wav")
        code, stdout, err = run("batch", six, os.path.join(self.tree, ".", "six.wav"), "-o",
                                self.path("o"))
        self.assertEqual((code, err), (0, ""), "one file in two spellings is one input")
        self.assertIn("1 ok", stdout)
        self.write("rec/six.flac", sine(RATE, 0.5, 440.0), RATE)
        code, _, err = run("batch", self.tree, "-o", self.path("p"))
        self.assertEqual(code, 2, "six.wav and six.flac would both write six.png")
        self.assertIn("same output name", err)

    def test_a_link_that_loops_is_not_followed(self):
        # a/up leads to rec, and from there back into a: each file is found once, not again
        # and again down a/up/a/up/... until the kernel's limit.
        os.symlink("..", os.path.join(self.tree, "a", "up"))
        code, stdout, _ = run("batch", os.path.join(self.tree, "a"), "-o", self.path("o"))
        self.assertIn("of 8 in", stdout)

    def test_usage(self):
        code, _, err = run("batch", self.tree)
        self.assertEqual(code, 2)
        self.assertIn("-o DIR", err)
        code, _, err = run("batch", self.tree, "-o", self.path("o"), "--shard", "4/3")
        self.assertEqual(code, 2)
        code, _, err = run("batch", self.path("nothing-here"), "-o", self.path("o"))
        self.assertEqual(code, 1)


if __name__ == "__main__":
    main()
