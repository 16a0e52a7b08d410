#include "colormap.h"

#include <string.h>

#include "colormap_tables.h"

static const struct {
    const char *name;
    const hark_rgb *table;
} maps[HARK_COLORMAP_COUNT] = {
    [HARK_COLORMAP_MAGMA] = {"magma", hark_table_magma},
    [HARK_COLORMAP_VIRIDIS] = {"viridis", hark_table_viridis},
    [HARK_COLORMAP_INFERNO] = {"inferno", hark_table_inferno},
    [HARK_COLORMAP_GRAY] = {"gray", hark_table_gray},
    [HARK_COLORMAP_JET] = {"jet", hark_table_jet},
};

hark_err hark_colormap_parse(const char *name, hark_colormap_kind *out)
{
    for (int k = 0; k < HARK_COLORMAP_COUNT; k++) {
        if (strcmp(name, maps[k].name) == 0) {
            *out = (hark_colormap_kind)k;
            return HARK_OK;
        }
    }
    return hark_error_set(HARK_ERR_USAGE,
                          "unknown colormap '%s' (magma, viridis, inferno, gray or jet)", name);
}

const char *hark_colormap_name(hark_colormap_kind kind)
{
    return (unsigned)kind < HARK_COLORMAP_COUNT ? maps[kind].name : "?";
}

const hark_rgb *hark_colormap_table(hark_colormap_kind kind)
{
    return (unsigned)kind < HARK_COLORMAP_COUNT ? maps[kind].table : maps[0].table;
}
