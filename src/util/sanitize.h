/* sanitize.h -- untrusted text made safe to show to people: on a terminal,
 * in a table cell, in a log line. Document text, titles, file names and
 * request URLs can hold ESC (a terminal title, a cleared screen), BEL,
 * carriage returns and newlines (forged rows and log lines), C1 controls
 * (U+0080..U+009F, which some terminals obey as ESC sequences) and bidi
 * overrides (reordered text). tally's human-readable output (table and TSV
 * cells, `serve`'s request log, error lines naming a document) passes every
 * untrusted string through tly_sanitize_display; machine output (JSON) has
 * its own escaper, tly_json_str in buf.h. */
#ifndef TLY_SANITIZE_H
#define TLY_SANITIZE_H
#include "buf.h"
#include <stddef.h>

/* TAB, LF, CR, VT, FF and U+0085, U+2028, U+2029 as one space: a table or
 * TSV cell, one line of a message. */
#define TLY_DISPLAY_CELL 1u
/* For logs: nothing is lost and nothing is ambiguous. A control byte and an
 * invalid UTF-8 byte are written as \xNN, a C1 control or a bidi control as
 * \u{NNNN}, a backslash as \\. Without it, each is written as U+FFFD. */
#define TLY_DISPLAY_ESCAPE 2u
/* TAB and LF are copied as they are: they are the structure of a TSV
 * stream whose fields have none (the library's TSV writer turns them into
 * spaces), so the stream can be made safe as a whole. */
#define TLY_DISPLAY_KEEP_TAB_LF 4u

/* Appends s[0..n) to b, every C0 control (U+0000..U+001F), DEL, C1 control
 * (U+0080..U+009F), bidi control (U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) and invalid UTF-8 byte replaced as flags say; everything
 * else is copied. Returns 0 when the buffer failed (out of memory). */
int tly_sanitize_display(tly_buf *b, const char *s, size_t n, unsigned flags);
#endif
