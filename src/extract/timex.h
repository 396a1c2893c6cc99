/* timex.h -- the temporal tagger: finds dates, times, durations and sets in
 * text and normalizes them to TIMEX3 values, resolved against a reference
 * date. The same code dates claims (tally extract) and prints TIMEX3
 * (tally extract --timex). Rules and words are data: data/time/en/.
 *
 * The tagger reads the document's tokens (src/text/token.h: one tokenizer
 * for every stage); each entry point also has a form that takes the text
 * alone and tokenizes it first (tests, tools/timex-driver). Input is valid
 * UTF-8 (not NUL-terminated); every expression is a [start, end) byte span
 * into it. All output lives in the caller's arena. */
#ifndef TLY_TIMEX_H
#define TLY_TIMEX_H
#include "tally.h"
#include "../util/arena.h"
#include "../text/token.h"

/* the rules: tly_timex_rules, tly_timex_rules_load, tly_timex_rules_free */
#include "../lex/timewords.h"

typedef struct tly_timex {
    tally_timex pub;        /* start, end, type, value, first, last */
    unsigned flags;         /* TLY_TX_* */
    /* A list or range ("April 24 and 25", "from 1991 to 1997") is one
     * expression spanning all its dates (first..last, TLY_TX_RANGE: what the
     * claim dating wants); TIMEX3 tags each date on its own: these are its
     * members in text order, each with its own extent and value ("April
     * 24" 1998-04-24, "25" 1998-04-25), or NULL. In the caller's arena. */
    const tally_timex *memb;
    size_t nmemb;
} tly_timex;

#define TLY_TX_RELATIVE 1u  /* resolved from the reference date ("today", "on Sunday") */
#define TLY_TX_YEARLESS 2u  /* the text gave no year ("October 4"): year inferred */
#define TLY_TX_RANGE 4u     /* first..last is a span of several days ("5th, 8th and 17th October") */
#define TLY_TX_ANCHOR 8u    /* "since"/"from"/"starting from" precedes it: start of a period */
#define TLY_TX_ASOF 16u     /* "as of"/"until"/"by" precedes it: end of a period */

/* The tagger's reading of a document's tokens (its words looked up in the
 * rules' tables): made once by tly_timex_read, read by tly_timex_tag_input
 * and tly_timex_latest_input. In the arena it was read into. */
typedef struct tly_timex_input {
    const char *text;
    const struct tx_tok *t; /* timex_int.h */
    size_t n;
} tly_timex_input;

/* Reads the tokens tk of text (tly_tokenize over the whole text). -1 when
 * out of memory. */
int tly_timex_read(const tly_timex_rules *r, tly_arena *a, const char *text, const tly_tokens *tk,
                   tly_timex_input *in);

/* Tags the text. ref is the document's reference date (year 0: none;
 * then only absolute expressions get calendar values, others XXXX).
 * Returns 0 on success (expressions sorted by start, non-overlapping), -1
 * when out of memory. */
int tly_timex_tag_input(const tly_timex_rules *r, tly_arena *a, const tly_timex_input *in, tally_date ref,
                        tly_timex **out, size_t *n);
int tly_timex_tag(const tly_timex_rules *r, tly_arena *a, const char *text, size_t len,
                  tally_date ref, tly_timex **out, size_t *n);

/* The reference date a document gives itself: a dateline near its start
 * ("08 October 2020", "4 October 2020 16:29" on a line of their own, or
 * "CITY, Oct. 5 (Reuters) -"). Returns 1 and fills *out when found. The
 * _tokens form reads the document's tokens tk. */
int tly_timex_dateline_tokens(const tly_timex_rules *r, const char *text, size_t len, const tly_tokens *tk,
                              tally_date *out);
int tly_timex_dateline(const tly_timex_rules *r, const char *text, size_t len, tally_date *out);

/* The latest full date (day, month and year) the text states; 1 if any. */
int tly_timex_latest_input(const tly_timex_rules *r, const tly_timex_input *in, tally_date *out);
int tly_timex_latest_full_date(const tly_timex_rules *r, tly_arena *a, const char *text, size_t len,
                               tally_date *out);
#endif
