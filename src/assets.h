#ifndef HARK_ASSETS_H
#define HARK_ASSETS_H
/* Files from assets/ and shaders/ embedded at build time (src/assets.S). Each ends at its
 * _end symbol, where a NUL follows, so the shaders are C strings. Read-only, any thread. */

/* DejaVu Sans (assets/fonts/DejaVuSans.ttf, licence in assets/fonts/LICENSE.DejaVu). */
extern const unsigned char hark_asset_font[];
extern const unsigned char hark_asset_font_end[];

/* GLSL 3.30 core sources from shaders/. */
extern const char hark_asset_waterfall_vert[], hark_asset_waterfall_vert_end[];
extern const char hark_asset_waterfall_frag[], hark_asset_waterfall_frag_end[];
extern const char hark_asset_scroll_frag[], hark_asset_scroll_frag_end[];
extern const char hark_asset_overlay_vert[], hark_asset_overlay_vert_end[];
extern const char hark_asset_overlay_frag[], hark_asset_overlay_frag_end[];

#endif
