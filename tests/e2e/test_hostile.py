"""Files built to break hark, generated here (no blobs): truncations at every header offset,
chunk sizes that lie, absurd channel counts and rates, non-audio with audio names, a 0-byte
file, a FIFO nobody writes to, a folder. Each must give one clear line and exit 1, or a correct
image where libsndfile reads the file; never a crash, a hang or a giant allocation (each run
is limited to 2 GiB of address space and 60 s)."""
import os
import resource
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, main, png_indices, sine  # noqa: E402

RATE = 44100
MEMORY_LIMIT = 2 << 30


def limited():
    # Sanitizer builds reserve terabytes of address space for their shadow memory: there the
    # sanitizer's own allocation checks stand in for this limit.
    if not os.environ.get("HARK_SANITIZE"):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


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
        leftovers = [f for f in os.listdir(self.dir) if ".tmp." in f]
        self.assertEqual(leftovers, [], name)
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


if __name__ == "__main__":
    main()
