/* data.h -- access to the data files (data/ in the source tree).
 * Built-in copies are compiled into the library by tools/embed; a data_dir
 * given at run time overrides them file by file. */
#ifndef TLY_DATA_H
#define TLY_DATA_H
#include "arena.h"
#include <stddef.h>

/* The bytes of data file `name` ("en/actors.tsv", "time/en/months.tsv").
 * With data_dir non-NULL the file is read from there into the arena;
 * otherwise the built-in copy is returned (static, NUL-terminated).
 * NULL when there is no such file. */
const char *tly_data_get(const char *data_dir, tly_arena *a, const char *name, size_t *len);

/* Iterates over the tab-separated lines of a data file: blank lines and
 * lines starting with '#' are skipped. Calls fn(ctx, fields, nfields, lineno)
 * for each line, where fields point into a scratch copy (NUL-terminated).
 * Returns the number of lines, or -1 if fn returned non-zero. */
typedef int (*tly_tsv_fn)(void *ctx, char **fields, int nfields, int lineno);
int tly_tsv_each(tly_arena *a, const char *data, size_t len, tly_tsv_fn fn, void *ctx);
#endif
