/* The label font, embedded in the program (see font.h), found through the assembler's include path
 * (the source tree: CMakeLists.txt passes -Wa,-I<source dir>). */
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

        asset hark_asset_font, "assets/fonts/DejaVuSans.ttf"

        .section .note.GNU-stack,"",@progbits
