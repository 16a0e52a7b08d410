/* Where a stream is by the source's clock: which sample is heard at a time, when a sample was
 * at the converter (an input's ADC, an output's DAC), where a stream position is in the file
 * (across a loop, and with resampling). */
#include "check.h"
#include "streamclock.h"

int main(void)
{
    static hark_streamclock c;
    hark_streamclock_init(&c, 48000, 48000);
    double pos, t;
    CHECK(!hark_streamclock_heard(&c, 1.0, &pos), "nothing played: nothing heard");
    CHECK(hark_streamclock_time(&c, 0, &t) == 0, "no stamp yet: wait");
    hark_streamclock_add_segment(&c, (hark_segment){0, 96000, 1.0}); /* --start 2 s */
    for (uint64_t i = 0; i < 100; i++) /* buffers of 480 frames, 10 ms apart, from t = 5 s */
        hark_streamclock_add_stamp(&c, (hark_stamp){i * 480, 480, 5.0 + i * 0.01});
    CHECK(!hark_streamclock_heard(&c, 4.9, &pos), "before the first buffer: nothing heard");
    CHECK(hark_streamclock_heard(&c, 5.105, &pos), "heard during buffer 10");
    CHECK_NEAR(pos, 10 * 480 + 240, 1e-6, "half-way through it");
    CHECK(hark_streamclock_heard(&c, 7.0, &pos), "long after the last buffer");
    CHECK_NEAR(pos, 100 * 480, 1e-6, "no further than what was played");
    CHECK(hark_streamclock_time(&c, 50 * 480 + 48, &t) == 1, "a sample handed to the device");
    CHECK_NEAR(t, 5.5 + 0.001, 1e-9, "its buffer's DAC time plus its offset");
    CHECK(hark_streamclock_time(&c, 100 * 480, &t) == 0, "not handed over yet: wait");
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 48000), 3.0, 1e-9, "1 s into a start at 2 s");

    /* A loop: stream frame 48000 plays file frame 0 again. */
    hark_streamclock_add_segment(&c, (hark_segment){48000, 0, 1.0});
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 47999), 2.0 + 47999 / 48000.0, 1e-9, "before");
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 48000 + 4800), 0.1, 1e-9, "after the loop");

    /* Old stamps are forgotten: a sample older than all kept is said to be so. */
    for (uint64_t i = 100; i < 100 + HARK_STREAMCLOCK_STAMPS; i++)
        hark_streamclock_add_stamp(&c, (hark_stamp){i * 480, 480, 5.0 + i * 0.01});
    CHECK(hark_streamclock_time(&c, 0, &t) == -1, "too old: -1");

    /* A stamp lost (its ring was full): a sample in the gap is as good as heard, not "wait". */
    hark_streamclock_reset(&c);
    for (uint64_t i = 0; i < 10; i++)
        if (i != 5)
            hark_streamclock_add_stamp(&c, (hark_stamp){i * 480, 480, 5.0 + i * 0.01});
    CHECK(hark_streamclock_time(&c, 5 * 480 + 10, &t) == -1, "in the gap: -1");
    CHECK(hark_streamclock_time(&c, 10 * 480, &t) == 0, "after the newest: wait");

    /* --loop with the segments lost: positions are taken modulo the file's length. */
    hark_streamclock_reset(&c);
    hark_streamclock_set_loop(&c, 0.0, 2.0);
    hark_streamclock_add_segment(&c, (hark_segment){0, 0, 1.0});
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 48000 * 5.5), 1.5, 1e-9, "5.5 s into a 2 s loop");
    /* --loop 2:3 from 2 s on: 3.25 s of sound later the position is 2.25 s again. */
    hark_streamclock_reset(&c);
    hark_streamclock_set_loop(&c, 2.0, 3.0);
    hark_streamclock_add_segment(&c, (hark_segment){0, 96000, 1.0});
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 48000 * 0.5), 2.5, 1e-9, "inside A-B: as is");
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 48000 * 3.25), 2.25, 1e-9, "wrapped into A-B");
    hark_streamclock_set_loop(&c, 0, 0);
    /* --speed 0.5 from 1 s of the file: a second of the stream is half a second of the file. */
    hark_streamclock_reset(&c);
    hark_streamclock_add_segment(&c, (hark_segment){0, 48000, 0.5});
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 48000 * 2.0), 2.0, 1e-9, "2 s heard at 0.5x");

    /* Resampled: a 44.1 kHz file played at 48 kHz; positions are in the file's seconds. */
    hark_streamclock_init(&c, 48000, 44100);
    hark_streamclock_add_segment(&c, (hark_segment){0, 44100, 1.0});
    CHECK_NEAR(hark_streamclock_file_seconds(&c, 24000), 1.5, 1e-9, "0.5 s of stream after 1 s");
    hark_streamclock_reset(&c);
    CHECK(!hark_streamclock_heard(&c, 10.0, &pos), "a reset forgets everything");

    /* An input: buffers of 480 samples, 10 ms apart, from t = 5 s: a sample is dated by its
     * own buffer's ADC time and its offset in it. */
    hark_streamclock_init(&c, 48000, 0);
    for (uint64_t i = 0; i < 2000; i++)
        hark_streamclock_add_stamp(&c, (hark_stamp){i * 480, 480, 5.0 + i * 0.01});
    CHECK(hark_streamclock_time(&c, 1999 * 480 + 240, &t) == 1, "a recent sample");
    CHECK_NEAR(t, 5.0 + 19.99 + 0.005, 1e-9, "its buffer's time plus its offset");
    CHECK(hark_streamclock_time(&c, 1600 * 480, &t) == 1, "a sample 4 s old");
    CHECK_NEAR(t, 21.0, 1e-9, "dated by its own buffer");
    CHECK(hark_streamclock_time(&c, 10, &t) == -1, "older than the kept stamps: unknown");

    /* A gap in an input's clock: the next buffer 3 s late (the process was stopped). */
    hark_stamp next = {2000 * 480, 480, 5.0 + 2000 * 0.01};
    CHECK(hark_streamclock_gap(&c, next) == 0, "a buffer that follows on: no gap");
    next.time += 0.05;
    CHECK(hark_streamclock_gap(&c, next) == 0, "50 ms of jitter: no gap");
    next.time += 2.95;
    CHECK(hark_streamclock_gap(&c, next) == 3 * 48000, "3 s late: 3 s of samples missing (%llu)",
          (unsigned long long)hark_streamclock_gap(&c, next));
    return check_finish("test_streamclock");
}
