#include "latency.h"

#include <string.h>

void hark_latency_init(hark_latency *l)
{
    memset(l, 0, sizeof *l);
}

void hark_latency_record(hark_latency *l, double seconds)
{
    double bin = seconds * 10000.0;
    size_t b = bin <= 0 ? 0 : bin >= HARK_LATENCY_BINS - 1 ? HARK_LATENCY_BINS - 1 : (size_t)bin;
    l->histogram[b]++;
    l->count++;
}

double hark_latency_quantile(const hark_latency *l, double q)
{
    if (!l->count)
        return 0.0;
    uint64_t want = (uint64_t)(q * (double)(l->count - 1)) + 1, seen = 0;
    for (size_t b = 0; b < HARK_LATENCY_BINS; b++) {
        seen += l->histogram[b];
        if (seen >= want)
            return (b + 0.5) / 10000.0;
    }
    return (HARK_LATENCY_BINS - 0.5) / 10000.0;
}
