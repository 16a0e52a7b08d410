/* The SPSC ring: exact sequence through wrap-around, full and empty, odd capacities and chunk
 * sizes, the produced == consumed + dropped + buffered invariant, and a two-thread stress test
 * over 10^8 elements (also run under ThreadSanitizer by scripts/test.sh). */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ring.h"

#define STRESS_ELEMENTS 100000000u

static void test_capacity(void)
{
    static const size_t want[][2] = {{1, 1}, {2, 2}, {3, 4}, {17, 32}, {1000, 1024}, {1024, 1024}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        hark_ring *r;
        CHECK(hark_ring_create(sizeof(float), want[i][0], &r) == HARK_OK, "create %zu", want[i][0]);
        CHECK(hark_ring_capacity(r) == want[i][1], "capacity %zu -> %zu", want[i][0],
              hark_ring_capacity(r));
        CHECK(hark_ring_readable(r) == 0 && hark_ring_writable(r) == want[i][1], "starts empty");
        hark_ring_destroy(r);
    }
    hark_ring *r;
    CHECK(hark_ring_create(0, 8, &r) != HARK_OK, "zero-size elements refused");
    CHECK(hark_ring_create(4, 0, &r) != HARK_OK, "zero capacity refused");
}

static void test_full_and_empty(void)
{
    hark_ring *r;
    hark_ring_create(sizeof(int), 3, &r); /* capacity 4 */
    int in[6] = {1, 2, 3, 4, 5, 6}, out[6] = {0};
    CHECK(hark_ring_read(r, out, 6) == 0 && hark_ring_peek(r) == NULL, "empty reads nothing");
    CHECK(hark_ring_write(r, in, 6) == 4, "a write that does not fit is cut to the room");
    CHECK(hark_ring_writable(r) == 0 && hark_ring_readable(r) == 4, "full");
    CHECK(hark_ring_write(r, in + 4, 2) == 0, "full takes nothing");
    CHECK(*(const int *)hark_ring_peek(r) == 1, "peek sees the oldest");
    CHECK(hark_ring_skip(r, 1) == 1 && *(const int *)hark_ring_peek(r) == 2, "skip releases one");
    CHECK(hark_ring_read(r, out, 6) == 3 && out[0] == 2 && out[2] == 4, "the rest in order");
    CHECK(hark_ring_skip(r, 5) == 0, "skip on empty");
    hark_ring_destroy(r);
}

/* One thread against a plain model: random chunk sizes straddle the end again and again. */
static void test_wrap_around_against_a_model(size_t min_capacity)
{
    hark_ring *r;
    hark_ring_create(sizeof(uint32_t), min_capacity, &r);
    const size_t cap = hark_ring_capacity(r);
    uint32_t next_in = 0, next_out = 0, buf[64];
    uint64_t produced = 0, consumed = 0, dropped = 0;
    uint32_t seed = 12345;
    int wrong = 0;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 40;
        if ((seed >> 8) & 1) {
            for (size_t i = 0; i < n; i++)
                buf[i] = next_in + (uint32_t)i;
            size_t put = hark_ring_write(r, buf, n);
            produced += n;
            dropped += n - put;
            next_in += (uint32_t)put; /* what did not fit is dropped; the next write retries it */
        } else {
            size_t got = hark_ring_read(r, buf, n);
            for (size_t i = 0; i < got; i++)
                wrong += buf[i] != next_out++;
            consumed += got;
        }
        size_t buffered = hark_ring_readable(r);
        wrong += hark_ring_readable(r) + hark_ring_writable(r) != cap;
        wrong += produced != consumed + dropped + buffered;
    }
    CHECK(wrong == 0, "capacity %zu: %d mismatches against the model", cap, wrong);
    hark_ring_destroy(r);
}

/* A producer that drops what does not fit, as the audio callback does: the counts add up. */
static void test_drops_are_counted(void)
{
    hark_ring *r;
    hark_ring_create(sizeof(float), 17, &r); /* capacity 32 */
    float block[10] = {0};
    uint64_t produced = 0, dropped = 0;
    for (int i = 0; i < 7; i++) {
        size_t put = hark_ring_write(r, block, 10);
        produced += 10;
        dropped += 10 - put;
    }
    CHECK(dropped == 70 - 32, "dropped %llu of 70 into 32", (unsigned long long)dropped);
    CHECK(produced == 0 + dropped + hark_ring_readable(r), "produced == consumed+dropped+buffered");
    hark_ring_destroy(r);
}

static void test_row_elements(void)
{
    enum { ROWS = 513 };
    hark_ring *r;
    hark_ring_create(sizeof(float) * ROWS, 5, &r); /* capacity 8 rows */
    float row[ROWS], out[ROWS];
    int wrong = 0;
    for (int k = 0; k < 30; k++) {
        for (int i = 0; i < ROWS; i++)
            row[i] = (float)(k * 1000 + i);
        CHECK(hark_ring_write(r, row, 1) == 1, "row %d in", k);
        if (k % 3 == 2)
            while (hark_ring_read(r, out, 1) == 1)
                wrong += out[ROWS - 1] != (float)(((int)out[0] / 1000) * 1000 + ROWS - 1);
    }
    CHECK(wrong == 0, "rows come out whole");
    hark_ring_destroy(r);
}

typedef struct {
    hark_ring *ring;
    uint64_t wrong, consumed;
} stress;

static const size_t producer_chunks[] = {1, 3, 7, 61, 127, 509, 2, 1021, 13};
static const size_t consumer_chunks[] = {13, 1, 200, 997, 5, 31, 64, 3};

static void *producer(void *arg)
{
    stress *s = arg;
    uint32_t buf[1024];
    uint32_t next = 0;
    size_t c = 0;
    while (next < STRESS_ELEMENTS) {
        size_t n = producer_chunks[c++ % 9];
        if (n > STRESS_ELEMENTS - next)
            n = STRESS_ELEMENTS - next;
        for (size_t i = 0; i < n; i++)
            buf[i] = next + (uint32_t)i;
        size_t done = 0;
        while (done < n) { /* the test retries what did not fit, to check every element */
            size_t put = hark_ring_write(s->ring, buf + done, n - done);
            done += put;
            if (!put)
                sched_yield();
        }
        next += (uint32_t)n;
    }
    return NULL;
}

static void *consumer(void *arg)
{
    stress *s = arg;
    uint32_t buf[1024];
    uint32_t next = 0;
    size_t c = 0;
    while (next < STRESS_ELEMENTS) {
        size_t got = hark_ring_read(s->ring, buf, consumer_chunks[c++ % 8]);
        if (!got)
            sched_yield();
        for (size_t i = 0; i < got; i++)
            s->wrong += buf[i] != next++;
        s->consumed += got;
    }
    return NULL;
}

static void test_two_threads(void)
{
    stress s = {0};
    hark_ring_create(sizeof(uint32_t), 1000, &s.ring);
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, &s);
    pthread_create(&p, NULL, producer, &s);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    CHECK(s.consumed == STRESS_ELEMENTS, "every element arrived: %llu",
          (unsigned long long)s.consumed);
    CHECK(s.wrong == 0, "%llu elements out of sequence", (unsigned long long)s.wrong);
    CHECK(hark_ring_readable(s.ring) == 0, "nothing left over");
    hark_ring_destroy(s.ring);
}

int main(void)
{
    test_capacity();
    test_full_and_empty();
    test_wrap_around_against_a_model(3);
    test_wrap_around_against_a_model(17);
    test_wrap_around_against_a_model(64);
    test_drops_are_counted();
    test_row_elements();
    test_two_threads();
    return check_finish("test_ring");
}
