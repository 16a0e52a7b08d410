#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "machine.h"

#define BAR_WIDTH 30

void hark_progress_init(hark_progress *p, const char *label, uint64_t total)
{
    p->enabled = isatty(STDERR_FILENO);
    p->label = label;
    p->total = total;
    p->unit = NULL;
    p->start_s = hark_now_s();
    p->last_draw_s = 0.0;
}

static void draw_bar(const hark_progress *p, uint64_t done, double elapsed)
{
    double frac = (double)done / (double)p->total;
    if (frac > 1.0)
        frac = 1.0;
    int filled = (int)(frac * BAR_WIDTH);
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double eta = frac > 0.0 ? elapsed * (1.0 - frac) / frac : 0.0;
    if (p->unit)
        fprintf(stderr, "\r%s [%s] %llu/%llu %s  %.1f/s  %.0f s left ", p->label, bar,
                (unsigned long long)done, (unsigned long long)p->total, p->unit,
                elapsed > 0 ? (double)done / elapsed : 0.0, eta);
    else
        fprintf(stderr, "\r%s [%s] %3.0f%%  %.1f s left ", p->label, bar, frac * 100.0, eta);
}

void hark_progress_update(hark_progress *p, uint64_t done)
{
    if (!p->enabled)
        return;
    double t = hark_now_s();
    if (t - p->last_draw_s < 0.1)
        return;
    p->last_draw_s = t;
    if (p->total)
        draw_bar(p, done, t - p->start_s);
    else
        fprintf(stderr, "\r%s %llu ", p->label, (unsigned long long)done);
    fflush(stderr);
}

void hark_progress_finish(hark_progress *p)
{
    if (!p->enabled || p->last_draw_s == 0.0)
        return;
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
}
