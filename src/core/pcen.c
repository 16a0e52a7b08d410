#include "pcen.h"

#include <math.h>
#include <stdlib.h>

struct hark_pcen {
    hark_pcen_params p;
    double b, bias_pow;
    unsigned bins;
    int started;
    double m[];
};

void hark_pcen_defaults(hark_pcen_params *p)
{
    *p = (hark_pcen_params){.gain = 0.98, .bias = 2.0, .power = 0.5, .time_s = 0.4, .eps = 1e-6};
}

double hark_pcen_coefficient(const hark_pcen_params *p, double rate_hz, unsigned hop)
{
    double t = p->time_s * rate_hz / hop;
    return (sqrt(1.0 + 4.0 * t * t) - 1.0) / (2.0 * t * t);
}

uint64_t hark_pcen_warmup_frames(const hark_pcen_params *p, double rate_hz, unsigned hop)
{
    return (uint64_t)ceil(100.0 / hark_pcen_coefficient(p, rate_hz, hop));
}

hark_err hark_pcen_create(const hark_pcen_params *p, double rate_hz, unsigned hop,
                          unsigned bins, hark_pcen **out)
{
    *out = NULL;
    hark_pcen *c = calloc(1, sizeof *c + sizeof(double) * bins);
    if (!c)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for PCEN");
    c->p = *p;
    c->b = hark_pcen_coefficient(p, rate_hz, hop);
    c->bias_pow = pow(p->bias, p->power);
    c->bins = bins;
    *out = c;
    return HARK_OK;
}

void hark_pcen_destroy(hark_pcen *p) { free(p); }

void hark_pcen_reset(hark_pcen *p) { p->started = 0; }

/* The smoother (double, so split threads meet), then the rest in float: powf and sqrtf are
 * a few times cheaper than their double forms, and float keeps about 1e-7 of the value. */
void hark_pcen_process(hark_pcen *c, const float *power, float *out)
{
    const double b = c->b, a = 1.0 - b;
    const float gain = (float)-c->p.gain, eps = (float)c->p.eps, bias = (float)c->p.bias;
    const float pw = (float)c->p.power, bias_pow = (float)c->bias_pow;
    const int root = c->p.power == 0.5;
    for (unsigned k = 0; k < c->bins; k++) {
        float e = sqrtf(power[k]);
        c->m[k] = c->started ? a * c->m[k] + b * e : e;
        float v = e * powf(eps + (float)c->m[k], gain) + bias;
        float p = (root ? sqrtf(v) : powf(v, pw)) - bias_pow;
        out[k] = p > 0.0f ? p : 0.0f; /* an ulp below 0 when E is 0 */
    }
    c->started = 1;
}
