#include "machine.h"

#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

unsigned hark_cpu_count(void)
{
    static atomic_uint cached;
    unsigned n = atomic_load_explicit(&cached, memory_order_relaxed);
    if (n)
        return n;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    n = cpus > 1 ? (unsigned)(cpus < 4096 ? cpus : 4096) : 1;
    atomic_store_explicit(&cached, n, memory_order_relaxed); /* every caller gets the same */
    return n;
}

double hark_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
