"""A private X server (Xvfb) for the tests that open the live window.

Xvfb picks a free display number itself (-displayfd) and runs as our child, stopped by the
process id we started. The screen is 24-bit, as Mesa's llvmpipe wants.
"""
import os
import subprocess

from harness import stop_process


class VirtualDisplay:
    def __init__(self, width=1600, height=1000):
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as f:
            number = f.readline().strip()
        if not number:
            self.stop()
            raise RuntimeError("Xvfb did not start")
        self.display = ":" + number

    def env(self, base):
        env = dict(base, DISPLAY=self.display)
        env.pop("SDL_VIDEODRIVER", None)
        return env

    def stop(self):
        stop_process(self.proc)
