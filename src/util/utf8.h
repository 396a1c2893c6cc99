/* utf8.h -- the one UTF-8 decoder (the tokenizer, folding, validation and
 * the JSON escaper all read UTF-8 through it). */
#ifndef TLY_UTF8_H
#define TLY_UTF8_H
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n bytes available). Returns its length in
 * bytes (1..4) and the code point in *cp, or 0 for an invalid sequence
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
size_t tly_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);

/* Encodes code point cp (at most 0x1FFFFF) into out (room for 4 bytes) and
 * returns the length (1..4). It checks nothing: a caller that may hold a
 * surrogate or a value above U+10FFFF replaces it first. */
size_t tly_utf8_encode(uint32_t cp, char *out);

/* Returns the offset of the first invalid UTF-8 byte, or n when valid. */
size_t tly_utf8_validate(const char *s, size_t n);
#endif
