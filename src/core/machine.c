/* sched_getaffinity and the CPU_* macros of a dynamic set are GNU extensions. */
#define _GNU_SOURCE
#include "machine.h"

#include <math.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 4096u
#define PATH_BYTES 4096

/* CPUs in this process's affinity mask (taskset, a Slurm or container cpuset); 0 if unknown. */
static unsigned affinity_cpus(void)
{
    cpu_set_t *set = CPU_ALLOC(MAX_CPUS);
    if (!set)
        return 0;
    size_t size = CPU_ALLOC_SIZE(MAX_CPUS);
    unsigned n = sched_getaffinity(0, size, set) == 0 ? (unsigned)CPU_COUNT_S(size, set) : 0;
    CPU_FREE(set);
    return n;
}

/* Does the comma-separated list hold name? */
static int listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == len && strncmp(p, name, len) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* The process's cgroup path for cpu (v1: the hierarchy listing "cpu"; v2: the "0::" line) from
 * /proc/self/cgroup into path; v2 says which. 0 if none. */
static int cgroup_path(int v2, char *path, size_t size)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f)
        return 0;
    char line[PATH_BYTES];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = '\0';
        found = v2 ? c1[1] == '\0' && strncmp(line, "0:", 2) == 0 : listed(c1 + 1, "cpu");
        if (found)
            snprintf(path, size, "%s", c2 + 1);
    }
    fclose(f);
    return found;
}

/* Where that hierarchy is mounted, and the cgroup path its mount shows as its root, from
 * /proc/self/mountinfo ("id parent major:minor root mountpoint opts ... - fstype source
 * superopts"). 0 if it is not mounted here. */
static int cgroup_mount(int v2, char *mount, size_t msize, char *root, size_t rsize)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f)
        return 0;
    char line[PATH_BYTES], r[PATH_BYTES], m[PATH_BYTES], type[64], super[PATH_BYTES];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", r, m) != 2 ||
            sscanf(dash + 3, "%63s %*s %4095s", type, super) != 2)
            continue;
        found = v2 ? strcmp(type, "cgroup2") == 0
                   : strcmp(type, "cgroup") == 0 && listed(super, "cpu");
        if (found) {
            snprintf(mount, msize, "%s", m);
            snprintf(root, rsize, "%s", r);
        }
    }
    fclose(f);
    return found;
}

/* The CPU quota set in folder (cgroup v2 cpu.max "QUOTA PERIOD" or "max PERIOD"; v1
 * cpu.cfs_quota_us, -1 for none, and cpu.cfs_period_us), as CPUs; 0 for none. */
static double quota_in(int v2, const char *folder)
{
    char path[2 * PATH_BYTES + 64];
    long long quota = -1, period = 0;
    if (v2) {
        snprintf(path, sizeof path, "%s/cpu.max", folder);
        FILE *f = fopen(path, "r");
        if (!f)
            return 0;
        char q[32];
        if (fscanf(f, "%31s %lld", q, &period) == 2 && strcmp(q, "max") != 0)
            quota = atoll(q);
        fclose(f);
    } else {
        snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", folder);
        FILE *f = fopen(path, "r");
        if (!f)
            return 0;
        if (fscanf(f, "%lld", &quota) != 1)
            quota = -1;
        fclose(f);
        snprintf(path, sizeof path, "%s/cpu.cfs_period_us", folder);
        if ((f = fopen(path, "r"))) {
            if (fscanf(f, "%lld", &period) != 1)
                period = 0;
            fclose(f);
        }
    }
    return quota > 0 && period > 0 ? (double)quota / (double)period : 0;
}

/* The smallest CPU quota on the process's cgroup and its ancestors in one hierarchy; 0: none. */
static double hierarchy_quota(int v2)
{
    char rel[PATH_BYTES], mount[PATH_BYTES], root[PATH_BYTES], folder[2 * PATH_BYTES + 2];
    if (!cgroup_path(v2, rel, sizeof rel) || !cgroup_mount(v2, mount, sizeof mount, root, sizeof root))
        return 0;
    const char *below = rel; /* the path under the mount's root (a container sees its own) */
    size_t rlen = strlen(root);
    if (strcmp(root, "/") != 0 && strncmp(rel, root, rlen) == 0)
        below = rel + rlen;
    snprintf(folder, sizeof folder, "%s%s", mount, below);
    size_t floor_len = strlen(mount);
    double least = 0;
    for (;;) {
        double q = quota_in(v2, folder);
        if (q > 0 && (least == 0 || q < least))
            least = q;
        char *slash = strrchr(folder, '/');
        if (!slash || (size_t)(slash - folder) < floor_len)
            break;
        *slash = '\0';
    }
    return least;
}

/* Online CPUs narrowed by an affinity count (0: unknown) and a quota in CPUs (0: none). */
static unsigned cpu_limit(unsigned online, unsigned affinity, double quota)
{
    unsigned n = online ? online : 1;
    if (affinity && affinity < n)
        n = affinity;
    if (quota > 0 && quota < n)
        n = (unsigned)ceil(quota);
    return n < 1 ? 1 : n > MAX_CPUS ? MAX_CPUS : n;
}

unsigned hark_cpu_count(void)
{
    static atomic_uint cached;
    unsigned n = atomic_load_explicit(&cached, memory_order_relaxed);
    if (n)
        return n;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    double v1 = hierarchy_quota(0), v2 = hierarchy_quota(1);
    double quota = v1 > 0 && (v2 <= 0 || v1 < v2) ? v1 : v2;
    n = cpu_limit(online > 0 ? (unsigned)(online < MAX_CPUS ? online : MAX_CPUS) : 1,
                       affinity_cpus(), quota);
    atomic_store_explicit(&cached, n, memory_order_relaxed); /* every caller gets the same */
    return n;
}

double hark_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
