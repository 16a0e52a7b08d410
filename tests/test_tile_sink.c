/* The image sinks: recording strips cut where they should be, none lost or repeated at the
 * end of a strip or of the recording, pauses keep the session's frame numbers (written by the
 * real writer thread); render's tiles appear only at commit, and an abort leaves nothing.
 * Read back with libpng. */
#include <dirent.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tile_sink.h"

#define ROWS 5u

static char dir[] = "/tmp/hark-test-tile-sink-XXXXXX";

/* The PNGs in dir, in name order: their widths (and first_frame from their parameters); each
 * is removed after. */
static int images_in_dir(unsigned *widths, unsigned *firsts, int max)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char names[16][300];
    int n = 0;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".png") && n < 16)
            snprintf(names[n++], sizeof names[0], "%s/%s", dir, e->d_name);
    if (d)
        closedir(d);
    qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < n && i < max; i++) {
        png_image im = {.version = PNG_IMAGE_VERSION};
        widths[i] = png_image_begin_read_from_file(&im, names[i]) ? im.width : 0;
        png_image_free(&im);
        firsts[i] = 0;
        FILE *f = fopen(names[i], "rb");
        char buf[4096] = {0};
        if (f) {
            size_t got = fread(buf, 1, sizeof buf - 1, f);
            for (size_t k = 0; k + 15 < got; k++)
                if (memcmp(buf + k, "\"first_frame\": ", 15) == 0) {
                    firsts[i] = (unsigned)atoi(buf + k + 15);
                    break;
                }
            fclose(f);
        }
        unlink(names[i]);
    }
    return n;
}

/* rate 1000 Hz, hop 250: one second is exactly 4 frames. */
static hark_sink_start start_of(hark_scale *scale)
{
    hark_sink_start s = {.params = {.command = "live", .source = "test", .rate_hz = 1000,
                                    .channels = 1, .rows = ROWS},
                         .scale = scale, .total_frames = -1};
    hark_analysis_defaults(&s.params.analysis, 512);
    s.params.analysis.hop = 250;
    s.params.analysis.colormap = HARK_COLORMAP_GRAY;
    hark_scale_init(scale, HARK_SCALE_LINEAR, ROWS, 1000, 512);
    return s;
}

static void record(unsigned pushes, int pause_at, int resume_at, unsigned *widths,
                   unsigned *firsts, int *n)
{
    hark_writer *w;
    CHECK(hark_writer_start(dir, NULL, NULL, &w) == HARK_OK, "writer");
    char path[300];
    snprintf(path, sizeof path, "%s/hark-session.png", dir);
    hark_tile_sink_config cfg = {.path = path, .tile_seconds = 1.0, .strips = w};
    hark_sink *s = hark_tile_sink_create(&cfg);
    hark_scale scale;
    hark_sink_start start = start_of(&scale);
    CHECK(s && s->ops->begin(s, &start) == HARK_OK, "begin");
    float row[ROWS] = {-60, -60, -60, -60, -60};
    int paused = 0;
    for (unsigned i = 0; i < pushes; i++) {
        if ((int)i == pause_at) {
            paused = 1;
            hark_tile_sink_flush(s);
        }
        if ((int)i == resume_at)
            paused = 0;
        if (!paused)
            CHECK(s->ops->frames(s, i, 1, row) == HARK_OK, "frame %u", i);
    }
    hark_sink_summary sum = {.frames = pushes};
    CHECK(s->ops->end(s, &sum) == HARK_OK, "end");
    s->ops->destroy(s);
    CHECK(hark_writer_stop(w) == HARK_OK, "written");
    *n = images_in_dir(widths, firsts, 16);
}

static void test_strips(void)
{
    unsigned w[16], f[16];
    int n;
    record(8, -1, -1, w, f, &n);
    CHECK(n == 2 && w[0] == 4 && w[1] == 4, "8 frames: two whole strips, nothing after (%d)", n);
    record(9, -1, -1, w, f, &n);
    CHECK(n == 3 && w[2] == 1 && f[2] == 8, "9 frames: the last strip holds the one left (%d)", n);
    record(12, 2, 6, w, f, &n);
    CHECK(n == 3 && w[0] == 2 && w[1] == 4 && w[2] == 2,
          "a pause hands over what it had; frames after it start new strips (%d: %u %u %u)", n,
          w[0], w[1], w[2]);
    CHECK(f[0] == 0 && f[1] == 6 && f[2] == 10, "the strips keep the session's frame numbers "
          "(%u %u %u)", f[0], f[1], f[2]);
    record(3, 0, -1, w, f, &n);
    CHECK(n == 0, "paused from the start: nothing written");
}

/* Render's tiles: nothing under the final names before commit; abort leaves nothing. */
static void test_tiles_appear_at_commit(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/out.png", dir);
    for (int commit = 0; commit < 2; commit++) {
        hark_tile_sink_config cfg = {.path = path, .tile_seconds = 1.0};
        hark_sink *s = hark_tile_sink_create(&cfg);
        hark_scale scale;
        hark_sink_start start = start_of(&scale);
        start.total_frames = 10;
        CHECK(s->ops->begin(s, &start) == HARK_OK, "begin");
        float row[ROWS] = {-10, -20, -30, -40, -50};
        for (unsigned i = 0; i < 10; i++)
            s->ops->frames(s, i, 1, row);
        hark_sink_summary sum = {.frames = 10};
        CHECK(s->ops->end(s, &sum) == HARK_OK, "end");
        unsigned w[16], f[16];
        CHECK(access(path, F_OK) != 0, "no tile before commit");
        if (commit)
            CHECK(s->ops->commit(s) == HARK_OK, "commit");
        else
            s->ops->abort(s);
        CHECK(hark_tile_sink_count(s) == 3, "three tiles made");
        s->ops->destroy(s);
        int n = images_in_dir(w, f, 16);
        if (commit)
            CHECK(n == 3 && w[0] == 4 && w[1] == 4 && w[2] == 2 && f[2] == 8,
                  "committed: 4 + 4 + 2 frames (%d)", n);
        else
            CHECK(n == 0, "aborted: nothing (%d)", n);
        DIR *d = opendir(dir);
        struct dirent *e;
        int left = 0;
        while (d && (e = readdir(d)))
            left += e->d_name[0] != '.';
        closedir(d);
        CHECK(left == 0, "no temporary file left (%d)", left);
    }
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_strips();
    test_tiles_appear_at_commit();
    rmdir(dir);
    return check_finish("test_tile_sink");
}
