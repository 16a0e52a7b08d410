#include "npy_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"
#include "outfile.h"
#include "params_json.h"

/* ---- the .npy ------------------------------------------------------------------------------ */

typedef struct {
    hark_sink base;
    char *path;
    hark_npy *npy;
    unsigned rows;
    unsigned planes; /* stacked channels (0: one) */
    float *column;   /* stacked: a frame reordered to the .npy's (channel fastest) */
    uint64_t next;   /* the frame expected next */
    int published;
    char *input;     /* the file read: never replaced */
} npy_sink;

static hark_err npy_begin(hark_sink *s, const hark_sink_start *start)
{
    npy_sink *n = (npy_sink *)s;
    if (start->input && !(n->input = strdup(start->input)))
        return hark_fail(HARK_ERR_NOMEM);
    n->rows = start->params.rows;
    n->planes = start->params.stacked;
    n->next = start->params.first_frame;
    if (n->planes && !(n->column = malloc(sizeof(float) * n->planes * n->rows)))
        return hark_fail(HARK_ERR_NOMEM);
    return hark_npy_create_planes(n->path, n->planes, n->rows, &n->npy);
}

/* A stacked frame comes as the image has it, the last channel's rows first (sink.h); the
 * .npy's (channels, rows, frames) in Fortran order wants value (c, r) at c + channels * r. */
static const float *npy_column(npy_sink *n, const float *frame)
{
    if (!n->planes)
        return frame;
    const unsigned C = n->planes, R = n->rows;
    for (unsigned c = 0; c < C; c++) {
        const float *band = frame + (size_t)(C - 1 - c) * R;
        for (unsigned r = 0; r < R; r++)
            n->column[c + (size_t)C * r] = band[r];
    }
    return n->column;
}

static hark_err npy_frames(hark_sink *s, uint64_t first, size_t count, const float *rows_db)
{
    npy_sink *n = (npy_sink *)s;
    if (first != n->next)
        return hark_error_at(HARK_ERR_WRITE, n->path, "frames %llu to %llu are missing",
                             (unsigned long long)n->next, (unsigned long long)first - 1);
    for (size_t i = 0; i < count; i++) {
        size_t floats = (size_t)n->rows * (n->planes ? n->planes : 1);
        hark_err err = hark_npy_append(n->npy, npy_column(n, rows_db + i * floats));
        if (err)
            return err;
    }
    n->next += count;
    return HARK_OK;
}

static hark_err npy_end(hark_sink *s, const hark_sink_summary *summary)
{
    (void)summary;
    return hark_npy_close(((npy_sink *)s)->npy);
}

/* No output may replace the input. */
static hark_err refuse_input(const char *path, const char *input)
{
    if (input && hark_outfile_is_input(path, input))
        return hark_error_at(HARK_ERR_USAGE, path, "is the input file: choose another name");
    return HARK_OK;
}

static hark_err npy_commit(hark_sink *s)
{
    npy_sink *n = (npy_sink *)s;
    hark_err err = refuse_input(n->path, n->input);
    if (err)
        return err;
    err = hark_npy_publish(n->npy);
    n->published = !err;
    return err;
}

/* Before commit, the temporary file goes; after, what was there comes back. */
static void npy_abort(hark_sink *s)
{
    npy_sink *n = (npy_sink *)s;
    hark_npy_abort(n->npy);
    n->npy = NULL;
}

static void npy_destroy(hark_sink *s)
{
    npy_sink *n = (npy_sink *)s;
    if (!n)
        return;
    if (n->npy && n->published)
        hark_npy_settle(n->npy);
    else
        hark_npy_abort(n->npy);
    free(n->path);
    free(n->input);
    free(n->column);
    free(n);
}

static const hark_sink_ops npy_ops = {npy_begin, npy_frames, npy_end, npy_commit, npy_abort,
                                      npy_destroy};

hark_sink *hark_npy_sink_create(const char *npy_path)
{
    npy_sink *n = calloc(1, sizeof *n);
    if (!n || !(n->path = strdup(npy_path))) {
        free(n);
        return NULL;
    }
    n->base.ops = &npy_ops;
    return &n->base;
}

/* ---- the sidecar ------------------------------------------------------------------------------ */

typedef struct {
    hark_sink base;
    char *path, *npy_path;
    hark_sink_start start;
    hark_scale scale;
    hark_outfile file;
    int written;      /* closed under its temporary name, or published */
    char *input;      /* the file read: never replaced */
} sidecar_sink;

char *hark_sidecar_path(const char *npy_path)
{
    size_t len = strlen(npy_path);
    size_t stem = (len > 4 && strcmp(npy_path + len - 4, ".npy") == 0) ? len - 4 : len;
    char *path = malloc(stem + 6);
    if (path)
        snprintf(path, stem + 6, "%.*s.json", (int)stem, npy_path);
    return path;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void sidecar_json(const sidecar_sink *c, const hark_sink_summary *sum, hark_json *j)
{
    hark_params p = c->start.params;
    p.frames = sum->frames;
    hark_json_object(j, NULL);
    hark_params_members(j, &p);
    hark_json_uint(j, "samples", sum->samples);
    hark_json_uint(j, "nonfinite_samples", sum->nonfinite);
    hark_json_uint(j, "clipped_samples", sum->clipped);
    hark_json_number(j, "peak_db", sum->peak_db, 9);
    hark_json_newline(j);
    hark_json_object(j, "npy");
    hark_json_string(j, "file", base_name(c->npy_path));
    hark_json_string(j, "dtype", "float32");
    hark_json_array(j, "shape");
    if (p.stacked)
        hark_json_uint(j, NULL, p.stacked);
    hark_json_uint(j, NULL, p.rows);
    hark_json_uint(j, NULL, sum->frames);
    hark_json_end(j);
    hark_json_string(j, "row0", "lowest frequency");
    hark_json_number(j, "floor_db", p.analysis.min_db, 9);
    hark_json_end(j);
    hark_json_newline(j);
    char times[160];
    snprintf(times, sizeof times, "frame k is centred on sample k*hop: t = k*%u/%.17g",
             p.analysis.hop, p.rate_hz);
    hark_json_string(j, "frame_times_s", times);
    hark_json_newline(j);
    hark_json_array(j, "row_hz");
    for (unsigned r = 0; r < p.rows; r++)
        hark_json_fixed(j, NULL, hark_scale_freq(&c->scale, r), 6);
    hark_json_end(j);
    hark_json_end(j);
}

static hark_err sidecar_begin(hark_sink *s, const hark_sink_start *start)
{
    sidecar_sink *c = (sidecar_sink *)s;
    c->start = *start;
    c->scale = *start->scale;
    c->start.scale = &c->scale;
    c->start.input = NULL;
    if (start->input && !(c->input = strdup(start->input)))
        return hark_fail(HARK_ERR_NOMEM);
    return HARK_OK;
}

static hark_err sidecar_frames(hark_sink *s, uint64_t first, size_t n, const float *rows_db)
{
    (void)s;
    (void)first;
    (void)n;
    (void)rows_db;
    return HARK_OK;
}

static hark_err sidecar_end(hark_sink *s, const hark_sink_summary *summary)
{
    sidecar_sink *c = (sidecar_sink *)s;
    hark_json j;
    hark_json_init(&j);
    sidecar_json(c, summary, &j);
    const char *text;
    hark_err err = hark_json_text(&j, &text);
    if (!err && !(err = hark_outfile_open(&c->file, c->path))) {
        fputs(text, c->file.fp);
        fputc('\n', c->file.fp);
        if (!(err = hark_outfile_close(&c->file)))
            c->written = 1;
    }
    hark_json_free(&j);
    if (err)
        hark_error_subject(c->path);
    return err;
}

static hark_err sidecar_commit(hark_sink *s)
{
    sidecar_sink *c = (sidecar_sink *)s;
    hark_err err = refuse_input(c->path, c->input);
    if (err)
        return err;
    return c->written ? hark_outfile_publish(&c->file) : HARK_OK;
}

/* Before commit, the temporary file goes; after, what was there comes back. */
static void sidecar_abort(hark_sink *s)
{
    sidecar_sink *c = (sidecar_sink *)s;
    if (c->written)
        hark_outfile_abort(&c->file);
    c->written = 0;
}

static void sidecar_destroy(hark_sink *s)
{
    sidecar_sink *c = (sidecar_sink *)s;
    if (!c)
        return;
    if (c->written && c->file.published)
        hark_outfile_settle(&c->file);
    else if (c->written)
        hark_outfile_abort(&c->file);
    free(c->path);
    free(c->npy_path);
    free(c->input);
    free(c);
}

static const hark_sink_ops sidecar_ops = {sidecar_begin, sidecar_frames, sidecar_end,
                                          sidecar_commit, sidecar_abort, sidecar_destroy};

hark_sink *hark_sidecar_sink_create(const char *json_path, const char *npy_path)
{
    sidecar_sink *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(json_path)) || !(c->npy_path = strdup(npy_path))) {
        if (c)
            free(c->path);
        free(c);
        return NULL;
    }
    c->base.ops = &sidecar_ops;
    c->base.flags = HARK_SINK_PARALLEL; /* it takes no frames */
    return &c->base;
}
