#ifndef HARK_TEST_CHECK_H
#define HARK_TEST_CHECK_H
/* A minimal test harness: CHECK records a failure and goes on; main returns check_finish(). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static int check_failures;
static int check_count;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        check_count++;                                                     \
        if (!(cond)) {                                                     \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

#define CHECK_NEAR(a, b, tol, what)                                        \
    CHECK(fabs((double)(a) - (double)(b)) <= (tol), "%s: %.6f vs %.6f (tol %g)", what, \
          (double)(a), (double)(b), (double)(tol))

/* Deterministic pseudo-random numbers for test data (xorshift64): the same every run. */
static uint64_t check_random_state = 88172645463325252ull;
static inline uint32_t check_random(void)
{
    check_random_state ^= check_random_state << 13;
    check_random_state ^= check_random_state >> 7;
    check_random_state ^= check_random_state << 17;
    return (uint32_t)check_random_state;
}

static inline int check_finish(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
