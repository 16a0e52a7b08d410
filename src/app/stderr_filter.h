#ifndef HARK_STDERR_FILTER_H
#define HARK_STDERR_FILTER_H
/*
 * While audio streams run, PortAudio's ALSA host and ALSA itself print their own diagnostics
 * straight to stderr from their threads (e.g. a dozen "Expression '...' failed in
 * 'src/hostapi/alsa/pa_linux_alsa.c'" lines when the sound server goes away), which would bury
 * hark's one-line error. Between start and stop, stderr (fd 2) is a pipe read by a thread that
 * passes every line on except those; stop restores fd 2 and forwards what is left.
 * In sanitizer builds it does nothing: their reports must reach stderr even from a process
 * that is about to die. Thread: main (start/stop); the filter thread is its own.
 */

/* Returns 0 when the filter runs, -1 when it could not start (stderr is then left alone). */
int hark_stderr_filter_start(void);
void hark_stderr_filter_stop(void); /* no-op when it did not start */
/* Instead of stop, when a sound library's thread outlives the session (an abandoned stream,
 * audio.h) and may go on printing: the filter stays until the process exits, and then passes
 * on what is left (hark's own last lines) while that thread's words go to /dev/null. */
void hark_stderr_filter_stop_at_exit(void);

#endif
