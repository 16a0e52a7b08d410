#ifndef HARK_SHADERS_H
#define HARK_SHADERS_H
/* GLSL 3.30 core sources from shaders/, embedded at build time (shaders.S). Each ends at its
 * _end symbol, where a NUL follows, so they are C strings. Read-only, any thread. */

extern const char hark_asset_waterfall_vert[], hark_asset_waterfall_vert_end[];
extern const char hark_asset_waterfall_frag[], hark_asset_waterfall_frag_end[];
extern const char hark_asset_scroll_frag[], hark_asset_scroll_frag_end[];
extern const char hark_asset_overlay_vert[], hark_asset_overlay_vert_end[];
extern const char hark_asset_overlay_frag[], hark_asset_overlay_frag_end[];
extern const char hark_asset_flat_vert[], hark_asset_flat_vert_end[];
extern const char hark_asset_flat_frag[], hark_asset_flat_frag_end[];

#endif
