"""hark installs like any other tool: 'cmake --install' into a DESTDIR puts the program, its
live module, the man page, bash and zsh completion and the licence texts in place, and the
installed program works (render; live --input through the module found at ../lib/hark);
'cpack -G DEB' makes a .deb that names its Debian dependencies and holds the same files. The
.deb is checked by its control fields and 'dpkg -c', and unpacked with 'dpkg -x' and run
(no fresh root with debootstrap: the dependencies are this machine's, which the control
fields name). The completion is tried in bash (the function, as bash calls it) and in zsh (a
real interactive zsh on a pseudo-terminal, the Tab key sent to it)."""
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, SOURCE, HarkTest, main, sine

RATE = 48000
BUILD = os.path.dirname(os.path.abspath(HARK))
FILES = ["usr/bin/hark", "usr/lib/hark/hark-live.so", "usr/share/man/man1/hark.1",
         "usr/share/bash-completion/completions/hark", "usr/share/zsh/vendor-completions/_hark",
         "usr/share/doc/hark/copyright", "usr/share/doc/hark/LICENSE.DejaVu"]
RUNTIME = ["libfftw3-single3", "libsndfile1", "libpng16-16", "libfreetype6", "libportaudio2",
           "libsamplerate0", "libsdl2-2.0-0", "libgl1"]


def check(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    assert p.returncode == 0, f"{cmd}: {p.returncode}\n{p.stdout}\n{p.stderr}"
    return p.stdout


class InstallTest(HarkTest):
    def setUp(self):
        super().setUp()
        self.wav = self.write("tone.wav", sine(RATE, 1.0, 1000.0, 0.5), RATE, "PCM_16")

    def works(self, root):
        """The program under root runs: render, and live through its module."""
        hark = os.path.join(root, "usr/bin/hark")
        out = check([hark, "render", self.wav, "-o", self.path("i.png")])
        self.assertIn("i.png (94 x 513 pixels", out)
        out = check([hark, "live", "--input", self.wav, "--headless"])
        self.assertIn("0 samples dropped", out)

    def test_cmake_install_into_a_destdir(self):
        root = self.path("root")
        check(["cmake", "--install", BUILD, "--prefix", "/usr"], env=dict(os.environ, DESTDIR=root))
        for f in FILES:
            self.assertTrue(os.path.isfile(os.path.join(root, f)), f)
        self.works(root)
        page = subprocess.run(["man", "-l", os.path.join(root, "usr/share/man/man1/hark.1")],
                              capture_output=True, text=True, env=dict(os.environ, MANWIDTH="80"))
        self.assertEqual(page.returncode, 0, page.stderr)
        self.assertIn("hark render", page.stdout)

    def test_debian_package(self):
        out = self.path("deb")
        os.makedirs(out)
        check(["cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake")], cwd=out)
        debs = glob.glob(os.path.join(out, "*.deb"))
        self.assertEqual(len(debs), 1, debs)
        fields = check(["dpkg-deb", "-f", debs[0], "Package", "Architecture", "Depends", "Section"])
        self.assertIn("Package: hark", fields)
        self.assertIn("Architecture: amd64", fields)
        depends = re.search(r"Depends: (.*)", fields).group(1)
        for lib in RUNTIME:
            self.assertRegex(depends, rf"(^|, ){re.escape(lib)}( |,|$)", depends)
        listed = check(["dpkg", "-c", debs[0]])
        for f in FILES:
            self.assertIn("./" + f, listed)
        root = self.path("unpacked")
        check(["dpkg", "-x", debs[0], root])
        self.works(root)

    def test_bash_completion(self):
        script = os.path.join(SOURCE, "completions", "hark.bash")
        cases = [("hark re", ["render"]), ("hark render --col", ["--colormap"]),
                 ("hark render --colormap ''", ["magma", "viridis", "inferno", "gray", "jet"]),
                 ("hark batch --window blackman", ["blackman", "blackman-harris"]),
                 ("hark live --scale ''", ["linear", "log", "mel", "cqt"]),
                 ("hark batch --format ''", ["png", "npy", "both"]),
                 ("hark render --raw-format ''", ["s16le", "s24le", "s32le", "f32le"]),
                 ("hark play --orient ''", ["top", "right"]),
                 ("hark batch --shard-c", ["--shard-count"]),
                 ("hark render to", ["tone.wav"])]
        for line, want in cases:
            with self.subTest(line=line):
                got = check(["bash", "-c", f'PATH={BUILD}:$PATH; source {script}; '
                             f'COMP_WORDS=({line}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); '
                             '_hark_bash; printf "%s\\n" "${COMPREPLY[@]}"'], cwd=self.dir)
                self.assertEqual(sorted(got.split()), sorted(want))
        # Every value the script lists by itself is one hark takes.
        for cmd, opt, values in [("batch", "--format", "png npy both"),
                                 ("render", "--png-deflate", "huffman zlib"),
                                 ("render", "--raw-format", "s16le s24le s32le f32le")]:
            for v in values.split():
                args = [cmd, self.wav, "-o", self.path(f"v-{v}"), opt, v]
                if opt == "--raw-format":
                    args += ["--rate", "48000"]
                p = subprocess.run([HARK, *args], capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, f"{args}: {p.stderr}")

    def test_zsh_completion(self):
        """An interactive zsh on a pseudo-terminal, with completions/ in its fpath: Tab after
        'hark render --colormap vi' completes 'viridis'."""
        script = self.path("tab.zsh")
        with open(script, "w") as f:
            f.write(f"""zmodload zsh/zpty
zpty z env PATH={BUILD}:$PATH HOME={self.dir} TERM=dumb zsh -f -i
zpty -w z 'PS1="> "; fpath=({SOURCE}/completions $fpath); autoload -U compinit; compinit -u -D'
zpty -w z 'echo READY'
zpty -r z line '*READY*'
zpty -r z line '*> '
zpty -w -n z $'hark render --colormap vi\\t'
for i in {{1..100}}; do
  zpty -r -t z chunk && out+=$chunk
  [[ $out == *viridis* ]] && break
  sleep 0.1
done
print -r -- "OUT:$out"
zpty -d z
""")
        out = check(["zsh", "-f", script])
        self.assertIn("hark render --colormap viridis", out)


if __name__ == "__main__":
    main()
