/* Binary assets embedded in the program (see assets.h). */
        .section .rodata
        .global hark_asset_font
        .global hark_asset_font_end
        .balign 16
hark_asset_font:
        .incbin HARK_FONT_FILE
hark_asset_font_end:
        .byte 0
        .section .note.GNU-stack,"",@progbits
