#include "outfile.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
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
        return hark_fail(HARK_ERR_NOMEM);
    }
    int fd = mkstemp(of->tmp_path);
    if (fd < 0) {
        int e = errno;
        hark_error_at(HARK_ERR_WRITE, path, "cannot create it: %s", strerror(e));
        release(of);
        return HARK_ERR_WRITE;
    }
    /* mkstemp makes 0600 files; outputs get the usual 0666 less the umask. */
    pthread_once(&umask_once, read_umask);
    fchmod(fd, 0666 & ~process_umask);
    of->fp = fdopen(fd, "wb");
    if (!of->fp) {
        int e = errno;
        close(fd);
        unlink(of->tmp_path);
        hark_error_at(HARK_ERR_WRITE, path, "%s", strerror(e));
        release(of);
        return HARK_ERR_WRITE;
    }
    return HARK_OK;
}

hark_err hark_outfile_close(hark_outfile *of)
{
    int e = ferror(of->fp) ? EIO : 0;
    if (fclose(of->fp) != 0 && !e)
        e = errno;
    of->fp = NULL;
    if (!e)
        return HARK_OK;
    hark_error_at(HARK_ERR_WRITE, of->path, "cannot write it: %s", strerror(e));
    hark_outfile_abort(of);
    return HARK_ERR_WRITE;
}

hark_err hark_outfile_publish(hark_outfile *of)
{
    if (!of->tmp_path) /* closing it failed, and removed it */
        return hark_fail(HARK_ERR_WRITE);
    hark_err err = HARK_OK;
    if (rename(of->tmp_path, of->path) != 0) {
        err = hark_error_at(HARK_ERR_WRITE, of->path, "cannot write it: %s", strerror(errno));
        unlink(of->tmp_path);
    }
    release(of);
    return err;
}

hark_err hark_outfile_commit(hark_outfile *of)
{
    hark_err err = hark_outfile_close(of);
    return err ? err : hark_outfile_publish(of);
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

hark_err hark_outfile_check(const char *path)
{
    struct stat st;
    size_t len = strlen(path);
    if (len == 0)
        return hark_error_at(HARK_ERR_USAGE, path, "an empty output name");
    if (path[len - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return hark_error_at(HARK_ERR_WRITE, path, "is a folder: give a file name");
    hark_outfile of;
    hark_err err = hark_outfile_open(&of, path);
    if (!err)
        hark_outfile_abort(&of);
    return err;
}

/* "<real path of the folder>/<name>" of a path whose file may not exist yet. */
static int canonical(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX], real[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (!realpath(dir, real))
        return 0;
    snprintf(out, size, "%s/%s", real, slash ? slash + 1 : path);
    return 1;
}

int hark_outfile_same(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ca[PATH_MAX + 256], cb[PATH_MAX + 256];
    if (canonical(a, ca, sizeof ca) && canonical(b, cb, sizeof cb))
        return strcmp(ca, cb) == 0;
    return strcmp(a, b) == 0;
}
