/* Recording strips: cut where they should be, none lost or repeated at the end of a strip or
 * of the recording, pauses keep the session's frame numbers. Written by the real writer
 * thread and read back with libpng. */
#include <dirent.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "recorder.h"

#define ROWS 5u

static char dir[] = "/tmp/hark-test-recorder-XXXXXX";

static int strips_in_dir(unsigned *widths, int max)
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
        unlink(names[i]);
    }
    return n;
}

/* rate 1000 Hz, hop 250: strip_seconds 1 is exactly 4 frames. */
static void record(unsigned pushes, int pause_at, int resume_at, unsigned *widths, int *n)
{
    hark_snapshots *w;
    hark_snapshots_start(dir, NULL, NULL, &w);
    hark_recorder_config cfg = {.dir = dir, .strip_seconds = 1.0, .rate_hz = 1000, .fft_size = 512,
                                .hop = 250, .rows = ROWS, .window = "hann",
                                .scale = HARK_SCALE_LINEAR, .min_db = -120, .max_db = 0,
                                .colormap = HARK_COLORMAP_GRAY, .device = "test", .writer = w};
    hark_recorder *r;
    CHECK(hark_recorder_create(&cfg, &r) == HARK_OK, "create");
    float row[ROWS] = {-60, -60, -60, -60, -60};
    for (unsigned i = 0; i < pushes; i++) {
        if ((int)i == pause_at)
            hark_recorder_set_paused(r, 1);
        if ((int)i == resume_at)
            hark_recorder_set_paused(r, 0);
        hark_recorder_push(r, row);
    }
    hark_recorder_finish(r);
    const char *bad;
    CHECK(hark_snapshots_stop(w, &bad) == HARK_OK, "written");
    *n = strips_in_dir(widths, 16);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    unsigned w[16];
    int n;
    record(8, -1, -1, w, &n);
    CHECK(n == 2 && w[0] == 4 && w[1] == 4, "8 frames: two whole strips, nothing after (%d)", n);
    record(9, -1, -1, w, &n);
    CHECK(n == 3 && w[2] == 1, "9 frames: the last strip holds the one left (%d)", n);
    record(12, 2, 6, w, &n);
    CHECK(n == 3 && w[0] == 2 && w[1] == 4 && w[2] == 2,
          "a pause hands over what it had; frames after it start new strips (%d: %u %u %u)", n,
          w[0], w[1], w[2]);
    record(3, 0, -1, w, &n);
    CHECK(n == 0, "paused from the start: nothing written");
    rmdir(dir);
    return check_finish("test_recorder");
}
