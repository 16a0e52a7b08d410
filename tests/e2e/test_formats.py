"""Every kind of file libsndfile writes renders with the right size and the tone in its row:
WAV 8/16/24/32-bit int and float, FLAC, Ogg Vorbis and Opus, AIFF, CAF; mono, stereo, 6
channels; 8 kHz to 192 kHz."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from harness import HarkTest, main, png_indices, sine

CASES = [
    # name, rate, channels, format, subtype
    ("u8.wav", 8000, 1, "WAV", "PCM_U8"),
    ("s16.wav", 44100, 1, "WAV", "PCM_16"),
    ("s24.wav", 48000, 2, "WAV", "PCM_24"),
    ("s32.wav", 96000, 1, "WAV", "PCM_32"),
    ("f32.wav", 192000, 6, "WAV", "FLOAT"),
    ("s16.flac", 44100, 2, "FLAC", "PCM_16"),
    ("s24.flac", 8000, 6, "FLAC", "PCM_24"),
    ("vorbis.ogg", 44100, 2, "OGG", "VORBIS"),
    ("opus.ogg", 48000, 1, "OGG", "OPUS"),
    ("s16.aiff", 22050, 1, "AIFF", "PCM_16"),
    ("f32.caf", 16000, 2, "CAF", "FLOAT"),
]


class FormatTest(HarkTest):
    def test_formats(self):
        for name, rate, channels, fmt, subtype in CASES:
            with self.subTest(name=name):
                fft = 1024
                # A tone at 1/8 of the rate: bin 128 whatever the rate, in every channel.
                x = sine(rate, 1.5, rate / 8, 0.4)
                data = np.repeat(x[:, None], channels, axis=1) if channels > 1 else x
                p = self.write(name, data, rate, subtype, fmt)
                out = self.path(name + ".png")
                self.render_ok(p, "-o", out, "--fft", str(fft))
                idx = png_indices(out)
                n = len(x)
                frames = idx.shape[1]
                # Lossy codecs may add or trim a few samples; PCM must be exact.
                if subtype in ("VORBIS", "OPUS"):
                    self.assertLessEqual(abs(frames - (1 + n // 512)), 2)
                else:
                    self.assertEqual(frames, 1 + n // 512)
                self.assertEqual(idx.shape[0], fft // 2 + 1)
                bright = np.argmax(idx[:, frames // 4:3 * frames // 4], axis=0)
                self.assertTrue(np.all(np.abs(512 - bright - 128) <= 1), np.unique(bright))


if __name__ == "__main__":
    main()
