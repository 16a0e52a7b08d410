#include "outfile.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The umask, read once: reading it means setting it, which must not race other threads. */
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;
static mode_t process_umask;

static void read_umask(void)
{
    process_umask = umask(022);
    umask(process_umask);
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

static void release(hark_outfile *of)
{
    free(of->path);
    free(of->tmp_path);
    of->fp = NULL;
    of->path = of->tmp_path = NULL;
}

hark_err hark_outfile_open(hark_outfile *of, const char *path)
{
    of->fp = NULL;
    of->path = concat(path, "");
    of->tmp_path = concat(path, ".tmp.XXXXXX");
    if (!of->path || !of->tmp_path) {
        release(of);
        return HARK_ERR_NOMEM;
    }
    int fd = mkstemp(of->tmp_path);
    if (fd < 0) {
        int e = errno;
        release(of);
        return hark_error_set(HARK_ERR_WRITE, "cannot create it: %s", strerror(e));
    }
    /* mkstemp makes 0600 files; outputs get the usual 0666 less the umask. */
    pthread_once(&umask_once, read_umask);
    fchmod(fd, 0666 & ~process_umask);
    of->fp = fdopen(fd, "wb");
    if (!of->fp) {
        int e = errno;
        close(fd);
        unlink(of->tmp_path);
        release(of);
        return hark_error_set(HARK_ERR_WRITE, "%s", strerror(e));
    }
    return HARK_OK;
}

hark_err hark_outfile_commit(hark_outfile *of)
{
    int failed = ferror(of->fp);
    int e = failed ? EIO : 0;
    if (fclose(of->fp) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    of->fp = NULL;
    if (!failed && rename(of->tmp_path, of->path) != 0) {
        failed = 1;
        e = errno;
    }
    if (failed)
        unlink(of->tmp_path);
    release(of);
    return failed ? hark_error_set(HARK_ERR_WRITE, "cannot write it: %s", strerror(e)) : HARK_OK;
}

void hark_outfile_abort(hark_outfile *of)
{
    if (!of || !of->tmp_path)
        return;
    if (of->fp)
        fclose(of->fp);
    unlink(of->tmp_path);
    release(of);
}
