/* fold.h -- the one folding used for matching text against lexicons.
 *
 * Folding maps a UTF-8 string to the key it is looked up by: lower case,
 * compatibility-decomposed with diacritics removed (Tərtər -> tartar,
 * Ağcabədi -> agcabadi), curly quotes to ' and ", dashes and minus signs to
 * '-', non-breaking and other spaces to ' '. The gazetteer generator
 * (tools/mkgaz) and the runtime use this same function, so a name folds to
 * the same key in both. Offsets are never taken from folded text. */
#ifndef TLY_FOLD_H
#define TLY_FOLD_H
#include <stddef.h>
#include <stdint.h>
#include "../util/utf8.h" /* tly_utf8_decode, tly_utf8_validate */

/* Folds s[0..n) into out (cap bytes). Returns the folded length (which may
 * exceed cap: then out holds a prefix). Invalid UTF-8 bytes are dropped. */
size_t tly_fold(const char *s, size_t n, char *out, size_t cap);


/* Character classes of a code point, for the tokenizer. */
int tly_cp_is_letter(int32_t cp);
int tly_cp_is_upper(int32_t cp);
int tly_cp_is_space(int32_t cp);

/* Copies s[0..n) into out (room for n + 1 bytes) with every run of white
 * space (tly_cp_is_space: no-break spaces too) made one ' ', none at either
 * end; NUL-terminates and returns the length. For names and titles. */
size_t tly_collapse_space(const char *s, size_t n, char *out);
#endif
