#include "waterfall.h"

#include <stdlib.h>
#include <string.h>

#include "shaders.h"

/* Rows the GPU holds (the history texture's height): more than any screen shows at one per
 * pixel. The history itself (hark_waterfall_create's `kept` rows) is on the CPU. */
#define HISTORY_ROWS 4096u
/* Time zoom: 2^exp frames a line, from 8 lines a frame to 64 frames a line. */
#define ZOOM_EXP_MIN (-3)
#define ZOOM_EXP_MAX 6
/* The kernels' weights texture: this many texels a row. */
#define WEIGHTS_WIDTH 4096u
/* dB written where nothing has been measured yet: below any range, so it takes colour 0. */
#define EMPTY_DB -1000.0f

struct hark_waterfall {
    unsigned bins;
    GLuint colour_prog, scroll_prog;
    GLuint history_tex, palette_tex, taps_tex, weights_tex, coloured_tex, coloured_fbo;
    hark_gl_quad unit_quad;
    float *store;              /* the history: `kept` rows, frame f at f % kept */
    size_t kept;
    float *staging;            /* rows on their way to the GPU (HISTORY_ROWS of them) */
    float *staging_row;        /* a composed line, for the readout */
    uint64_t frames;           /* pushed since the last clear */
    unsigned newest_row;       /* where the newest went in the history texture */
    /* What is shown: following the newest frame at a frame a line (live: the texture is a
     * ring of the newest rows, coloured as they come), or else (anchored, or zoomed in time)
     * `lines` lines composed from the store up to view_end, at 2^zoom_exp frames a line. */
    int anchored, zoom_exp;
    uint64_t view_end;         /* anchored: the frame on the newest line */
    int gpu_stale;             /* live: the texture's ring must be uploaded again */
    int composed_valid;        /* else: the texture holds the composed lines */
    hark_scale_map map;        /* a tap per pixel along the frequency axis */
    float floor_db;            /* the rows' floor (kernels: no power at or below it) */
    int not_db;                /* the rows are PCEN values */
    unsigned freq_px, lines;   /* the coloured circle: freq_px x lines, frame k on line k % lines */
    uint64_t frames_coloured;  /* frames before this are in it, all of them only while valid */
    int coloured_valid;
    float min_db, max_db;
};

/* The texture's rows, all "nothing measured" (colour 0). */
static void fill_texture_empty(hark_waterfall *w)
{
    size_t n = (size_t)w->bins * HISTORY_ROWS;
    for (size_t i = 0; i < n; i++)
        w->staging[i] = EMPTY_DB;
    glBindTexture(GL_TEXTURE_2D, w->history_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, (GLsizei)w->bins, HISTORY_ROWS, 0, GL_RED, GL_FLOAT,
                 w->staging);
}

static hark_err make_history(hark_waterfall *w)
{
    w->store = malloc(sizeof(float) * (size_t)w->bins * w->kept); /* filled as rows come */
    w->staging = malloc(sizeof(float) * (size_t)w->bins * HISTORY_ROWS);
    w->staging_row = malloc(sizeof(float) * w->bins);
    if (!w->store || !w->staging || !w->staging_row)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for %zu rows of waterfall history "
                              "(%.0f MB): use a shorter --history", w->kept,
                              (double)w->bins * (double)w->kept * sizeof(float) / 1e6);
    glGenTextures(1, &w->history_tex);
    glBindTexture(GL_TEXTURE_2D, w->history_tex);
    hark_gl_texture_params(GL_NEAREST); /* read texel by texel (texelFetch) */
    fill_texture_empty(w);
    return glGetError() == GL_NO_ERROR
               ? HARK_OK
               : hark_error_set(HARK_ERR_DISPLAY, "the GL cannot hold a %u x %u float texture",
                                w->bins, HISTORY_ROWS);
}

hark_err hark_waterfall_create(unsigned bins, size_t kept, hark_waterfall **out)
{
    *out = NULL;
    hark_waterfall *w = calloc(1, sizeof *w);
    if (!w)
        return hark_fail(HARK_ERR_NOMEM);
    w->bins = bins;
    w->kept = kept > HISTORY_ROWS ? kept : HISTORY_ROWS;
    w->newest_row = HISTORY_ROWS - 1;
    w->min_db = w->floor_db = -120.0f;
    hark_err err;
    if ((err = hark_gl_program("waterfall", hark_asset_waterfall_vert, hark_asset_waterfall_frag,
                               &w->colour_prog)) ||
        (err = hark_gl_program("scroll", hark_asset_waterfall_vert, hark_asset_scroll_frag,
                               &w->scroll_prog))) {
        hark_waterfall_destroy(w);
        return err;
    }
    hark_gl_quad_create(&w->unit_quad);
    hark_gl_quad_place(&w->unit_quad, -1, -1, 1, 1);
    GLuint *tex[] = {&w->palette_tex, &w->taps_tex, &w->weights_tex, &w->coloured_tex};
    for (int i = 0; i < 4; i++) {
        glGenTextures(1, tex[i]);
        glBindTexture(GL_TEXTURE_2D, *tex[i]);
        hark_gl_texture_params(GL_NEAREST);
    }
    glGenFramebuffers(1, &w->coloured_fbo);
    if ((err = make_history(w))) {
        hark_waterfall_destroy(w);
        return err;
    }
    *out = w;
    return HARK_OK;
}

void hark_waterfall_destroy(hark_waterfall *w)
{
    if (!w)
        return;
    GLuint tex[5] = {w->history_tex, w->palette_tex, w->taps_tex, w->weights_tex,
                     w->coloured_tex};
    glDeleteTextures(5, tex);
    glDeleteFramebuffers(1, &w->coloured_fbo);
    glDeleteProgram(w->colour_prog);
    glDeleteProgram(w->scroll_prog);
    if (w->unit_quad.vao)
        hark_gl_quad_destroy(&w->unit_quad);
    free(w->store);
    free(w->staging);
    free(w->staging_row);
    hark_scale_map_free(&w->map);
    free(w);
}

/* ---- the look: taps, palette, range ------------------------------------------------------------ */

/* The kernels' weights (cqt), WEIGHTS_WIDTH to a texture row; one texel when none. */
static hark_err upload_weights(hark_waterfall *w)
{
    size_t n = 0;
    for (unsigned j = 0; j < w->freq_px; j++)
        if (w->map.taps[j].kernel >= 0)
            n = (size_t)w->map.taps[j].kernel + w->map.taps[j].count;
    size_t rows = n ? (n + WEIGHTS_WIDTH - 1) / WEIGHTS_WIDTH : 1;
    float *texels = calloc(rows * WEIGHTS_WIDTH, sizeof(float));
    if (!texels)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for the frequency axis");
    if (n)
        memcpy(texels, w->map.weights, sizeof(float) * n);
    glBindTexture(GL_TEXTURE_2D, w->weights_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, WEIGHTS_WIDTH, (GLsizei)rows, 0, GL_RED, GL_FLOAT,
                 texels);
    free(texels);
    return glGetError() == GL_NO_ERROR
               ? HARK_OK
               : hark_error_set(HARK_ERR_DISPLAY, "the GL cannot hold the cqt kernels");
}

/* Each pixel's tap, as a texel: first bin, bin count, fraction, kernel offset (exact in
 * float below 2^24). */
static hark_err upload_taps(hark_waterfall *w, const hark_scale *scale)
{
    hark_scale_map_free(&w->map);
    hark_err err = hark_scale_map_make(scale, w->floor_db, &w->map);
    if (err)
        return err;
    w->map.not_db = w->not_db;
    float *texels = malloc(sizeof(float) * 4 * w->freq_px);
    if (!texels)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for the frequency axis");
    for (unsigned j = 0; j < w->freq_px; j++) {
        const hark_scale_tap *t = &w->map.taps[j];
        texels[4 * j] = (float)t->first;
        texels[4 * j + 1] = (float)t->count;
        texels[4 * j + 2] = t->frac;
        texels[4 * j + 3] = (float)t->kernel;
    }
    glBindTexture(GL_TEXTURE_2D, w->taps_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, (GLsizei)w->freq_px, 1, 0, GL_RGBA, GL_FLOAT,
                 texels);
    free(texels);
    w->coloured_valid = w->composed_valid = 0;
    return upload_weights(w);
}

void hark_waterfall_set_units(hark_waterfall *w, float floor_db, int not_db)
{
    w->floor_db = floor_db;
    w->not_db = not_db;
    w->map.floor_db = floor_db;
    w->map.not_db = not_db;
    hark_waterfall_clear(w);
}

hark_err hark_waterfall_set_scale(hark_waterfall *w, const hark_scale *scale)
{
    return upload_taps(w, scale);
}

void hark_waterfall_set_look(hark_waterfall *w, hark_colormap_kind map, float min_db,
                             float max_db)
{
    glBindTexture(GL_TEXTURE_2D, w->palette_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, 256, 1, 0, GL_RGB, GL_UNSIGNED_BYTE,
                 hark_colormap_table(map));
    w->min_db = min_db;
    w->max_db = max_db;
    w->coloured_valid = w->composed_valid = 0;
}

hark_err hark_waterfall_layout(hark_waterfall *w, unsigned freq_px, unsigned time_px,
                               const hark_scale *scale)
{
    w->freq_px = freq_px;
    w->lines = time_px < HISTORY_ROWS ? time_px : HISTORY_ROWS;
    w->composed_valid = 0;
    hark_err err = upload_taps(w, scale);
    if (err)
        return err;
    glBindTexture(GL_TEXTURE_2D, w->coloured_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, (GLsizei)w->freq_px, (GLsizei)w->lines, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, NULL);
    glBindFramebuffer(GL_FRAMEBUFFER, w->coloured_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, w->coloured_tex, 0);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return status == GL_FRAMEBUFFER_COMPLETE && glGetError() == GL_NO_ERROR
               ? HARK_OK
               : hark_error_set(HARK_ERR_DISPLAY, "the GL cannot draw into a %u x %u texture",
                                w->freq_px, w->lines);
}

/* ---- rows ------------------------------------------------------------------------------------ */

static const float *stored(const hark_waterfall *w, uint64_t frame)
{
    return w->store + (size_t)(frame % w->kept) * w->bins;
}

/* Following the newest frame at a frame a line: the texture is the ring of the newest rows. */
static int live(const hark_waterfall *w)
{
    return !w->anchored && w->zoom_exp == 0;
}

void hark_waterfall_push(hark_waterfall *w, const float *db)
{
    memcpy(w->store + (size_t)(w->frames % w->kept) * w->bins, db, sizeof(float) * w->bins);
    w->frames++;
    w->newest_row = (w->newest_row + 1) % HISTORY_ROWS;
    if (!live(w)) {
        w->gpu_stale = 1;
        w->composed_valid &= w->anchored; /* zoomed and following: the lines move */
        return;
    }
    glBindTexture(GL_TEXTURE_2D, w->history_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, (GLint)w->newest_row, (GLsizei)w->bins, 1, GL_RED,
                    GL_FLOAT, db);
}

void hark_waterfall_clear(hark_waterfall *w)
{
    fill_texture_empty(w);
    w->frames = w->frames_coloured = 0;
    w->newest_row = HISTORY_ROWS - 1;
    w->coloured_valid = w->composed_valid = 0;
    w->gpu_stale = 0;
    w->anchored = 0;
}

unsigned hark_waterfall_lines(const hark_waterfall *w) { return w->lines; }

/* ---- the view: anchored, scrolled, zoomed in time ----------------------------------------------- */

static uint64_t oldest(const hark_waterfall *w)
{
    return w->frames > w->kept ? w->frames - w->kept : 0;
}

/* The frame on the newest line. */
static uint64_t view_end(const hark_waterfall *w)
{
    return w->anchored ? w->view_end : (w->frames ? w->frames - 1 : 0);
}

/* The frames line `line` (from the newest edge) shows: [*first, *first + *n), none (0) past
 * the history. */
static int line_frames(const hark_waterfall *w, unsigned line, uint64_t *first, unsigned *n)
{
    uint64_t end = view_end(w) + 1; /* one past the newest */
    if (w->frames == 0)
        return 0;
    uint64_t back, count;
    if (w->zoom_exp >= 0) {
        count = 1u << w->zoom_exp;
        back = (uint64_t)(line + 1) * count;
    } else {
        count = 1;
        back = (uint64_t)(line >> -w->zoom_exp) + 1;
    }
    if (back > end || end - back + count <= oldest(w))
        return 0;
    uint64_t from = end - back;
    if (from < oldest(w)) { /* the oldest line: what is left of it */
        count -= oldest(w) - from;
        from = oldest(w);
    }
    *first = from;
    *n = (unsigned)count;
    return 1;
}

/* A line's row: the maximum of its frames, bin by bin (a tone, a click keep their level). */
static int compose_line(const hark_waterfall *w, unsigned line, float *row)
{
    uint64_t first;
    unsigned n;
    if (!line_frames(w, line, &first, &n))
        return 0;
    memcpy(row, stored(w, first), sizeof(float) * w->bins);
    for (unsigned k = 1; k < n; k++) {
        const float *r = stored(w, first + k);
        for (unsigned b = 0; b < w->bins; b++)
            row[b] = r[b] > row[b] ? r[b] : row[b];
    }
    return 1;
}

void hark_waterfall_anchor(hark_waterfall *w, int anchored)
{
    if (anchored && !w->anchored)
        w->view_end = w->frames ? w->frames - 1 : 0;
    if (anchored != w->anchored)
        w->composed_valid = 0;
    w->anchored = anchored;
}

int hark_waterfall_scroll(hark_waterfall *w, double lines)
{
    if (!w->frames)
        return 0;
    if (!w->anchored)
        hark_waterfall_anchor(w, 1);
    double frames = lines * (w->zoom_exp >= 0 ? (double)(1u << w->zoom_exp)
                                              : 1.0 / (double)(1u << -w->zoom_exp));
    double end = (double)w->view_end - frames;
    /* Not past the newest frame, nor so far back that the oldest kept frame leaves the far
     * edge: a history shorter than the screen does not scroll. */
    double high = (double)(w->frames - 1);
    double low = (double)oldest(w) + w->lines * hark_waterfall_frames_per_line(w) - 1;
    low = low > high ? high : low;
    end = end < low ? low : end > high ? high : end;
    uint64_t was = w->view_end;
    w->view_end = (uint64_t)llround(end);
    w->composed_valid &= was == w->view_end;
    return was != w->view_end;
}

int hark_waterfall_zoom_time(hark_waterfall *w, int steps)
{
    int e = w->zoom_exp + steps;
    e = e < ZOOM_EXP_MIN ? ZOOM_EXP_MIN : e > ZOOM_EXP_MAX ? ZOOM_EXP_MAX : e;
    if (e == w->zoom_exp)
        return 0;
    w->zoom_exp = e;
    w->composed_valid = 0;
    w->gpu_stale |= !live(w);
    return 1;
}

int hark_waterfall_zoom_exp(const hark_waterfall *w) { return w->zoom_exp; }

double hark_waterfall_frames_per_line(const hark_waterfall *w)
{
    return w->zoom_exp >= 0 ? (double)(1u << w->zoom_exp) : 1.0 / (double)(1u << -w->zoom_exp);
}

uint64_t hark_waterfall_behind(const hark_waterfall *w)
{
    return w->frames ? w->frames - 1 - view_end(w) : 0;
}

void hark_waterfall_shown(const hark_waterfall *w, uint64_t *first, uint64_t *count)
{
    uint64_t f0 = 0;
    unsigned n = 0;
    *first = *count = 0;
    for (unsigned line = w->lines; line-- > 0;) /* the oldest line with frames */
        if (line_frames(w, line, &f0, &n))
            break;
    if (!n)
        return;
    *first = f0;
    *count = view_end(w) + 1 - f0;
}

int hark_waterfall_level(const hark_waterfall *w, unsigned j, unsigned line, float *db)
{
    if (j >= w->freq_px || line >= w->lines || !compose_line(w, line, w->staging_row))
        return 0;
    *db = hark_scale_tap_value(&w->map, j, w->staging_row);
    return 1;
}

/* ---- drawing ----------------------------------------------------------------------------------- */

/* The circle's line of the newest frame (lines - 1 before the first); composed lines: the
 * last, the newest's. */
static unsigned newest_line(const hark_waterfall *w)
{
    return live(w) ? (unsigned)((w->frames + w->lines - 1) % w->lines) : w->lines - 1;
}

/* Colour lines [line0, line0 + n) of the circle from the history (shaders/waterfall.frag). */
static void colour_lines(const hark_waterfall *w, unsigned line0, unsigned n)
{
    GLuint p = w->colour_prog;
    uint64_t valid = w->frames < HISTORY_ROWS ? w->frames : HISTORY_ROWS;
    if (!live(w)) /* composed: every line with frames (the oldest first to run out) */
        for (valid = 0; valid < w->lines; valid++) {
            uint64_t f;
            unsigned count;
            if (!line_frames(w, (unsigned)valid, &f, &count))
                break;
        }
    glBindFramebuffer(GL_FRAMEBUFFER, w->coloured_fbo);
    glViewport(0, (GLint)line0, (GLsizei)w->freq_px, (GLsizei)n);
    glUseProgram(p);
    GLuint tex[4] = {w->history_tex, w->palette_tex, w->taps_tex, w->weights_tex};
    const char *names[4] = {"history", "palette", "taps", "weights"};
    for (int i = 0; i < 4; i++) {
        glActiveTexture(GL_TEXTURE0 + (GLenum)i);
        glBindTexture(GL_TEXTURE_2D, tex[i]);
        glUniform1i(glGetUniformLocation(p, names[i]), i);
    }
    glUniform1i(glGetUniformLocation(p, "history_rows"), HISTORY_ROWS);
    glUniform1i(glGetUniformLocation(p, "newest_row"), (GLint)w->newest_row);
    glUniform1i(glGetUniformLocation(p, "rows_valid"), (GLint)valid);
    glUniform1i(glGetUniformLocation(p, "lines"), (GLint)w->lines);
    glUniform1i(glGetUniformLocation(p, "newest_line"), (GLint)newest_line(w));
    glUniform1f(glGetUniformLocation(p, "min_db"), w->min_db);
    glUniform1f(glGetUniformLocation(p, "max_db"), w->max_db);
    glUniform1f(glGetUniformLocation(p, "floor_db"), w->floor_db);
    glUniform1i(glGetUniformLocation(p, "not_db"), w->not_db);
    hark_gl_quad_draw(&w->unit_quad);
    glActiveTexture(GL_TEXTURE0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

/* The texture's rows from the store: the ring of the newest (live), or the composed lines,
 * the newest line's row at newest_row and older ones before it. */
static void upload_rows(hark_waterfall *w)
{
    unsigned n = 0;
    if (live(w)) {
        uint64_t have = w->frames - oldest(w);
        n = (unsigned)(have < HISTORY_ROWS ? have : HISTORY_ROWS);
        for (unsigned i = 0; i < n; i++)
            memcpy(w->staging + (size_t)((w->newest_row + HISTORY_ROWS - i) % HISTORY_ROWS) * w->bins,
                   stored(w, w->frames - 1 - i), sizeof(float) * w->bins);
    } else {
        w->newest_row = HISTORY_ROWS - 1;
        while (n < w->lines &&
               compose_line(w, n, w->staging + (size_t)(HISTORY_ROWS - 1 - n) * w->bins))
            n++;
    }
    glBindTexture(GL_TEXTURE_2D, w->history_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, (GLsizei)w->bins, HISTORY_ROWS, GL_RED, GL_FLOAT,
                    w->staging);
}

/* Only the lines of the frames new since the last draw, unless everything must be recoloured
 * (or so many frames came that it is as cheap). */
static void update_coloured(hark_waterfall *w)
{
    if (!live(w)) {
        if (!w->composed_valid) {
            upload_rows(w);
            w->gpu_stale = 1; /* the ring is gone from the texture */
            colour_lines(w, 0, w->lines);
            w->composed_valid = 1;
        }
        return;
    }
    if (w->gpu_stale) { /* back to the newest frame: the ring again */
        w->newest_row = (unsigned)((w->frames + HISTORY_ROWS - 1) % HISTORY_ROWS);
        upload_rows(w);
        w->gpu_stale = 0;
        w->coloured_valid = 0;
    }
    uint64_t fresh = w->frames - w->frames_coloured;
    if (!w->coloured_valid || fresh >= w->lines / 2) {
        colour_lines(w, 0, w->lines);
    } else if (fresh > 0) {
        unsigned first = (unsigned)(w->frames_coloured % w->lines);
        unsigned to_end = w->lines - first;
        colour_lines(w, first, fresh < to_end ? (unsigned)fresh : to_end);
        if (fresh > to_end)
            colour_lines(w, 0, (unsigned)(fresh - to_end));
    }
    w->frames_coloured = w->frames;
    w->coloured_valid = 1;
}

void hark_waterfall_draw(hark_waterfall *w, const hark_gl_quad *area, int newest_at_top)
{
    GLint viewport[4];
    glGetIntegerv(GL_VIEWPORT, viewport);
    update_coloured(w);
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    GLuint p = w->scroll_prog;
    glUseProgram(p);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, w->coloured_tex);
    glUniform1i(glGetUniformLocation(p, "coloured"), 0);
    glUniform1i(glGetUniformLocation(p, "lines"), (GLint)w->lines);
    glUniform1i(glGetUniformLocation(p, "newest_line"), (GLint)newest_line(w));
    glUniform1i(glGetUniformLocation(p, "freq_px"), (GLint)w->freq_px);
    glUniform1i(glGetUniformLocation(p, "newest_at_top"), newest_at_top);
    hark_gl_quad_draw(area);
}
