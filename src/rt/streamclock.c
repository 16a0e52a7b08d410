#include "streamclock.h"

#include <math.h>

void hark_streamclock_init(hark_streamclock *c, double rate_hz, double file_rate_hz)
{
    c->rate_hz = rate_hz;
    c->file_rate_hz = file_rate_hz;
    c->loop_from_s = c->loop_to_s = 0;
    hark_streamclock_reset(c);
}

void hark_streamclock_reset(hark_streamclock *c)
{
    c->nstamps = 0;
    c->nsegments = 0;
}

void hark_streamclock_add_stamp(hark_streamclock *c, hark_stamp s)
{
    c->stamps[c->nstamps++ % HARK_STREAMCLOCK_STAMPS] = s;
}

void hark_streamclock_add_segment(hark_streamclock *c, hark_segment s)
{
    c->segments[c->nsegments++ % HARK_STREAMCLOCK_SEGMENTS] = s;
}

static const hark_stamp *stamp_back(const hark_streamclock *c, size_t back)
{
    return &c->stamps[(c->nstamps - 1 - back) % HARK_STREAMCLOCK_STAMPS];
}

uint64_t hark_streamclock_gap(const hark_streamclock *c, hark_stamp s)
{
    if (c->nstamps == 0)
        return 0;
    const hark_stamp *last = stamp_back(c, 0);
    /* From the newest stamp's own start, by stream index: stamps lost between the two (a full
     * stamp ring while the main thread was busy) are not a gap. */
    double late = s.time - (last->time + (double)(s.first - last->first) / c->rate_hz);
    return late > HARK_STREAMCLOCK_GAP_S ? (uint64_t)llround(late * c->rate_hz) : 0;
}

static size_t kept(size_t added, size_t cap)
{
    return added < cap ? added : cap;
}

int hark_streamclock_heard(const hark_streamclock *c, double t, double *pos)
{
    size_t n = kept(c->nstamps, HARK_STREAMCLOCK_STAMPS);
    for (size_t back = 0; back < n; back++) {
        const hark_stamp *s = stamp_back(c, back);
        if (s->time > t)
            continue;
        double into = (t - s->time) * c->rate_hz;
        *pos = (double)s->first + (into < s->frames ? into : (double)s->frames);
        return 1;
    }
    return 0;
}

int hark_streamclock_time(const hark_streamclock *c, uint64_t sample, double *t)
{
    size_t n = kept(c->nstamps, HARK_STREAMCLOCK_STAMPS);
    for (size_t back = 0; back < n; back++) {
        const hark_stamp *s = stamp_back(c, back);
        if (sample >= s->first + s->frames) /* newer than anything handed over, or in a gap */
            return back == 0 ? 0 : -1;      /* of lost stamps (then: as good as heard) */
        if (sample >= s->first) {
            *t = s->time + (double)(sample - s->first) / c->rate_hz;
            return 1;
        }
    }
    return n > 0 ? -1 : 0;
}

double hark_streamclock_file_seconds(const hark_streamclock *c, double pos)
{
    size_t n = kept(c->nsegments, HARK_STREAMCLOCK_SEGMENTS);
    for (size_t back = 0; back < n; back++) {
        const hark_segment *g = &c->segments[(c->nsegments - 1 - back) % HARK_STREAMCLOCK_SEGMENTS];
        if (pos >= (double)g->stream_first) {
            double speed = g->speed > 0 ? g->speed : 1.0;
            double s = (double)g->file_frame / c->file_rate_hz +
                       (pos - (double)g->stream_first) / c->rate_hz * speed;
            double from = c->loop_from_s, span = c->loop_to_s - from;
            return c->loop_to_s > 0 && s >= c->loop_to_s ? from + fmod(s - from, span) : s;
        }
    }
    return 0.0;
}

void hark_streamclock_set_loop(hark_streamclock *c, double from, double to)
{
    c->loop_from_s = from;
    c->loop_to_s = to > from ? to : 0;
}
