"""The base of the tests that run hark's window for real: a private PulseAudio server with a
null sink and a private Xvfb for the whole class (both stopped by the process ids started),
and keys typed into the window with xdotool."""
import subprocess
import time

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
