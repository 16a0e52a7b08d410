"""The project says the same everywhere: the keys that --help lists for live and play are the
README's tables, line for line (both come from src/ui/keys.c's table); every option any --help
lists is in the man page (docs/hark.1), which man renders without a warning; and the docs the
code points to are in the repository."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE, HarkTest, main, run  # noqa: E402


def help_keys(command):
    code, out, _ = run(command, "--help")
    assert code == 0
    block = out.split("Keys in the window:\n", 1)[1].split("\n\n", 1)[0]
    return [tuple(re.split(r"\s{2,}", line.strip(), maxsplit=1)) for line in block.splitlines()]


def readme_tables():
    with open(os.path.join(SOURCE, "README.md")) as f:
        text = f.read()
    tables, rows = [], None
    for line in text.splitlines():
        if line.startswith("| key | does |"):
            rows = []
            tables.append(rows)
        elif rows is not None and line.startswith("| ") and not line.startswith("| ---"):
            rows.append(tuple(c.strip() for c in line.strip("|").split(" | ")))
        elif not line.startswith("|"):
            rows = None
    return tables


class DocsTest(HarkTest):
    def test_keys_in_help_and_readme_agree(self):
        live, play = readme_tables()
        self.assertEqual(help_keys("live"), live)
        self.assertEqual(help_keys("play"), play)

    def test_every_option_in_the_man_page(self):
        page = os.path.join(SOURCE, "docs", "hark.1")
        check = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page],
                               capture_output=True, text=True)
        self.assertEqual((check.returncode, check.stderr), (0, ""), "groff warns")
        text = subprocess.run(["man", "-l", page], capture_output=True, text=True,
                              env=dict(os.environ, MANWIDTH="100", MAN_KEEP_FORMATTING="0"))
        self.assertEqual(text.returncode, 0, text.stderr)
        plain = re.sub(r".\x08", "", text.stdout)  # no overstrike bold
        options = set()
        for command in ("", "render", "batch", "info", "levels", "spectrum", "live", "play",
                        "devices"):
            code, out, _ = run(*([command] if command else []), "--help")
            self.assertEqual(code, 0, command)
            options.update(re.findall(r"(?<![\w-])--[a-z][a-z-]+", out))
        self.assertGreater(len(options), 30)
        missing = sorted(o for o in options if not re.search(r"(?<![\w-])" + o + r"(?![\w-])", plain))
        self.assertEqual(missing, [], "options --help lists and the man page does not")
        # ... and the other way: the page names no option hark does not have (other tools'
        # options in its examples are listed here).
        others = {"--array"}  # sbatch's, in the Slurm example
        stale = sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", plain)) - options - others)
        self.assertEqual(stale, [], "options the man page lists and no --help does")

    def test_the_docs_the_code_points_to_exist(self):
        cited = set()
        for folder, _, files in os.walk(os.path.join(SOURCE, "src")):
            for name in files:
                with open(os.path.join(folder, name), errors="replace") as f:
                    cited.update(re.findall(r"docs/[A-Z]+\.md", f.read()))
        self.assertTrue(cited)
        for doc in cited:
            self.assertTrue(os.path.exists(os.path.join(SOURCE, doc)), doc)
        for folder, _, files in os.walk(os.path.join(SOURCE, "src")):
            for name in files:
                with open(os.path.join(folder, name), errors="replace") as f:
                    self.assertNotIn("SPEC.md", f.read(), name)


if __name__ == "__main__":
    main()
