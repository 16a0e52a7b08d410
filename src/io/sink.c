#include "sink.h"

hark_err hark_sinks_add(hark_sinks *set, hark_sink *s)
{
    if (!s)
        return hark_fail(HARK_ERR_NOMEM);
    if (set->count == sizeof set->sink / sizeof set->sink[0]) {
        s->ops->destroy(s);
        return hark_error_set(HARK_ERR_TOO_LARGE, "more outputs than a run can have");
    }
    set->sink[set->count++] = s;
    return HARK_OK;
}

int hark_sinks_parallel(const hark_sinks *set)
{
    for (unsigned i = 0; i < set->count; i++)
        if (!(set->sink[i]->flags & HARK_SINK_PARALLEL))
            return 0;
    return 1;
}

hark_err hark_sinks_begin(hark_sinks *set, const hark_sink_start *start)
{
    hark_err err = HARK_OK;
    for (unsigned i = 0; i < set->count && !err; i++)
        err = set->sink[i]->ops->begin(set->sink[i], start);
    return err;
}

hark_err hark_sinks_frames(hark_sinks *set, uint64_t first, size_t n, const float *rows_db)
{
    hark_err err = HARK_OK;
    for (unsigned i = 0; i < set->count && !err; i++)
        err = set->sink[i]->ops->frames(set->sink[i], first, n, rows_db);
    return err;
}

hark_err hark_sinks_end(hark_sinks *set, const hark_sink_summary *summary)
{
    hark_err err = HARK_OK;
    for (unsigned i = 0; i < set->count && !err; i++)
        err = set->sink[i]->ops->end(set->sink[i], summary);
    return err;
}

hark_err hark_sinks_commit(hark_sinks *set)
{
    for (unsigned i = 0; i < set->count; i++) {
        hark_err err = set->sink[i]->ops->commit(set->sink[i]);
        if (err) {
            hark_sinks_abort(set);
            return err;
        }
    }
    return HARK_OK;
}

void hark_sinks_abort(hark_sinks *set)
{
    for (unsigned i = 0; i < set->count; i++)
        set->sink[i]->ops->abort(set->sink[i]);
}

void hark_sinks_destroy(hark_sinks *set)
{
    for (unsigned i = 0; i < set->count; i++)
        set->sink[i]->ops->destroy(set->sink[i]);
    set->count = 0;
}
