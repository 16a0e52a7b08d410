#include "ring.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Each index on its own cache line: the producer writes one and the consumer the other. */
#define CACHE_LINE 64

struct hark_ring {
    alignas(CACHE_LINE) atomic_size_t write_index; /* stored by the producer only */
    alignas(CACHE_LINE) atomic_size_t read_index;  /* stored by the consumer only */
    alignas(CACHE_LINE) size_t capacity;           /* a power of two */
    size_t mask;
    size_t elem_size;
    unsigned char *data;
};

hark_err hark_ring_create(size_t elem_size, size_t min_capacity, hark_ring **out)
{
    *out = NULL;
    if (elem_size == 0 || min_capacity == 0 || min_capacity > (SIZE_MAX >> 2))
        return hark_error_set(HARK_ERR_USAGE, "ring of %zu elements of %zu bytes", min_capacity,
                              elem_size);
    size_t capacity = 1;
    while (capacity < min_capacity)
        capacity <<= 1;
    if (capacity > SIZE_MAX / elem_size)
        return hark_error_set(HARK_ERR_TOO_LARGE, "ring of %zu x %zu bytes", capacity, elem_size);
    hark_ring *r = aligned_alloc(CACHE_LINE, sizeof *r);
    unsigned char *data = malloc(capacity * elem_size);
    if (!r || !data) {
        free(r);
        free(data);
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a ring of %zu x %zu bytes",
                              capacity, elem_size);
    }
    memset(r, 0, sizeof *r);
    atomic_init(&r->write_index, 0);
    atomic_init(&r->read_index, 0);
    r->capacity = capacity;
    r->mask = capacity - 1;
    r->elem_size = elem_size;
    r->data = data;
    *out = r;
    return HARK_OK;
}

void hark_ring_destroy(hark_ring *r)
{
    if (!r)
        return;
    free(r->data);
    free(r);
}

void hark_ring_reset(hark_ring *r)
{
    atomic_store(&r->write_index, 0);
    atomic_store(&r->read_index, 0);
}

size_t hark_ring_capacity(const hark_ring *r) { return r->capacity; }
size_t hark_ring_elem_size(const hark_ring *r) { return r->elem_size; }

size_t hark_ring_writable(const hark_ring *r)
{
    size_t w = atomic_load_explicit(&r->write_index, memory_order_relaxed);
    size_t rd = atomic_load_explicit(&r->read_index, memory_order_acquire);
    return r->capacity - (w - rd);
}

size_t hark_ring_readable(const hark_ring *r)
{
    size_t rd = atomic_load_explicit(&r->read_index, memory_order_relaxed);
    size_t w = atomic_load_explicit(&r->write_index, memory_order_acquire);
    return w - rd;
}

/* Copy n elements between the ring at index and flat memory, in at most two pieces. */
static void copy_in(hark_ring *r, size_t index, const unsigned char *src, size_t n)
{
    size_t at = index & r->mask;
    size_t first = r->capacity - at < n ? r->capacity - at : n;
    memcpy(r->data + at * r->elem_size, src, first * r->elem_size);
    memcpy(r->data, src + first * r->elem_size, (n - first) * r->elem_size);
}

static void copy_out(const hark_ring *r, size_t index, unsigned char *dst, size_t n)
{
    size_t at = index & r->mask;
    size_t first = r->capacity - at < n ? r->capacity - at : n;
    memcpy(dst, r->data + at * r->elem_size, first * r->elem_size);
    memcpy(dst + first * r->elem_size, r->data, (n - first) * r->elem_size);
}

size_t hark_ring_write(hark_ring *r, const void *src, size_t n)
{
    size_t w = atomic_load_explicit(&r->write_index, memory_order_relaxed);
    size_t rd = atomic_load_explicit(&r->read_index, memory_order_acquire);
    size_t room = r->capacity - (w - rd);
    n = n < room ? n : room;
    if (n) {
        copy_in(r, w, src, n);
        atomic_store_explicit(&r->write_index, w + n, memory_order_release);
    }
    return n;
}

size_t hark_ring_read(hark_ring *r, void *dst, size_t n)
{
    size_t rd = atomic_load_explicit(&r->read_index, memory_order_relaxed);
    size_t w = atomic_load_explicit(&r->write_index, memory_order_acquire);
    n = n < w - rd ? n : w - rd;
    if (n) {
        copy_out(r, rd, dst, n);
        atomic_store_explicit(&r->read_index, rd + n, memory_order_release);
    }
    return n;
}

const void *hark_ring_peek(const hark_ring *r)
{
    size_t rd = atomic_load_explicit(&r->read_index, memory_order_relaxed);
    size_t w = atomic_load_explicit(&r->write_index, memory_order_acquire);
    return w == rd ? NULL : r->data + (rd & r->mask) * r->elem_size;
}

size_t hark_ring_skip(hark_ring *r, size_t n)
{
    size_t rd = atomic_load_explicit(&r->read_index, memory_order_relaxed);
    size_t w = atomic_load_explicit(&r->write_index, memory_order_acquire);
    n = n < w - rd ? n : w - rd;
    if (n)
        atomic_store_explicit(&r->read_index, rd + n, memory_order_release);
    return n;
}
