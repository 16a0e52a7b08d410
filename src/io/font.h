#ifndef HARK_FONT_H
#define HARK_FONT_H
/* The label font, embedded at build time (font.S): DejaVu Sans (assets/fonts/DejaVuSans.ttf,
 * licence in assets/fonts/LICENSE.DejaVu). Read-only, any thread. */

extern const unsigned char hark_asset_font[];
extern const unsigned char hark_asset_font_end[];

#endif
