/* The option loop every command shares (cmd.h). */
#include <stdio.h>

#include "cmd.h"

hark_err hark_cmd_getopt(int argc, char **argv, const char *shortopts,
                         const struct option *options, const char *name, hark_option_fn apply,
                         void *ctx, int *help)
{
    opterr = 0;
    optind = 0; /* GNU: start afresh, forgetting any earlier scan's place (not just optind = 1) */
    int c;
    while ((c = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
        if (c == 'h') {
            *help = 1;
            return HARK_OK;
        }
        if (c == '?' || c == ':')
            return hark_error_set(HARK_ERR_USAGE, "%s '%s' (see 'hark %s --help')",
                                  c == ':' ? "missing value for" : "unknown option",
                                  argv[optind - 1], name);
        hark_err err = apply(ctx, c, optarg);
        if (err)
            return err;
    }
    return HARK_OK;
}
