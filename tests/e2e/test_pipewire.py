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
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, bin_freq, main, sine, stop_process

RATE = 48000


class PipeWireServer:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="hark-pipewire-")
        os.chmod(self.dir, 0o700)
        with open(os.path.join(self.dir, ".asoundrc"), "w") as f:
            f.write("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.dir, HOME=self.dir,
                        PULSE_SERVER="unix:" + os.path.join(self.dir, "pulse", "native"))
        self.procs = []
        r, w = os.pipe()
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                                f"--address=unix:path={self.dir}/bus", "--print-address=%d" % w],
                               pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        self.procs.append(bus)
        with os.fdopen(r) as f:
            self.env["DBUS_SESSION_BUS_ADDRESS"] = f.readline().strip()
        for cmd in (["pipewire"], ["wireplumber"], ["pipewire-pulse"]):
            self.procs.append(subprocess.Popen(cmd, env=self.env, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL))
        for _ in range(200):
            r = subprocess.run(["pactl", "info"], env=self.env, capture_output=True, text=True)
            if r.returncode == 0 and "PipeWire" in r.stdout:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("pipewire-pulse did not answer in 10 s")
        self.pactl("load-module", "module-null-sink", "sink_name=hark")
        for _ in range(200):  # the session manager makes the node; then it can be the default
            if "hark.monitor" in self.pactl("list", "short", "sources"):
                break
            time.sleep(0.05)
        self.pactl("set-default-sink", "hark")
        self.pactl("set-default-source", "hark.monitor")

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
        x = sine(RATE, 8.0, tone, 0.5)
        wav = self.write("tone.wav", np.stack([x, x], axis=1), RATE, "FLOAT")
        play = subprocess.Popen([HARK, "play", wav, "--headless"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.server.env)
        self.addCleanup(stop_process, play)
        npy = self.path("live.npy")
        # Both channels (mix): the server mixes nothing down, hark takes their mean.
        live = subprocess.run([HARK, "live", "--headless", "--duration", "4", "--rate",
                               str(RATE), "--raw", npy], capture_output=True, text=True,
                              timeout=120, env=self.server.env)
        self.assertEqual(live.returncode, 0, live.stderr)
        self.assertIn("0 samples dropped", live.stdout)
        out, err = play.communicate(timeout=60)
        self.assertEqual(play.returncode, 0, err)
        self.assertIn("0 frames of underrun", out)
        rows = np.load(npy)
        last = rows[:, rows.shape[1] // 2:]  # playing by then
        self.assertTrue((last.argmax(axis=0) == 128).all(), last.argmax(axis=0))
        np.testing.assert_allclose(last.max(axis=0), -6.02, atol=0.1)


if __name__ == "__main__":
    main()
