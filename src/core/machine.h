#ifndef HARK_MACHINE_H
#define HARK_MACHINE_H
/* What the machine offers, asked once: glibc's sysconf reads /sys for the CPU count on every
 * call, and a batch asked it for every image. Thread: any. */

/* Online CPUs, at least 1; read on the first call and kept. */
unsigned hark_cpu_count(void);

#endif
