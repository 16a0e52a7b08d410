#ifndef HARK_COLORMAP_TABLES_H
#define HARK_COLORMAP_TABLES_H
/* The generated tables (src/core/colormap_tables.c, by scripts/gen-colormaps.py). */
#include "colormap.h"

extern const hark_rgb hark_table_magma[256];
extern const hark_rgb hark_table_viridis[256];
extern const hark_rgb hark_table_inferno[256];
extern const hark_rgb hark_table_gray[256];
extern const hark_rgb hark_table_jet[256];

#endif
