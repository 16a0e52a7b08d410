/* The live window's overlay, without GL: where the data area goes, that it is left clear for
 * the waterfall, what is drawn around it, note names, and pixel <-> frequency/age. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "overlay.h"

static void test_notes(void)
{
    char buf[32];
    hark_overlay_note(440.0, buf, sizeof buf);
    CHECK(strcmp(buf, "A4 +0 c") == 0, "440 Hz is A4: %s", buf);
    hark_overlay_note(261.6256, buf, sizeof buf);
    CHECK(strcmp(buf, "C4 +0 c") == 0, "middle C: %s", buf);
    hark_overlay_note(1000.0, buf, sizeof buf);
    CHECK(strcmp(buf, "B5 +21 c") == 0, "1 kHz is B5 +21 cents: %s", buf);
    hark_overlay_note(10.0, buf, sizeof buf);
    CHECK(buf[0] == '\0', "no note below 20 Hz");
}

/* play's time axis: positions in the file, rounded once (no "00:60.0"). */
static void test_clock(void)
{
    char buf[32];
    hark_overlay_clock(83.44, 1, buf, sizeof buf);
    CHECK(strcmp(buf, "01:23.4") == 0, "83.44 s: %s", buf);
    hark_overlay_clock(59.96, 1, buf, sizeof buf);
    CHECK(strcmp(buf, "01:00.0") == 0, "59.96 s rounds up to a whole minute: %s", buf);
    hark_overlay_clock(3723.0, 1, buf, sizeof buf);
    CHECK(strcmp(buf, "1:02:03.0") == 0, "hours: %s", buf);
    hark_overlay_clock(5.0, 0, buf, sizeof buf);
    CHECK(strcmp(buf, "00:05") == 0, "no decimals: %s", buf);
    hark_overlay_clock(-0.5, 1, buf, sizeof buf);
    CHECK(buf[0] == '\0', "before the start: nothing");
}

static void test_layout_and_draw(hark_text *text, int newest_at_top)
{
    hark_layout l;
    hark_overlay_layout(1280, 720, newest_at_top, 0, text, &l);
    CHECK(l.data_x > 20 && l.data_y > 20, "margins for the axes and status line");
    CHECK(l.data_x + l.data_w < 1280 - 40, "room for the colour bar at the right");
    CHECK(l.data_y + l.data_h < 720 - 20, "room for the bottom axis");
    CHECK(l.data_w > 1000 && l.data_h > 550, "the data area is most of the window: %u x %u",
          l.data_w, l.data_h);

    hark_overlay_state st = {.newest_at_top = newest_at_top, .scale = HARK_SCALE_LINEAR,
                             .rate_hz = 48000, .fft_size = 2048, .min_db = -120, .max_db = 0,
                             .palette = hark_colormap_table(HARK_COLORMAP_MAGMA),
                             .frame_s = 1024 / 48000.0, .status = "default   48000 Hz",
                             .readout = 1, .mouse_x = (int)(l.data_x + 100),
                             .mouse_y = (int)(l.data_y + 100), .readout_text = "-1.00 s   1000 Hz"};
    uint8_t *rgba = malloc(1280 * 720 * 4);
    hark_rect boxes;
    hark_overlay_draw(&st, &l, text, rgba, &boxes);
    size_t clear = 0, boxed = 0;
    for (unsigned y = l.data_y; y < l.data_y + l.data_h; y++)
        for (unsigned x = l.data_x; x < l.data_x + l.data_w; x++) {
            uint8_t a = rgba[((size_t)y * 1280 + x) * 4 + 3];
            clear += a == 0;
            boxed += a > 0;
        }
    CHECK(boxed > 500 && boxed < 20000, "only the readout box covers the data: %zu", boxed);
    CHECK(clear + boxed == (size_t)l.data_w * l.data_h, "the rest of the data area is clear");
    CHECK((size_t)boxes.w * (size_t)boxes.h == boxed, "the box rectangle is reported: %d x %d",
          boxes.w, boxes.h);
    size_t opaque = 0, lit = 0;
    for (size_t i = 0; i < 1280u * 720u; i++) {
        unsigned x = (unsigned)(i % 1280), y = (unsigned)(i / 1280);
        int inside = x >= l.data_x && x < l.data_x + l.data_w && y >= l.data_y &&
                     y < l.data_y + l.data_h;
        if (!inside) {
            opaque += rgba[i * 4 + 3] == 255;
            lit += rgba[i * 4] > 150;
        }
    }
    CHECK(opaque == 1280u * 720u - (size_t)l.data_w * l.data_h, "everything around is opaque");
    CHECK(lit > 2000, "labels, status line and colour bar are drawn (%zu bright)", lit);
    free(rgba);

    double along, age;
    unsigned pane = 9;
    int x = (int)l.data_x, y = (int)l.data_y;
    CHECK(hark_overlay_locate(&l, newest_at_top, x, y, &pane, &along, &age), "top-left is inside");
    CHECK(pane == 0, "in the one pane");
    if (newest_at_top)
        CHECK(along == 0.0 && age == 0.0, "top-left: 0 Hz, newest");
    else
        CHECK(along == 1.0 && age > 0.99, "top-left: Nyquist, oldest");
    CHECK(!hark_overlay_locate(&l, newest_at_top, x - 1, y, &pane, &along, &age), "outside on the left");
    hark_scale s;
    hark_overlay_scale(&st, &l, &s);
    CHECK(s.rows == (newest_at_top ? l.data_w : l.data_h), "one scale row per pixel");
}

/* Two rectangles share no pixel. */
static int apart(unsigned ax, unsigned ay, unsigned aw, unsigned ah, unsigned bx, unsigned by,
                 unsigned bw, unsigned bh)
{
    return ax + aw <= bx || bx + bw <= ax || ay + ah <= by || by + bh <= ay;
}

/* With the analyzer's panels: the spectrum panel shares the data area's frequency axis (same
 * columns, or the same rows), nothing overlaps, all is inside the window, the meters' bars run
 * from 0 dBFS at the top to -60 at the bottom, and the help box (every key) fits. */
static void test_panels(hark_text *text, int newest_at_top)
{
    hark_panels_shown shown = {1, 1, 2, 1, 0, 0};
    hark_layout l;
    hark_overlay_layout_panels(1280, 720, newest_at_top, 0, &shown, text, &l);
    CHECK(l.spec_w > 0 && l.meter_w > 0, "both panels laid out");
    if (newest_at_top)
        CHECK(l.spec_x == l.data_x && l.spec_w == l.data_w && l.spec_y > l.data_y + l.data_h,
              "under the data area, the same columns");
    else
        CHECK(l.spec_y == l.data_y && l.spec_h == l.data_h && l.spec_x > l.data_x + l.data_w,
              "at the right of the data area, the same rows");
    CHECK(apart(l.data_x, l.data_y, l.data_w, l.data_h, l.spec_x, l.spec_y, l.spec_w, l.spec_h),
          "the panel leaves the waterfall alone");
    CHECK(apart(l.spec_x, l.spec_y, l.spec_w, l.spec_h, l.meter_x, l.meter_y, l.meter_w,
                l.meter_h) && l.meter_x + l.meter_w <= 1280 && l.spec_y + l.spec_h < 720,
          "the meters are apart, everything is inside the window");
    CHECK(hark_overlay_meter_y(&l, 0.0) == (float)l.bar_top &&
              hark_overlay_meter_y(&l, -60.0) == (float)l.bar_bottom &&
              hark_overlay_meter_y(&l, -200.0) == (float)l.bar_bottom &&
              hark_overlay_meter_y(&l, 6.0) == (float)l.bar_top,
          "0 dBFS at the top, -60 at the bottom, clamped");
    float x0, x1, y0, y1;
    hark_overlay_spectrum_point(&l, newest_at_top, 0, 1.0, &x0, &y0);
    hark_overlay_spectrum_point(&l, newest_at_top, 0, 0.0, &x1, &y1);
    CHECK(x0 >= l.spec_x && y0 >= l.spec_y && x0 < l.spec_x + l.spec_w &&
              y1 < l.spec_y + l.spec_h, "a trace's points are inside the panel");
    hark_overlay_state st = {.newest_at_top = newest_at_top, .scale = HARK_SCALE_LOG,
                             .rate_hz = 48000, .fft_size = 2048, .min_db = -120, .max_db = 0,
                             .palette = hark_colormap_table(HARK_COLORMAP_MAGMA),
                             .frame_s = 1024 / 48000.0, .status = "default", .help = 1,
                             .command = "play"};
    uint8_t *rgba = malloc(1280 * 720 * 4);
    hark_rect boxes;
    hark_overlay_draw(&st, &l, text, rgba, &boxes);
    CHECK(boxes.w > 0 && boxes.x >= (int)l.data_x && boxes.y >= (int)l.data_y &&
              boxes.x + boxes.w <= (int)(l.data_x + l.data_w) &&
              boxes.y + boxes.h <= (int)(l.data_y + l.data_h),
          "the help box with every key fits in the data area: %d x %d", boxes.w, boxes.h);
    const uint8_t *mid = rgba + ((size_t)(l.spec_y + l.spec_h / 2) * 1280 + l.spec_x + 3) * 4;
    CHECK(mid[3] == 255, "the panel is opaque under the traces");
    free(rgba);
}

/* Several channels' panes and play's overview strip: inside the data area and the window,
 * apart, and found again by locate and overview_at. */
static void test_panes_and_overview(hark_text *text, int newest_at_top, int split_time)
{
    hark_panels_shown shown = {1, 1, 2, 3, split_time, 1};
    hark_layout l;
    hark_overlay_layout_panels(1280, 720, newest_at_top, 1, &shown, text, &l);
    CHECK(l.panes == 3 && l.pane_gap > 0, "three panes, apart (%u, gap %u)", l.panes, l.pane_gap);
    CHECK(l.panes_down == (split_time == newest_at_top), "stacked panes share the frequency "
          "axis out, side by side ones the time axis");
    unsigned x, y;
    hark_overlay_pane(&l, 2, &x, &y);
    CHECK(x + l.pane_w <= l.data_x + l.data_w && y + l.pane_h <= l.data_y + l.data_h,
          "the last pane is inside the data area");
    unsigned pane = 9;
    double along, age;
    CHECK(hark_overlay_locate(&l, newest_at_top, (int)(x + 3), (int)(y + 3), &pane, &along, &age) &&
              pane == 2, "a point of the last pane is in pane 3 (%u)", pane + 1);
    hark_overlay_pane(&l, 1, &x, &y);
    int gx = l.panes_down ? (int)x + 3 : (int)x - 2, gy = l.panes_down ? (int)y - 2 : (int)y + 3;
    CHECK(!hark_overlay_locate(&l, newest_at_top, gx, gy, &pane, &along, &age),
          "the gap between two panes is in none");
    CHECK(l.ov_w > 0 && l.ov_y > l.data_y + l.data_h && l.ov_y + l.ov_h <= 720 &&
              l.ov_x + l.ov_w <= 1280, "the overview strip is under the data area, inside");
    double t = -1;
    CHECK(hark_overlay_overview_at(&l, 10.0, (int)l.ov_x, (int)l.ov_y, &t) && t == 0.0 &&
              hark_overlay_overview_at(&l, 10.0, (int)(l.ov_x + l.ov_w - 1), (int)l.ov_y, &t) &&
              t == 10.0 && !hark_overlay_overview_at(&l, 10.0, (int)l.ov_x - 1, (int)l.ov_y, &t),
          "its ends are the file's start and end");
}

int main(void)
{
    hark_text *text;
    if (hark_text_create(13, &text) != HARK_OK)
        return 1;
    test_notes();
    test_clock();
    test_layout_and_draw(text, 1);
    test_layout_and_draw(text, 0);
    test_panels(text, 1);
    test_panels(text, 0);
    for (int top = 0; top < 2; top++)
        for (int side = 0; side < 2; side++)
            test_panes_and_overview(text, top, side);
    hark_text_destroy(text);
    return check_finish("test_overlay");
}
