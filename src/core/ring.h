#ifndef HARK_RING_H
#define HARK_RING_H
/*
 * A lock-free single-producer single-consumer ring of fixed-size elements (samples, or whole
 * rows of dB), for hand-offs between a real-time thread and an ordinary one.
 *
 * Capacity is a power of two (the requested minimum rounded up). The write and read indices
 * count elements since creation and only grow; each is stored by its own side with release and
 * loaded by the other with acquire (C11 atomics, no standalone fences, so ThreadSanitizer sees
 * every ordering). Nothing here blocks, allocates or makes a system call after create, so the
 * producer may be an audio callback. A write that does not fit is cut short: the caller counts
 * the rest as dropped.
 *
 * Threads: create/destroy/reset with no other thread using the ring. hark_ring_write and
 * hark_ring_writable: the one producer. hark_ring_read, hark_ring_peek, hark_ring_skip and
 * hark_ring_readable: the one consumer. hark_ring_capacity and hark_ring_elem_size: anyone.
 */
#include <stddef.h>

#include "error.h"

typedef struct hark_ring hark_ring;

/* A ring of at least min_capacity elements (>= 1) of elem_size bytes (>= 1). */
hark_err hark_ring_create(size_t elem_size, size_t min_capacity, hark_ring **out);
void hark_ring_destroy(hark_ring *ring); /* NULL-safe */

/* Empty the ring. Only while no other thread uses it (e.g. both sides stopped for a seek). */
void hark_ring_reset(hark_ring *ring);

size_t hark_ring_capacity(const hark_ring *ring);
size_t hark_ring_elem_size(const hark_ring *ring);

/* Elements the producer may write now (a lower bound: the consumer may free more). */
size_t hark_ring_writable(const hark_ring *ring);
/* Elements the consumer may read now (a lower bound: the producer may add more). */
size_t hark_ring_readable(const hark_ring *ring);

/* Copy up to n elements in; returns how many fitted (the rest are the caller's to count). */
size_t hark_ring_write(hark_ring *ring, const void *src, size_t n);
/* Copy up to n elements out and release them; returns how many. */
size_t hark_ring_read(hark_ring *ring, void *dst, size_t n);

/* The oldest readable element without releasing it, or NULL when empty. Valid until the
 * consumer's next skip or read. */
const void *hark_ring_peek(const hark_ring *ring);
/* Release up to n elements unread; returns how many. */
size_t hark_ring_skip(hark_ring *ring, size_t n);

#endif
