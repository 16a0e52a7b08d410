#ifndef HARK_ASSETS_H
#define HARK_ASSETS_H
/* Files from assets/ embedded at build time (src/assets.S). Read-only, any thread. */

/* DejaVu Sans (assets/fonts/DejaVuSans.ttf, licence in assets/fonts/LICENSE.DejaVu). */
extern const unsigned char hark_asset_font[];
extern const unsigned char hark_asset_font_end[];

#endif
