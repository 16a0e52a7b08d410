"""Hostile names through every JSON and PNG text hark writes: quotes, a backslash, a newline,
a byte that is not UTF-8 (0xff) and an emoji, in the input's name and in the outputs'. Every
JSON must load with Python's strict json from strict UTF-8, every PNG text chunk with PIL, and
say the name: valid UTF-8 as it is, other bytes as their Latin-1 reading (docs/FORMATS.md)."""
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, audio_stderr, finish, main, read_png, sine, stop_process  # noqa: E402
from window import WindowTest  # noqa: E402

RATE = 44100
# The bytes of a name, and what a JSON reader must get back for them.
HOSTILE = b'we"ird\\na\nme \xff \xf0\x9f\x8e\xb5'
READ_AS = 'we"ird\\na\nme \u00ff \U0001F3B5'


def strict_json_file(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8", errors="strict"))


class NamesTest(WindowTest):
    def hostile_wav(self, suffix=b".wav", seconds=1.0):
        plain = self.write("plain.wav", sine(RATE, seconds, 1000.0, 0.5), RATE, "PCM_16")
        path = os.fsencode(self.dir) + b"/" + HOSTILE + suffix
        os.rename(plain, path)  # soundfile takes no name that is not UTF-8
        return path

    def hark(self, *args, env=None, timeout=120):
        p = subprocess.run([os.fsencode(HARK), *[a if isinstance(a, bytes) else str(a).encode()
                                                 for a in args]],
                           capture_output=True, timeout=timeout, env=env)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def png_meta(self, path):
        im = read_png(os.fsdecode(path))
        return {k: v for k, v in im.text.items()}

    def test_render_and_its_sidecar(self):
        wav = self.hostile_wav()
        base = os.fsencode(self.dir) + b"/" + HOSTILE
        png, npy, labelled = base + b".png", base + b".npy", base + b"-labels.png"
        code, _, err = self.hark("render", wav, "-o", png, "--raw", npy)
        self.assertEqual((code, err), (0, ""))
        code, _, err = self.hark("render", wav, "-o", labelled, "--labels")
        self.assertEqual((code, err), (0, ""))
        side = strict_json_file(base + b".json")
        self.assertEqual(side["source"], READ_AS + ".wav")
        self.assertEqual(side["npy"]["file"], READ_AS + ".npy")
        for p in (png, labelled):
            text = self.png_meta(p)
            meta = json.loads(text["hark"])
            self.assertEqual(meta["source"], READ_AS + ".wav")
            self.assertEqual(meta["rate_hz"], RATE)
        self.assertEqual(set(json.loads(self.png_meta(labelled)["hark-data-area"])),
                         {"x", "y", "width", "height"})
        # The name the issue named: a quote in --raw's name.
        code, _, err = self.hark("render", wav, "--raw", os.path.join(self.dir, 'we"ird.npy'),
                                 "--no-png")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(strict_json_file(os.path.join(self.dir, 'we"ird.json'))["npy"]["file"],
                         'we"ird.npy')

    def test_batch_and_tiles(self):
        wav = self.hostile_wav(seconds=2.5)
        out = os.path.join(self.dir, "out")
        code, _, err = self.hark("batch", wav, "-o", out, "--format", "both")
        self.assertEqual((code, err), (0, ""))
        stem = os.fsencode(out) + b"/" + HOSTILE
        self.assertEqual(strict_json_file(stem + b".json")["source"], READ_AS + ".wav")
        self.assertEqual(json.loads(self.png_meta(stem + b".png")["hark"])["source"],
                         READ_AS + ".wav")
        tiles = os.fsencode(self.dir) + b"/t" + HOSTILE + b".png"
        code, _, err = self.hark("render", wav, "-o", tiles, "--tile-seconds", "1")
        self.assertEqual((code, err), (0, ""))
        for n in (1, 2, 3):
            tile = os.fsencode(self.dir) + b"/t" + HOSTILE + b"-%04d.png" % n
            meta = json.loads(self.png_meta(tile)["hark"])
            self.assertEqual(meta["source"], READ_AS + ".wav")

    def test_strips_and_snapshots_of_play(self):
        # play a hostile-named file with --record and a snapshot: both carry its name.
        wav = self.hostile_wav(seconds=3.0)
        strips = os.path.join(self.dir, "strips")
        hark = subprocess.Popen([os.fsencode(HARK), b"play", wav, b"--record", strips.encode(),
                                 b"--record-seconds", b"1", b"--size", b"640x360",
                                 b"--snapshot-dir", self.dir.encode()],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            first = hark.stdout.readline()
            self.assertTrue(first.startswith(b"play: "), first)
            time.sleep(1.5)
            hark.send_signal(signal.SIGUSR1)
            out, err = finish(hark, 60)
        finally:
            stop_process(hark)
        self.assertEqual((hark.returncode, audio_stderr(err.decode("utf-8", "replace"))), (0, ""))
        names = sorted(os.listdir(strips))
        self.assertGreaterEqual(len(names), 3)
        for n in names:
            meta = json.loads(self.png_meta(os.path.join(strips, n))["hark"])
            self.assertEqual((meta["command"], meta["source"]), ("play", READ_AS + ".wav"))
        m = re.search(rb"(\S+hark-\S+Z\.png) \(640 x 360\)", out)
        self.assertIsNotNone(m, out)
        meta = json.loads(self.png_meta(m.group(1))["hark"])
        self.assertEqual((meta["command"], meta["source"]), ("play", READ_AS + ".wav"))


if __name__ == "__main__":
    main()
