#ifndef HARK_MACHINE_H
#define HARK_MACHINE_H
/* What the machine offers: its CPUs, asked once (glibc's sysconf reads /sys for the count on
 * every call, and a batch asked it for every image), and its monotonic clock. Thread: any. */

/* Online CPUs, at least 1; read on the first call and kept. */
unsigned hark_cpu_count(void);

/* CLOCK_MONOTONIC in seconds. Any thread, the audio callback too (vDSO, no lock). */
double hark_now_s(void);

#endif
