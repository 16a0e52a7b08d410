#ifndef HARK_INSTREAM_H
#define HARK_INSTREAM_H
/*
 * An input that is a stream, not a file: standard output of another program ("-"), a pipe, a
 * FIFO, a device, a /proc file. libsndfile reads it through its virtual I/O (decoder.c):
 *   reads wait at most a tenth of a second at a time and give up when the stop flag is set, so
 *   Ctrl-C, SIGTERM and SIGHUP end a run whatever the writer does;
 *   the first MiB read is kept, so the seeks back that format detection makes (FLAC, Ogg)
 *   work on a pipe too; a seek forward within that MiB reads on, one further ahead (past a
 *   WAV's data, looking for more chunks) finds the end there.
 * Thread: the one reading it.
 */
#include <sndfile.h>
#include <stdatomic.h>
#include <stdint.h>

typedef struct hark_instream hark_instream;

/* Read fd (the instream owns it from now on, and closes it). nonblocking: fd is in
 * non-blocking mode (a FIFO hark opened; one with no writer then reads as empty). NULL: out
 * of memory. */
hark_instream *hark_instream_open(int fd, int nonblocking);
void hark_instream_destroy(hark_instream *s); /* NULL-safe */

/* NULL, or a flag that stops reading when it becomes non-zero. */
void hark_instream_set_stop(hark_instream *s, const atomic_int *stop);

/* libsndfile's callbacks; their user data is the instream. */
SF_VIRTUAL_IO *hark_instream_io(void);

/* Reading stopped at the stop flag (not at the end of the stream). */
int hark_instream_stopped(const hark_instream *s);
/* A read failed: its errno (0: none). */
int hark_instream_error(const hark_instream *s);
/* Bytes read from the stream so far. */
uint64_t hark_instream_bytes(const hark_instream *s);

#endif
