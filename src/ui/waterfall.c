#include "waterfall.h"

#include <stdlib.h>
#include <string.h>

#include "shaders.h"

/* Rows of history kept (the texture's height): more than any screen shows at one per pixel. */
#define HISTORY_ROWS 4096u
/* The kernels' weights texture: this many texels a row. */
#define WEIGHTS_WIDTH 4096u
/* dB written where nothing has been measured yet: below any range, so it takes colour 0. */
#define EMPTY_DB -1000.0f

struct hark_waterfall {
    unsigned bins;
    GLuint colour_prog, scroll_prog;
    GLuint history_tex, palette_tex, taps_tex, weights_tex, coloured_tex, coloured_fbo;
    hark_gl_quad unit_quad;
    float *history;            /* CPU copy of the texture, for the readout */
    uint64_t frames;           /* pushed since the last clear */
    unsigned newest_row;       /* where the newest went in the history */
    hark_scale_map map;        /* a tap per pixel along the frequency axis */
    float floor_db;            /* the rows' floor (kernels: no power at or below it) */
    int not_db;                /* the rows are PCEN values */
    unsigned freq_px, lines;   /* the coloured circle: freq_px x lines, frame k on line k % lines */
    uint64_t frames_coloured;  /* frames before this are in it, all of them only while valid */
    int coloured_valid;
    float min_db, max_db;
};

static void fill_empty(hark_waterfall *w)
{
    size_t n = (size_t)w->bins * HISTORY_ROWS;
    for (size_t i = 0; i < n; i++)
        w->history[i] = EMPTY_DB;
}

static hark_err make_history(hark_waterfall *w)
{
    w->history = malloc(sizeof(float) * (size_t)w->bins * HISTORY_ROWS);
    if (!w->history)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for the waterfall history");
    fill_empty(w);
    glGenTextures(1, &w->history_tex);
    glBindTexture(GL_TEXTURE_2D, w->history_tex);
    hark_gl_texture_params(GL_NEAREST); /* read texel by texel (texelFetch) */
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, (GLsizei)w->bins, HISTORY_ROWS, 0, GL_RED, GL_FLOAT,
                 w->history);
    return glGetError() == GL_NO_ERROR
               ? HARK_OK
               : hark_error_set(HARK_ERR_DISPLAY, "the GL cannot hold a %u x %u float texture",
                                w->bins, HISTORY_ROWS);
}

hark_err hark_waterfall_create(unsigned bins, hark_waterfall **out)
{
    *out = NULL;
    hark_waterfall *w = calloc(1, sizeof *w);
    if (!w)
        return hark_fail(HARK_ERR_NOMEM);
    w->bins = bins;
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
    free(w->history);
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
    w->coloured_valid = 0;
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
    w->coloured_valid = 0;
}

hark_err hark_waterfall_layout(hark_waterfall *w, unsigned freq_px, unsigned time_px,
                               const hark_scale *scale)
{
    w->freq_px = freq_px;
    w->lines = time_px < HISTORY_ROWS ? time_px : HISTORY_ROWS;
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

void hark_waterfall_push(hark_waterfall *w, const float *db)
{
    w->newest_row = (w->newest_row + 1) % HISTORY_ROWS;
    memcpy(w->history + (size_t)w->newest_row * w->bins, db, sizeof(float) * w->bins);
    glBindTexture(GL_TEXTURE_2D, w->history_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, (GLint)w->newest_row, (GLsizei)w->bins, 1, GL_RED,
                    GL_FLOAT, db);
    w->frames++;
}

void hark_waterfall_clear(hark_waterfall *w)
{
    fill_empty(w);
    glBindTexture(GL_TEXTURE_2D, w->history_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, (GLsizei)w->bins, HISTORY_ROWS, GL_RED, GL_FLOAT,
                    w->history);
    w->frames = w->frames_coloured = 0;
    w->newest_row = HISTORY_ROWS - 1;
    w->coloured_valid = 0;
}

uint64_t hark_waterfall_frames(const hark_waterfall *w) { return w->frames; }
unsigned hark_waterfall_lines(const hark_waterfall *w) { return w->lines; }

int hark_waterfall_level(const hark_waterfall *w, unsigned j, uint64_t ago, float *db)
{
    if (j >= w->freq_px || ago >= w->frames || ago >= HISTORY_ROWS)
        return 0;
    unsigned row = (unsigned)((w->newest_row + HISTORY_ROWS - ago) % HISTORY_ROWS);
    *db = hark_scale_tap_value(&w->map, j, w->history + (size_t)row * w->bins);
    return 1;
}

/* ---- drawing ----------------------------------------------------------------------------------- */

/* The circle's line of the newest frame (lines - 1 before the first). */
static unsigned newest_line(const hark_waterfall *w)
{
    return (unsigned)((w->frames + w->lines - 1) % w->lines);
}

/* Colour lines [line0, line0 + n) of the circle from the history (shaders/waterfall.frag). */
static void colour_lines(const hark_waterfall *w, unsigned line0, unsigned n)
{
    GLuint p = w->colour_prog;
    uint64_t valid = w->frames < HISTORY_ROWS ? w->frames : HISTORY_ROWS;
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

/* Only the lines of the frames new since the last draw, unless everything must be recoloured
 * (or so many frames came that it is as cheap). */
static void update_coloured(hark_waterfall *w)
{
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
