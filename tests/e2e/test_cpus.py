"""hark's threads follow the CPUs the process may use, not the machine's: an affinity mask
(taskset, as Slurm and containers set one) and a cgroup CPU quota (a container's or a job's
limit), as render's line and batch's summary say; -j still overrides."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, HarkTest, main, sine

RATE = 44100


def cpu_cgroup():
    """(kind, folder) of the cgroup hierarchy holding the cpu controller: 'v1' (cpu.cfs_*) or
    'v2' (cpu.max), from /proc/self/mountinfo."""
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ", 1)
            mount = left.split()[4]
            fstype, _, opts = right.split()[:3]
            if fstype == "cgroup" and "cpu" in opts.split(","):
                return "v1", mount
            if fstype == "cgroup2":
                ctl = os.path.join(mount, "cgroup.controllers")
                if os.path.exists(ctl) and "cpu" in open(ctl).read().split():
                    return "v2", mount
    raise AssertionError("no cgroup hierarchy with the cpu controller is mounted")


class CpuTest(HarkTest):
    def setUp(self):
        super().setUp()
        self.wavs = [self.write(f"c{i}.wav", sine(RATE, 0.5, 300.0 + 100 * i, 0.5), RATE)
                     for i in range(4)]
        self.online = os.cpu_count()
        self.assertGreaterEqual(self.online, 2, "these checks need a machine of 2 CPUs or more")

    def run_hark(self, args, prefix=(), preexec=None):
        p = subprocess.run([*prefix, HARK, *args], capture_output=True, text=True,
                           preexec_fn=preexec, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def batch_jobs(self, out, **kw):
        text = self.run_hark(["batch", *self.wavs, "-o", self.path(out)], **kw)
        m = re.search(r"(\d+) jobs?\)", text)
        self.assertIsNotNone(m, text)
        return int(m.group(1))

    def render_cpus(self, **kw):
        text = self.run_hark(["render", self.wavs[0], "-o", self.path("r.png")], **kw)
        m = re.search(r"pixels, (\d+) CPUs?\)", text)
        self.assertIsNotNone(m, text)
        return int(m.group(1))

    def test_all_cpus_without_limits(self):
        self.assertEqual(self.batch_jobs("all"), self.online)
        self.assertEqual(self.render_cpus(), self.online)

    def test_affinity(self):
        one = ["taskset", "-c", "0"]
        self.assertEqual(self.batch_jobs("one", prefix=one), 1)
        self.assertEqual(self.render_cpus(prefix=one), 1)
        out = self.run_hark(["batch", *self.wavs, "-o", self.path("j2"), "-j", "2"], prefix=one)
        self.assertIn("2 jobs)", out, "-j overrides")

    def test_cgroup_quota(self):
        kind, mount = cpu_cgroup()
        folder = tempfile.mkdtemp(prefix="hark-test-", dir=mount)
        try:
            def join():
                with open(os.path.join(folder, "cgroup.procs"), "w") as f:
                    f.write(str(os.getpid()))

            def quota(cpus):
                if kind == "v1":
                    with open(os.path.join(folder, "cpu.cfs_period_us"), "w") as f:
                        f.write("100000")
                    with open(os.path.join(folder, "cpu.cfs_quota_us"), "w") as f:
                        f.write(str(int(cpus * 100000)))
                else:
                    with open(os.path.join(folder, "cpu.max"), "w") as f:
                        f.write(f"{int(cpus * 100000)} 100000")

            quota(0.5)
            self.assertEqual(self.batch_jobs("half", preexec=join), 1)
            self.assertEqual(self.render_cpus(preexec=join), 1)
            quota(1.5)  # a part of a CPU counts as one more
            self.assertEqual(self.batch_jobs("one-and-a-half", preexec=join), 2)
        finally:
            os.rmdir(folder)


if __name__ == "__main__":
    main()
