#include "split_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npy_sink.h"
#include "tile_sink.h"

typedef struct {
    hark_sinks set;
    char *paths[3];          /* image, .npy, sidecar */
} part;

typedef struct {
    hark_sink base;
    hark_split_sink_config cfg;
    char *image, *raw;       /* the names the parts are named after */
    unsigned channels, rows;
    part parts[HARK_STACK_MAX];
} split_sink;

char *hark_split_path(const char *path, const char *tag)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dot = strrchr(name, '.');
    size_t stem = dot && dot != name ? (size_t)(dot - path) : strlen(path);
    size_t size = strlen(path) + strlen(tag) + 2;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%.*s-%s%s", (int)stem, path, tag, path + stem);
    return out;
}

const char *hark_split_tag(int channel, char *buf)
{
    char name[12];
    snprintf(buf, 16, "%s%s", channel >= 0 ? "ch" : "", hark_channel_name(channel, name));
    return buf;
}

/* The outputs of one channel, named with its tag. */
static hark_err make_part(split_sink *t, part *pt, int channel)
{
    char tag[16];
    hark_split_tag(channel, tag);
    hark_err err = HARK_OK;
    if (t->image) {
        if (!(pt->paths[0] = hark_split_path(t->image, tag)))
            return hark_fail(HARK_ERR_NOMEM);
        hark_tile_sink_config tc = {.path = pt->paths[0], .tile_seconds = t->cfg.tile_seconds,
                                    .labels = t->cfg.labels, .zlib = t->cfg.zlib,
                                    .stop = t->cfg.stop};
        err = hark_sinks_add(&pt->set, hark_tile_sink_create(&tc));
    }
    if (!err && t->raw) {
        if (!(pt->paths[1] = hark_split_path(t->raw, tag)) ||
            !(pt->paths[2] = hark_sidecar_path(pt->paths[1])))
            return hark_fail(HARK_ERR_NOMEM);
        if (!(err = hark_sinks_add(&pt->set, hark_npy_sink_create(pt->paths[1]))))
            err = hark_sinks_add(&pt->set, hark_sidecar_sink_create(pt->paths[2], pt->paths[1]));
    }
    return err;
}

static hark_err split_begin(hark_sink *s, const hark_sink_start *start)
{
    split_sink *t = (split_sink *)s;
    const hark_params *p = &start->params;
    t->channels = p->stacked ? p->stacked : 1;
    t->rows = p->rows;
    s->flags = HARK_SINK_PARALLEL;
    for (unsigned c = 0; c < t->channels; c++) {
        int channel = p->stacked ? p->stacked_channels[c] : p->analysis.channel;
        hark_sink_start one = *start;
        one.params.stacked = 0;
        one.params.analysis.stack = 0;
        one.params.analysis.channel = channel;
        hark_err err = make_part(t, &t->parts[c], channel);
        if (!err)
            err = hark_sinks_begin(&t->parts[c].set, &one);
        if (err)
            return err;
        if (!hark_sinks_parallel(&t->parts[c].set))
            s->flags = 0;
    }
    return HARK_OK;
}

/* Channel c's band of a stacked frame: the last channel's rows come first (sink.h). */
static hark_err split_frames(hark_sink *s, uint64_t first, size_t n, const float *rows_db)
{
    split_sink *t = (split_sink *)s;
    const size_t frame = (size_t)t->channels * t->rows;
    for (size_t i = 0; i < n; i++)
        for (unsigned c = 0; c < t->channels; c++) {
            const float *band = rows_db + i * frame + (size_t)(t->channels - 1 - c) * t->rows;
            hark_err err = hark_sinks_frames(&t->parts[c].set, first + i, 1, band);
            if (err)
                return err;
        }
    return HARK_OK;
}

static hark_err split_end(hark_sink *s, const hark_sink_summary *summary)
{
    split_sink *t = (split_sink *)s;
    for (unsigned c = 0; c < t->channels; c++) {
        hark_err err = hark_sinks_end(&t->parts[c].set, summary);
        if (err)
            return err;
    }
    return HARK_OK;
}

static void split_abort(hark_sink *s)
{
    split_sink *t = (split_sink *)s;
    for (unsigned c = 0; c < t->channels; c++)
        hark_sinks_abort(&t->parts[c].set);
}

/* Every channel's outputs, or (one failing) none: those committed are rolled back. */
static hark_err split_commit(hark_sink *s)
{
    split_sink *t = (split_sink *)s;
    for (unsigned c = 0; c < t->channels; c++) {
        hark_err err = hark_sinks_commit(&t->parts[c].set);
        if (err) {
            split_abort(s);
            return err;
        }
    }
    return HARK_OK;
}

static void split_destroy(hark_sink *s)
{
    split_sink *t = (split_sink *)s;
    if (!t)
        return;
    for (unsigned c = 0; c < HARK_STACK_MAX; c++) {
        hark_sinks_destroy(&t->parts[c].set);
        for (int k = 0; k < 3; k++)
            free(t->parts[c].paths[k]);
    }
    free(t->image);
    free(t->raw);
    free(t);
}

static const hark_sink_ops split_ops = {split_begin, split_frames, split_end, split_commit,
                                        split_abort, split_destroy};

hark_sink *hark_split_sink_create(const hark_split_sink_config *cfg)
{
    split_sink *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->base.ops = &split_ops;
    t->cfg = *cfg;
    t->image = cfg->image ? strdup(cfg->image) : NULL;
    t->raw = cfg->raw ? strdup(cfg->raw) : NULL;
    if ((cfg->image && !t->image) || (cfg->raw && !t->raw)) {
        split_destroy(&t->base);
        return NULL;
    }
    return &t->base;
}

unsigned hark_split_sink_channels(const hark_sink *s) { return ((const split_sink *)s)->channels; }

const char *hark_split_sink_path(const hark_sink *s, unsigned c, int which)
{
    const split_sink *t = (const split_sink *)s;
    return c < t->channels ? t->parts[c].paths[which ? 1 : 0] : NULL;
}
