"""A private PulseAudio server with a null sink, for the tests that use real audio.

The server runs as our child (not daemonized), in a private 0700 runtime folder, and is stopped
by the process id we started. Its sink "hark" is the default sink and its monitor the default
source; ALSA's default device is pointed at it through a private HOME/.asoundrc, so PortAudio
(ALSA host API) sees it. Whatever is played into the sink comes back from the monitor.
"""
import os
import shutil
import subprocess
import tempfile
import time

from harness import HarkTest, stop_process


def private_pulse_home(prefix):
    """A private 0700 folder that is a sound server's runtime folder and its clients' HOME, with
    an .asoundrc pointing ALSA's default at the PulseAudio protocol; (folder, environment)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    os.chmod(folder, 0o700)
    with open(os.path.join(folder, ".asoundrc"), "w") as f:
        f.write("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    return folder, dict(os.environ, XDG_RUNTIME_DIR=folder, HOME=folder,
                        PULSE_SERVER="unix:" + os.path.join(folder, "pulse", "native"))


class NullSinkServer:
    def __init__(self):
        self.dir, self.env = private_pulse_home("hark-pulse-")
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--log-target=stderr",
             "--load=module-null-sink sink_name=hark",
             "--load=module-native-protocol-unix"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self._wait_ready()
            self.pactl("set-default-sink", "hark")
            self.pactl("set-default-source", "hark.monitor")
        except BaseException:  # nothing it started outlives a failed start
            self.stop()
            raise

    def _wait_ready(self):
        for _ in range(200):
            if self.proc.poll() is not None:
                raise RuntimeError("pulseaudio exited with status %d" % self.proc.returncode)
            r = subprocess.run(["pactl", "info"], env=self.env, capture_output=True)
            if r.returncode == 0:
                return
            time.sleep(0.05)
        raise RuntimeError("pulseaudio did not start in 10 s")

    def pactl(self, *args):
        subprocess.run(["pactl", *args], env=self.env, check=True, capture_output=True)

    def play(self, wav_path):
        """Start playing a WAV into the sink; returns the player process."""
        return subprocess.Popen(["paplay", wav_path], env=self.env)

    def record(self, wav_path, rate=44100, channels=2):
        """Start recording the sink's monitor (what is played into it) to a WAV; stop it with
        stop_process (parecord closes the file on SIGTERM)."""
        return subprocess.Popen(["parecord", "--device=hark.monitor", "--file-format=wav",
                                 "--rate=%d" % rate, "--channels=%d" % channels, wav_path],
                                env=self.env)

    def stop(self):
        stop_process(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


class SoundServerTest(HarkTest):
    """Test cases that share one private null-sink sound server (cls.server) for the class."""

    @classmethod
    def setUpClass(cls):
        cls.server = NullSinkServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
