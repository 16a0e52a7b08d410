#include "view.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shaders.h"
#include "gl.h"
#include "overlay.h"
#include "json.h"
#include "text.h"

/* Rows of history kept (the texture's height): more than any screen shows at one per pixel. */
#define HISTORY_ROWS 4096u
/* dB written where nothing has been measured yet: below any range, so it takes colour 0. */
#define EMPTY_DB -1000.0f
#define FONT_PX 13.0
#define RANGE_STEP_DB 6.0f
/* At most one frame per display refresh (60 Hz): rows may come faster than that. */
#define MIN_FRAME_MS 16u
#define READOUT_EVERY_MS 200u

struct hark_view {
    hark_view_config cfg;
    unsigned bins;
    SDL_Window *window;
    SDL_GLContext gl;
    GLuint waterfall, scroll, overlay_prog, history_tex, palette_tex, overlay_tex;
    GLuint coloured_tex, coloured_fbo;
    hark_gl_quad data_quad, full_quad, unit_quad;
    float *history;            /* CPU copy of the texture, for the readout */
    uint64_t rows_pushed;
    unsigned newest_row;
    /* The coloured circle (shaders/waterfall.frag): freq_px x lines, frame k on line k % lines;
     * frames before rows_coloured are in it, all of them only while coloured_valid. */
    unsigned freq_px, lines;
    uint64_t rows_coloured;
    int coloured_valid;
    hark_text *text;
    hark_layout layout;
    uint8_t *overlay;          /* layout.width * layout.height * 4 */
    hark_rect boxes;           /* the overlay's boxes over the data area */
    int overlay_dirty, dirty, paused, help;
    uint32_t last_draw_ms, last_overlay_ms;
    int mouse_in, mouse_x, mouse_y;
    double now_s;              /* file_time: the newest row's position */
    long now_label;            /* now_s in tenths, as the time axis last showed it */
    char status_extra[320];
};

/* The user event hark_view_wake pushes (0 until registered), and whether one is pending. */
static atomic_uint wake_type;
static atomic_int wake_pending;

void hark_view_wake(void)
{
    unsigned type = atomic_load(&wake_type);
    if (type == 0 || atomic_exchange(&wake_pending, 1))
        return;
    SDL_Event e = {.type = type};
    if (SDL_PushEvent(&e) != 1)
        atomic_store(&wake_pending, 0);
}

const char *hark_view_driver(void)
{
    const char *d = SDL_GetCurrentVideoDriver();
    return d ? d : "none";
}

static hark_err sdl_fail(const char *what)
{
    return hark_error_set(HARK_ERR_OPEN, "%s: %s", what, SDL_GetError());
}

/* ---- textures ------------------------------------------------------------------------------ */

static void texture_params(GLint filter)
{
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

static void fill_empty(hark_view *v);

static hark_err make_history(hark_view *v)
{
    v->history = malloc(sizeof(float) * (size_t)v->bins * HISTORY_ROWS);
    if (!v->history)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for the waterfall history");
    fill_empty(v);
    glGenTextures(1, &v->history_tex);
    glBindTexture(GL_TEXTURE_2D, v->history_tex);
    texture_params(GL_LINEAR); /* across bins; rows are sampled at their centres */
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, (GLsizei)v->bins, HISTORY_ROWS, 0, GL_RED, GL_FLOAT,
                 v->history);
    return glGetError() == GL_NO_ERROR
               ? HARK_OK
               : hark_error_set(HARK_ERR_OPEN, "the GL cannot hold a %u x %u float texture",
                                v->bins, HISTORY_ROWS);
}

static void upload_palette(hark_view *v)
{
    glBindTexture(GL_TEXTURE_2D, v->palette_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, 256, 1, 0, GL_RGB, GL_UNSIGNED_BYTE,
                 hark_colormap_table(v->cfg.colormap));
}

/* ---- layout and overlay --------------------------------------------------------------------- */

static void status_line(const hark_view *v, char *buf, size_t size)
{
    snprintf(buf, size, "%s   %.0f Hz   fft %u   hop %u   %.0f..%.0f dBFS   %s   %s%s   %s",
             v->cfg.device, v->cfg.rate_hz, v->cfg.fft_size, v->cfg.hop, (double)v->cfg.min_db,
             (double)v->cfg.max_db, hark_colormap_name(v->cfg.colormap),
             hark_scale_name(v->cfg.scale), v->paused ? "   PAUSED" : "", v->status_extra);
}

static void overlay_state(const hark_view *v, hark_overlay_state *st, char *status,
                          size_t status_size, char *readout, size_t readout_size);

static unsigned rows_shown(const hark_view *v);

/* The coloured circle for the current layout: one texel per data-area pixel along the
 * frequency axis, one line per frame shown. */
static hark_err make_coloured(hark_view *v)
{
    v->freq_px = v->cfg.newest_at_top ? v->layout.data_w : v->layout.data_h;
    v->lines = rows_shown(v);
    v->coloured_valid = 0;
    glBindTexture(GL_TEXTURE_2D, v->coloured_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, (GLsizei)v->freq_px, (GLsizei)v->lines, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, NULL);
    glBindFramebuffer(GL_FRAMEBUFFER, v->coloured_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, v->coloured_tex, 0);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return status == GL_FRAMEBUFFER_COMPLETE && glGetError() == GL_NO_ERROR
               ? HARK_OK
               : hark_error_set(HARK_ERR_OPEN, "the GL cannot draw into a %u x %u texture",
                                v->freq_px, v->lines);
}

/* Place the data area for the current drawable size; reallocate the overlay. */
static hark_err relayout(hark_view *v)
{
    int dw, dh, ww, wh;
    SDL_GL_GetDrawableSize(v->window, &dw, &dh);
    SDL_GetWindowSize(v->window, &ww, &wh);
    double scale = ww > 0 ? (double)dw / ww : 1.0;
    hark_text_destroy(v->text);
    v->text = NULL;
    hark_err err = hark_text_create((unsigned)lround(FONT_PX * (scale > 1 ? scale : 1)), &v->text);
    if (err)
        return err;
    hark_overlay_layout((unsigned)dw, (unsigned)dh, v->cfg.newest_at_top, v->cfg.file_time, v->text,
                        &v->layout);
    free(v->overlay);
    v->overlay = malloc((size_t)dw * (size_t)dh * 4);
    if (!v->overlay)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a %d x %d overlay", dw, dh);
    glBindTexture(GL_TEXTURE_2D, v->overlay_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, dw, dh, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    const hark_layout *l = &v->layout;
    hark_gl_quad_place(&v->data_quad, 2.0f * l->data_x / dw - 1, 1 - 2.0f * (l->data_y + l->data_h) / dh,
                       2.0f * (l->data_x + l->data_w) / dw - 1, 1 - 2.0f * l->data_y / dh);
    v->overlay_dirty = v->dirty = 1;
    return make_coloured(v);
}

/* Frames from the newest edge to the far one: one per pixel, as far as the history goes. */
static unsigned rows_shown(const hark_view *v)
{
    unsigned px = v->cfg.newest_at_top ? v->layout.data_h : v->layout.data_w;
    return px < HISTORY_ROWS ? px : HISTORY_ROWS;
}

/* The circle's line of the newest frame (lines - 1 before the first). */
static unsigned newest_line(const hark_view *v)
{
    return (unsigned)((v->rows_pushed + v->lines - 1) % v->lines);
}

static void readout_text(const hark_view *v, char *buf, size_t size)
{
    double along, age;
    buf[0] = '\0';
    if (!v->mouse_in ||
        !hark_overlay_locate(&v->layout, v->cfg.newest_at_top, v->mouse_x, v->mouse_y, &along, &age))
        return;
    hark_scale scale;
    hark_overlay_state st = {.newest_at_top = v->cfg.newest_at_top, .scale = v->cfg.scale,
                             .rate_hz = v->cfg.rate_hz, .fft_size = v->cfg.fft_size};
    hark_overlay_scale(&st, &v->layout, &scale);
    double hz = hark_scale_freq(&scale, along * (scale.rows - 1));
    uint64_t ago = (uint64_t)floor(age * rows_shown(v));
    char note[24];
    hark_overlay_note(hz, note, sizeof note);
    double seconds = (double)ago * v->cfg.hop / v->cfg.rate_hz;
    char when[32];
    if (v->cfg.file_time)
        hark_overlay_clock(v->now_s - seconds, 2, when, sizeof when);
    else
        snprintf(when, sizeof when, "-%.2f s", seconds);
    if (ago >= v->rows_pushed) {
        snprintf(buf, size, "%s   %.1f Hz   %s   (no data)", when, hz, note);
        return;
    }
    long bin = lround(hz * v->cfg.fft_size / v->cfg.rate_hz);
    bin = bin < 0 ? 0 : bin >= (long)v->bins ? (long)v->bins - 1 : bin;
    unsigned row = (unsigned)((v->newest_row + HISTORY_ROWS - ago % HISTORY_ROWS) % HISTORY_ROWS);
    float db = v->history[(size_t)row * v->bins + (size_t)bin];
    snprintf(buf, size, "%s   %.1f Hz   %s   %.1f dBFS", when, hz, note, (double)db);
}

static void overlay_state(const hark_view *v, hark_overlay_state *st, char *status,
                          size_t status_size, char *readout, size_t readout_size)
{
    status_line(v, status, status_size);
    readout_text(v, readout, readout_size);
    *st = (hark_overlay_state){.newest_at_top = v->cfg.newest_at_top, .scale = v->cfg.scale,
                               .rate_hz = v->cfg.rate_hz, .fft_size = v->cfg.fft_size,
                               .min_db = v->cfg.min_db, .max_db = v->cfg.max_db,
                               .palette = hark_colormap_table(v->cfg.colormap),
                               .frame_s = v->cfg.hop / v->cfg.rate_hz, .status = status,
                               .file_time = v->cfg.file_time, .now_s = v->now_s,
                               .shown_s = (double)v->rows_pushed * v->cfg.hop / v->cfg.rate_hz,
                               .readout = readout[0] != '\0', .mouse_x = v->mouse_x,
                               .mouse_y = v->mouse_y, .readout_text = readout, .help = v->help};
}

static void refresh_overlay(hark_view *v)
{
    char status[512], readout[160];
    hark_overlay_state st;
    overlay_state(v, &st, status, sizeof status, readout, sizeof readout);
    hark_overlay_draw(&st, &v->layout, v->text, v->overlay, &v->boxes);
    glBindTexture(GL_TEXTURE_2D, v->overlay_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, (GLsizei)v->layout.width, (GLsizei)v->layout.height,
                    GL_RGBA, GL_UNSIGNED_BYTE, v->overlay);
    v->overlay_dirty = 0;
}

/* ---- create / destroy ------------------------------------------------------------------------ */

static hark_err open_window(hark_view *v)
{
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
        return sdl_fail("cannot open a window");
    /* SDL falls back to an invisible offscreen window when there is no display: say so,
     * unless that is what was asked for. */
    if (strcmp(hark_view_driver(), "offscreen") == 0 && !getenv("SDL_VIDEODRIVER"))
        return hark_error_set(HARK_ERR_OPEN, "no display to open a window on (is DISPLAY set?): "
                                             "use --headless, or SDL_VIDEODRIVER=offscreen");
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    char title[200];
    snprintf(title, sizeof title, "hark - %s", v->cfg.device);
    v->window = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                 v->cfg.width, v->cfg.height,
                                 SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                     SDL_WINDOW_ALLOW_HIGHDPI);
    if (!v->window)
        return sdl_fail("cannot open a window");
    v->gl = SDL_GL_CreateContext(v->window);
    if (!v->gl)
        return sdl_fail("no OpenGL 3.3 core context");
    SDL_GL_SetSwapInterval(1); /* vsync where the driver has it */
    if (atomic_load(&wake_type) == 0) {
        Uint32 type = SDL_RegisterEvents(1);
        atomic_store(&wake_type, type == (Uint32)-1 ? 0 : type);
    }
    return HARK_OK;
}

static hark_err make_gl_objects(hark_view *v)
{
    hark_err err;
    if ((err = hark_gl_program("waterfall", hark_asset_waterfall_vert, hark_asset_waterfall_frag,
                               &v->waterfall)) ||
        (err = hark_gl_program("scroll", hark_asset_waterfall_vert, hark_asset_scroll_frag,
                               &v->scroll)) ||
        (err = hark_gl_program("overlay", hark_asset_overlay_vert, hark_asset_overlay_frag,
                               &v->overlay_prog)))
        return err;
    hark_gl_quad_create(&v->data_quad);
    hark_gl_quad_create(&v->full_quad);
    hark_gl_quad_create(&v->unit_quad);
    hark_gl_quad_place(&v->unit_quad, -1, -1, 1, 1);
    glGenTextures(1, &v->coloured_tex);
    glBindTexture(GL_TEXTURE_2D, v->coloured_tex);
    texture_params(GL_NEAREST);
    glGenFramebuffers(1, &v->coloured_fbo);
    glGenTextures(1, &v->palette_tex);
    glBindTexture(GL_TEXTURE_2D, v->palette_tex);
    texture_params(GL_NEAREST);
    upload_palette(v);
    glGenTextures(1, &v->overlay_tex);
    glBindTexture(GL_TEXTURE_2D, v->overlay_tex);
    texture_params(GL_NEAREST);
    return make_history(v);
}

hark_err hark_view_create(const hark_view_config *cfg, hark_view **out)
{
    *out = NULL;
    hark_view *v = calloc(1, sizeof *v);
    if (!v)
        return HARK_ERR_NOMEM;
    v->cfg = *cfg;
    v->bins = cfg->fft_size / 2 + 1;
    v->newest_row = HISTORY_ROWS - 1;
    hark_err err = open_window(v);
    if (!err)
        err = make_gl_objects(v);
    if (!err)
        err = relayout(v);
    if (err) {
        hark_view_destroy(v);
        return err;
    }
    *out = v;
    return HARK_OK;
}

void hark_view_destroy(hark_view *v)
{
    if (!v)
        return;
    if (v->gl) {
        GLuint tex[4] = {v->history_tex, v->palette_tex, v->overlay_tex, v->coloured_tex};
        glDeleteTextures(4, tex);
        glDeleteFramebuffers(1, &v->coloured_fbo);
        glDeleteProgram(v->waterfall);
        glDeleteProgram(v->scroll);
        glDeleteProgram(v->overlay_prog);
        if (v->data_quad.vao)
            hark_gl_quad_destroy(&v->data_quad);
        if (v->full_quad.vao)
            hark_gl_quad_destroy(&v->full_quad);
        if (v->unit_quad.vao)
            hark_gl_quad_destroy(&v->unit_quad);
        SDL_GL_DeleteContext(v->gl);
    }
    if (v->window)
        SDL_DestroyWindow(v->window);
    atomic_store(&wake_type, 0); /* nothing may be pushed once the queue is gone */
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    hark_text_destroy(v->text);
    free(v->history);
    free(v->overlay);
    free(v);
}

/* ---- rows, status, events ---------------------------------------------------------------------- */

void hark_view_push_row(hark_view *v, const float *db)
{
    if (v->paused)
        return;
    v->newest_row = (v->newest_row + 1) % HISTORY_ROWS;
    memcpy(v->history + (size_t)v->newest_row * v->bins, db, sizeof(float) * v->bins);
    glBindTexture(GL_TEXTURE_2D, v->history_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, (GLint)v->newest_row, (GLsizei)v->bins, 1, GL_RED,
                    GL_FLOAT, db);
    v->rows_pushed++;
    v->dirty = 1;
    /* The readout's level changes under a still mouse: refreshed a few times a second. */
    if (v->mouse_in && SDL_GetTicks() - v->last_overlay_ms >= READOUT_EVERY_MS)
        v->overlay_dirty = 1;
}

void hark_view_set_position(hark_view *v, double seconds)
{
    v->now_s = seconds;
    long tenths = lround(seconds * 10);
    if (v->cfg.file_time && tenths != v->now_label) {
        v->now_label = tenths;
        v->overlay_dirty = v->dirty = 1;
    }
}

static void fill_empty(hark_view *v)
{
    size_t n = (size_t)v->bins * HISTORY_ROWS;
    for (size_t i = 0; i < n; i++)
        v->history[i] = EMPTY_DB;
}

void hark_view_clear(hark_view *v)
{
    fill_empty(v);
    glBindTexture(GL_TEXTURE_2D, v->history_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, (GLsizei)v->bins, HISTORY_ROWS, GL_RED, GL_FLOAT,
                    v->history);
    v->rows_pushed = v->rows_coloured = 0;
    v->newest_row = HISTORY_ROWS - 1;
    v->coloured_valid = 0;
    v->overlay_dirty = v->dirty = 1;
}

void hark_view_set_status(hark_view *v, const char *extra)
{
    if (strcmp(extra, v->status_extra) == 0)
        return;
    snprintf(v->status_extra, sizeof v->status_extra, "%s", extra);
    v->overlay_dirty = v->dirty = 1;
}

static void move_range(hark_view *v, float lo_step, float hi_step)
{
    float lo = v->cfg.min_db + lo_step, hi = v->cfg.max_db + hi_step;
    if (hi - lo < RANGE_STEP_DB || lo < -300.0f || hi > 100.0f)
        return;
    v->cfg.min_db = lo;
    v->cfg.max_db = hi;
}

static hark_view_action on_key(hark_view *v, SDL_Keycode key)
{
    switch (key) {
    case SDLK_q:
    case SDLK_ESCAPE: return HARK_VIEW_QUIT;
    case SDLK_s: return HARK_VIEW_SNAPSHOT;
    case SDLK_r: return HARK_VIEW_RECORD;
    case SDLK_LEFT: return HARK_VIEW_SEEK_BACK;
    case SDLK_RIGHT: return HARK_VIEW_SEEK_FORWARD;
    case SDLK_SPACE: v->paused = !v->paused; break;
    case SDLK_c: v->cfg.colormap = (v->cfg.colormap + 1) % HARK_COLORMAP_COUNT; upload_palette(v); break;
    case SDLK_l: v->cfg.scale = (v->cfg.scale + 1) % HARK_SCALE_COUNT; break;
    case SDLK_UP: move_range(v, RANGE_STEP_DB, RANGE_STEP_DB); break;
    case SDLK_DOWN: move_range(v, -RANGE_STEP_DB, -RANGE_STEP_DB); break;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS: move_range(v, -RANGE_STEP_DB, 0); break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS: move_range(v, RANGE_STEP_DB, 0); break;
    case SDLK_f: {
        int full = SDL_GetWindowFlags(v->window) & SDL_WINDOW_FULLSCREEN_DESKTOP;
        SDL_SetWindowFullscreen(v->window, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    }
    case SDLK_h: v->help = !v->help; break;
    default: return HARK_VIEW_NONE;
    }
    v->overlay_dirty = v->dirty = 1;
    v->coloured_valid = 0; /* colours, range or scale may have changed: recolour it all */
    return HARK_VIEW_NONE;
}

hark_view_action hark_view_handle_event(hark_view *v, const SDL_Event *e)
{
    if (e->type != 0 && e->type == atomic_load(&wake_type)) {
        atomic_store(&wake_pending, 0);
        return HARK_VIEW_NONE;
    }
    switch (e->type) {
    case SDL_QUIT: return HARK_VIEW_QUIT;
    case SDL_KEYDOWN: return on_key(v, e->key.keysym.sym);
    case SDL_MOUSEMOTION: {
        int dw, dh, ww, wh;
        SDL_GL_GetDrawableSize(v->window, &dw, &dh);
        SDL_GetWindowSize(v->window, &ww, &wh);
        v->mouse_in = 1;
        v->mouse_x = ww ? e->motion.x * dw / ww : e->motion.x;
        v->mouse_y = wh ? e->motion.y * dh / wh : e->motion.y;
        v->overlay_dirty = v->dirty = 1;
        return HARK_VIEW_NONE;
    }
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            if (relayout(v))
                return HARK_VIEW_FAILED; /* out of memory, or the GL cannot follow */
        } else if (e->window.event == SDL_WINDOWEVENT_LEAVE) {
            v->mouse_in = 0;
            v->overlay_dirty = v->dirty = 1;
        } else if (e->window.event == SDL_WINDOWEVENT_EXPOSED) {
            v->dirty = 1;
        }
        return HARK_VIEW_NONE;
    default: return HARK_VIEW_NONE;
    }
}

int hark_view_paused(const hark_view *v)
{
    return v->paused;
}

int hark_view_ms_to_frame(const hark_view *v)
{
    if (!v->dirty && !v->overlay_dirty)
        return -1;
    uint32_t since = SDL_GetTicks() - v->last_draw_ms;
    return since >= MIN_FRAME_MS ? 0 : (int)(MIN_FRAME_MS - since);
}

/* ---- drawing ------------------------------------------------------------------------------------ */

/* Colour lines [line0, line0 + n) of the circle from the history (shaders/waterfall.frag). */
static void colour_lines(const hark_view *v, unsigned line0, unsigned n)
{
    GLuint p = v->waterfall;
    hark_scale scale;
    hark_overlay_state st = {.newest_at_top = v->cfg.newest_at_top, .scale = v->cfg.scale,
                             .rate_hz = v->cfg.rate_hz, .fft_size = v->cfg.fft_size};
    hark_overlay_scale(&st, &v->layout, &scale);
    uint64_t valid = v->rows_pushed < HISTORY_ROWS ? v->rows_pushed : HISTORY_ROWS;
    glBindFramebuffer(GL_FRAMEBUFFER, v->coloured_fbo);
    glViewport(0, (GLint)line0, (GLsizei)v->freq_px, (GLsizei)n);
    glUseProgram(p);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, v->history_tex);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, v->palette_tex);
    glUniform1i(glGetUniformLocation(p, "history"), 0);
    glUniform1i(glGetUniformLocation(p, "palette"), 1);
    glUniform1i(glGetUniformLocation(p, "history_rows"), HISTORY_ROWS);
    glUniform1i(glGetUniformLocation(p, "newest_row"), (GLint)v->newest_row);
    glUniform1i(glGetUniformLocation(p, "rows_valid"), (GLint)valid);
    glUniform1i(glGetUniformLocation(p, "lines"), (GLint)v->lines);
    glUniform1i(glGetUniformLocation(p, "newest_line"), (GLint)newest_line(v));
    glUniform1i(glGetUniformLocation(p, "freq_px"), (GLint)scale.rows);
    glUniform1i(glGetUniformLocation(p, "bins"), (GLint)v->bins);
    glUniform1f(glGetUniformLocation(p, "bin_hz"), (float)(v->cfg.rate_hz / v->cfg.fft_size));
    glUniform1f(glGetUniformLocation(p, "lo_hz"), (float)scale.lo_hz);
    glUniform1f(glGetUniformLocation(p, "hi_hz"), (float)scale.hi_hz);
    glUniform1i(glGetUniformLocation(p, "scale_kind"), (GLint)v->cfg.scale);
    glUniform1f(glGetUniformLocation(p, "min_db"), v->cfg.min_db);
    glUniform1f(glGetUniformLocation(p, "max_db"), v->cfg.max_db);
    hark_gl_quad_draw(&v->unit_quad);
    glActiveTexture(GL_TEXTURE0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

/* Bring the circle up to date: only the lines of the frames new since the last frame, unless
 * everything must be recoloured (or so many frames came that it is as cheap). */
static void update_coloured(hark_view *v)
{
    uint64_t fresh = v->rows_pushed - v->rows_coloured;
    if (!v->coloured_valid || fresh >= v->lines / 2) {
        colour_lines(v, 0, v->lines);
    } else if (fresh > 0) {
        unsigned first = (unsigned)(v->rows_coloured % v->lines);
        unsigned to_end = v->lines - first;
        colour_lines(v, first, fresh < to_end ? (unsigned)fresh : to_end);
        if (fresh > to_end)
            colour_lines(v, 0, (unsigned)(fresh - to_end));
    }
    v->rows_coloured = v->rows_pushed;
    v->coloured_valid = 1;
}

/* Show the circle in the data area, newest frame at the newest edge (shaders/scroll.frag). */
static void draw_waterfall(const hark_view *v)
{
    GLuint p = v->scroll;
    glUseProgram(p);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, v->coloured_tex);
    glUniform1i(glGetUniformLocation(p, "coloured"), 0);
    glUniform1i(glGetUniformLocation(p, "lines"), (GLint)v->lines);
    glUniform1i(glGetUniformLocation(p, "newest_line"), (GLint)newest_line(v));
    glUniform1i(glGetUniformLocation(p, "freq_px"), (GLint)v->freq_px);
    glUniform1i(glGetUniformLocation(p, "newest_at_top"), v->cfg.newest_at_top);
    hark_gl_quad_draw(&v->data_quad);
}

/* A quad over pixels [x0, x1) x [y0, y1) of the window (top-left origin). */
static void overlay_part(hark_view *v, int x0, int y0, int x1, int y1)
{
    float w = (float)v->layout.width, h = (float)v->layout.height;
    if (x1 <= x0 || y1 <= y0)
        return;
    hark_gl_quad_place(&v->full_quad, 2.0f * x0 / w - 1, 1 - 2.0f * y1 / h, 2.0f * x1 / w - 1,
                       1 - 2.0f * y0 / h);
    hark_gl_quad_draw(&v->full_quad);
}

/* The overlay is blended only where it shows: the margins and the boxes. Under a software
 * rasteriser every pixel costs, and the data area is most of the window. */
static void draw_overlay(hark_view *v)
{
    const hark_layout *l = &v->layout;
    int x0 = (int)l->data_x, y0 = (int)l->data_y;
    int x1 = x0 + (int)l->data_w, y1 = y0 + (int)l->data_h;
    int w = (int)l->width, h = (int)l->height;
    glEnable(GL_BLEND);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(v->overlay_prog);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, v->overlay_tex);
    glUniform1i(glGetUniformLocation(v->overlay_prog, "overlay"), 0);
    overlay_part(v, 0, 0, w, y0);   /* above */
    overlay_part(v, 0, y1, w, h);   /* below */
    overlay_part(v, 0, y0, x0, y1); /* left */
    overlay_part(v, x1, y0, w, y1); /* right */
    overlay_part(v, v->boxes.x, v->boxes.y, v->boxes.x + v->boxes.w, v->boxes.y + v->boxes.h);
    glDisable(GL_BLEND);
}

static hark_err read_back(const hark_view *v, uint8_t **rgb, unsigned *width, unsigned *height)
{
    unsigned w = v->layout.width, h = v->layout.height;
    size_t line = (size_t)w * 3;
    uint8_t *px = malloc(line * h), *tmp = malloc(line);
    if (!px || !tmp) {
        free(px);
        free(tmp);
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a %u x %u snapshot", w, h);
    }
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, (GLsizei)w, (GLsizei)h, GL_RGB, GL_UNSIGNED_BYTE, px);
    for (unsigned y = 0; y < h / 2; y++) { /* GL's first line is the bottom one */
        memcpy(tmp, px + y * line, line);
        memcpy(px + y * line, px + (h - 1 - y) * line, line);
        memcpy(px + (h - 1 - y) * line, tmp, line);
    }
    free(tmp);
    *rgb = px;
    *width = w;
    *height = h;
    return HARK_OK;
}

hark_err hark_view_draw(hark_view *v, uint8_t **rgb, unsigned *width, unsigned *height)
{
    v->last_draw_ms = SDL_GetTicks(); /* frames start at most 60 times a second */
    if (v->overlay_dirty) {
        refresh_overlay(v);
        v->last_overlay_ms = SDL_GetTicks();
    }
    update_coloured(v);
    glViewport(0, 0, (GLsizei)v->layout.width, (GLsizei)v->layout.height);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    draw_waterfall(v);
    draw_overlay(v);
    hark_err err = rgb ? read_back(v, rgb, width, height) : HARK_OK;
    SDL_GL_SwapWindow(v->window);
    v->dirty = 0;
    return err;
}

const char *hark_view_gl_version(const hark_view *v)
{
    (void)v;
    static char version[200];
    snprintf(version, sizeof version, "OpenGL %s, %s", (const char *)glGetString(GL_VERSION),
             (const char *)glGetString(GL_RENDERER));
    return version;
}

void hark_view_params(const hark_view *v, char *buf, size_t size)
{
    const hark_layout *l = &v->layout;
    char device[300], position[64] = "";
    hark_json_escape(v->cfg.device, device, sizeof device);
    if (v->cfg.file_time) /* the now line's position in the file */
        snprintf(position, sizeof position, ", \"position_s\": %.6f", v->now_s);
    snprintf(buf, size,
             "{\"version\": \"%s\", \"source\": \"%s\", \"device\": \"%s\", "
             "\"rate_hz\": %.17g, \"fft\": %u, \"hop\": %u, \"scale\": \"%s\", "
             "\"range_db\": [%.9g, %.9g], \"colormap\": \"%s\", \"orient\": \"%s\", "
             "\"data_area\": [%u, %u, %u, %u]%s}",
             HARK_VERSION, v->cfg.source ? v->cfg.source : "live", device, v->cfg.rate_hz, v->cfg.fft_size, v->cfg.hop,
             hark_scale_name(v->cfg.scale), (double)v->cfg.min_db, (double)v->cfg.max_db,
             hark_colormap_name(v->cfg.colormap), v->cfg.newest_at_top ? "top" : "right",
             l->data_x, l->data_y, l->data_w, l->data_h, position);
}
