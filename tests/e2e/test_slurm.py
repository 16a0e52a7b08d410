"""The README's Slurm job array, run on a real single-node Slurm: Debian's slurmctld, slurmd
and munged, started here as root with a private slurm.conf, munge key, state, spool, sockets
and logs in a temporary folder, and stopped by the process ids they wrote. The job script is
the one in README.md's "Pipelines and clusters" (read from it), over a generated tree of 300
files: every input is rendered exactly once across the shards, the manifests join to one row
per input, and the array submitted again renders nothing."""
import csv
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np
import soundfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import HARK, SOURCE, HarkTest, main

FILES = 300


def readme_job_script():
    with open(os.path.join(SOURCE, "README.md")) as f:
        text = f.read()
    section = text.split("**Slurm**", 1)[1]
    return re.search(r"```sh\n(#!/bin/sh\n.*?)```", section, re.S).group(1)


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def pid_in(path, timeout=30):
    for _ in range(int(timeout * 10)):
        if os.path.exists(path):
            with open(path) as f:
                text = f.read().strip()
            if text:
                return int(text)
        time.sleep(0.1)
    raise AssertionError(f"no pid in {path}")


def stop_pid(pid):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


class Cluster:
    """slurmctld + slurmd + munged, private to a folder."""

    def __init__(self, folder):
        self.dir = folder
        self.pids = []

    def start(self):
        folder = self.dir
        os.chmod(folder, 0o755)  # munged runs as munge: its socket's folder must be reachable
        m = os.path.join(folder, "munge")
        key_dir = os.path.join(m, "key")
        os.makedirs(key_dir)
        shutil.chown(m, "munge", "munge")
        shutil.chown(key_dir, "munge", "munge")
        os.chmod(key_dir, 0o700)
        key = os.path.join(key_dir, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        shutil.chown(key, "munge", "munge")
        os.chmod(key, 0o400)
        self.socket = os.path.join(m, "munge.socket")
        subprocess.run(["runuser", "-u", "munge", "--", "munged", f"--key-file={key}",
                        f"--socket={self.socket}", f"--pid-file={m}/munged.pid",
                        f"--log-file={m}/munged.log", f"--seed-file={m}/seed"], check=True)
        self.pids.append(pid_in(f"{m}/munged.pid"))
        host = socket.gethostname().split(".")[0]
        ctld_port, d_port = free_ports(2)
        for sub in ("state", "spool", "log"):
            os.makedirs(os.path.join(folder, sub))
        self.conf = os.path.join(folder, "slurm.conf")
        with open(self.conf, "w") as f:
            f.write(f"""ClusterName=harktest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
AuthType=auth/munge
AuthInfo=socket={self.socket}
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/log/slurmctld.log
SlurmdLogFile={folder}/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName={host} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} State=UNKNOWN
PartitionName=main Nodes={host} Default=YES MaxTime=INFINITE State=UP
""")
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        subprocess.run(["slurmctld", "-f", self.conf], check=True, env=self.env)
        self.pids.append(pid_in(f"{folder}/slurmctld.pid"))
        subprocess.run(["slurmd", "-f", self.conf], check=True, env=self.env)
        self.pids.append(pid_in(f"{folder}/slurmd.pid"))
        for _ in range(600):
            out = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True,
                                 env=self.env).stdout
            if "idle" in out:
                return
            time.sleep(0.1)
        raise AssertionError("the node did not come up idle:\n" + self.logs())

    def logs(self):
        text = ""
        for log in glob.glob(os.path.join(self.dir, "log", "*.log")):
            with open(log) as f:
                text += f"== {log}\n" + "".join(f.readlines()[-20:])
        return text

    def sbatch(self, script, env):
        # From the cluster's folder: the jobs' slurm-*.out files are written where sbatch ran.
        p = subprocess.run(["sbatch", "--wait", "--parsable", script], capture_output=True,
                           text=True, env={**self.env, **env}, timeout=600, cwd=self.dir)
        assert p.returncode == 0, f"sbatch: {p.returncode}\n{p.stderr}\n{self.logs()}"

    def stop(self):
        for pid in reversed(self.pids):  # slurmd, slurmctld (and its slurmscriptd), munged
            stop_pid(pid)


class SlurmTest(HarkTest):
    def setUp(self):
        super().setUp()
        # Its own folder under /tmp: the test's is private (0700), and munged (user munge)
        # must reach its socket.
        folder = tempfile.mkdtemp(prefix="hark-slurm-")
        self.addCleanup(shutil.rmtree, folder, True)
        self.cluster = Cluster(folder)
        self.addCleanup(self.cluster.stop)  # runs first: the daemons, then their folder
        self.cluster.start()
        self.data = self.path("recordings")
        rng = np.random.default_rng(7)
        self.inputs = []
        for i in range(FILES):
            rel = f"site{i % 7}/day{i % 3}/rec{i:04d}.wav"
            path = os.path.join(self.data, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            soundfile.write(path, 0.1 * rng.standard_normal(800), 8000, subtype="PCM_16")
            self.inputs.append(path)
        self.script = self.path("hark.sbatch")
        with open(self.script, "w") as f:
            f.write(readme_job_script())
        self.out = self.path("spectrograms")

    def manifests(self):
        rows = []
        for m in sorted(glob.glob(os.path.join(self.out, "shard-*", "manifest.csv"))):
            with open(m, newline="") as f:
                rows += list(csv.DictReader(f))
        return rows

    def test_the_readme_job_array(self):
        env = {"DATA": self.data, "OUT": self.out,
               "PATH": os.path.dirname(os.path.abspath(HARK)) + ":" + os.environ["PATH"]}
        self.cluster.sbatch(self.script, env)
        shards = sorted(os.listdir(self.out))
        self.assertEqual(shards, [f"shard-{i}" for i in range(1, 5)])
        rows = self.manifests()
        self.assertEqual(sorted(r["input"] for r in rows), sorted(self.inputs))  # once each
        self.assertTrue(all(r["status"] == "ok" for r in rows))
        pngs = glob.glob(os.path.join(self.out, "shard-*", "**", "*.png"), recursive=True)
        self.assertEqual(len(pngs), FILES)
        stamps = {p: os.stat(p).st_mtime_ns for p in pngs}
        self.cluster.sbatch(self.script, env)  # again: --skip-existing
        rows = self.manifests()
        self.assertEqual(sorted(r["input"] for r in rows), sorted(self.inputs))
        self.assertEqual({r["status"] for r in rows}, {"skipped (outputs exist)"})
        self.assertEqual({p: os.stat(p).st_mtime_ns for p in pngs}, stamps)


if __name__ == "__main__":
    main()
