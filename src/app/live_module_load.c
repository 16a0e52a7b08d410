/* The executable's side of live_module.h: find, load and call the module. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "live_module.h"

#define MODULE_NAME "hark-live.so"
/* From the executable's folder: the build tree, then an install (bin/ and lib/hark/). */
static const char *const places[] = {"", "../lib/hark/"};

/* The folder of the running executable, with its '/', in dir (size bytes); 0 if unknown. */
static int exe_folder(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n <= 0 || (size_t)n >= size - 1)
        return 0;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash)
        return 0;
    slash[1] = '\0';
    return 1;
}

/* The first place that holds the module, or the first place if none does (to name it). */
static int module_path(char *path, size_t size)
{
    char dir[PATH_MAX];
    if (!exe_folder(dir, sizeof dir))
        return 0;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        int n = snprintf(path, size, "%s%s%s", dir, places[i], MODULE_NAME);
        if (n < 0 || (size_t)n >= size)
            return 0;
        if (access(path, F_OK) == 0)
            return 1;
    }
    return snprintf(path, size, "%s%s", dir, MODULE_NAME) > 0; /* none: name the first */
}

static hark_err load(void **handle)
{
    static void *loaded;
    if (loaded) {
        *handle = loaded;
        return HARK_OK;
    }
    char path[PATH_MAX];
    if (!module_path(path, sizeof path))
        return hark_error_set(HARK_ERR_OPEN, "cannot find %s: where is the hark executable?",
                              MODULE_NAME);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return hark_error_at(HARK_ERR_OPEN, path, "cannot load the live module: %s", dlerror());
    const char *(*version)(void) = (const char *(*)(void))dlsym(h, HARK_LIVE_MODULE_VERSION);
    if (!version || strcmp(version(), HARK_VERSION) != 0) {
        hark_err err = hark_error_at(HARK_ERR_OPEN, path, "a live module of version %s, not %s",
                                     version ? version() : "unknown", HARK_VERSION);
        dlclose(h);
        return err;
    }
    *handle = loaded = h;
    return HARK_OK;
}

hark_err hark_live_module_call(const char *command, int argc, char **argv)
{
    void *h;
    hark_err err = load(&h);
    if (err)
        return err;
    hark_live_module_run_fn run = (hark_live_module_run_fn)dlsym(h, HARK_LIVE_MODULE_ENTRY);
    if (!run)
        return hark_error_set(HARK_ERR_OPEN, "the live module has no entry: %s", dlerror());
    return run(command, argc, argv);
}
