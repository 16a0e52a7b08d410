/* The latency book-keeping of the live window: dating a sample from the buffers' stamps, and
 * the quantiles of what was recorded. */
#include "check.h"
#include "latency.h"

int main(void)
{
    static hark_latency l;
    hark_latency_init(&l);
    double t;
    CHECK(!hark_latency_sample_time(&l, 0, 48000, &t), "no stamp: no time");
    for (uint64_t i = 0; i < 1000; i++) /* buffers of 480 samples, 10 ms apart, from t = 5 s */
        hark_latency_add_stamp(&l, (hark_stamp){i * 480, 5.0 + i * 0.01});
    CHECK(hark_latency_sample_time(&l, 999 * 480 + 240, 48000, &t), "a recent sample");
    CHECK_NEAR(t, 5.0 + 9.99 + 0.005, 1e-9, "its buffer's time plus its offset");
    CHECK(hark_latency_sample_time(&l, 600 * 480, 48000, &t), "a sample 4 s old");
    CHECK_NEAR(t, 11.0, 1e-9, "dated by its own buffer");
    CHECK(!hark_latency_sample_time(&l, 10, 48000, &t), "older than the kept stamps: unknown");

    CHECK(hark_latency_quantile(&l, 0.5) == 0.0, "nothing recorded yet");
    for (int i = 1; i <= 100; i++)
        hark_latency_record(&l, i / 1000.0); /* 1 .. 100 ms */
    CHECK_NEAR(hark_latency_quantile(&l, 0.5), 0.050, 0.0002, "median");
    CHECK_NEAR(hark_latency_quantile(&l, 0.99), 0.099, 0.0002, "p99");
    hark_latency_record(&l, 30.0);
    CHECK_NEAR(hark_latency_quantile(&l, 1.0), 2.0, 0.001, "beyond 2 s is counted in the last bin");
    return check_finish("test_latency");
}
