#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
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

int hark_outfile_is_stdout(const char *path)
{
    return strcmp(path, "-") == 0;
}

int hark_outfile_goes_to_stdout(const char *path)
{
    struct stat a, b;
    return hark_outfile_is_stdout(path) ||
           (stat(path, &a) == 0 && !S_ISREG(a.st_mode) && fstat(STDOUT_FILENO, &b) == 0 &&
            a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

int hark_outfile_through(const char *path)
{
    struct stat st;
    return hark_outfile_is_stdout(path) ||
           (stat(path, &st) == 0 && !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode));
}

static void release(hark_outfile *of)
{
    if (of->fp)
        fclose(of->fp);
    free(of->path);
    free(of->target);
    free(of->tmp_path);
    free(of->backup);
    *of = (hark_outfile){0};
}

/* ---- names -------------------------------------------------------------------------------------- */

/* "<folder of target>/<its name, shortened to fit>.<tag>.XXXXXX": a name in the same folder that
 * fits wherever the target's name fits (the suffix is 12 bytes). malloc'd. */
static char *sibling_template(const char *target, const char *tag)
{
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dir_len;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", dir_len ? (int)dir_len : 1, dir_len ? target : ".");
    long name_max = pathconf(dir, _PC_NAME_MAX);
    size_t room = (name_max > 0 ? (size_t)name_max : 255) - (strlen(tag) + 8);
    size_t keep = strlen(base) < room ? strlen(base) : room;
    size_t n = dir_len + keep + strlen(tag) + 9;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%.*s%.*s.%s.XXXXXX", (int)dir_len, target, (int)keep, base, tag);
    return t;
}

/* Where the bytes for path go: the file itself, or the file a link points to; through is set
 * for what is not a regular file. */
static hark_err resolve(hark_outfile *of, const char *path)
{
    struct stat st, lst;
    if (hark_outfile_is_stdout(path)) {
        of->through = 1;
        of->target = strdup(path);
    } else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return hark_error_at(HARK_ERR_WRITE, path, "is a folder: give a file name");
    } else if (hark_outfile_through(path)) {
        of->through = 1; /* a FIFO, a terminal, a device, or a link to one (/dev/stdout) */
        of->target = strdup(path);
    } else if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        of->target = realpath(path, NULL); /* the file it points to is replaced */
        if (!of->target)
            return hark_error_at(HARK_ERR_WRITE, path, "is a link to a file that cannot be "
                                 "written (%s)", strerror(errno));
    } else {
        of->target = strdup(path); /* a regular file, or a new one */
    }
    return of->target ? HARK_OK : hark_fail(HARK_ERR_NOMEM);
}

/* ---- open and close ------------------------------------------------------------------------------- */

/* A FIFO, a device or standard output: written in place. */
static hark_err open_through(hark_outfile *of)
{
    int fd = hark_outfile_is_stdout(of->path) ? dup(STDOUT_FILENO)
                                              : open(of->target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 && errno == EINTR) /* a FIFO waits for a reader; a signal stops the wait */
        return hark_error_at(HARK_ERR_INTERRUPTED, of->path, "interrupted while waiting for a "
                             "reader");
    if (fd < 0 || !(of->fp = fdopen(fd, "wb"))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return hark_error_at(HARK_ERR_WRITE, of->path, "cannot write it: %s", strerror(e));
    }
    return HARK_OK;
}

/* A regular file: a temporary one beside it, with the mode the file has (or would get). */
static hark_err open_temporary(hark_outfile *of)
{
    if (!(of->tmp_path = sibling_template(of->target, "tmp")))
        return hark_fail(HARK_ERR_NOMEM);
    int fd = mkstemp(of->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(of->tmp_path);
        of->tmp_path = NULL;
        return hark_error_at(HARK_ERR_WRITE, of->path, "cannot create it: %s", strerror(e));
    }
    struct stat st;
    pthread_once(&umask_once, read_umask);
    fchmod(fd, stat(of->target, &st) == 0 ? st.st_mode & 07777 : 0666 & ~process_umask);
    if (!(of->fp = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        return hark_error_at(HARK_ERR_WRITE, of->path, "%s", strerror(e));
    }
    return HARK_OK;
}

hark_err hark_outfile_open(hark_outfile *of, const char *path)
{
    *of = (hark_outfile){0};
    if (!(of->path = strdup(path)))
        return hark_fail(HARK_ERR_NOMEM);
    hark_err err = resolve(of, path);
    if (!err)
        err = of->through ? open_through(of) : open_temporary(of);
    if (err)
        hark_outfile_abort(of);
    return err;
}

hark_err hark_outfile_close(hark_outfile *of)
{
    int e = fflush(of->fp) != 0 || ferror(of->fp) ? (errno ? errno : EIO) : 0;
    if (fclose(of->fp) != 0 && !e)
        e = errno;
    of->fp = NULL;
    if (!e)
        return HARK_OK;
    hark_err err = e == EPIPE
                       ? hark_error_at(HARK_ERR_PIPE, of->path, "the reader went away")
                       : hark_error_at(HARK_ERR_WRITE, of->path, "cannot write it: %s", strerror(e));
    hark_outfile_abort(of);
    return err;
}

/* ---- publish, settle, abort -------------------------------------------------------------------- */

/* Keep what target holds under a name beside it: a second link where the file system has them
 * (the target never goes missing), else by rename. */
static int keep_aside(hark_outfile *of)
{
    struct stat st;
    if (lstat(of->target, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (!(of->backup = sibling_template(of->target, "old")))
        return -1;
    int fd = mkstemp(of->backup); /* reserves a free name */
    if (fd < 0)
        return -1;
    close(fd);
    if (unlink(of->backup) == 0 && link(of->target, of->backup) == 0)
        return 0;
    return rename(of->target, of->backup) == 0 ? 0 : -1;
}

hark_err hark_outfile_publish(hark_outfile *of)
{
    if (of->through) {
        of->published = 1;
        return HARK_OK;
    }
    if (!of->tmp_path) /* closing it failed, and removed it */
        return hark_fail(HARK_ERR_WRITE);
    if (keep_aside(of) != 0) {
        int e = errno;
        free(of->backup);
        of->backup = NULL;
        return hark_error_at(HARK_ERR_WRITE, of->path, "cannot replace it: %s", strerror(e));
    }
    if (rename(of->tmp_path, of->target) != 0) {
        int e = errno;
        if (of->backup && access(of->target, F_OK) != 0)
            rename(of->backup, of->target); /* it was moved aside: back it goes */
        else if (of->backup)
            unlink(of->backup);
        free(of->backup);
        of->backup = NULL;
        return hark_error_at(HARK_ERR_WRITE, of->path, "cannot write it: %s", strerror(e));
    }
    free(of->tmp_path);
    of->tmp_path = NULL;
    of->published = 1;
    return HARK_OK;
}

hark_err hark_outfile_retire(hark_outfile *of, const char *path)
{
    *of = (hark_outfile){0};
    if (!(of->path = strdup(path)) || !(of->target = strdup(path)) ||
        !(of->backup = sibling_template(path, "old"))) {
        release(of);
        return hark_fail(HARK_ERR_NOMEM);
    }
    int fd = mkstemp(of->backup); /* reserves a free name, which the rename then takes */
    if (fd >= 0)
        close(fd);
    if (fd < 0 || rename(path, of->backup) != 0) {
        int e = errno;
        if (fd >= 0)
            unlink(of->backup);
        release(of);
        return hark_error_at(HARK_ERR_WRITE, path, "cannot remove it: %s", strerror(e));
    }
    of->published = 1;
    return HARK_OK;
}

void hark_outfile_settle(hark_outfile *of)
{
    if (of->backup)
        unlink(of->backup);
    release(of);
}

hark_err hark_outfile_commit(hark_outfile *of)
{
    hark_err err = hark_outfile_close(of);
    if (!err && (err = hark_outfile_publish(of)))
        hark_outfile_abort(of);
    if (!err)
        hark_outfile_settle(of);
    return err;
}

void hark_outfile_abort(hark_outfile *of)
{
    if (!of || !of->path)
        return;
    if (of->tmp_path) { /* not published: the temporary file goes */
        if (of->fp)
            fclose(of->fp);
        of->fp = NULL;
        unlink(of->tmp_path);
    } else if (of->published && !of->through) { /* published: what was there comes back */
        if (of->backup)
            rename(of->backup, of->target);
        else
            unlink(of->target);
        free(of->backup);
        of->backup = NULL;
    }
    release(of);
}

/* ---- before the work ------------------------------------------------------------------------------ */

hark_err hark_outfile_check(const char *path)
{
    size_t len = strlen(path);
    if (len == 0)
        return hark_error_at(HARK_ERR_USAGE, path, "an empty output name");
    if (path[len - 1] == '/')
        return hark_error_at(HARK_ERR_WRITE, path, "is a folder: give a file name");
    hark_outfile of = {0};
    if (!(of.path = strdup(path)))
        return hark_fail(HARK_ERR_NOMEM);
    hark_err err = resolve(&of, path);
    if (!err && !of.through)
        err = open_temporary(&of); /* its folder takes a new file */
    hark_outfile_abort(&of); /* releases it */
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
    if (hark_outfile_is_stdout(a) || hark_outfile_is_stdout(b))
        return strcmp(a, b) == 0;
    struct stat sa, sb;
    int a_is = stat(a, &sa) == 0, b_is = stat(b, &sb) == 0;
    if (a_is && b_is)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (a_is != b_is) /* one is there, the other not: two files (a batch's every output) */
        return 0;
    char ca[PATH_MAX + 256], cb[PATH_MAX + 256];
    if (canonical(a, ca, sizeof ca) && canonical(b, cb, sizeof cb))
        return strcmp(ca, cb) == 0;
    return strcmp(a, b) == 0;
}

int hark_outfile_is_input(const char *out, const char *in)
{
    return strcmp(in, "-") != 0 && hark_outfile_same(out, in);
}

/* folder is changed and restored in place: tried itself first, its parents only when missing. */
static hark_err make_folder(char *folder)
{
    if (mkdir(folder, 0777) == 0 || errno == EEXIST)
        return HARK_OK;
    char *slash = strrchr(folder, '/');
    if (errno == ENOENT && slash && slash != folder) {
        *slash = '\0';
        hark_err err = make_folder(folder);
        *slash = '/';
        if (err)
            return err;
        if (mkdir(folder, 0777) == 0 || errno == EEXIST)
            return HARK_OK;
    }
    return hark_error_at(HARK_ERR_WRITE, folder, "cannot make the folder: %s", strerror(errno));
}

hark_err hark_outfile_make_folder(const char *folder)
{
    char *copy = strdup(folder);
    if (!copy)
        return hark_fail(HARK_ERR_NOMEM);
    hark_err err = make_folder(copy);
    free(copy);
    return err;
}
