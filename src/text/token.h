/* token.h -- one pass over a document's bytes: tokens with byte offsets,
 * folded forms for matching, sentences and paragraphs.
 *
 * Tokens: a run of letters (and digits after letters: "TB2"), a run of
 * digits with inner separators ("6,000", "1.5"), or one punctuation
 * character. Folded forms (src/text/fold.h) live in the document arena, so
 * tokenizing allocates nothing per token beyond the arena bump. */
#ifndef TLY_TOKEN_H
#define TLY_TOKEN_H
#include "../util/arena.h"
#include <stddef.h>
#include <stdint.h>

enum {
    TK_WORD = 1u << 0,    /* letters (maybe with trailing digits) */
    TK_NUM = 1u << 1,     /* digits, maybe with , or . inside */
    TK_PUNCT = 1u << 2,   /* one punctuation or symbol character */
    TK_CAP = 1u << 3,     /* starts with an upper-case letter */
    TK_UPPER = 1u << 4,   /* all letters upper-case (2+ letters) */
    TK_SPACE = 1u << 5,   /* whitespace before it */
    TK_NL = 1u << 6,      /* a line break before it */
    TK_PARA = 1u << 7,    /* a paragraph break before it */
    TK_SSTART = 1u << 8,  /* first token of a sentence */
    TK_ASCII = 1u << 9,   /* every byte ASCII */
    TK_DIGITS = 1u << 10, /* TK_WORD with digits in it ("TB2"), TK_NUM with separators ("6,000", "1.5", "12 500") */
    TK_LF = 1u << 11,     /* a line feed (U+000A) before it; TK_NL also counts U+2028 and U+2029 */
    TK_LF2 = 1u << 12,    /* two or more line feeds before it (TK_PARA counts every line break) */
};

typedef struct tly_tok {
    uint32_t start, end;  /* byte span in the document text */
    const char *norm;     /* folded form, NUL-terminated */
    uint32_t hash;        /* hash of norm */
    uint16_t len;         /* strlen(norm) */
    uint16_t flags;
    uint32_t sent;        /* sentence index */
    uint32_t para;        /* paragraph index */
} tly_tok;

typedef struct tly_sent {
    uint32_t tok_begin, tok_end; /* [begin, end) token indexes */
    uint32_t start, end;         /* byte span (trimmed) */
    uint32_t para;
} tly_sent;

typedef struct tly_tokens {
    tly_tok *tok;
    size_t n;
    tly_sent *sent;
    size_t nsent;
} tly_tokens;

/* FNV-1a over folded bytes: tly_hash(s, n) == tly_hash_more(TLY_HASH_SEED, s, n),
 * and a hash grows with its key (the tagger hashes "a week" from "a"). */
#define TLY_HASH_SEED 2166136261u
static inline uint32_t tly_hash_more(uint32_t h, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}
uint32_t tly_hash(const char *s, size_t n);

/* Tokenizes text[0..len) (valid UTF-8) and splits it into sentences.
 * max_sentence_bytes: a sentence longer than this is cut (0: no limit).
 * is_abbrev(ctx, folded, len) says whether a word followed by '.' is an
 * abbreviation that does not end a sentence. Returns 0, or -1 when out of memory. */
typedef int (*tly_abbrev_fn)(const void *ctx, const char *folded, size_t len);
int tly_tokenize(tly_arena *a, const char *text, size_t len, size_t max_sentence_bytes,
                 tly_abbrev_fn is_abbrev, const void *ctx, tly_tokens *out);
#endif
