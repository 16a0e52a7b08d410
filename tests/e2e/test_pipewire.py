"""hark under PipeWire, as a desktop runs it today: pipewire, its session manager wireplumber
and pipewire-pulse (the PulseAudio protocol), started here in a private runtime folder with a
private D-Bus session bus, each stopped by its process id. PortAudio reaches it as it reaches
PulseAudio (ALSA's pulse plugin). 'hark devices' lists the device; a stereo tone that
'hark play' plays into a null sink comes back through 'hark live' from its monitor at its
frequency and level."""
import os
import shutil
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, bin_freq, finish, main, sine, stop_process  # noqa: E402
from sound import private_pulse_home

RATE = 48000


class PipeWireServer:
    def __init__(self):
        self.dir, self.env = private_pulse_home("hark-pipewire-")
        self.procs = []
        try:
            self._start()
        except BaseException:  # nothing it started outlives a failed start
            self.stop()
            raise

    def _start(self):
        r, w = os.pipe()
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                                f"--address=unix:path={self.dir}/bus", "--print-address=%d" % w],
                               pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        self.procs.append(bus)
        with os.fdopen(r) as f:
            self.env["DBUS_SESSION_BUS_ADDRESS"] = f.readline().strip()
        # pipewire first: the session manager gives up if it finds no server to connect to.
        self.start("pipewire")
        self.wait(lambda: os.path.exists(os.path.join(self.dir, "pipewire-0")), "pipewire's socket")
        self.start("wireplumber")
        self.start("pipewire-pulse")

        def answers():  # and the session manager has made its first sink (auto_null)
            r = subprocess.run(["pactl", "info"], env=self.env, capture_output=True, text=True)
            return r.returncode == 0 and "PipeWire" in r.stdout and "@DEFAULT_SINK@" not in r.stdout
        self.wait(answers, "pipewire-pulse with a sink")
        self.pactl("load-module", "module-null-sink", "sink_name=hark")
        # The session manager makes the node in its own time: until then it cannot be the
        # default. Asked again until it is, and checked.
        for _ in range(400):
            ok = all(subprocess.run(["pactl", cmd, name], env=self.env,
                                    capture_output=True).returncode == 0
                     for cmd, name in (("set-default-sink", "hark"),
                                       ("set-default-source", "hark.monitor")))
            info = self.pactl("info")
            if ok and "Default Sink: hark\n" in info and "Default Source: hark.monitor" in info:
                return
            time.sleep(0.05)
        raise AssertionError("the null sink did not become the default in 20 s:\n" + info)

    def start(self, name):
        self.procs.append(subprocess.Popen([name], env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))

    def wait(self, ready, what, seconds=20):
        for _ in range(int(seconds * 20)):
            if ready():
                return
            gone = [p.args[0] for p in self.procs if p.poll() is not None]
            if gone:
                raise AssertionError(f"{', '.join(gone)} exited while waiting for {what}")
            time.sleep(0.05)
        raise AssertionError(f"no {what} in {seconds} s")

    def pactl(self, *args):
        return subprocess.run(["pactl", *args], env=self.env, check=True, capture_output=True,
                              text=True).stdout

    def stop(self):
        for p in reversed(self.procs):
            stop_process(p)
        shutil.rmtree(self.dir, ignore_errors=True)


class PipeWireTest(HarkTest):
    def setUp(self):
        super().setUp()
        self.server = PipeWireServer()
        self.addCleanup(self.server.stop)

    def test_devices(self):
        p = subprocess.run([HARK, "devices"], capture_output=True, text=True, env=self.server.env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"ALSA\s+default\s+\(default input and output\)")

    def test_a_tone_played_comes_back(self):
        tone = bin_freq(RATE, 2048, 128)  # 3000 Hz, on a bin centre of live's fft
        x = sine(RATE, 12.0, tone, 0.5)
        wav = self.write("tone.wav", np.stack([x, x], axis=1), RATE, "FLOAT")  # 12 s
        play = subprocess.Popen([HARK, "play", wav, "--headless"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.server.env)
        self.addCleanup(stop_process, play)
        npy = self.path("live.npy")
        # Both channels (mix): the server mixes nothing down, hark takes their mean.
        live = subprocess.run([HARK, "live", "--headless", "--duration", "6", "--rate",
                               str(RATE), "--raw", npy], capture_output=True, text=True,
                              timeout=120, env=self.server.env)
        self.assertEqual(live.returncode, 0, live.stderr)
        self.assertIn("0 samples dropped", live.stdout)
        out, err = finish(play, 60)
        self.assertEqual(play.returncode, 0, err)
        rows = np.load(npy)
        # From just after the sound arrives: a sanitized hark play on a loaded machine may
        # take seconds to start.
        arrived = np.nonzero(rows.argmax(axis=0) == 128)[0]
        self.assertGreater(len(arrived), 0, "the tone never came")
        after = rows[:, arrived[0] + 2:-1]
        self.assertGreater(after.shape[1], 20)
        self.assert_tone(after)

    def assert_tone(self, rows):
        """The tone's bin is the loudest and its level -6.02 dBFS, in the rows' median (a
        loaded machine may underrun a buffer now and then: a row of it reads lower)."""
        self.assertGreaterEqual(np.mean(rows.argmax(axis=0) == 128), 0.9, rows.argmax(axis=0))
        self.assertAlmostEqual(float(np.median(rows[128])), -6.02, delta=0.1)


if __name__ == "__main__":
    main()
