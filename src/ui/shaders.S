/* The GLSL shaders, embedded in the program (see shaders.h), found through the assembler's include path
 * (the source tree: CMakeLists.txt passes -Wa,-I<source dir>). Each is followed by a NUL, so
 * the shaders are C strings. */
        .macro asset name, file
        .section .rodata
        .global \name
        .global \name\()_end
        .balign 16
\name:
        .incbin "\file"
\name\()_end:
        .byte 0
        .endm

        asset hark_asset_waterfall_vert, "shaders/waterfall.vert"
        asset hark_asset_waterfall_frag, "shaders/waterfall.frag"
        asset hark_asset_scroll_frag, "shaders/scroll.frag"
        asset hark_asset_overlay_vert, "shaders/overlay.vert"
        asset hark_asset_overlay_frag, "shaders/overlay.frag"

        .section .note.GNU-stack,"",@progbits
