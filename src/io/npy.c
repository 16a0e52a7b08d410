#include "npy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "npy.c writes '<f4' by copying floats: a big-endian port must byte-swap here"
#endif

/* Fixed header size (magic + version + length + dict + padding), a multiple of 64 as the
 * format asks, large enough for any shape, so the shape can be patched in place at the end. */
#define HEADER_BYTES 128u

struct hark_npy {
    hark_outfile file;
    unsigned rows;
    unsigned planes; /* 0: (rows, frames); else (planes, rows, frames), a column planes x rows */
    uint64_t frames;
    char *buffer; /* stdio buffer: columns are small, writes are many */
};

static hark_err write_header(hark_npy *n)
{
    char dict[HEADER_BYTES], planes[16] = "";
    if (n->planes)
        snprintf(planes, sizeof planes, "%u, ", n->planes);
    int len = snprintf(dict, sizeof dict,
                       "{'descr': '<f4', 'fortran_order': True, 'shape': (%s%u, %" PRIu64 "), }",
                       planes, n->rows, n->frames);
    size_t dict_room = HEADER_BYTES - 10;
    if (len < 0 || (size_t)len + 1 > dict_room)
        return hark_error_at(HARK_ERR_TOO_LARGE, n->file.path, "npy header does not fit");
    memset(dict + len, ' ', dict_room - (size_t)len - 1);
    dict[dict_room - 1] = '\n';
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                             (unsigned char)(dict_room & 0xff), (unsigned char)(dict_room >> 8)};
    if (fseek(n->file.fp, 0, SEEK_SET) != 0 || fwrite(pre, 1, 10, n->file.fp) != 10 ||
        fwrite(dict, 1, dict_room, n->file.fp) != dict_room)
        return hark_error_at(HARK_ERR_WRITE, n->file.path, "cannot write the npy header: %s",
                             strerror(errno));
    return HARK_OK;
}

hark_err hark_npy_create(const char *path, unsigned rows, hark_npy **out)
{
    return hark_npy_create_planes(path, 0, rows, out);
}

hark_err hark_npy_create_planes(const char *path, unsigned planes, unsigned rows,
                                hark_npy **out)
{
    *out = NULL;
    if (hark_outfile_through(path)) /* refused before opening: a FIFO's open would wait */
        return hark_error_at(HARK_ERR_USAGE, path, "a .npy is written whole to a file (its "
                             "shape goes in last), not to a pipe or a device");
    hark_npy *n = calloc(1, sizeof *n);
    if (!n)
        return hark_fail(HARK_ERR_NOMEM);
    n->rows = rows;
    n->planes = planes;
    hark_err err = hark_outfile_open(&n->file, path);
    if (err) {
        free(n);
        return err;
    }
    n->buffer = malloc(1u << 20);
    if (n->buffer)
        setvbuf(n->file.fp, n->buffer, _IOFBF, 1u << 20);
    err = write_header(n);
    if (err) {
        hark_npy_abort(n);
        return err;
    }
    *out = n;
    return HARK_OK;
}

hark_err hark_npy_append(hark_npy *n, const float *column)
{
    size_t count = (size_t)n->rows * (n->planes ? n->planes : 1);
    if (fwrite(column, sizeof(float), count, n->file.fp) != count)
        return hark_error_at(HARK_ERR_WRITE, n->file.path, "cannot write it: %s",
                             strerror(errno));
    n->frames++;
    return HARK_OK;
}

hark_err hark_npy_close(hark_npy *n)
{
    hark_err err = write_header(n);
    if (err) {
        hark_outfile_abort(&n->file);
        return err;
    }
    return hark_outfile_close(&n->file);
}

hark_err hark_npy_publish(hark_npy *n)
{
    return hark_outfile_publish(&n->file);
}

void hark_npy_settle(hark_npy *n)
{
    hark_outfile_settle(&n->file);
    free(n->buffer);
    free(n);
}

void hark_npy_abort(hark_npy *n)
{
    if (!n)
        return;
    hark_outfile_abort(&n->file);
    free(n->buffer);
    free(n);
}
