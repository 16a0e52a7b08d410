#ifndef HARK_PARAMS_JSON_H
#define HARK_PARAMS_JSON_H
/*
 * The parameters of rows (params.h) as JSON members, in one order and with one set of names
 * for every output (docs/FORMATS.md). Thread: any.
 */
#include "json.h"
#include "params.h"

/* The members, written into the object j has open (so a caller may add its own after). */
void hark_params_members(hark_json *j, const hark_params *p);

/* A whole object into j (which must be fresh): the "hark" text chunk of a PNG. */
void hark_params_object(hark_json *j, const hark_params *p);

#endif
