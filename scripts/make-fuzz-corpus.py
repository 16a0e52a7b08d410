"""Seed corpus for the fuzz targets (tests/fuzz), written afresh each run, never checked in:
small audio files in every container and encoding libsndfile writes here (WAV, W64, RF64,
AIFF, CAF, AU, FLAC, Ogg Vorbis, Opus, ...), 1 to 6 channels, several rates; command lines
for the option parser; and bytes for the Huffman block coder: noise, runs, and the image data
of real spectrograms (palette indices of an STFT, a filter byte before each line).
    /usr/bin/python3 scripts/make-fuzz-corpus.py DIR
        (makes DIR/decode, DIR/options, DIR/cli, DIR/huffblock)"""
import os
import sys

import numpy as np
import soundfile as sf

out = sys.argv[1]
os.makedirs(os.path.join(out, "decode"), exist_ok=True)
os.makedirs(os.path.join(out, "options"), exist_ok=True)
os.makedirs(os.path.join(out, "cli"), exist_ok=True)
os.makedirs(os.path.join(out, "huffblock"), exist_ok=True)

FORMATS = [("wav", "WAV", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE", "ULAW",
                           "ALAW", "IMA_ADPCM", "MS_ADPCM", "GSM610"]),
           ("w64", "W64", ["PCM_16", "FLOAT"]),
           ("rf64", "RF64", ["PCM_24"]),
           ("aiff", "AIFF", ["PCM_S8", "PCM_16", "PCM_24", "FLOAT", "ULAW"]),
           ("caf", "CAF", ["PCM_16", "ALAC_16", "FLOAT"]),
           ("au", "AU", ["PCM_16", "ULAW", "G721_32"]),
           ("flac", "FLAC", ["PCM_16", "PCM_24"]),
           ("ogg", "OGG", ["VORBIS", "OPUS"]),
           ("voc", "VOC", ["PCM_16"]),
           ("paf", "PAF", ["PCM_16"]),
           ("nist", "NIST", ["PCM_16"]),
           ("sd2", "SD2", ["PCM_16"])]

rng = np.random.default_rng(1)
n = 0
for ext, major, subtypes in FORMATS:
    for subtype in subtypes:
        for channels, rate in ((1, 8000), (2, 48000), (6, 44100)):
            if subtype == "OPUS" and rate not in (8000, 48000):
                continue
            t = np.arange(int(rate * 0.03)) / rate
            x = np.stack([0.5 * np.sin(2 * np.pi * (300 + 200 * c) * t) for c in range(channels)],
                         axis=1) + 0.01 * rng.standard_normal((len(t), channels))
            path = os.path.join(out, "decode", "seed-%03d.%s" % (n, ext))
            try:
                sf.write(path, x, rate, subtype=subtype, format=major)
                n += 1
            except (RuntimeError, ValueError, TypeError, sf.LibsndfileError):
                if os.path.exists(path):
                    os.remove(path)

LINES = ["--fft 512 --hop 128", "--overlap 0.75 --window blackman-harris", "--scale mel --height 64",
         "--range -90:-10 --colormap viridis", "--channel 2", "--scale log --fft 4096",
         "--window rect --overlap 0", "--hop 1 --fft 16", "--range 0:-1", "--fft 262144",
         "--channel mix --height 9999999", "-h", "--bogus", "--fft", "--colormap jet --scale linear",
         "--channel all", "--channel 1,3,2", "--channel ms", "--channel mid,side,1",
         "--fft 4096 --window-size 1024", "--reassign --reassign-threshold -80",
         "--pcen --pcen-gain 0.8 --pcen-time 0.06", "--scale cqt --bins-per-octave 36 --fmin 55"]
for i, line in enumerate(LINES):
    with open(os.path.join(out, "options", "seed-%02d" % i), "wb") as f:
        f.write(b"\0".join(a.encode() for a in line.split(" ")))
# Whole command lines for fuzz_cli: the command's index, then token indices (tests/fuzz/fuzz_cli.c
# reads each byte modulo its table): a render, a render with --raw and tiles, a batch of the
# folder, an info of a link.
CLI = [bytes([0, 7, 0, 1]), bytes([0, 8, 4, 5, 17, 18, 0, 1]), bytes([2, 9, 0, 2, 48, 49]),
       bytes([1, 12]), bytes([0, 14, 0, 1]), bytes([2, 58, 0, 3, 51, 52])]
for i, seed in enumerate(CLI):
    with open(os.path.join(out, "cli", "seed-%02d" % i), "wb") as f:
        f.write(seed)


def spectrogram_lines(x, fft=256, hop=128, floor=-120.0):
    """Palette indices as render writes them: rows top (Nyquist) to bottom (0 Hz), 0 before each."""
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(fft) / fft)
    frames = np.stack([x[i:i + fft] * w for i in range(0, len(x) - fft, hop)])
    db = 20 * np.log10(np.maximum(np.abs(np.fft.rfft(frames, axis=1)) * 2 / w.sum(), 1e-12))
    idx = np.clip(np.floor((np.maximum(db, floor) - floor) / -floor * 255 + 0.5), 0, 255)
    lines = idx.T[::-1].astype(np.uint8)
    return b"".join(b"\0" + line.tobytes() for line in lines)


# The first byte is the coder's: blocks (low 3 bits) and runs (bit 3): tests/fuzz/fuzz_huffblock.c
t = np.arange(8000 * 2) / 8000
chirp = 0.5 * np.sin(2 * np.pi * (100 + 900 * t) * t) + 0.01 * rng.standard_normal(len(t))
silence_then_tone = np.concatenate([np.zeros(6000), 0.3 * np.sin(2 * np.pi * 440 * t[:6000])])
HUFF = [bytes([0]) + rng.integers(0, 256, 4000, dtype=np.uint8).tobytes(),
        bytes([3]) + spectrogram_lines(chirp),
        bytes([5]) + spectrogram_lines(silence_then_tone),
        bytes([8]) + bytes([0, 255, 7, 3, 9, 40, 0, 255]),
        bytes([1]) + bytes(300),
        bytes([2, 1, 2])]
for i, seed in enumerate(HUFF):
    with open(os.path.join(out, "huffblock", "seed-%02d" % i), "wb") as f:
        f.write(seed)
print("fuzz corpus: %d audio files, %d option lines, %d command lines, %d coder inputs in %s"
      % (n, len(LINES), len(CLI), len(HUFF), out))
