#include "view.h"

#include <SDL.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gl.h"
#include "keys.h"
#include "overlay.h"
#include "panels.h"
#include "shaders.h"
#include "text.h"
#include "view_private.h"
#include "waterfall.h"

#define FONT_PX 13.0
#define RANGE_STEP_DB 6.0f
#define RANGE_STEP_PCEN 0.25f
/* At most one frame per display refresh (60 Hz): rows may come faster than that. Frames are
 * due on a 60 Hz grid, so wake-up jitter does not stretch every period (a frame late by less
 * than a period keeps the grid; later than that, the grid starts again from it). */
#define FRAME_MS (1000.0 / 60.0)
#define READOUT_EVERY_MS 200u
#define METERS_EVERY_MS 250u /* the meters' numbers: a few times a second */


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
    return hark_error_set(HARK_ERR_DISPLAY, "%s: %s", what, SDL_GetError());
}

/* ---- layout and overlay --------------------------------------------------------------------- */

/* The waterfall's range and its units (NULL: not wanted): PCEN's, or the dB range. */
static void shown_range(const hark_view *v, float *lo, float *hi, const char **units)
{
    *lo = v->cfg.pcen ? v->cfg.pcen_min : v->cfg.min_db;
    *hi = v->cfg.pcen ? v->cfg.pcen_max : v->cfg.max_db;
    if (units)
        *units = v->cfg.pcen ? "PCEN" : "dBFS";
}

static void status_line(const hark_view *v, char *buf, size_t size)
{
    float lo, hi;
    const char *units;
    shown_range(v, &lo, &hi, &units);
    int digits = v->cfg.pcen ? 2 : 0;
    char view[64] = "";
    double fpl = hark_waterfall_frames_per_line(v->waterfall[0]);
    size_t n = 0;
    if (v->zoom_hi_hz > 0)
        n += (size_t)snprintf(view + n, sizeof view - n, "   %.0f-%.0f Hz", v->zoom_lo_hz,
                              v->zoom_hi_hz);
    if (fpl != 1.0)
        snprintf(view + n, sizeof view - n, fpl > 1 ? "   %.0f frames/line" : "   %.0f lines/frame",
                 fpl > 1 ? fpl : 1.0 / fpl);
    snprintf(buf, size, "%s   %.0f Hz   fft %u   hop %u   %.*f..%.*f %s   %s   %s%s%s   %s",
             v->cfg.name, v->cfg.rate_hz, v->cfg.fft_size, v->cfg.hop, digits, (double)lo,
             digits, (double)hi, units, hark_colormap_name(v->cfg.colormap),
             hark_scale_name(v->cfg.scale), view, v->paused ? "   PAUSED" : "", v->status_extra);
}

/* A pane's frequency scale, one row per pixel along the frequency axis, over lo..hi Hz (hi 0:
 * the whole axis). */
void hark_view_scale_over(const hark_view *v, double lo_hz, double hi_hz, hark_scale *scale)
{
    hark_overlay_state st = {.newest_at_top = v->cfg.newest_at_top, .scale = v->cfg.scale,
                             .rate_hz = v->cfg.rate_hz, .fft_size = v->cfg.fft_size,
                             .cqt = &v->cfg.cqt, .zoom_lo_hz = lo_hz, .zoom_hi_hz = hi_hz};
    hark_overlay_scale(&st, &v->layout, scale);
}

void hark_view_scale_of(const hark_view *v, hark_scale *scale)
{
    hark_view_scale_over(v, v->zoom_lo_hz, v->zoom_hi_hz, scale);
}

/* The scale changed, or the pixels along it: the waterfall's taps and the traces'. */
hark_err hark_view_rescale(hark_view *v)
{
    hark_scale fs;
    hark_view_scale_of(v, &fs);
    hark_scale_map_free(&v->map);
    hark_err err = hark_scale_map_make(&fs, v->cfg.floor_db, &v->map);
    for (unsigned k = 0; !err && k < v->panes; k++)
        err = hark_waterfall_set_scale(v->waterfall[k], &fs);
    return err;
}

/* ---- the analyzer's panels ------------------------------------------------------------------- */

static const uint8_t TRACE_INK[HARK_TRACE_COUNT][4] = {
    [HARK_TRACE_CURRENT] = {150, 150, 150, 255}, [HARK_TRACE_AVERAGE] = {255, 214, 64, 255},
    [HARK_TRACE_PEAK] = {236, 84, 64, 255},      [HARK_TRACE_MIN] = {96, 144, 255, 255},
    [HARK_TRACE_REFERENCE] = {80, 220, 120, 255}};
/* Drawn in this order: the average on top. */
static const hark_trace_kind TRACE_ORDER[HARK_TRACE_COUNT] = {
    HARK_TRACE_CURRENT, HARK_TRACE_MIN, HARK_TRACE_REFERENCE, HARK_TRACE_PEAK,
    HARK_TRACE_AVERAGE};

/* A trace's level at pixel j along the frequency axis: as the waterfall's pixel there (the
 * scale's tap over the bins), or the band holding the pixel's frequency (NAN: none). */
static float trace_at(const hark_view *v, const float *levels, unsigned j, const hark_scale *sc)
{
    const hark_lines *ls = hark_traces_line_set(v->traces);
    unsigned oct = hark_lines_octave(ls), n = hark_lines_count(ls);
    if (!oct)
        return hark_scale_tap_value(&v->map, j, levels);
    double f = hark_scale_freq(sc, j), r = hark_lines_band_ratio(oct);
    unsigned lo = 0, hi = n; /* the last band whose lower edge is at or below f */
    while (hi - lo > 1) {
        unsigned mid = (lo + hi) / 2;
        if (hark_lines_hz(ls, mid) / r <= f)
            lo = mid;
        else
            hi = mid;
    }
    double c = n ? hark_lines_hz(ls, lo) : 0;
    return n && f >= c / r && f < c * r ? levels[lo] : NAN;
}

static void draw_traces(hark_view *v)
{
    hark_scale sc;
    hark_view_scale_of(v, &sc);
    double lo = v->cfg.min_db, span = v->cfg.max_db - v->cfg.min_db;
    for (int t = 0; t < HARK_TRACE_COUNT; t++) {
        hark_trace_kind k = TRACE_ORDER[t];
        const float *levels = hark_traces_levels(v->traces, k);
        if (!levels || (k == HARK_TRACE_MIN && !v->show_min))
            continue;
        for (unsigned j = 0; j < v->freq_px; j++) {
            float db = trace_at(v, levels, j, &sc);
            double frac = isfinite(db) ? (db - lo) / span : 0.0;
            hark_overlay_spectrum_point(&v->layout, v->cfg.newest_at_top, j, frac,
                                        &v->points[2 * j], &v->points[2 * j + 1]);
        }
        hark_panels_strip(v->panels, v->points, v->freq_px, TRACE_INK[k]);
    }
}

/* Up to 4 rectangles a channel in one colour: a group. */
typedef struct {
    float box[4 * MAX_CHANNELS * 4];
    unsigned n;
} rect_group;

static void add_rect(rect_group *g, float x0, float y0, float x1, float y1)
{
    float *b = g->box + 4 * g->n++;
    b[0] = x0, b[1] = y0, b[2] = x1, b[3] = y1;
}

static void draw_meters(hark_view *v)
{
    static const uint8_t TROUGH[4] = {30, 30, 30, 255}, PEAK[4] = {64, 200, 96, 255},
                         RMS[4] = {40, 140, 220, 255}, HOLD[4] = {240, 240, 240, 255},
                         TRUE_PEAK[4] = {255, 214, 64, 255}, CLIP[4] = {235, 40, 40, 255};
    rect_group trough = {0}, peak = {0}, rms = {0}, hold = {0}, tp = {0}, clip = {0};
    const hark_layout *l = &v->layout;
    float bottom = (float)l->bar_bottom;
    for (unsigned c = 0; c < l->meter_channels; c++) {
        hark_meter_reading r;
        hark_levels_meter(v->levels, c, &r);
        float p0, p1, r0, r1;
        hark_overlay_meter_bar(l, c, 0, &p0, &p1);
        hark_overlay_meter_bar(l, c, 1, &r0, &r1);
        add_rect(&trough, p0, (float)l->bar_top, r1, bottom);
        add_rect(&trough, p0, (float)l->meter_y, r1, (float)l->meter_y + 10);
        if (isfinite(r.peak_dbfs))
            add_rect(&peak, p0, hark_overlay_meter_y(l, r.peak_dbfs), p1, bottom);
        if (isfinite(r.rms_dbfs))
            add_rect(&rms, r0, hark_overlay_meter_y(l, r.rms_dbfs), r1, bottom);
        if (isfinite(r.peak_held_dbfs)) {
            float y = hark_overlay_meter_y(l, r.peak_held_dbfs);
            add_rect(&hold, p0, y, p1, y + 2);
        }
        if (isfinite(r.true_peak_held_dbtp)) {
            float y = hark_overlay_meter_y(l, r.true_peak_held_dbtp);
            add_rect(&tp, p0, y, r1, y + 1);
        }
        if (r.clipped_held)
            add_rect(&clip, p0, (float)l->meter_y, r1, (float)l->meter_y + 10);
    }
    hark_panels_rects(v->panels, trough.box, trough.n, TROUGH);
    hark_panels_rects(v->panels, peak.box, peak.n, PEAK);
    hark_panels_rects(v->panels, rms.box, rms.n, RMS);
    hark_panels_rects(v->panels, hold.box, hold.n, HOLD);
    hark_panels_rects(v->panels, tp.box, tp.n, TRUE_PEAK);
    hark_panels_rects(v->panels, clip.box, clip.n, CLIP);
}

static void draw_panels(hark_view *v)
{
    if (!v->layout.spec_w && !v->layout.meter_w)
        return;
    hark_panels_begin(v->panels, v->layout.width, v->layout.height);
    if (v->layout.spec_w && v->traces)
        draw_traces(v);
    if (v->layout.meter_w && v->levels)
        draw_meters(v);
}

static void legend_add(hark_view *v, int trace, const char *text)
{
    hark_legend_item *it = &v->legend[v->legend_n++];
    snprintf(it->text, sizeof it->text, "%s", text);
    it->swatch = trace >= 0;
    if (trace >= 0)
        memcpy(it->rgb, TRACE_INK[trace], 3);
}

/* "now  average 1 s  peak held  min  reference  bins, Z-weighted", each trace's name after a
 * line in its colour. */
static void make_legend(hark_view *v)
{
    v->legend_n = 0;
    if (!v->traces)
        return;
    const hark_lines *ls = hark_traces_line_set(v->traces);
    double avg = hark_traces_average_s(v->traces), fall = hark_traces_peak_decay(v->traces);
    char what[40];
    legend_add(v, HARK_TRACE_CURRENT, "now");
    snprintf(what, sizeof what, avg > 0 ? "average %g s" : "average off", avg);
    legend_add(v, HARK_TRACE_AVERAGE, what);
    snprintf(what, sizeof what, fall > 0 ? "peak -%g dB/s" : "peak held", fall);
    legend_add(v, HARK_TRACE_PEAK, what);
    if (v->show_min)
        legend_add(v, HARK_TRACE_MIN, "min");
    if (hark_traces_has_reference(v->traces))
        legend_add(v, HARK_TRACE_REFERENCE, "reference");
    unsigned oct = hark_lines_octave(ls);
    if (oct)
        snprintf(what, sizeof what, "1/%u octave, %s-weighted", oct,
                 hark_weighting_name(hark_lines_weighting(ls)));
    else
        snprintf(what, sizeof what, "bins, %s-weighted",
                 hark_weighting_name(hark_lines_weighting(ls)));
    legend_add(v, -1, what);
}

/* A meter's number: "-20.0", or "--" when there is none (or it is below anything the
 * meters show: the loudness of near-silence is a meaningless -1000 LUFS or so). */
static void meter_number(char *buf, double v)
{
    if (isfinite(v) && v > -200.0)
        snprintf(buf, 12, "%.1f", v);
    else
        snprintf(buf, 12, "--");
}

static void make_meter_text(hark_view *v)
{
    if (!v->levels || !v->layout.meter_w)
        return;
    for (unsigned c = 0; c < v->layout.meter_channels; c++) {
        hark_meter_reading r;
        hark_levels_meter(v->levels, c, &r);
        const double values[HARK_METER_LINES] = {r.peak_held_dbfs, r.true_peak_held_dbtp,
                                                 r.rms_dbfs, r.momentary_lufs, r.short_term_lufs};
        for (int k = 0; k < HARK_METER_LINES; k++)
            meter_number(v->meter_text[c][k], values[k]);
    }
    hark_level_set set;
    hark_levels_programme(v->levels, &set);
    char n[12];
    meter_number(n, set.integrated_lufs);
    snprintf(v->loudness[0], sizeof v->loudness[0], "I %s LUFS", n);
    meter_number(n, set.range_lu);
    snprintf(v->loudness[1], sizeof v->loudness[1], "LRA %s LU", n);
}

/* Under the mouse in the spectrum panel: the frequency, the note, and each trace's level. */
static int spectrum_readout(const hark_view *v, char *buf, size_t size)
{
    const hark_layout *l = &v->layout;
    int x = v->mouse_x - (int)l->spec_x, y = v->mouse_y - (int)l->spec_y;
    if (!v->traces || !l->spec_w || x < 0 || y < 0 || x >= (int)l->spec_w || y >= (int)l->spec_h)
        return 0;
    unsigned j = v->cfg.newest_at_top ? (unsigned)x : l->spec_h - 1 - (unsigned)y;
    if (j >= v->freq_px)
        return 0;
    hark_scale sc;
    hark_view_scale_of(v, &sc);
    double hz = hark_scale_freq(&sc, j);
    char note[24], level[HARK_TRACE_COUNT][16];
    hark_overlay_note(hz, note, sizeof note);
    for (int k = 0; k < HARK_TRACE_COUNT; k++) {
        const float *levels = hark_traces_levels(v->traces, (hark_trace_kind)k);
        float db = levels ? trace_at(v, levels, j, &sc) : NAN;
        meter_number(level[k], db);
    }
    snprintf(buf, size, "%.1f Hz   %s   now %s   avg %s   peak %s   min %s   ref %s dBFS", hz,
             note, level[HARK_TRACE_CURRENT], level[HARK_TRACE_AVERAGE], level[HARK_TRACE_PEAK],
             level[HARK_TRACE_MIN], level[HARK_TRACE_REFERENCE]);
    return 1;
}

/* Under the mouse: the time, the frequency of the pixel's row, the note, and the level the
 * pixel shows (render's value for that row of the scale and that frame). */
static void readout_text(const hark_view *v, char *buf, size_t size)
{
    double along, age;
    unsigned k;
    buf[0] = '\0';
    if (v->mouse_in && spectrum_readout(v, buf, size))
        return;
    if (!v->mouse_in || !hark_overlay_locate(&v->layout, v->cfg.newest_at_top, v->mouse_x,
                                             v->mouse_y, &k, &along, &age))
        return;
    const hark_waterfall *w = v->waterfall[k];
    hark_scale scale;
    hark_view_scale_of(v, &scale);
    unsigned j = (unsigned)lround(along * (scale.rows - 1));
    double hz = hark_scale_freq(&scale, j);
    unsigned line = (unsigned)floor(age * hark_waterfall_lines(w));
    char note[24], when[48], level[32];
    hark_overlay_note(hz, note, sizeof note);
    double ago = (double)hark_waterfall_behind(w) + line * hark_waterfall_frames_per_line(w);
    double seconds = ago * v->cfg.hop / v->cfg.rate_hz;
    char clock[32];
    if (v->cfg.file_time)
        hark_overlay_clock(v->now_s - seconds, 2, clock, sizeof clock);
    else
        snprintf(clock, sizeof clock, "-%.2f s", seconds);
    snprintf(when, sizeof when, "%s%s%s", v->pane_names[k] ? v->pane_names[k] : "",
             v->pane_names[k] && clock[0] ? "   " : "", clock);
    float db;
    if (!hark_waterfall_level(w, j, line, &db))
        snprintf(level, sizeof level, "(no data)");
    else
        snprintf(level, sizeof level, v->cfg.pcen ? "%.3f PCEN" : "%.1f dBFS", (double)db);
    snprintf(buf, size, "%s   %.1f Hz   %s   %s", when, hz, note, level);
}

static void refresh_overlay(hark_view *v)
{
    char status[512], readout[200];
    status_line(v, status, sizeof status);
    readout_text(v, readout, sizeof readout);
    make_legend(v);
    make_meter_text(v);
    uint64_t first, frames;
    hark_waterfall_shown(v->waterfall[0], &first, &frames);
    double hop_s = v->cfg.hop / v->cfg.rate_hz;
    float bar_lo, bar_hi;
    const char *units;
    shown_range(v, &bar_lo, &bar_hi, &units);
    hark_overlay_state st = {
        .newest_at_top = v->cfg.newest_at_top, .scale = v->cfg.scale, .rate_hz = v->cfg.rate_hz,
        .fft_size = v->cfg.fft_size, .cqt = &v->cfg.cqt, .min_db = v->cfg.min_db,
        .max_db = v->cfg.max_db, .bar_min = bar_lo, .bar_max = bar_hi, .bar_units = units,
        .palette = hark_colormap_table(v->cfg.colormap), .frame_s = hop_s * hark_waterfall_frames_per_line(v->waterfall[0]),
        .behind_s = hop_s * (double)hark_waterfall_behind(v->waterfall[0]),
        .zoom_lo_hz = v->zoom_lo_hz, .zoom_hi_hz = v->zoom_hi_hz,
        .status = status, .file_time = v->cfg.file_time, .now_s = v->now_s,
        .shown_s = (double)frames * hop_s, .readout = readout[0] != '\0',
        .mouse_x = v->mouse_x, .mouse_y = v->mouse_y, .readout_text = readout, .help = v->help,
        .command = v->cfg.command, .legend = v->legend, .legend_n = v->legend_n,
        .meter_text = (const char(*)[HARK_METER_LINES][12])v->meter_text,
        .loudness_text = {v->loudness[0], v->loudness[1]}, .pane_names = v->pane_names,
        .overview = v->cfg.overview ? &v->overview : NULL};
    hark_overlay_draw(&st, &v->layout, v->text, v->overlay, &v->boxes);
    glBindTexture(GL_TEXTURE_2D, v->overlay_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, (GLsizei)v->layout.width, (GLsizei)v->layout.height,
                    GL_RGBA, GL_UNSIGNED_BYTE, v->overlay);
    v->overlay_dirty = 0;
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
    hark_panels_shown shown = {v->show_spectrum && v->traces, v->show_meters && v->levels,
                               v->cfg.channels < MAX_CHANNELS ? v->cfg.channels : MAX_CHANNELS,
                               v->panes, v->split_time, v->cfg.overview};
    hark_overlay_layout_panels((unsigned)dw, (unsigned)dh, v->cfg.newest_at_top,
                               v->cfg.file_time, &shown, v->text, &v->layout);
    free(v->overlay);
    v->overlay = malloc((size_t)dw * (size_t)dh * 4);
    if (!v->overlay)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a %d x %d overlay", dw, dh);
    glBindTexture(GL_TEXTURE_2D, v->overlay_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, dw, dh, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    const hark_layout *l = &v->layout;
    for (unsigned k = 0; k < v->panes; k++) {
        unsigned x, y;
        hark_overlay_pane(l, k, &x, &y);
        hark_gl_quad_place(&v->pane_quad[k], 2.0f * x / dw - 1, 1 - 2.0f * (y + l->pane_h) / dh,
                           2.0f * (x + l->pane_w) / dw - 1, 1 - 2.0f * y / dh);
    }
    v->overlay_dirty = v->dirty = 1;
    hark_scale fs;
    hark_view_scale_of(v, &fs);
    unsigned freq_px = v->cfg.newest_at_top ? l->pane_w : l->pane_h;
    unsigned time_px = v->cfg.newest_at_top ? l->pane_h : l->pane_w;
    free(v->points);
    v->freq_px = freq_px;
    v->points = malloc(sizeof(float) * 2 * freq_px);
    if (!v->points)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for the spectrum panel");
    for (unsigned k = 0; k < v->panes; k++)
        if ((err = hark_waterfall_layout(v->waterfall[k], freq_px, time_px, &fs)))
            return err;
    return hark_view_rescale(v);
}

/* ---- create / destroy ------------------------------------------------------------------------ */

static hark_err open_window(hark_view *v)
{
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
        return sdl_fail("cannot open a window");
    /* SDL falls back to an invisible offscreen window when there is no display: say so,
     * unless that is what was asked for. */
    if (strcmp(hark_view_driver(), "offscreen") == 0 && !getenv("SDL_VIDEODRIVER"))
        return hark_error_set(HARK_ERR_DISPLAY, "no display to open a window on (is DISPLAY set?): "
                                                "use --headless, or SDL_VIDEODRIVER=offscreen");
    /* No larger than the screen: a window the display cannot show would only cost memory. */
    SDL_Rect usable;
    if (SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 && usable.h > 0) {
        v->cfg.width = v->cfg.width < usable.w ? v->cfg.width : usable.w;
        v->cfg.height = v->cfg.height < usable.h ? v->cfg.height : usable.h;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    char title[300];
    snprintf(title, sizeof title, "hark - %s", v->cfg.name);
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

static void set_look(hark_view *v)
{
    float lo, hi;
    shown_range(v, &lo, &hi, NULL);
    for (unsigned k = 0; k < v->panes; k++)
        hark_waterfall_set_look(v->waterfall[k], v->cfg.colormap, lo, hi);
}

static void set_units(hark_view *v)
{
    for (unsigned k = 0; k < v->panes; k++) {
        hark_waterfall_set_units(v->waterfall[k], v->cfg.floor_db, v->cfg.pcen);
        hark_waterfall_anchor(v->waterfall[k], v->paused); /* a paused view stays paused */
    }
}

static hark_err make_gl_objects(hark_view *v)
{
    hark_err err;
    if ((err = hark_gl_program("overlay", hark_asset_overlay_vert, hark_asset_overlay_frag,
                               &v->overlay_prog)))
        return err;
    for (unsigned k = 0; k < v->panes; k++) {
        if ((err = hark_waterfall_create(v->cfg.fft_size / 2 + 1, v->cfg.history_rows,
                                         &v->waterfall[k])))
            return err;
        hark_gl_quad_create(&v->pane_quad[k]);
    }
    set_units(v);
    set_look(v);
    if ((err = hark_panels_create(16384, 4 * MAX_CHANNELS, &v->panels)))
        return err;
    hark_gl_quad_create(&v->full_quad);
    glGenTextures(1, &v->overlay_tex);
    glBindTexture(GL_TEXTURE_2D, v->overlay_tex);
    hark_gl_texture_params(GL_NEAREST);
    return HARK_OK;
}

/* A pane a channel analysed, each named ("ch 1", "mid") when there are several or a stack
 * was asked. */
static void name_panes(hark_view *v)
{
    v->panes = v->cfg.lanes > 1 ? v->cfg.lanes : 1;
    v->panes = v->panes > HARK_LANES_MAX ? HARK_LANES_MAX : v->panes;
    for (unsigned k = 0; k < v->panes; k++) {
        char name[12];
        int c = v->cfg.lanes ? v->cfg.lane[k] : HARK_CHANNEL_MIX;
        hark_channel_name(c, name);
        snprintf(v->pane_name[k], sizeof v->pane_name[k], c >= 0 ? "ch %s" : "%s", name);
        v->pane_names[k] = v->panes > 1 || v->cfg.named ? v->pane_name[k] : NULL;
    }
}

hark_err hark_view_create(const hark_view_config *cfg, hark_view **out)
{
    *out = NULL;
    hark_view *v = calloc(1, sizeof *v);
    if (!v)
        return hark_fail(HARK_ERR_NOMEM);
    v->cfg = *cfg;
    v->zoom_lo_hz = cfg->zoom_hi_hz > cfg->zoom_lo_hz ? cfg->zoom_lo_hz : 0;
    v->zoom_hi_hz = cfg->zoom_hi_hz > cfg->zoom_lo_hz ? cfg->zoom_hi_hz : 0;
    name_panes(v);
    v->show_spectrum = v->show_meters = v->show_min = getenv("HARK_NO_PANELS") ? 0 : 1;
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
        for (unsigned k = 0; k < v->panes; k++) {
            hark_waterfall_destroy(v->waterfall[k]);
            if (v->pane_quad[k].vao)
                hark_gl_quad_destroy(&v->pane_quad[k]);
        }
        hark_panels_destroy(v->panels);
        glDeleteTextures(1, &v->overlay_tex);
        glDeleteProgram(v->overlay_prog);
        if (v->full_quad.vao)
            hark_gl_quad_destroy(&v->full_quad);
        SDL_GL_DeleteContext(v->gl);
    }
    if (v->window)
        SDL_DestroyWindow(v->window);
    atomic_store(&wake_type, 0); /* nothing may be pushed once the queue is gone */
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    hark_text_destroy(v->text);
    free(v->overlay);
    free(v->points);
    hark_scale_map_free(&v->map);
    free(v);
}

/* ---- rows, status ------------------------------------------------------------------------------ */

void hark_view_push_row(hark_view *v, const float *db, const float *pcen, size_t stride)
{
    const float *values = v->cfg.pcen ? pcen : db;
    for (unsigned k = 0; k < v->panes; k++)
        hark_waterfall_push(v->waterfall[k], values + k * stride);
    v->dirty = 1;
    /* The readout's level changes under a still mouse: refreshed a few times a second. */
    if (v->mouse_in && SDL_GetTicks() - v->last_overlay_ms >= READOUT_EVERY_MS)
        v->overlay_dirty = 1;
    if ((v->layout.meter_w || v->paused) &&
        SDL_GetTicks() - v->last_overlay_ms >= METERS_EVERY_MS) /* and the time axis */
        v->overlay_dirty = 1;
}

void hark_view_set_analyzer(hark_view *v, const hark_traces *traces, const hark_levels *levels)
{
    int had = v->traces && v->levels;
    v->traces = traces;
    v->levels = levels;
    if (had != (traces && levels) && relayout(v))
        hark_error_clear(); /* shown at the next resize */
    v->overlay_dirty = v->dirty = 1;
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

void hark_view_clear(hark_view *v)
{
    for (unsigned k = 0; k < v->panes; k++) {
        hark_waterfall_clear(v->waterfall[k]);
        hark_waterfall_anchor(v->waterfall[k], v->paused);
    }
    v->overlay_dirty = v->dirty = 1;
}

void hark_view_set_overview(hark_view *v, const hark_overview_state *o)
{
    const hark_layout *l = &v->layout;
    double px_s = l->ov_w > 1 && o->length_s > 0 ? o->length_s / (l->ov_w - 1) : 1.0;
    const hark_overview_state old = v->overview, *w = &old;
    /* Redrawn when a column, the playhead's pixel or the bracket's changes. */
    int moved = o->done != w->done || lround(o->playhead_s / px_s) != lround(w->playhead_s / px_s) ||
                o->loop_to_s != w->loop_to_s || o->loop_from_s != w->loop_from_s ||
                o->rgb != w->rgb;
    v->overview = *o;
    uint64_t first, count; /* the part the waterfall shows */
    hark_waterfall_shown(v->waterfall[0], &first, &count);
    double hop_s = v->cfg.hop / v->cfg.rate_hz;
    v->overview.shown_to_s = v->now_s - (double)hark_waterfall_behind(v->waterfall[0]) * hop_s;
    v->overview.shown_from_s = v->overview.shown_to_s - (count ? count - 1 : 0) * hop_s;
    moved |= lround(v->overview.shown_from_s / px_s) != lround(old.shown_from_s / px_s);
    if (moved)
        v->overlay_dirty = v->dirty = 1;
}

void hark_view_target(const hark_view *v, double *from, double *to)
{
    *from = v->target_s;
    *to = v->target_end_s;
}

void hark_view_set_status(hark_view *v, const char *extra)
{
    if (strcmp(extra, v->status_extra) == 0)
        return;
    snprintf(v->status_extra, sizeof v->status_extra, "%s", extra);
    v->overlay_dirty = v->dirty = 1;
}

/* ---- events ------------------------------------------------------------------------------------ */

/* Move the waterfall's range ends by steps (6 dB, or 0.25 in PCEN's units). */
static void move_range(hark_view *v, int lo_steps, int hi_steps)
{
    float step = v->cfg.pcen ? RANGE_STEP_PCEN : RANGE_STEP_DB;
    float *min = v->cfg.pcen ? &v->cfg.pcen_min : &v->cfg.min_db;
    float *max = v->cfg.pcen ? &v->cfg.pcen_max : &v->cfg.max_db;
    float lo = *min + step * (float)lo_steps, hi = *max + step * (float)hi_steps;
    if (hi - lo < step || lo < -300.0f || hi > 100.0f)
        return;
    *min = lo;
    *max = hi;
}

/* A panel shown or hidden: the data area changes (a failure shows at the next resize). */
static int relayout_key(hark_view *v)
{
    if (relayout(v))
        hark_error_clear();
    return 1;
}

/* A key that changes the view; returns 0 for those the caller acts on. */
static int view_key(hark_view *v, hark_key key)
{
    switch (key) {
    case HARK_KEY_PAUSE: hark_view_nav_pause(v, !v->paused); break;
    case HARK_KEY_HOME: hark_view_nav_pause(v, 0); break;
    case HARK_KEY_PAGE_UP: hark_view_nav_scroll(v, hark_waterfall_lines(v->waterfall[0])); break;
    case HARK_KEY_PAGE_DOWN: hark_view_nav_scroll(v, -(double)hark_waterfall_lines(v->waterfall[0])); break;
    case HARK_KEY_ZOOM_RESET: hark_view_nav_reset(v); break;
    case HARK_KEY_COLORMAP: v->cfg.colormap = (v->cfg.colormap + 1) % HARK_COLORMAP_COUNT; break;
    case HARK_KEY_SCALE: v->cfg.scale = (v->cfg.scale + 1) % HARK_SCALE_COUNT; break;
    case HARK_KEY_RANGE_UP: move_range(v, 1, 1); break;
    case HARK_KEY_RANGE_DOWN: move_range(v, -1, -1); break;
    case HARK_KEY_WIDEN: move_range(v, -1, 0); break;
    case HARK_KEY_NARROW: move_range(v, 1, 0); break;
    case HARK_KEY_PCEN:
        v->cfg.pcen = !v->cfg.pcen;
        set_units(v);
        break;
    case HARK_KEY_PANES:
        v->split_time = !v->split_time;
        return relayout_key(v);
    case HARK_KEY_FULLSCREEN: {
        int full = SDL_GetWindowFlags(v->window) & SDL_WINDOW_FULLSCREEN_DESKTOP;
        SDL_SetWindowFullscreen(v->window, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    }
    case HARK_KEY_HELP: v->help = !v->help; break;
    case HARK_KEY_SPECTRUM: v->show_spectrum = !v->show_spectrum; return relayout_key(v);
    case HARK_KEY_METERS: v->show_meters = !v->show_meters; return relayout_key(v);
    case HARK_KEY_MIN_HOLD: v->show_min = !v->show_min; break;
    default: return 0;
    }
    if ((key == HARK_KEY_SCALE || key == HARK_KEY_PCEN) && hark_view_rescale(v))
        hark_error_clear(); /* out of memory: the old taps stay */
    if (key != HARK_KEY_PAUSE && key != HARK_KEY_FULLSCREEN && key != HARK_KEY_HELP &&
        key != HARK_KEY_MIN_HOLD && key != HARK_KEY_HOME && key != HARK_KEY_PAGE_UP &&
        key != HARK_KEY_PAGE_DOWN && key != HARK_KEY_ZOOM_RESET)
        set_look(v);
    v->overlay_dirty = v->dirty = 1;
    return 1;
}

static hark_view_action on_key(hark_view *v, int keycode)
{
    hark_key key = hark_keys_action(keycode);
    if (view_key(v, key))
        return HARK_VIEW_NONE;
    switch (key) {
    case HARK_KEY_QUIT: return HARK_VIEW_QUIT;
    case HARK_KEY_SNAPSHOT: return HARK_VIEW_SNAPSHOT;
    case HARK_KEY_RECORD: return HARK_VIEW_RECORD;
    case HARK_KEY_SEEK_BACK: return HARK_VIEW_SEEK_BACK;
    case HARK_KEY_SEEK_FORWARD: return HARK_VIEW_SEEK_FORWARD;
    case HARK_KEY_SLOWER: return HARK_VIEW_SLOWER;
    case HARK_KEY_FASTER: return HARK_VIEW_FASTER;
    case HARK_KEY_AVERAGE: return HARK_VIEW_AVERAGE;
    case HARK_KEY_PEAK_HOLD: return HARK_VIEW_PEAK_HOLD;
    case HARK_KEY_RESET_HOLDS: return HARK_VIEW_RESET_HOLDS;
    case HARK_KEY_REFERENCE: return HARK_VIEW_REFERENCE;
    case HARK_KEY_OCTAVE: return HARK_VIEW_OCTAVE;
    case HARK_KEY_WEIGHTING: return HARK_VIEW_WEIGHTING;
    case HARK_KEY_TRACE_OUT: return HARK_VIEW_TRACE_OUT;
    default: return HARK_VIEW_NONE;
    }
}

static hark_view_action on_window(hark_view *v, const SDL_WindowEvent *w)
{
    if (w->event == SDL_WINDOWEVENT_SIZE_CHANGED) {
        if (relayout(v))
            return HARK_VIEW_FAILED; /* out of memory, or the GL cannot follow */
    } else if (w->event == SDL_WINDOWEVENT_LEAVE) {
        v->mouse_in = 0;
        v->overlay_dirty = v->dirty = 1;
    } else if (w->event == SDL_WINDOWEVENT_EXPOSED) {
        v->dirty = 1;
    }
    return HARK_VIEW_NONE;
}

static hark_view_action on_event(hark_view *v, const SDL_Event *e)
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
        hark_view_nav_drag(v);
        v->overlay_dirty = v->dirty = 1;
        return HARK_VIEW_NONE;
    }
    case SDL_MOUSEWHEEL:
        hark_view_nav_wheel(v, e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -e->wheel.y : e->wheel.y);
        return HARK_VIEW_NONE;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
        int dw, dh, ww, wh;
        SDL_GL_GetDrawableSize(v->window, &dw, &dh);
        SDL_GetWindowSize(v->window, &ww, &wh);
        v->mouse_x = ww ? e->button.x * dw / ww : e->button.x;
        v->mouse_y = wh ? e->button.y * dh / wh : e->button.y;
        return hark_view_nav_button(v, &e->button);
    }
    case SDL_WINDOWEVENT: return on_window(v, &e->window);
    default: return HARK_VIEW_NONE;
    }
}

int hark_view_poll(hark_view *v, hark_view_action *action)
{
    SDL_Event e;
    if (!SDL_PollEvent(&e))
        return 0;
    *action = on_event(v, &e);
    return 1;
}

void hark_view_wait(hark_view *v, int ms)
{
    (void)v;
    SDL_WaitEventTimeout(NULL, ms);
}

int hark_view_paused(const hark_view *v)
{
    return v->paused;
}

int hark_view_ms_to_frame(const hark_view *v)
{
    if (!v->dirty && !v->overlay_dirty)
        return -1;
    double wait = v->next_frame_ms - (double)SDL_GetTicks64();
    return wait <= 0 ? 0 : (int)ceil(wait);
}

/* ---- drawing ------------------------------------------------------------------------------------ */

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
    for (unsigned k = 1; k <= l->panes; k++) { /* between the panes, and after the last */
        unsigned px, py;
        hark_overlay_pane(l, k - 1, &px, &py);
        if (l->panes_down)
            overlay_part(v, x0, (int)(py + l->pane_h), x1, k < l->panes ? (int)(py + l->pane_h + l->pane_gap) : y1);
        else
            overlay_part(v, (int)(px + l->pane_w), y0, k < l->panes ? (int)(px + l->pane_w + l->pane_gap) : x1, y1);
    }
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
    double now = (double)SDL_GetTicks64(); /* frames start at most 60 times a second */
    v->next_frame_ms = now - v->next_frame_ms < FRAME_MS ? v->next_frame_ms + FRAME_MS
                                                         : now + FRAME_MS;
    if (v->overlay_dirty) {
        refresh_overlay(v);
        v->last_overlay_ms = SDL_GetTicks();
    }
    glViewport(0, 0, (GLsizei)v->layout.width, (GLsizei)v->layout.height);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    for (unsigned k = 0; k < v->panes; k++)
        hark_waterfall_draw(v->waterfall[k], &v->pane_quad[k], v->cfg.newest_at_top);
    draw_overlay(v);
    draw_panels(v);
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

void hark_view_describe(const hark_view *v, hark_params *p)
{
    const hark_layout *l = &v->layout;
    uint64_t first, shown;
    hark_waterfall_shown(v->waterfall[0], &first, &shown);
    p->analysis.scale = v->cfg.scale;
    p->analysis.height = v->cfg.newest_at_top ? l->pane_w : l->pane_h;
    shown_range(v, &p->analysis.min_db, &p->analysis.max_db, NULL);
    p->analysis.pcen = v->cfg.pcen;
    p->analysis.colormap = v->cfg.colormap;
    p->rows = p->analysis.height;
    p->first_frame = first;
    p->frames = shown;
    p->frames_per_line = hark_waterfall_frames_per_line(v->waterfall[0]);
    if (v->zoom_hi_hz > 0) {
        hark_scale sc;
        hark_view_scale_of(v, &sc);
        p->zoom_hz[0] = sc.lo_hz;
        p->zoom_hz[1] = sc.hi_hz;
    }
    p->orient = v->cfg.newest_at_top ? "top" : "right";
    p->has_area = 1;
    p->area[0] = l->data_x;
    p->area[1] = l->data_y;
    p->area[2] = l->data_w;
    p->area[3] = l->data_h;
    p->panes = v->panes > 1 ? v->panes : 0;
    for (unsigned k = 0; k < p->panes; k++) {
        hark_overlay_pane(l, k, &p->pane_area[k][0], &p->pane_area[k][1]);
        p->pane_area[k][2] = l->pane_w;
        p->pane_area[k][3] = l->pane_h;
    }
    p->panes_side_by_side = v->split_time;
    unsigned spec[4] = {l->spec_x, l->spec_y, l->spec_w, l->spec_h};
    float x0 = 0, x1 = 0, unused;
    if (l->meter_w) {
        hark_overlay_meter_bar(l, 0, 0, &x0, &unused);
        hark_overlay_meter_bar(l, l->meter_channels - 1, 1, &unused, &x1);
    }
    unsigned bars[4] = {(unsigned)x0, l->bar_top, (unsigned)(x1 - x0), l->bar_bottom};
    memcpy(p->spectrum_area, spec, sizeof spec);
    memcpy(p->meter_bars, l->meter_w ? bars : (unsigned[4]){0, 0, 0, 0}, sizeof bars);
    unsigned ov[4] = {l->ov_x, l->ov_y, l->ov_w, l->ov_h};
    memcpy(p->overview_area, ov, sizeof ov);
    p->has_position = v->cfg.file_time;
    p->position_s = v->now_s - (double)hark_waterfall_behind(v->waterfall[0]) * v->cfg.hop /
                                   v->cfg.rate_hz;
}

void hark_view_keys_text(const char *command, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "Keys in the window:\n");
    const char *keys, *does;
    for (size_t i = 0; n < size && hark_keys_help(command, i, &keys, &does); i++)
        n += (size_t)snprintf(buf + n, size - n, "  %-16s%s\n", keys, does);
}
