"""hark under a real JACK server (jackd2, its dummy backend, started here under a private
server name and stopped by its process id): 'hark devices' lists JACK's device through
PortAudio's JACK host API, and a tone that 'hark play' sends out over JACK, connected to the
input of 'hark live' with jack_connect, comes back at its frequency and level."""
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, bin_freq, finish, main, sine, stop_process  # noqa: E402

RATE = 48000


class JackServer:
    def __init__(self):
        self.name = f"hark-test-{os.getpid()}"
        self.env = dict(os.environ, JACK_DEFAULT_SERVER=self.name, JACK_NO_AUDIO_RESERVATION="1")
        self.proc = subprocess.Popen(["jackd", "--no-realtime", "-n", self.name, "-d", "dummy",
                                      "-r", str(RATE), "-p", "512"], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self._wait()
        except BaseException:  # nothing it started outlives a failed start
            self.stop()
            raise

    def _wait(self):
        for _ in range(200):
            if self.proc.poll() is not None:
                raise AssertionError(f"jackd exited with status {self.proc.returncode}")
            if "system:capture_1" in self.ports():
                return
            time.sleep(0.05)
        raise AssertionError("jackd did not start in 10 s")

    def ports(self, *flags):
        p = subprocess.run(["jack_lsp", *flags], capture_output=True, text=True, env=self.env)
        return p.stdout.split("\n") if p.returncode == 0 else []

    def stop(self):
        stop_process(self.proc)


class JackTest(HarkTest):
    def setUp(self):
        super().setUp()
        self.jack = JackServer()
        self.addCleanup(self.jack.stop)

    def test_devices_lists_jack(self):
        p = subprocess.run([HARK, "devices"], capture_output=True, text=True, env=self.jack.env)
        self.assertEqual(p.returncode, 0, p.stderr)
        line = [ln for ln in p.stdout.splitlines() if "JACK Audio Connection Kit" in ln]
        self.assertEqual(len(line), 1, p.stdout)
        self.assertIn("48000", line[0])
        self.assertTrue(line[0].rstrip().endswith("system"), line[0])

    def wait_for_port(self, suffix, other_than=()):
        for _ in range(200):
            found = [p for p in self.jack.ports() if p.endswith(suffix) and
                     p.split(":")[0] not in other_than and not p.startswith("system:")]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no JACK port *{suffix}: {self.jack.ports()}")

    def test_a_tone_played_comes_back(self):
        tone = bin_freq(RATE, 2048, 128)  # 3000 Hz, on a bin centre of live's fft
        wav = self.write("tone.wav", sine(RATE, 12.0, tone, 0.5), RATE, "FLOAT")
        npy = self.path("live.npy")
        live = subprocess.Popen([HARK, "live", "--device", "system", "--channel", "1",
                                 "--headless", "--duration", "6", "--raw", npy],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.jack.env)
        self.addCleanup(stop_process, live)
        live_in = self.wait_for_port(":in_0")
        play = subprocess.Popen([HARK, "play", wav, "--device", "system", "--headless"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.jack.env)
        self.addCleanup(stop_process, play)
        play_out = self.wait_for_port(":out_0", other_than=(live_in.split(":")[0],))
        subprocess.run(["jack_connect", play_out, live_in], check=True, env=self.jack.env)
        out, err = finish(live, 60)
        self.assertEqual(live.returncode, 0, err)
        self.assertIn("0 samples dropped", out)
        rows = np.load(npy)
        connected = np.nonzero(rows.argmax(axis=0) == 128)[0]
        self.assertGreater(len(connected), 0, "the tone never came")
        last = rows[:, connected[0] + 2:-1]  # from just after the connection
        self.assertGreater(last.shape[1], 20)
        # The tone's bin is the loudest and its level -6.02 dBFS, in the rows' median (a
        # loaded machine may lose a buffer now and then: a row of it reads lower).
        self.assertGreaterEqual(np.mean(last.argmax(axis=0) == 128), 0.9, last.argmax(axis=0))
        self.assertAlmostEqual(float(np.median(last[128])), -6.02, delta=0.1)


if __name__ == "__main__":
    main()
