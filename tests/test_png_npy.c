/* The writers: PNG pixels, palette, text and size read back with libpng; .npy bytes; files
 * appear whole or not at all. */
#include <dirent.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "npy.h"
#include "outfile.h"
#include "pngwrite.h"

static char dir[] = "/tmp/hark-test-png-XXXXXX";

static int files_in_dir(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

typedef struct {
    unsigned w, h;
    int color_type;
    uint8_t *pixels; /* h lines of w bytes (palette) */
    png_color palette[256];
    int npalette;
    char text[256];
} png_read_result;

static int read_png(const char *path, png_read_result *r)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(fp);
        return -1;
    }
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_init_io(png, fp);
    png_read_info(png, info);
    r->w = png_get_image_width(png, info);
    r->h = png_get_image_height(png, info);
    r->color_type = png_get_color_type(png, info);
    png_colorp pal;
    r->npalette = 0;
    if (png_get_PLTE(png, info, &pal, &r->npalette))
        memcpy(r->palette, pal, sizeof(png_color) * (size_t)r->npalette);
    size_t line = png_get_rowbytes(png, info);
    r->pixels = malloc(line * r->h);
    for (unsigned y = 0; y < r->h; y++)
        png_read_row(png, r->pixels + line * y, NULL);
    png_read_end(png, info);
    png_textp texts;
    int nt = 0;
    r->text[0] = '\0';
    png_get_text(png, info, &texts, &nt);
    for (int i = 0; i < nt; i++)
        if (strcmp(texts[i].key, "hark") == 0)
            snprintf(r->text, sizeof r->text, "%s", texts[i].text);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(fp);
    return 0;
}

static void make_palette(hark_rgb *pal)
{
    for (int i = 0; i < 256; i++) {
        pal[i][0] = (uint8_t)i;
        pal[i][1] = (uint8_t)(255 - i);
        pal[i][2] = (uint8_t)(i * 7);
    }
}

/* A tile written whole: a temporary file, then published under its name. */
static hark_err write_tile(const char *path, const hark_tile *tile, const hark_rgb *pal,
                           const hark_png_text *texts, unsigned n)
{
    hark_outfile of;
    hark_err err = hark_outfile_open(&of, path);
    if (!err)
        err = hark_png_write_tile(&of, tile, pal, texts, n, HARK_PNG_HUFFMAN, NULL);
    if (!err && (err = hark_outfile_publish(&of)))
        hark_outfile_abort(&of);
    if (!err)
        hark_outfile_settle(&of);
    return err;
}

static void test_tile_orientation_and_palette(void)
{
    enum { FRAMES = 37, ROWS = 41 };
    uint8_t *index = malloc(FRAMES * ROWS);
    for (int f = 0; f < FRAMES; f++)
        for (int r = 0; r < ROWS; r++)
            index[f * ROWS + r] = (uint8_t)(f * 3 + r * 5);
    hark_rgb pal[256];
    make_palette(pal);
    hark_tile tile = {index, FRAMES, ROWS};
    char path[256];
    snprintf(path, sizeof path, "%s/tile.png", dir);
    hark_png_text text = {"hark", "{\"fft\": 80}"};
    CHECK(write_tile(path, &tile, pal, &text, 1) == HARK_OK, "write tile");
    png_read_result r;
    CHECK(read_png(path, &r) == 0, "read back");
    CHECK(r.w == FRAMES && r.h == ROWS, "size %ux%u", r.w, r.h);
    CHECK(r.color_type == PNG_COLOR_TYPE_PALETTE && r.npalette == 256, "8-bit palette");
    int bad = 0;
    for (int y = 0; y < ROWS; y++)
        for (int x = 0; x < FRAMES; x++)
            bad += r.pixels[y * FRAMES + x] != index[x * ROWS + (ROWS - 1 - y)];
    CHECK(bad == 0, "%d pixels not at (frame, rows-1-row)", bad);
    CHECK(r.palette[200].red == 200 && r.palette[200].green == 55, "palette stored");
    CHECK(strcmp(r.text, "{\"fft\": 80}") == 0, "text chunk '%s'", r.text);
    free(r.pixels);
    /* Same input, same bytes. */
    char again[256];
    snprintf(again, sizeof again, "%s/again.png", dir);
    write_tile(again, &tile, pal, &text, 1);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", path, again);
    CHECK(system(cmd) == 0, "two writes of the same tile are byte-identical");
    free(index);
}

static void test_wider_than_a_million(void)
{
    enum { FRAMES = 1000003, ROWS = 3 };
    uint8_t *index = calloc(FRAMES, ROWS);
    index[(FRAMES - 1) * ROWS + 2] = 200; /* last frame, top row */
    hark_rgb pal[256];
    make_palette(pal);
    hark_tile tile = {index, FRAMES, ROWS};
    char path[256];
    snprintf(path, sizeof path, "%s/wide.png", dir);
    hark_err err = write_tile(path, &tile, pal, NULL, 0);
    CHECK(err == HARK_OK, "a 1,000,003-wide image is written: %s", hark_error_message(err));
    png_read_result r;
    CHECK(read_png(path, &r) == 0 && r.w == FRAMES && r.pixels[FRAMES - 1] == 200,
          "and reads back with the limit raised");
    free(r.pixels);
    free(index);
}

static void test_unwritable_leaves_nothing(void)
{
    uint8_t index[4] = {0};
    hark_rgb pal[256];
    make_palette(pal);
    hark_tile tile = {index, 2, 2};
    char path[256];
    int before = files_in_dir();
    snprintf(path, sizeof path, "%s/no/such/folder/x.png", dir);
    CHECK(write_tile(path, &tile, pal, NULL, 0) == HARK_ERR_WRITE, "missing folder");
    CHECK(strstr(hark_error_message(HARK_ERR_WRITE), "No such file") != NULL, "says why: %s",
          hark_error_message(HARK_ERR_WRITE));
    hark_npy *n;
    snprintf(path, sizeof path, "%s/no/x.npy", dir);
    CHECK(hark_npy_create(path, 4, &n) == HARK_ERR_WRITE, "npy in a missing folder");
    CHECK(files_in_dir() == before, "no file left behind");
    /* An aborted matrix leaves nothing either. */
    snprintf(path, sizeof path, "%s/aborted.npy", dir);
    CHECK(hark_npy_create(path, 4, &n) == HARK_OK, "create npy");
    float col[4] = {1, 2, 3, 4};
    hark_npy_append(n, col);
    hark_npy_abort(n);
    CHECK(files_in_dir() == before, "aborted npy leaves nothing");
    CHECK(access(path, F_OK) != 0, "no npy at the final name");
}

static void test_npy_layout(void)
{
    enum { ROWS = 5, FRAMES = 7 };
    char path[256];
    snprintf(path, sizeof path, "%s/m.npy", dir);
    hark_npy *n;
    CHECK(hark_npy_create(path, ROWS, &n) == HARK_OK, "create");
    for (int f = 0; f < FRAMES; f++) {
        float col[ROWS];
        for (int r = 0; r < ROWS; r++)
            col[r] = (float)(f * 100 + r);
        hark_npy_append(n, col);
    }
    CHECK(access(path, F_OK) != 0, "nothing at the final name before close");
    CHECK(hark_npy_close(n) == HARK_OK, "close");
    CHECK(access(path, F_OK) != 0, "nothing at the final name before it is published");
    CHECK(hark_npy_publish(n) == HARK_OK, "publish");
    hark_npy_settle(n);
    FILE *fp = fopen(path, "rb");
    unsigned char head[128];
    CHECK(fp && fread(head, 1, 128, fp) == 128, "header read");
    CHECK(memcmp(head, "\x93NUMPY\x01\x00", 8) == 0, "magic and version 1.0");
    unsigned hlen = head[8] | head[9] << 8;
    CHECK((10 + hlen) % 64 == 0 && head[10 + hlen - 1] == '\n', "header padded to 64, ends in newline");
    char dict[128] = {0};
    memcpy(dict, head + 10, hlen < 117 ? hlen : 117);
    CHECK(strstr(dict, "'descr': '<f4'") && strstr(dict, "'fortran_order': True") &&
              strstr(dict, "'shape': (5, 7)"),
          "dict: %s", dict);
    float data[ROWS * FRAMES];
    CHECK(fread(data, sizeof(float), ROWS * FRAMES, fp) == ROWS * FRAMES, "data size");
    CHECK(fgetc(fp) == EOF, "nothing after the data");
    /* Fortran order: element (r, f) at f*ROWS + r. */
    CHECK(data[3 * ROWS + 2] == 302.0f && data[6 * ROWS + 4] == 604.0f, "column-major layout");
    fclose(fp);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_tile_orientation_and_palette();
    test_wider_than_a_million();
    test_unwritable_leaves_nothing();
    test_npy_layout();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_finish("test_png_npy");
}
