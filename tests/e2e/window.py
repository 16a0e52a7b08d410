"""The base of the tests that run hark's window for real: a private PulseAudio server with a
null sink and a private Xvfb for the whole class (both stopped by the process ids started),
and keys typed into the window with xdotool."""
import json
import signal
import subprocess
import time

from PIL import Image

from display import VirtualDisplay
from sound import SoundServerTest


class WindowTest(SoundServerTest):
    DISPLAY_SIZE = (1600, 1000)  # the screen: a class may need room for a larger window

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.display = VirtualDisplay(*cls.DISPLAY_SIZE)
        cls.env = cls.display.env(cls.server.env)

    def setUp(self):
        super().setUp()
        # The pointer off every window: a readout box over the picture would cover rows (the
        # screen's centre, where Xvfb starts it, is over most windows' data area).
        subprocess.run(["xdotool", "mousemove", "0", "0"], env=self.env, check=True, timeout=30)

    @classmethod
    def tearDownClass(cls):
        cls.display.stop()
        super().tearDownClass()

    def window_id(self):
        """hark's window (xdotool's id), once it is there."""
        found = subprocess.run(["xdotool", "search", "--sync", "--name", "^hark - "],
                               env=self.env, capture_output=True, text=True, timeout=30)
        return found.stdout.split()[0]

    def xdo(self, *args, settle=0.3):
        """An xdotool command, then `settle` seconds."""
        subprocess.run(["xdotool", *map(str, args)], env=self.env, check=True, timeout=30)
        time.sleep(settle)

    def snapshot_now(self, hark):
        """SIGUSR1, then the snapshot it wrote, read from hark's stdout while it runs: its
        `hark` text chunk (the parameters, the data area, ...)."""
        hark.send_signal(signal.SIGUSR1)
        line = ""
        while "hark-" not in line:
            line = hark.stdout.readline()
            self.assertTrue(line, "no snapshot")
        return json.loads(Image.open(line.split(" (")[0]).text["hark"])

    def type_keys(self, *keys, settle=0.0):
        """Type keys (xdotool names: "space", "Right", "r") into hark's window, 100 ms apart,
        then wait `settle` seconds. The pointer goes to the screen's corner first, off the data
        area, so no readout box covers the picture."""
        window = subprocess.run(["xdotool", "search", "--sync", "--name", "^hark - "],
                                env=self.env, capture_output=True, text=True, timeout=30)
        subprocess.run(["xdotool", "mousemove", "0", "0"], env=self.env, check=True, timeout=30)
        subprocess.run(["xdotool", "key", "--window", window.stdout.split()[0], "--delay", "100",
                        *keys], env=self.env, check=True, timeout=30)
        time.sleep(settle)
