#ifndef HARK_PROGRESS_H
#define HARK_PROGRESS_H
/*
 * A progress bar on stderr, drawn only when stderr is a terminal, redrawn at most 10 times a
 * second. Thread: the thread that owns it.
 */
#include <stdint.h>

typedef struct {
    int enabled;
    const char *label;
    uint64_t total;   /* 0 = unknown: shows a count instead of a bar */
    const char *unit; /* NULL: a percentage; else "120/1000 files, 35.2/s" */
    double start_s, last_draw_s;
} hark_progress;

void hark_progress_init(hark_progress *p, const char *label, uint64_t total);
void hark_progress_update(hark_progress *p, uint64_t done);
/* Erase the bar. */
void hark_progress_finish(hark_progress *p);

#endif
