/* json.h -- the JSON of one JSONL line: an object whose known keys are
 * decoded, the rest validated and skipped. Iterative; nesting limited to
 * TLY_JSON_MAX_DEPTH. */
#ifndef TLY_IO_JSON_H
#define TLY_IO_JSON_H
#include "tally.h"
#include "util/buf.h"
#include <stddef.h>

enum { TLY_JF_TEXT = 0, TLY_JF_ID, TLY_JF_PUBLISHED, TLY_JF_TITLE, TLY_JF_SOURCE, TLY_JF_URL, TLY_JF_N };

typedef struct tly_json_field {
    int present;      /* a string (or, for "id", a number) was read */
    int not_string;   /* present with another type (not null) */
    size_t off, len;  /* the decoded value in the output buffer */
} tly_json_field;

typedef struct tly_json_doc {
    tly_json_field f[TLY_JF_N];
    size_t nul_at;    /* offset in the line of a \u0000 in "text", or (size_t)-1 */
} tly_json_doc;

/* Parses line[0..n) (already checked to be valid UTF-8). The strings of the
 * known keys are appended, decoded, to out. Returns TALLY_OK or
 * TALLY_ERR_JSON with *err_at = the offset in the line and msg filled;
 * TALLY_ERR_NOMEM when out cannot grow. Does not check that "text" is there. */
tally_status tly_json_parse_line(const char *line, size_t n, tly_buf *out, tly_json_doc *d,
                                 size_t *err_at, char *msg, size_t msg_cap);
#endif
