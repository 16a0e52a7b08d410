#ifndef HARK_MACHINE_H
#define HARK_MACHINE_H
/* What the machine offers this process: the CPUs it may use, asked once (glibc's sysconf reads
 * /sys for the count on every call, and a batch asked it for every image), and its monotonic
 * clock. Thread: any. */

/* The CPUs hark's threads follow, at least 1, read on the first call and kept: the online CPUs,
 * no more than the process's affinity mask holds (taskset, a Slurm allocation's or a
 * container's cpuset), and no more than the CPU quota of its cgroup or of an ancestor (cgroup
 * v2 cpu.max, v1 cpu.cfs_quota_us over cpu.cfs_period_us; a quota of 1.5 CPUs allows 2). */
unsigned hark_cpu_count(void);

/* CLOCK_MONOTONIC in seconds. Any thread, the audio callback too (vDSO, no lock). */
double hark_now_s(void);

#endif
