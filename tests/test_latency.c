/* The delays of the window (live's latency, play's sync): the quantiles of what was recorded. */
#include "check.h"
#include "latency.h"

int main(void)
{
    static hark_latency l;
    hark_latency_init(&l);
    CHECK(hark_latency_quantile(&l, 0.5) == 0.0, "nothing recorded yet");
    for (int i = 1; i <= 100; i++)
        hark_latency_record(&l, i / 1000.0); /* 1 .. 100 ms */
    CHECK_NEAR(hark_latency_quantile(&l, 0.5), 0.050, 0.0002, "median");
    CHECK_NEAR(hark_latency_quantile(&l, 0.99), 0.099, 0.0002, "p99");
    hark_latency_record(&l, 30.0);
    CHECK_NEAR(hark_latency_quantile(&l, 1.0), 2.0, 0.001, "beyond 2 s is counted in the last bin");
    return check_finish("test_latency");
}
