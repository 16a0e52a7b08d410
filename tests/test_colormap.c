/* Colour maps: names, the dB -> index quantiser, and tables that read the way users expect. */
#include <string.h>

#include "check.h"
#include "colormap.h"

static double luminance(const uint8_t *c)
{
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static void test_names(void)
{
    const char *names[] = {"magma", "viridis", "inferno", "gray", "jet"};
    for (int i = 0; i < 5; i++) {
        hark_colormap_kind k = HARK_COLORMAP_COUNT;
        CHECK(hark_colormap_parse(names[i], &k) == HARK_OK, "%s parses", names[i]);
        CHECK(strcmp(hark_colormap_name(k), names[i]) == 0, "%s round-trips", names[i]);
    }
    hark_colormap_kind k;
    CHECK(hark_colormap_parse("rainbow", &k) == HARK_ERR_USAGE, "unknown map is a usage error");
    CHECK(strstr(hark_error_message(HARK_ERR_USAGE), "rainbow") != NULL, "message names it");
}

static void test_index(void)
{
    CHECK(hark_colormap_index(-120.0f, -120.0f, 0.0f) == 0, "min is 0");
    CHECK(hark_colormap_index(-500.0f, -120.0f, 0.0f) == 0, "below min clamps");
    CHECK(hark_colormap_index(0.0f, -120.0f, 0.0f) == 255, "max is 255");
    CHECK(hark_colormap_index(6.0f, -120.0f, 0.0f) == 255, "above max clamps");
    CHECK(hark_colormap_index(-60.0f, -120.0f, 0.0f) == 128, "midpoint rounds to 128");
    CHECK(hark_colormap_index(NAN, -120.0f, 0.0f) == 0, "NaN is 0");
    CHECK(hark_colormap_index(-INFINITY, -120.0f, 0.0f) == 0, "-inf is 0");
    CHECK(hark_colormap_index(INFINITY, -120.0f, 0.0f) == 255, "+inf is 255");
    for (int i = 0; i < 256; i++) { /* each level's own dB value maps back to it */
        float db = -100.0f + 100.0f * (float)i / 255.0f;
        CHECK(hark_colormap_index(db, -100.0f, 0.0f) == i, "level %d", i);
    }
}

static void test_tables(void)
{
    const hark_rgb *magma = hark_colormap_table(HARK_COLORMAP_MAGMA);
    CHECK(magma[0][0] == 0 && magma[0][1] == 0 && magma[0][2] == 4, "magma starts black");
    CHECK(magma[255][0] == 252 && magma[255][1] == 253 && magma[255][2] == 191,
          "magma ends pale yellow");
    const hark_rgb *gray = hark_colormap_table(HARK_COLORMAP_GRAY);
    for (int i = 0; i < 256; i++)
        CHECK(gray[i][0] == i && gray[i][1] == i && gray[i][2] == i, "gray %d", i);
    const hark_rgb *jet = hark_colormap_table(HARK_COLORMAP_JET);
    CHECK(jet[0][2] > 100 && jet[0][0] == 0, "jet starts blue");
    CHECK(jet[255][0] > 100 && jet[255][2] == 0, "jet ends red");
    /* The perceptual maps get brighter with level, so loud reads as bright. */
    hark_colormap_kind perceptual[] = {HARK_COLORMAP_MAGMA, HARK_COLORMAP_VIRIDIS,
                                       HARK_COLORMAP_INFERNO};
    for (int m = 0; m < 3; m++) {
        const hark_rgb *t = hark_colormap_table(perceptual[m]);
        int rises = 1;
        for (int i = 8; i < 256; i += 8)
            rises &= luminance(t[i]) > luminance(t[i - 8]);
        CHECK(rises, "%s luminance rises", hark_colormap_name(perceptual[m]));
    }
}

int main(void)
{
    test_names();
    test_index();
    test_tables();
    return check_finish("test_colormap");
}
