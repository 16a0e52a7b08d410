"""Files built to break hark, generated here (no blobs): truncations at every header offset,
chunk sizes that lie, absurd channel counts and rates, non-audio with audio names, a 0-byte
file, a FIFO nobody writes to, a folder. Each must give one clear line and exit 1, or a correct
image where libsndfile reads the file; never a crash, a hang or a giant allocation (each run
is limited to 2 GiB of address space and 60 s)."""
import os
import resource
import stat
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, drain_fifo, leftovers, main, png_indices, sine, stop_process  # noqa: E402

RATE = 44100
MEMORY_LIMIT = 2 << 30


def limited():
    # Sanitizer builds reserve terabytes of address space for their shadow memory: there the
    # sanitizer's own allocation limit stands in for this one (limited_env).
    if not os.environ.get("HARK_SANITIZE"):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def limited_env():
    """Under ASan, no single allocation over MEMORY_LIMIT: a larger one fails (NULL) and hark
    must say so in one line, as it does when the address-space limit refuses it."""
    env = dict(os.environ)
    if os.environ.get("HARK_SANITIZE") == "address":
        extra = "max_allocation_size_mb=%d:allocator_may_return_null=1" % (MEMORY_LIMIT >> 20)
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), extra]))
    return env


def wav_bytes(samples, rate=RATE, channels=1, data_size=None, riff_size=None, fmt_size=16):
    """A 16-bit PCM WAV whose header fields can lie."""
    data = struct.pack("<%dh" % len(samples), *samples)
    data_size = len(data) if data_size is None else data_size
    riff_size = 4 + 8 + fmt_size + 8 + len(data) if riff_size is None else riff_size
    fmt = struct.pack("<HHIIHH", 1, channels, rate & 0xFFFFFFFF, (rate * channels * 2) & 0xFFFFFFFF,
                      channels * 2, 16)
    return (b"RIFF" + struct.pack("<I", riff_size & 0xFFFFFFFF) + b"WAVE" + b"fmt " +
            struct.pack("<I", fmt_size) + fmt + b"\0" * (fmt_size - 16) + b"data" +
            struct.pack("<I", data_size & 0xFFFFFFFF) + data)


class HostileTest(HarkTest):
    def attack(self, name, content=None, allow_ok=True):
        path = self.path(name) if content is not None or not os.path.isabs(name) else name
        if content is not None:
            with open(path, "wb") as f:
                f.write(content)
        out = self.path("out.png")
        try:
            p = subprocess.run([HARK, "render", path, "-o", out], capture_output=True, text=True,
                               timeout=60, preexec_fn=limited)
        except subprocess.TimeoutExpired:
            self.fail(f"{name}: hangs")
        self.assertIn(p.returncode, (0, 1) if allow_ok else (1,), f"{name}: {p.stderr}")
        if p.returncode == 1:
            lines = p.stderr.splitlines()
            self.assertEqual(len(lines), 1, f"{name}: {p.stderr!r}")
            self.assertTrue(lines[0].startswith(f"hark: {path}: "), lines[0])
            self.assertFalse(os.path.exists(out), f"{name}: left an output behind")
        else:
            idx = png_indices(out)  # a whole, readable image
            self.assertEqual(idx.shape[0], 513)
            os.remove(out)
        self.assertEqual(leftovers(self.dir), [], name)
        return p

    def test_truncated_at_every_header_offset(self):
        good = wav_bytes([int(v) for v in sine(RATE, 0.1, 1000.0, 0.5) * 32767])
        for n in range(0, 60):
            self.attack(f"cut{n}.wav", good[:n])

    def test_sizes_that_lie(self):
        x = [int(v) for v in sine(RATE, 0.1, 1000.0, 0.5) * 32767]
        self.attack("data_huge.wav", wav_bytes(x, data_size=0xFFFFFFF0))
        self.attack("riff_huge.wav", wav_bytes(x, riff_size=0xFFFFFFF0))
        self.attack("data_zero.wav", wav_bytes(x, data_size=0))
        self.attack("fmt_huge.wav", wav_bytes(x, fmt_size=0x7FFFFFF0)[:200])
        p = self.attack("data_short.wav", wav_bytes(x, data_size=100))
        self.assertIn(p.returncode, (0, 1))

    def test_channels_and_rates_out_of_range(self):
        x = [0, 1000, -1000, 0] * 200
        self.attack("ch0.wav", wav_bytes(x, channels=0), allow_ok=False)
        self.attack("ch1024.wav", wav_bytes(x * 4, channels=1024))
        self.attack("ch4000.wav", wav_bytes(x * 4, channels=4000), allow_ok=False)
        self.attack("rate0.wav", wav_bytes(x, rate=0), allow_ok=False)
        self.attack("rate4g.wav", wav_bytes(x, rate=4_000_000_000), allow_ok=False)

    def test_not_audio_at_all(self):
        self.attack("empty.flac", b"", allow_ok=False)
        self.attack("text.wav", b"RIFF but not really\n" * 50, allow_ok=False)
        self.attack("png.ogg", b"\x89PNG\r\n\x1a\n" + os.urandom(500), allow_ok=False)
        self.attack("random.aiff", os.urandom(4096), allow_ok=False)

    def test_fifo_and_folder(self):
        fifo = self.path("nobody-writes.wav")
        os.mkfifo(fifo)
        self.attack(fifo, allow_ok=False)
        os.mkdir(self.path("folder.wav"))
        self.attack(self.path("folder.wav"), allow_ok=False)


class HostileUseTest(HarkTest):
    """The classes of #12's defects, tried across the board: options that size memory at their
    limits, and every output kind pointed at what it must not replace or cannot hold."""

    def run_limited(self, args, **kw):
        try:
            return subprocess.run([HARK, *map(str, args)], capture_output=True, text=True,
                                  timeout=120, preexec_fn=kw.pop("preexec_fn", limited),
                                  env=kw.pop("env", limited_env()), **kw)
        except subprocess.TimeoutExpired:
            self.fail(f"{args}: hangs")

    def clear_line_or_success(self, p, what, status=None):
        """Success or one "hark: ..." line, nothing half-written; status, when given, exactly."""
        if status is not None:
            self.assertEqual(p.returncode, status, f"{what}: {p.stderr}")
        self.assertGreaterEqual(p.returncode, 0, f"{what}: killed by signal {-p.returncode}")
        self.assertIn(p.returncode, (0, 1, 2), what)
        if p.returncode:
            self.assertEqual(p.stderr.count("\n"), 1, f"{what}: {p.stderr!r}")
            self.assertTrue(p.stderr.startswith("hark: "), p.stderr)
        self.assertEqual(leftovers(self.dir), [],
                         what)

    def test_options_that_size_memory_at_their_limits(self):
        x = self.write("x.wav", sine(RATE, 0.3, 1000.0, 0.5), RATE, "PCM_16")
        cases = [["--fft", "262144"], ["--fft", "262146"], ["--fft", "16", "--hop", "1"],
                 ["--fft", "262144", "--height", "65536"], ["--height", "65537"],
                 ["--tile-seconds", "1e7"], ["--tile-seconds", "10000001"],
                 ["--tile-seconds", "1e-9"], ["--range", "-300:100"], ["--range", "-301:0"],
                 ["--fft", "262144", "--scale", "mel", "--height", "65536", "--labels"]]
        # One past each stated limit: a usage error, whatever memory there is.
        past = [["--fft", "262146"], ["--height", "65537"], ["--tile-seconds", "10000001"],
                ["--range", "-301:0"], ["-j", "65"], ["--shard", "65/64"]]
        for extra in cases:
            for command in (["render", x, "-o", self.path("o.png")], ["info", x]):
                if command[0] == "info" and extra[0] in ("--tile-seconds",):
                    continue
                p = self.run_limited([*command, *extra])
                self.clear_line_or_success(p, f"{command[0]} {extra}",
                                           2 if extra in past else None)
        for extra in (["-j", "64"], ["-j", "65"], ["--shard", "64/64"], ["--shard", "65/64"]):
            p = self.run_limited(["batch", x, "-o", self.path("b"), *extra])
            self.clear_line_or_success(p, f"batch {extra}", 2 if extra in past else None)

    def test_every_output_kind_pointed_at_the_input_and_at_what_is_not_a_file(self):
        x = self.write("x.wav", sine(RATE, 2.5, 1000.0, 0.5), RATE, "PCM_16")
        with open(x, "rb") as f:
            audio = f.read()
        null = self.path("null")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        target = self.path("target.bin")
        open(target, "w").close()
        os.symlink(target, self.path("link.bin"))
        os.symlink(x, self.path("alias.wav"))
        # Each kind of output (how to point it at a name), and where it is pointed.
        kinds = {"png": lambda o: ["render", x, "-o", o],
                 "tiles": lambda o: ["render", x, "-o", o, "--tile-seconds", "1"],
                 "npy": lambda o: ["render", x, "--raw", o, "--no-png"],
                 "labels": lambda o: ["render", x, "-o", o, "--labels"]}
        for kind, command in kinds.items():
            for name, where in (("input", x), ("input via a link", self.path("alias.wav")),
                                ("device", null), ("link", self.path("link.bin")),
                                ("255 bytes", self.path("n" * 251 + ".png"))):
                what = f"{kind} at the {name}"
                p = self.run_limited(command(where))
                self.clear_line_or_success(p, what)
                with open(x, "rb") as f:
                    self.assertEqual(f.read(), audio, f"{what}: the input is untouched")
                self.assertTrue(stat.S_ISCHR(os.stat(null).st_mode), what)
                self.assertTrue(os.path.islink(self.path("link.bin")), what)
                if name.startswith("input") and kind != "tiles":  # tiles: x.wav-0001.png ...
                    self.assertEqual(p.returncode, 2, f"{what}: {p.stderr}")
                if name == "255 bytes" and kind in ("png", "labels"):  # tiles' and sidecars'
                    self.assertEqual(p.returncode, 0, f"{what}: {p.stderr}")  # names are longer
            # A FIFO with a reader: written through (a .npy refuses: its shape goes in last).
            if kind != "tiles":  # tiles are named after it, not it
                fifo = self.path("out.fifo")
                os.mkfifo(fifo)
                copy = self.path("fifo-copy")
                reader = drain_fifo(fifo, copy)
                try:
                    p = self.run_limited(command(fifo))
                    if p.returncode == 0:  # written through: the reader has it all
                        reader.wait(timeout=60)
                finally:  # refused (a .npy) without opening it: the reader still waits
                    stop_process(reader)
                with open(copy, "rb") as f:
                    got = f.read()
                self.clear_line_or_success(p, f"{kind} at a FIFO")
                if kind in ("png", "labels"):
                    self.assertTrue(got.startswith(b"\x89PNG"), kind)
                os.remove(fifo)
            # A full disk: one line, nothing left, earlier outputs untouched.
            p = self.run_limited(command(self.path("full.png" if kind != "npy" else "full.npy")),
                                 preexec_fn=lambda: (limited(), resource.setrlimit(
                                     resource.RLIMIT_FSIZE, (2000, 2000))))
            self.clear_line_or_success(p, f"{kind} on a full disk")
            self.assertEqual(p.returncode, 1, p.stderr)
        # The sidecar's name and the manifest: the same promises.
        os.symlink(x, self.path("side.json"))
        p = self.run_limited(["render", x, "--raw", self.path("side.npy"), "--no-png"])
        self.clear_line_or_success(p, "a sidecar at the input")
        self.assertEqual(p.returncode, 2)
        out = self.path("b")
        os.makedirs(out)
        os.symlink(x, os.path.join(out, "manifest.csv"))
        p = self.run_limited(["batch", self.path("alias.wav"), "-o", out])
        with open(x, "rb") as f:
            self.assertEqual(f.read(), audio, "the manifest never replaces an input")


if __name__ == "__main__":
    main()
