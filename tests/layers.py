"""The layers hold (docs/ARCHITECTURE.md): each folder of src/ includes only its own headers and
those of the layers below it, and only the headers of its own third-party libraries (each is
PRIVATE to the one layer that links it); a unit test of a layer links none of the libraries of
the layers above: core's tests no SDL2, GL, PortAudio, libpng or libsndfile; io's no SDL2, GL
or PortAudio; and the hark executable none of the live side's libraries, which only its live
module loads. Run by ctest with the test binaries' folder and the executable.""" 
import os
import re
import subprocess
import unittest

SOURCE = os.environ.get("HARK_SOURCE") or os.path.join(os.path.dirname(__file__), "..")
TESTS = os.environ.get("HARK_TESTS", "")
HARK = os.environ.get("HARK", "")

# What each layer may include from src/, besides its own folder.
BELOW = {"core": [], "io": ["core"], "rt": ["core", "io"], "ui": ["core", "io"],
         "app": ["core", "io", "rt", "ui"]}
# The third-party headers, by the layer that owns the library (CMakeLists.txt).
LIBRARY_HEADERS = {"fftw3.h": "core", "ebur128.h": "core", "sndfile.h": "io", "png.h": "io", "zlib.h": "io",
                   "ft2build.h": "io", "portaudio.h": "rt", "samplerate.h": "rt", "SDL.h": "ui",
                   "SDL_opengl.h": "ui"}
UNIT_TESTS = {"core": ["test_window", "test_stft", "test_kernels", "test_scale", "test_colormap",
                       "test_axis", "test_ring"],
              "io": ["test_decoder", "test_image", "test_zlines", "test_png_npy",
                     "test_huffblock", "test_tile_sink"]}
FORBIDDEN = {"core": ["libSDL2", "libGL", "libportaudio", "libpng", "libsndfile", "libfreetype",
                      "libsamplerate", "libz."],
             "io": ["libSDL2", "libGL", "libportaudio", "libsamplerate"]}


def includes(pattern):
    """(layer, file, included name) for every #include of src/'s sources matching pattern."""
    for layer in BELOW:
        folder = os.path.join(SOURCE, "src", layer)
        for name in sorted(os.listdir(folder)):
            if name.endswith((".c", ".h")):
                with open(os.path.join(folder, name)) as f:
                    for inc in re.findall(pattern, f.read(), re.M):
                        yield layer, name, inc


class LayersTest(unittest.TestCase):
    def test_includes_point_down(self):
        headers = {}
        for layer in BELOW:
            for name in os.listdir(os.path.join(SOURCE, "src", layer)):
                if name.endswith(".h"):
                    headers[name] = layer
        for layer, name, inc in includes(r'^#include "([^"]+)"'):
            owner = headers.get(inc)
            self.assertIsNotNone(owner, f"{layer}/{name} includes {inc}, not in src/")
            self.assertIn(owner, [layer] + BELOW[layer],
                          f"{layer}/{name} includes {owner}/{inc}: a layer above")

    def test_library_headers_only_in_their_layer(self):
        for layer, name, inc in includes(r"^#include <([^>]+)>"):
            owner = LIBRARY_HEADERS.get(inc)
            self.assertIn(owner, (None, layer),
                          f"{layer}/{name} includes <{inc}>, {owner}'s library")

    def test_executable_loads_the_live_libraries_only_in_its_module(self):
        """render, batch, info, levels and spectrum start without PortAudio, SDL2, OpenGL or libsamplerate:
        those are the live module's (src/app/live_module.h)."""
        self.assertTrue(HARK, "HARK: the hark executable")
        live = ["libSDL2", "libGL", "libportaudio", "libsamplerate"]
        out = subprocess.run(["ldd", HARK], capture_output=True, text=True, check=True).stdout
        for lib in live:
            self.assertNotIn(lib, out, f"hark links {lib}:\n{out}")
        module = os.path.join(os.path.dirname(HARK), "hark-live.so")
        # What the module itself names (its NEEDED entries), not what those pull in: the
        # sound server's client library links libsndfile of its own.
        out = subprocess.run(["readelf", "-d", module], capture_output=True, text=True,
                             check=True).stdout
        needed = " ".join(re.findall(r"\(NEEDED\).*\[(.+)\]", out))
        for lib in live:
            self.assertIn(lib, needed, f"the live module does not link {lib}: {needed}")
        for lib in ["libsndfile", "libfftw3f", "libpng", "libfreetype"]: # the executable's
            self.assertNotIn(lib, needed, f"the live module links {lib} itself: {needed}")

    def test_unit_tests_link_only_their_layer(self):
        self.assertTrue(TESTS, "HARK_TESTS: the folder of the unit test binaries")
        for layer, tests in UNIT_TESTS.items():
            for t in tests:
                out = subprocess.run(["ldd", os.path.join(TESTS, t)], capture_output=True,
                                     text=True, check=True).stdout
                for lib in FORBIDDEN[layer]:
                    self.assertNotIn(lib, out, f"{t} ({layer}) links {lib}:\n{out}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
