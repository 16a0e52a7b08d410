/* The labelled image: the data area is the tile pixel for pixel, and the labels are drawn
 * around it (never over it), from the embedded font. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "image.h"
#include "scale.h"
#include "text.h"

#define FRAMES 300u
#define ROWS 129u

static int is_background(const uint8_t *px)
{
    return px[0] == 24 && px[1] == 24 && px[2] == 24;
}

/* Non-background pixels in a rectangle of the image. */
static size_t inked(const hark_image *im, unsigned x0, unsigned y0, unsigned x1, unsigned y1)
{
    size_t n = 0;
    for (unsigned y = y0; y < y1 && y < im->height; y++)
        for (unsigned x = x0; x < x1 && x < im->width; x++)
            n += !is_background(im->rgb + ((size_t)y * im->width + x) * 3);
    return n;
}

static void test_text(hark_text *text)
{
    CHECK(hark_text_ascent(text) >= 10 && hark_text_ascent(text) <= 16, "13 px font ascent %d",
          hark_text_ascent(text));
    CHECK(hark_text_descent(text) > 0, "descent");
    int w1 = hark_text_width(text, "1");
    int w10 = hark_text_width(text, "10");
    CHECK(w1 > 3 && w10 == 2 * w1, "digits are tabular: %d, %d", w1, w10);
    CHECK(hark_text_width(text, "") == 0, "empty string");
    CHECK(hark_text_width(text, "\xff\xfe") > 0, "invalid UTF-8 draws a replacement");

    uint8_t canvas[40 * 20 * 3];
    memset(canvas, 0, sizeof canvas);
    static const uint8_t white[3] = {255, 255, 255};
    hark_text_draw(text, canvas, 40, 20, 40 * 3, 2, 15, "Hz", white);
    size_t lit = 0;
    for (size_t i = 0; i < sizeof canvas; i++)
        lit += canvas[i] > 128;
    CHECK(lit > 30, "\"Hz\" is drawn (%zu bright channels)", lit);
    hark_text_draw(text, canvas, 40, 20, 40 * 3, -100, 500, "clipped", white); /* no crash */
}

static void test_compose(hark_text *text)
{
    uint8_t *index = malloc((size_t)FRAMES * ROWS);
    for (unsigned f = 0; f < FRAMES; f++)
        for (unsigned r = 0; r < ROWS; r++)
            index[(size_t)f * ROWS + r] = (uint8_t)((f * 7 + r * 3) & 255);
    hark_tile tile = {index, FRAMES, ROWS};
    hark_scale scale;
    hark_scale_init(&scale, HARK_SCALE_LINEAR, ROWS, 16000, 256);
    hark_labels lb = {"test.wav   16000 Hz   fft 256", 0.0, 128.0 / 16000, &scale, -120, 0,
                      hark_colormap_table(HARK_COLORMAP_VIRIDIS), NULL, 0, NULL};
    hark_image im;
    CHECK(hark_image_compose(&tile, &lb, text, &im) == HARK_OK, "compose");
    CHECK(im.width > FRAMES + 60 && im.height > ROWS + 40, "room for the axes: %u x %u", im.width,
          im.height);
    CHECK(im.data_x > 20 && im.data_y > 20, "data area inset at %u,%u", im.data_x, im.data_y);

    size_t wrong = 0;
    for (unsigned f = 0; f < FRAMES; f++)
        for (unsigned r = 0; r < ROWS; r++) {
            const uint8_t *px =
                im.rgb + ((size_t)(im.data_y + ROWS - 1 - r) * im.width + im.data_x + f) * 3;
            wrong += memcmp(px, lb.palette[index[(size_t)f * ROWS + r]], 3) != 0;
        }
    CHECK(wrong == 0, "data area is the tile pixel for pixel (%zu wrong)", wrong);

    CHECK(inked(&im, 0, 0, im.width, im.data_y - 1) > 100, "title and units above the data");
    CHECK(inked(&im, 0, im.data_y, im.data_x - 8, im.data_y + ROWS) > 50, "frequency labels");
    CHECK(inked(&im, im.data_x, im.data_y + ROWS + 8, im.data_x + FRAMES, im.height) > 50,
          "time labels");
    unsigned bar_x = im.data_x + FRAMES + 15;
    const uint8_t *bar_top = im.rgb + ((size_t)im.data_y * im.width + bar_x) * 3;
    const uint8_t *bar_bottom = im.rgb + ((size_t)(im.data_y + ROWS - 1) * im.width + bar_x) * 3;
    CHECK(memcmp(bar_top, lb.palette[255], 3) == 0, "colour bar top is the loudest colour");
    CHECK(memcmp(bar_bottom, lb.palette[0], 3) == 0, "colour bar bottom is the quietest");
    free(im.rgb);

    /* A one-frame, two-row tile still gets a readable (title-wide) image. */
    hark_scale_init(&scale, HARK_SCALE_LINEAR, 2, 8000, 2);
    hark_tile tiny = {index, 1, 2};
    CHECK(hark_image_compose(&tiny, &lb, text, &im) == HARK_OK, "tiny compose");
    CHECK((int)im.width >= hark_text_width(text, lb.title), "tiny image fits the title");
    free(im.rgb);
    free(index);
}

int main(void)
{
    hark_text *text = NULL;
    CHECK(hark_text_create(13, &text) == HARK_OK, "embedded font loads");
    if (text) {
        test_text(text);
        test_compose(text);
    }
    hark_text_destroy(text);
    return check_finish("test_image");
}
