"""Faults while running, injected for real: the sound server killed under a recording, SIGTERM
at chosen moments during recording and batch, and the output disk "filling up" (a file-size
limit). After each: a clear line (or a clean exit), and every output left behind whole."""
import glob
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from harness import (HARK, HarkTest, audio_stderr, bin_freq, finish, leftovers, main,  # noqa: E402
                     sine, start_hark, stop_for, stop_process)
from sound import NullSinkServer, SoundServerTest  # noqa: E402

RATE = 44100


def whole_pngs(folder):
    """Every PNG under folder opens and decodes completely; no temporary file is left."""
    left = leftovers(folder)
    assert not left, f"temporary files or backups left: {left}"
    pngs = sorted(glob.glob(os.path.join(folder, "**", "*.png"), recursive=True))
    for p in pngs:
        with Image.open(p) as im:
            im.load()
    return pngs


class FaultTest(HarkTest):
    def error_line(self, stderr):
        """hark's one error line (in sanitizer builds, after any audio-library noise)."""
        lines = audio_stderr(stderr).splitlines()
        self.assertEqual(len(lines), 1, stderr)
        return lines[0]

    # PortAudio 19.6's ALSA thread can spin for ever once the sound server is gone, and any
    # stop joins it (audio.h). It does so most when the server dies in the stream's first
    # second or so: each case kills the server mid-strip, and at moments in that first second
    # and a half; hark must end each time with its one line and whole outputs.
    EARLY_MOMENTS = [round(random.Random(11 + i).uniform(0.05, 1.5), 2) for i in range(4)]

    def kill_server_during(self, args, strips_first, mid_delay):
        """Run hark with args on a private server and kill the server: once after strips_first
        strips and mid_delay s, then at each of EARLY_MOMENTS after the start line;
        [(moment, return code, stderr, whole strips)]."""
        ends = []
        moments = [(strips_first, mid_delay)] + [(0, m) for m in self.EARLY_MOMENTS]
        for i, (strips, delay) in enumerate(moments):
            server = NullSinkServer()
            rec = self.path("rec%d" % i)
            player = None
            try:
                if args[0] == "live":
                    player = server.play(self.write("t.wav", sine(RATE, 30.0, 1000.0, 0.1),
                                                    RATE, "PCM_16"))
                p = start_hark(*args, "--headless", "--record", rec, "--record-seconds", "1",
                               env=server.env)
                try:
                    self.expect_start(p, args[0])
                    for _ in range(strips):
                        self.assertIn(".png (", p.stdout.readline())
                    time.sleep(delay)
                    server.proc.kill()  # the sound server dies
                    out, err = finish(p, 60)
                finally:
                    stop_process(p)
                    if player:
                        stop_process(player)
            finally:
                server.stop()
            ends.append(("%d strips + %.2f s" % (strips, delay), p.returncode, err,
                         len(whole_pngs(rec))))
        return ends

    def test_sound_server_killed_while_recording(self):
        ends = self.kill_server_during(["live"], 2, 0.4)
        for moment, code, err, strips in ends:
            with self.subTest(killed_after=moment):
                self.assertEqual(code, 1, err)
                self.assertRegex(self.error_line(err), r"^hark: \S+: the input stopped "
                                 r"delivering sound.* \(device lost\?\)$")
        self.assertGreaterEqual(ends[0][3], 3, "two whole strips and the one cut short")

    def test_sound_server_killed_while_playing(self):
        wav = self.write("p.wav", sine(RATE, 30.0, 1000.0, 0.1), RATE, "PCM_16")
        ends = self.kill_server_during(["play", wav], 1, 0.5)
        for moment, code, err, strips in ends:
            with self.subTest(killed_after=moment):
                self.assertEqual(code, 1, err)
                self.assertRegex(self.error_line(err), r"^hark: \S+: the output stopped "
                                 r"taking sound.* \(device lost\?\)$")
        self.assertGreaterEqual(ends[0][3], 2, "the strip cut short too")

    def test_sigterm_at_chosen_moments_while_recording(self):
        server = NullSinkServer()
        try:
            for i, delay in enumerate(random.Random(7 + k).uniform(0.2, 2.5) for k in range(4)):
                rec = self.path("rec%d" % i)
                p = start_hark("live", "--headless", "--record", rec, "--record-seconds", "0.5",
                               env=server.env)
                try:
                    self.expect_start(p, "live")
                    time.sleep(delay)
                    p.send_signal(signal.SIGTERM)
                    out, err = finish(p, 60)
                finally:
                    stop_process(p)
                self.assertEqual((p.returncode, audio_stderr(err)), (0, ""),
                                 f"SIGTERM after {delay:.2f} s")
                # Every row captured is in a whole strip (none at all if none came yet).
                rows = int(re.search(r"(\d+) rows, ", out).group(1))
                widths = [Image.open(f).size[0] for f in whole_pngs(rec)]
                self.assertEqual(sum(widths), rows, f"SIGTERM after {delay:.2f} s: {out}")
        finally:
            server.stop()

    def test_sigterm_at_chosen_moments_in_batch(self):
        src = self.path("in")
        os.mkdir(src)
        for k in range(24):
            self.write(os.path.join("in", "f%02d.wav" % k),
                       sine(RATE, 20.0, bin_freq(RATE, 1024, 10 + k), 0.5), RATE, "PCM_16")
        for i, delay in enumerate(random.Random(11 + k).uniform(0.05, 1.5) for k in range(4)):
            dest = self.path("out%d" % i)
            p = start_hark("batch", src, "-o", dest, "--format", "both")
            try:
                time.sleep(delay)
                p.send_signal(signal.SIGTERM)
                out, err = finish(p, 120)
            finally:
                stop_process(p)
            pngs = whole_pngs(dest)
            for png in pngs:  # a whole .npy beside each PNG that batch reports done
                npy = png[:-4] + ".npy"
                if os.path.exists(npy):
                    self.assertEqual(np.load(npy).shape[0], 513)
            if p.returncode != 0:
                self.assertEqual(p.returncode, 1, err)
                self.assertEqual(err.count("\n"), 1, err)

    def test_disk_full_is_a_clear_error_and_earlier_outputs_stay(self):
        small = self.write("small.wav", sine(RATE, 1.0, 1000.0, 0.5), RATE, "PCM_16")
        big = self.noise("big.wav", 60, 3)
        limit = 400 * 1024  # bytes any file may reach (ulimit -f)

        def limited():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        first = self.path("first.png")
        p = subprocess.run([HARK, "render", small, "-o", first], capture_output=True, text=True,
                           preexec_fn=limited, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(first, "rb") as f:
            before = f.read()
        p = subprocess.run([HARK, "render", big, "-o", self.path("big.png"), "--raw",
                            self.path("big.npy")], capture_output=True, text=True,
                           preexec_fn=limited, timeout=120)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(p.stderr.count("\n"), 1, p.stderr)
        self.assertRegex(p.stderr, r"^hark: \S+big\.(png|npy): .*(File too large|too large)")
        self.assertFalse(os.path.exists(self.path("big.png")))
        self.assertFalse(os.path.exists(self.path("big.npy")))
        whole_pngs(self.dir)
        with open(first, "rb") as f:
            self.assertEqual(f.read(), before, "the earlier output is untouched")


class SignalsTest(SoundServerTest):
    """SIGINT, SIGTERM, SIGHUP and SIGSTOP/SIGCONT at chosen moments of render, batch, info, live
    and play, with inputs that flow and inputs that stall. After each: success or one clear line,
    the exit status the README's Faults table gives, and on disk only whole files."""

    STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def outputs_whole(self):
        whole_pngs(self.dir)
        for npy in glob.glob(self.path("**/*.npy"), recursive=True):
            self.assertEqual(np.load(npy).shape[0], 513, npy)

    def signal_at(self, args, sig, delay, env=None):
        p = start_hark(*args, env=env)
        try:
            time.sleep(delay)
            p.send_signal(sig)
            t0 = time.monotonic()
            out, err = finish(p, 60)
            took = time.monotonic() - t0
        finally:
            stop_process(p)
        return p, out, audio_stderr(err), took

    def test_stops_during_render_batch_and_info(self):
        noise = self.noise("n.wav", 90, 5)
        src = self.path("in")
        os.mkdir(src)
        for k in range(8):
            self.write(os.path.join("in", "f%d.wav" % k), sine(RATE, 8.0, 500.0 + 100 * k, 0.5),
                       RATE, "PCM_16")
        rng = random.Random(13)
        runs = [["render", noise, "-o", self.path("r.png"), "--raw", self.path("r.npy")],
                ["render", noise, "-o", self.path("t.png"), "--tile-seconds", "10"],
                ["batch", src, "-o", self.path("b"), "--format", "both"], ["info", noise]]
        for args in runs:
            for sig in self.STOPS:
                delay = rng.uniform(0.0, 0.4)
                p, out, err, took = self.signal_at(args, sig, delay)
                what = f"{args[0]}, {signal.Signals(sig).name} after {delay:.2f} s"
                self.assertIn(p.returncode, (0, 1), f"{what}: {err}")
                if p.returncode:  # one line; batch: one a file it stopped in, all "hark: ..."
                    lines = err.splitlines()
                    self.assertTrue(lines and all(ln.startswith("hark: ") for ln in lines),
                                    f"{what}: {err!r}")
                    if args[0] != "batch":
                        self.assertEqual(len(lines), 1, f"{what}: {err!r}")
                self.assertLess(took, 5.0, what)
                self.outputs_whole()

    def test_stops_while_the_input_stalls(self):
        x = self.write("x.wav", sine(RATE, 10.0, 1000.0, 0.5), RATE, "PCM_16")
        with open(x, "rb") as f:
            head = f.read(60000)
        with open(self.path("head.bin"), "wb") as f:
            f.write(head)
        for args in (["render", "@", "-o", self.path("s.png")], ["info", "@"],
                     ["play", "@", "--headless"]):
            for sig in self.STOPS:
                fifo = self.path("stall.fifo")
                os.mkfifo(fifo)
                feeder = subprocess.Popen(["sh", "-c", '{ cat "$1"; sleep 20; } > "$2"', "sh",
                                           self.path("head.bin"), fifo])
                try:
                    argv = [fifo if a == "@" else a for a in args]
                    p, out, err, took = self.signal_at(argv, sig, 1.0, env=self.server.env)
                finally:
                    stop_process(feeder)
                    os.remove(fifo)
                what = f"{args[0]} of a stalled input, {signal.Signals(sig).name}"
                self.assertLess(took, 1.0, f"{what}: {took:.2f} s after the signal")
                self.assertIn(p.returncode, (0, 1), f"{what}: {err}")
                self.outputs_whole()

    def test_stop_and_continue(self):
        noise = self.noise("n.wav", 60, 6)
        p = start_hark("render", noise, "-o", self.path("r.png"), "--raw", self.path("r.npy"))
        time.sleep(0.1)
        stop_for(p, 1.0)
        out, err = finish(p, 60)
        self.assertEqual((p.returncode, err), (0, ""), "a render stopped and continued finishes")
        self.outputs_whole()
        # play, stopped and continued: not a lost device; it plays on to the end.
        wav = self.write("p.wav", sine(RATE, 3.0, 1000.0, 0.3), RATE, "PCM_16")
        p = start_hark("play", wav, "--headless", "--record", self.path("pr"), "--record-seconds",
                       "1", env=self.server.env)
        try:
            self.expect_start(p, "play")
            time.sleep(1.0)
            stop_for(p, 3.0)
            out, err = finish(p, 60)
        finally:
            stop_process(p)
        self.assertEqual((p.returncode, audio_stderr(err)), (0, ""), out)
        self.outputs_whole()

    def test_stops_during_live_and_play(self):
        wav = self.write("p.wav", sine(RATE, 20.0, 1000.0, 0.3), RATE, "PCM_16")
        player = self.server.play(wav)
        rng = random.Random(17)
        try:
            for command in (["live", "--headless"], ["play", wav, "--headless"]):
                for sig in self.STOPS:
                    delay = rng.uniform(0.3, 2.0)
                    rec = self.path("rec-%s-%d" % (command[0], sig))
                    p, out, err, took = self.signal_at(
                        [*command, "--record", rec, "--record-seconds", "0.5"], sig, delay,
                        env=self.server.env)
                    what = f"{command[0]}, {signal.Signals(sig).name} after {delay:.2f} s"
                    self.assertEqual((p.returncode, err), (0, ""), what)
                    self.assertLess(took, 5.0, what)
                    if os.path.isdir(rec):
                        whole_pngs(rec)
        finally:
            stop_process(player)


if __name__ == "__main__":
    main()
