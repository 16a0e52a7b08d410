#include "pngwrite.h"

#include <errno.h>
#include <png.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "outfile.h"
#include "zlines.h"

/* Spectrogram palette images are mostly noise-like texture with runs of floor (silence): on a
 * 14-minute render, run-length deflate unfiltered was 2.5x faster than zlib level 1 and 6 %
 * smaller (0.31 s, 25.7 MB against 0.76 s, 27.4 MB); SUB filtering only made it larger; the
 * Huffman block coder (huffblock.h) is six times faster still. The image data is compressed by all
 * cores at once (zlines.h); libpng writes the chunks. */
#define HARK_PNG_ZLIB_LEVEL 1
#define HARK_PNG_ZLIB_STRATEGY Z_RLE

typedef struct {
    hark_outfile *file;
    png_structp png;
    png_infop info;
    char message[200];
    int write_errno;   /* errno of the write that failed (EPIPE: the reader went away) */
} writer;

static void on_error(png_structp png, png_const_charp msg)
{
    writer *w = png_get_error_ptr(png);
    int e = errno; /* libpng's write error comes from fwrite: say why it failed */
    w->write_errno = e;
    if (e)
        snprintf(w->message, sizeof w->message, "cannot write it: %s (libpng: %s)", strerror(e), msg);
    else
        snprintf(w->message, sizeof w->message, "libpng: %s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static hark_err writer_open(writer *w, hark_outfile *of)
{
    memset(w, 0, sizeof *w);
    w->file = of;
    w->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, w, on_error, on_warning);
    w->info = w->png ? png_create_info_struct(w->png) : NULL;
    if (!w->info) {
        png_destroy_write_struct(&w->png, NULL);
        hark_outfile_abort(of);
        return hark_fail(HARK_ERR_NOMEM);
    }
    return HARK_OK;
}

/* libpng's message as the error, about the file. */
static hark_err writer_error(writer *w)
{
    if (w->write_errno == EPIPE)
        return hark_error_at(HARK_ERR_PIPE, w->file->path, "the reader went away");
    return hark_error_at(HARK_ERR_WRITE, w->file->path, "%s", w->message);
}

static void writer_fail(writer *w)
{
    png_destroy_write_struct(&w->png, &w->info);
    hark_outfile_abort(w->file);
}

static hark_err writer_close(writer *w)
{
    png_destroy_write_struct(&w->png, &w->info);
    return hark_outfile_close(w->file);
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* Everything before the pixel lines. Must run inside the caller's setjmp. */
static void write_header(writer *w, unsigned width, unsigned height, int color_type,
                         const hark_png_text *texts, unsigned ntexts)
{
    png_init_io(w->png, w->file->fp);
    /* libpng refuses widths over 1,000,000 by default even when writing: long recordings are
     * wider than that, and the PNG format allows 2^31-1. */
    png_set_user_limits(w->png, 0x7fffffff, 0x7fffffff);
    png_set_IHDR(w->png, w->info, width, height, 8, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_text chunks[8];
    unsigned n = ntexts < 8 ? ntexts : 8;
    for (unsigned i = 0; i < n; i++) { /* readers take tEXt as Latin-1: UTF-8 goes in iTXt */
        int ascii = is_ascii(texts[i].value);
        chunks[i] = (png_text){.compression = ascii ? PNG_TEXT_COMPRESSION_NONE
                                                    : PNG_ITXT_COMPRESSION_NONE,
                               .key = (char *)texts[i].key,
                               .text = (char *)texts[i].value};
    }
    if (n)
        png_set_text(w->png, w->info, chunks, (int)n);
}

/* What the compressor's callbacks need: the writer for the chunks, the pixels for the lines. */
typedef struct {
    writer *w;
    hark_png_deflate deflate;
    const hark_tile *tile;     /* palette image, or */
    const uint8_t *rgb;        /* RGB image */
    size_t rgb_line;
} image_job;

/* One IDAT chunk; an error is returned rather than libpng's longjmp out of the compressor. */
static hark_err write_idat(void *ctx, const uint8_t *data, size_t len)
{
    writer *w = ((image_job *)ctx)->w;
    if (setjmp(png_jmpbuf(w->png)))
        return writer_error(w);
    errno = 0;
    png_write_chunk(w->png, (png_const_bytep) "IDAT", data, len);
    return HARK_OK;
}

static hark_err write_iend(writer *w)
{
    if (setjmp(png_jmpbuf(w->png)))
        return writer_error(w);
    errno = 0;
    png_write_chunk(w->png, (png_const_bytep) "IEND", NULL, 0);
    return HARK_OK;
}

/* Tile lines [top, top+count): line j shows row rows-1-top-j (kernels.h: 16 x 16 SSE2
 * transposes, blocked over frames so the source stays in L1). */
static void fill_tile_lines(void *ctx, unsigned top, unsigned count, uint8_t *dst, size_t stride)
{
    const hark_tile *t = ((image_job *)ctx)->tile;
    hark_kernel_tile_lines(t->index, t->rows, t->frames, t->rows - 1 - top, count, dst, stride);
}

static void fill_rgb_lines(void *ctx, unsigned top, unsigned count, uint8_t *dst, size_t stride)
{
    const image_job *job = ctx;
    for (unsigned j = 0; j < count; j++)
        memcpy(dst + j * stride, job->rgb + (size_t)(top + j) * job->rgb_line, job->rgb_line);
}

/* Header, image data, end; the file is committed only when all of it was written. */
static hark_err write_png(writer *w, image_job *job, unsigned width, unsigned height,
                          int color_type, const png_color *palette, const hark_png_text *texts,
                          unsigned ntexts, const atomic_int *stop)
{
    if (setjmp(png_jmpbuf(w->png))) {
        hark_err err = writer_error(w);
        writer_fail(w);
        return err;
    }
    errno = 0;
    write_header(w, width, height, color_type, texts, ntexts);
    if (palette)
        png_set_PLTE(w->png, w->info, palette, 256);
    png_write_info(w->png, w->info);
    size_t line_bytes = color_type == PNG_COLOR_TYPE_PALETTE ? width : (size_t)width * 3;
    hark_zlines_job z = {height, line_bytes, job->deflate == HARK_PNG_HUFFMAN,
                         HARK_PNG_ZLIB_LEVEL, HARK_PNG_ZLIB_STRATEGY,
                         job->tile ? fill_tile_lines : fill_rgb_lines, write_idat, job, stop};
    hark_err err = hark_zlines_compress(&z);
    if (!err)
        err = write_iend(w);
    if (err) {
        hark_error_subject(w->file->path);
        writer_fail(w);
        return err;
    }
    return writer_close(w);
}

hark_err hark_png_write_tile(hark_outfile *of, const hark_tile *tile, const hark_rgb *palette,
                             const hark_png_text *texts, unsigned ntexts, hark_png_deflate deflate,
                             const atomic_int *stop)
{
    writer w;
    hark_err err = writer_open(&w, of);
    if (err)
        return err;
    png_color pal[256];
    for (int i = 0; i < 256; i++)
        pal[i] = (png_color){palette[i][0], palette[i][1], palette[i][2]};
    image_job job = {.w = &w, .deflate = deflate, .tile = tile};
    return write_png(&w, &job, tile->frames, tile->rows, PNG_COLOR_TYPE_PALETTE, pal, texts,
                     ntexts, stop);
}

hark_err hark_png_write_rgb(hark_outfile *of, const uint8_t *rgb, unsigned width,
                            unsigned height, const hark_png_text *texts, unsigned ntexts,
                            hark_png_deflate deflate, const atomic_int *stop)
{
    writer w;
    hark_err err = writer_open(&w, of);
    if (err)
        return err;
    image_job job = {.w = &w, .deflate = deflate, .rgb = rgb, .rgb_line = (size_t)width * 3};
    return write_png(&w, &job, width, height, PNG_COLOR_TYPE_RGB, NULL, texts, ntexts, stop);
}
