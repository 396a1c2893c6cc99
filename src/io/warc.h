/* warc.h -- WARC 1.0/1.1 records, streamed one at a time, and the HTTP
 * responses inside them. */
#ifndef TLY_IO_WARC_H
#define TLY_IO_WARC_H
#include "io/detect.h"
#include "io/stream.h"
#include "util/arena.h"
#include "util/buf.h"

typedef struct tly_warc_state {
    int resync; /* skipping lines up to the next "WARC/1." */
    int done;   /* the file cannot go on */
} tly_warc_state;

/* The content of one record worth reading. */
typedef struct tly_warc_payload {
    tly_format kind;        /* TLY_FMT_TEXT or TLY_FMT_HTML */
    const char *data;       /* valid until the next call on the stream */
    size_t len;
    uint64_t record_off;    /* where the record ("WARC/1.") starts */
    uint64_t data_off;      /* where data starts in the input, if data_exact */
    int data_exact;         /* 0 when data was decoded (chunked, gzip) */
    tly_charset charset;    /* from the HTTP Content-Type */
    tally_str id, url, date; /* WARC-Record-ID (without <>), WARC-Target-URI, WARC-Date */
} tly_warc_payload;

typedef struct tly_warc_error {
    tally_status code;
    uint64_t offset;
    char id[200]; /* the record id when known, else "" */
    char message[200];
} tly_warc_error;

/* Reads records up to the next one with text content (response with an HTTP
 * 2xx text/html or text/plain payload, resource, conversion). Returns
 * TALLY_OK with *out filled, TALLY_DONE at the end, or an error for one
 * record (e filled); st->done says whether the file can go on. The buffers
 * hold decoded payloads; strings go into the arena. */
tally_status tly_warc_next(tly_stream *s, tly_warc_state *st, size_t max_doc, tly_arena *a,
                           tly_buf *tmp1, tly_buf *tmp2, tly_warc_payload *out, tly_warc_error *e);
#endif
