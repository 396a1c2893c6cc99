/* limits.h -- every limit the readers enforce, in one place.
 * docs/input.md lists them; keep the two in step. */
#ifndef TLY_IO_LIMITS_H
#define TLY_IO_LIMITS_H

/* Largest document a reader returns, in bytes of input: a plain-text or
 * HTML file, one JSON line, one WARC record block (after chunked and gzip
 * content decoding). Larger -> TALLY_ERR_LIMIT for that document, whose bytes
 * are skipped without being held in memory. Changed per reader with
 * tly_reader_set_max_doc_bytes(). */
#define TLY_MAX_DOC_BYTES ((size_t)64 << 20)

/* Deepest nesting of arrays and objects a JSON line may have (the line's
 * object itself is depth 1). Deeper -> TALLY_ERR_JSON. */
#define TLY_JSON_MAX_DEPTH 64

/* Deepest element nesting an HTML document may have, estimated by a linear
 * pre-scan of its tags before it is parsed (elements whose end tag may be
 * omitted, void elements and self-closed tags do not count). Deeper ->
 * TALLY_ERR_LIMIT. Guards the HTML parser against the quadratic time and
 * deep recursion that pathological nesting causes. Chrome uses 512 too. */
#define TLY_HTML_MAX_DEPTH 512

/* Largest WARC or HTTP header block (all header lines of one record). */
#define TLY_WARC_MAX_HEADER_BYTES ((size_t)1 << 20)

/* A line longer than its limit is skipped to its newline, but only so far:
 * after TLY_MAX_SKIP_FACTOR times the limit with no newline (endless input
 * such as /dev/zero behind a .jsonl name, or an endless line on stdin) the
 * reader gives up the rest of that input with an error naming the line and
 * its offset, so a run never hangs on it. 16 x 64 MiB = 1 GiB by default. */
#define TLY_MAX_SKIP_FACTOR 16

/* Read size for files and for gzip input. */
#define TLY_IO_CHUNK ((size_t)64 << 10)

#endif
