/* The GLSL shaders, embedded in the program (see shaders.h). */
        .include "src/embed.inc"

        asset hark_asset_waterfall_vert, "shaders/waterfall.vert"
        asset hark_asset_waterfall_frag, "shaders/waterfall.frag"
        asset hark_asset_scroll_frag, "shaders/scroll.frag"
        asset hark_asset_overlay_vert, "shaders/overlay.vert"
        asset hark_asset_overlay_frag, "shaders/overlay.frag"
        asset hark_asset_flat_vert, "shaders/flat.vert"
        asset hark_asset_flat_frag, "shaders/flat.frag"

        .section .note.GNU-stack,"",@progbits
