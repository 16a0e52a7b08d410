#include "tile_sink.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "colormap.h"
#include "kernels.h"
#include "image.h"
#include "outfile.h"
#include "params_json.h"
#include "pngwrite.h"
#include "text.h"

/* The largest image held in memory (palette indices); past it, tiles are needed. */
#define MAX_TILE_BYTES ((size_t)4 << 30)
#define LABEL_FONT_PX 13u
/* A single image of unknown length starts this wide and doubles. */
#define FIRST_GUESS_FRAMES 4096u

typedef struct {
    hark_sink base;
    hark_tile_sink_config cfg;
    char *path;
    hark_sink_start start;
    hark_scale scale;
    unsigned rows;
    const hark_rgb *palette;
    hark_text *text;           /* labels */
    uint8_t *tile;             /* cap frames x rows palette indices */
    size_t cap;
    uint64_t tile_first;       /* the frame of the tile's first column */
    size_t tile_frames;        /* columns filled (in order; a single image fed in parallel
                                  learns its width at end) */
    double frames_per_tile;    /* S rate / hop, unrounded; 0: one image */
    unsigned written;          /* images written (or handed to the writer) */
    unsigned digits;           /* of the tiles' numbers */
    hark_outfile *pending;     /* written, to be published at commit (render's tiles) */
    unsigned npending, published;
    hark_outfile *retired;     /* tiles of the set replaced, beyond the new one's last */
    unsigned nretired;
    char *input;               /* the file read: never replaced */
    double start_epoch_s;      /* strips: frame 0's time */
    uint64_t dropped, dropped_at_start;
} tile_sink;

/* The name without ".png". */
static size_t stem_length(const char *path)
{
    size_t len = strlen(path);
    return (len > 4 && strcmp(path + len - 4, ".png") == 0) ? len - 4 : len;
}

char *hark_tile_path(const char *path, unsigned n, unsigned digits)
{
    size_t stem = stem_length(path);
    char *out = malloc(stem + 24);
    if (out)
        snprintf(out, stem + 24, "%.*s-%0*u.png", (int)stem, path, (int)digits, n);
    return out;
}

char *hark_tile_sink_path(const hark_sink *s, unsigned n)
{
    const tile_sink *t = (const tile_sink *)s;
    return t->frames_per_tile > 0 ? hark_tile_path(t->path, n, t->digits) : strdup(t->path);
}

/* Digits for the tiles' numbers: 4, or enough for all of them when the length is known (so
 * names sort in order), else 6. */
static unsigned tile_digits(const tile_sink *t, int64_t total_frames)
{
    if (total_frames < 0)
        return 6;
    double tiles = (double)total_frames / t->frames_per_tile + 2;
    unsigned d = 4;
    for (double limit = 1e4; tiles >= limit && d < 9; limit *= 10)
        d++;
    return d;
}

static int stopping(const tile_sink *t)
{
    return t->cfg.stop && atomic_load_explicit(t->cfg.stop, memory_order_relaxed);
}

/* ---- the tile in memory ---------------------------------------------------------------------- */

/* Not in huge pages: asked for (MADV_HUGEPAGE), a 37 MB tile took 5,000 faults instead of
 * 13,800 but the render 20 % longer, each 2 MiB page cleared at once by one thread where 4 KiB
 * pages are cleared by the threads that fill them (2026-11-30, perf stat -r 8). */
static hark_err alloc_tile(tile_sink *t, size_t frames)
{
    size_t rows = t->rows;
    if (frames > MAX_TILE_BYTES / rows)
        return hark_error_at(HARK_ERR_TOO_LARGE, t->path,
                             "the image would be %zu x %zu pixels; use --tile-seconds to split it",
                             frames, rows);
    uint8_t *tile = realloc(t->tile, frames * rows);
    if (!tile)
        return hark_error_at(HARK_ERR_NOMEM, t->path, "out of memory for a %zu x %zu image",
                             frames, rows);
    t->tile = tile;
    t->cap = frames;
    return HARK_OK;
}

/* Frames in tile number k (from 0): it ends at frame round((k+1) S rate / hop). */
static size_t tile_length(const tile_sink *t, unsigned k)
{
    double end = floor((k + 1.0) * t->frames_per_tile + 0.5);
    double start = floor(k * t->frames_per_tile + 0.5);
    return end - start < 1.0 ? 1 : end - start > 1e15 ? (size_t)1e15 : (size_t)(end - start);
}

/* The rows' palette indices (kernels.h: AVX2 where the CPU has it). */
static void quantize(const float *row_db, size_t n, float lo, float hi, uint8_t *column)
{
    hark_kernels()->quantize(row_db, n, lo, hi, column);
}

/* ---- writing a tile ---------------------------------------------------------------------------- */

/* "2026-11-24T14:05:01.234Z": when frame `frame` was centred. */
static void utc_of_frame(const tile_sink *t, uint64_t frame, char *buf, size_t size)
{
    const hark_params *p = &t->start.params;
    double s = t->start_epoch_s + (double)frame * p->analysis.hop / p->rate_hz;
    time_t whole = (time_t)floor(s);
    struct tm tm;
    gmtime_r(&whole, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%03dZ", stamp, (int)((s - (double)whole) * 1000.0));
}

/* The "hark" text of the tile now held. */
static hark_err tile_params(const tile_sink *t, hark_json *j)
{
    hark_params p = t->start.params;
    char start[40];
    p.first_frame = t->tile_first;
    p.frames = t->tile_frames;
    if (t->cfg.strips) {
        utc_of_frame(t, t->tile_first, start, sizeof start);
        p.start_utc = start;
        p.strip = t->written + 1;
        p.dropped_known = 1;
        p.dropped_before = t->dropped_at_start;
        p.dropped_by = t->dropped;
    }
    hark_params_object(j, &p);
    const char *text;
    return hark_json_text(j, &text);
}

static hark_png_deflate deflate_of(const tile_sink *t)
{
    return t->cfg.zlib ? HARK_PNG_ZLIB : HARK_PNG_HUFFMAN;
}

static hark_err write_labelled(tile_sink *t, hark_outfile *of, const hark_tile *tile,
                               const hark_png_text *texts)
{
    const hark_params *p = &t->start.params;
    char title[600];
    const hark_analysis *a = &p->analysis;
    char extra[64] = "";
    snprintf(extra, sizeof extra, "%s%s%s", a->window_size ? "   zero-padded" : "",
             a->reassign ? "   reassigned" : "", a->pcen ? "   PCEN" : "");
    snprintf(title, sizeof title, "%s   %.0f Hz   fft %u   hop %u   %s   %s%s", p->source,
             p->rate_hz, a->fft_size, a->hop, hark_window_name(a->window),
             hark_scale_name(a->scale), extra);
    hark_labels labels = {
        .title = title,
        .t0_s = (double)t->tile_first * p->analysis.hop / p->rate_hz,
        .frame_s = p->analysis.hop / p->rate_hz,
        .scale = &t->scale,
        .min_db = p->analysis.min_db,
        .max_db = p->analysis.max_db,
        .units = hark_analysis_units(&p->analysis),
        .palette = t->palette,
        .bands = p->stacked,
    };
    char names[HARK_STACK_MAX][16];
    const char *band_names[HARK_STACK_MAX];
    for (unsigned b = 0; b < p->stacked; b++) {
        char ch[12];
        int c = p->stacked_channels[b];
        snprintf(names[b], sizeof names[b], "%s%s", c >= 0 ? "ch " : "", hark_channel_name(c, ch));
        band_names[b] = names[b];
    }
    labels.band_names = band_names;
    hark_image img;
    hark_err err = hark_image_compose(tile, &labels, t->text, &img);
    if (err) {
        hark_outfile_abort(of);
        return err;
    }
    /* Where the data sits, so scripts can crop the labelled image back to the data. */
    hark_json area;
    hark_json_init(&area);
    hark_json_object(&area, NULL);
    hark_json_uint(&area, "x", img.data_x);
    hark_json_uint(&area, "y", img.data_y);
    hark_json_uint(&area, "width", tile->frames);
    hark_json_uint(&area, "height", tile->rows);
    hark_json_end(&area);
    const char *area_text;
    err = hark_json_text(&area, &area_text);
    if (!err) {
        hark_png_text all[3] = {texts[0], texts[1], {"hark-data-area", area_text}};
        err = hark_png_write_rgb(of, img.rgb, img.width, img.height, all, 3, deflate_of(t),
                                 t->cfg.stop);
    } else {
        hark_outfile_abort(of);
    }
    hark_json_free(&area);
    free(img.rgb);
    return err;
}

/* Render: write the tile now under a temporary name, to appear at commit. */
static hark_err write_now(tile_sink *t, const char *path, const char *params)
{
    hark_outfile *grown = realloc(t->pending, sizeof *grown * (t->npending + 1));
    if (!grown)
        return hark_error_at(HARK_ERR_NOMEM, path, "out of memory");
    t->pending = grown;
    hark_outfile *of = &t->pending[t->npending];
    hark_err err = hark_outfile_open(of, path);
    if (err)
        return err;
    hark_png_text texts[2] = {{"Software", "hark " HARK_VERSION}, {"hark", params}};
    hark_tile tile = {.index = t->tile, .frames = (unsigned)t->tile_frames, .rows = t->rows};
    err = t->cfg.labels ? write_labelled(t, of, &tile, texts)
                        : hark_png_write_tile(of, &tile, t->palette, texts, 2, deflate_of(t),
                                              t->cfg.stop);
    if (!err)
        t->npending++;
    return err;
}

/* Strips: the tile goes to the writer thread, which owns it from now on. */
static hark_err hand_over(tile_sink *t, const char *path, const char *params)
{
    hark_writer_tile(t->cfg.strips, path, t->tile, (unsigned)t->tile_frames, t->rows,
                     t->palette, params);
    t->tile = NULL;
    t->cap = 0;
    return HARK_OK;
}

/* Write the tile held (if it has frames) and start the next one after it. */
static hark_err flush(tile_sink *t)
{
    if (!t->tile_frames)
        return HARK_OK;
    if (stopping(t))
        return hark_error_at(HARK_ERR_INTERRUPTED, t->path, "interrupted");
    unsigned n = t->written + 1;
    char *path = hark_tile_sink_path(&t->base, n);
    hark_json params;
    hark_json_init(&params);
    hark_err err = path ? tile_params(t, &params) : hark_fail(HARK_ERR_NOMEM);
    if (!err)
        err = t->cfg.strips ? hand_over(t, path, params.text) : write_now(t, path, params.text);
    hark_json_free(&params);
    free(path);
    if (err)
        return err;
    t->written = n;
    t->tile_first += t->tile_frames;
    t->tile_frames = 0;
    t->dropped_at_start = t->dropped;
    return HARK_OK;
}

/* ---- the sink ---------------------------------------------------------------------------------- */

static hark_err tile_begin(hark_sink *s, const hark_sink_start *start)
{
    tile_sink *t = (tile_sink *)s;
    const hark_analysis *a = &start->params.analysis;
    t->start = *start;
    t->start.input = NULL;
    if (start->input && !(t->input = strdup(start->input)))
        return hark_fail(HARK_ERR_NOMEM);
    t->scale = *start->scale;
    t->start.scale = &t->scale;
    t->rows = start->params.rows * (start->params.stacked ? start->params.stacked : 1);
    t->palette = hark_colormap_table(a->colormap);
    t->tile_first = start->params.first_frame;
    if (t->start_epoch_s == 0) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        t->start_epoch_s = (double)tv.tv_sec + tv.tv_usec * 1e-6;
    }
    hark_err err;
    if (t->cfg.labels && (err = hark_text_create(LABEL_FONT_PX, &t->text)))
        return err;
    size_t first;
    if (t->cfg.tile_seconds > 0) {
        double f = t->cfg.tile_seconds * start->params.rate_hz / a->hop;
        t->frames_per_tile = f < 1e15 ? f : 1e15;
        t->digits = t->cfg.strips ? 6 : tile_digits(t, start->total_frames);
        first = tile_length(t, 0);
        /* A tile longer than the whole input needs only the input's frames. */
        if (start->total_frames >= 0 && (uint64_t)start->total_frames < first)
            first = start->total_frames > 0 ? (size_t)start->total_frames : 1;
        /* Said now, before any work: a tile is held in memory whole. */
        if ((double)(first + 1) * t->rows > (double)MAX_TILE_BYTES)
            return hark_error_at(HARK_ERR_USAGE, t->path, "a tile of %g s would be %zu x %u "
                                 "pixels, more than the %zu GiB one may hold in memory: make "
                                 "it shorter", t->cfg.tile_seconds, first + 1, t->rows,
                                 MAX_TILE_BYTES >> 30);
    } else {
        first = start->total_frames > 0 ? (size_t)start->total_frames : FIRST_GUESS_FRAMES;
        if (start->total_frames > 0)
            s->flags |= HARK_SINK_PARALLEL; /* each frame has its column already */
    }
    return alloc_tile(t, first);
}

/* One image: frames go to their own columns (from any thread, when sized in advance). */
static hark_err image_frames(tile_sink *t, uint64_t first, size_t n, const float *rows_db)
{
    const float lo = t->start.params.analysis.min_db, hi = t->start.params.analysis.max_db;
    uint64_t column = first - t->tile_first;
    if (column + n > t->cap) {
        if (t->base.flags & HARK_SINK_PARALLEL)
            return hark_error_at(HARK_ERR_READ, t->path, "more frames than the length said");
        size_t grown = t->cap * 2 > column + n ? t->cap * 2 : (size_t)(column + n);
        hark_err err = alloc_tile(t, grown);
        if (err)
            return err;
    }
    for (size_t i = 0; i < n; i++)
        quantize(rows_db + i * t->rows, t->rows, lo, hi, t->tile + (column + i) * t->rows);
    if (!(t->base.flags & HARK_SINK_PARALLEL) && column + n > t->tile_frames)
        t->tile_frames = (size_t)(column + n);
    return HARK_OK;
}

/* Tiles: in order; a full tile is written (or handed over) at once. */
static hark_err tiles_frames(tile_sink *t, uint64_t first, size_t n, const float *rows_db)
{
    const float lo = t->start.params.analysis.min_db, hi = t->start.params.analysis.max_db;
    hark_err err;
    if (first != t->tile_first + t->tile_frames) { /* a gap: what was held is a tile */
        if ((err = flush(t)))
            return err;
        t->tile_first = first;
    }
    for (size_t i = 0; i < n; i++) {
        size_t length = tile_length(t, t->written);
        if (!t->tile || t->tile_frames == t->cap) { /* a new strip, or a tile longer than
                                                       the input's length said */
            size_t want = t->tile ? t->cap * 2 : length;
            if ((err = alloc_tile(t, want < length ? want : length)))
                return err;
        }
        quantize(rows_db + i * t->rows, t->rows, lo, hi, t->tile + t->tile_frames * t->rows);
        if (++t->tile_frames == length && (err = flush(t)))
            return err;
    }
    return HARK_OK;
}

static hark_err tile_frames(hark_sink *s, uint64_t first, size_t n, const float *rows_db)
{
    tile_sink *t = (tile_sink *)s;
    return t->frames_per_tile > 0 ? tiles_frames(t, first, n, rows_db)
                                  : image_frames(t, first, n, rows_db);
}

static hark_err tile_end(hark_sink *s, const hark_sink_summary *summary)
{
    tile_sink *t = (tile_sink *)s;
    if (t->base.flags & HARK_SINK_PARALLEL)
        t->tile_frames = (size_t)(summary->frames - (t->tile_first - t->start.params.first_frame));
    return flush(t);
}

/* Is this name one of the set's tiles: "<stem>-<digits>.png"? Its number in *n. */
static int set_member(const tile_sink *t, const char *name, unsigned long *n)
{
    const char *slash = strrchr(t->path, '/');
    const char *stem = slash ? slash + 1 : t->path;
    size_t len = stem_length(t->path) - (size_t)(stem - t->path);
    if (strncmp(name, stem, len) != 0 || name[len] != '-')
        return 0;
    char *end;
    const char *digits = name + len + 1;
    if (*digits < '0' || *digits > '9')
        return 0;
    *n = strtoul(digits, &end, 10);
    return end - digits >= 4 && strcmp(end, ".png") == 0;
}

/* The earlier set's tiles beyond the new one's last go with the commit (kept aside until the
 * sinks settle, put back by an abort). */
static hark_err retire_stale(tile_sink *t)
{
    const char *slash = strrchr(t->path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - t->path) : 1, slash ? t->path : ".");
    if (slash == t->path)
        snprintf(dir, sizeof dir, "/");
    DIR *d = opendir(dir);
    if (!d)
        return HARK_OK; /* the tiles were written there: it exists; a race, then nothing stale */
    hark_err err = HARK_OK;
    struct dirent *e;
    unsigned long n;
    while (!err && (e = readdir(d))) {
        if (!set_member(t, e->d_name, &n) || n <= t->written)
            continue;
        hark_outfile *grown = realloc(t->retired, sizeof *grown * (t->nretired + 1));
        if (!grown) {
            err = hark_fail(HARK_ERR_NOMEM);
            break;
        }
        t->retired = grown;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!(err = hark_outfile_retire(&t->retired[t->nretired], path)))
            t->nretired++;
    }
    closedir(d);
    return err;
}

/* Render's images appear together; no tile may replace the input. */
static hark_err tile_commit(hark_sink *s)
{
    tile_sink *t = (tile_sink *)s;
    for (unsigned i = 0; t->input && i < t->npending; i++)
        if (hark_outfile_is_input(t->pending[i].path, t->input))
            return hark_error_at(HARK_ERR_USAGE, t->pending[i].path,
                                 "is the input file: choose another output name");
    while (t->published < t->npending) {
        hark_err err = hark_outfile_publish(&t->pending[t->published]);
        if (err)
            return err;
        t->published++;
    }
    return t->frames_per_tile > 0 && !t->cfg.strips ? retire_stale(t) : HARK_OK;
}

/* Nothing of this run is left, and what was there before is back. */
static void tile_abort(hark_sink *s)
{
    tile_sink *t = (tile_sink *)s;
    for (unsigned i = 0; i < t->nretired; i++)
        hark_outfile_abort(&t->retired[i]);
    for (unsigned i = 0; i < t->npending; i++)
        hark_outfile_abort(&t->pending[i]);
    t->npending = t->published = t->nretired = 0;
}

static void tile_destroy(hark_sink *s)
{
    tile_sink *t = (tile_sink *)s;
    if (!t)
        return;
    for (unsigned i = 0; i < t->npending; i++) {
        if (i < t->published)
            hark_outfile_settle(&t->pending[i]);
        else
            hark_outfile_abort(&t->pending[i]);
    }
    for (unsigned i = 0; i < t->nretired; i++)
        hark_outfile_settle(&t->retired[i]);
    free(t->pending);
    free(t->retired);
    hark_text_destroy(t->text);
    free(t->tile);
    free(t->path);
    free(t->input);
    free(t);
}

static const hark_sink_ops tile_ops = {tile_begin, tile_frames, tile_end,
                                       tile_commit, tile_abort, tile_destroy};

hark_sink *hark_tile_sink_create(const hark_tile_sink_config *cfg)
{
    tile_sink *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(cfg->path))) {
        free(t);
        return NULL;
    }
    t->base.ops = &tile_ops;
    t->cfg = *cfg;
    t->cfg.path = t->path;
    return &t->base;
}

hark_err hark_tile_sink_flush(hark_sink *s)
{
    return flush((tile_sink *)s);
}

void hark_tile_sink_set_start(hark_sink *s, double epoch_s)
{
    ((tile_sink *)s)->start_epoch_s = epoch_s;
}

void hark_tile_sink_set_dropped(hark_sink *s, uint64_t samples)
{
    ((tile_sink *)s)->dropped = samples;
}

unsigned hark_tile_sink_count(const hark_sink *s)
{
    return ((const tile_sink *)s)->written;
}
