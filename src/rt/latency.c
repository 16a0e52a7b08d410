#include "latency.h"

#include <string.h>

void hark_latency_init(hark_latency *l)
{
    memset(l, 0, sizeof *l);
}

void hark_latency_add_stamp(hark_latency *l, hark_stamp stamp)
{
    l->recent[l->stamps % HARK_LATENCY_STAMPS] = stamp;
    l->stamps++;
}

int hark_latency_sample_time(const hark_latency *l, uint64_t s, double rate_hz, double *adc_time)
{
    size_t kept = l->stamps < HARK_LATENCY_STAMPS ? l->stamps : HARK_LATENCY_STAMPS;
    for (size_t i = 0; i < kept; i++) { /* newest first */
        const hark_stamp *st = &l->recent[(l->stamps - 1 - i) % HARK_LATENCY_STAMPS];
        if (st->first_sample <= s) {
            *adc_time = st->adc_time + (double)(s - st->first_sample) / rate_hz;
            return 1;
        }
    }
    return 0;
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
