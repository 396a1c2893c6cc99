/* words.h -- the words of a search as people type it (the web report's q,
 * both backends' views): runs of bytes between white space, a run with no
 * letter or digit dropped, a possessive 's or ’s cut (Amnesty's is the word
 * Amnesty). Each backend then writes the words in its own search syntax. */
#ifndef TLY_UTIL_WORDS_H
#define TLY_UTIL_WORDS_H
#include <stddef.h>

/* Calls fn for each word of q (not NUL-terminated: w[0..n)); fn returns
 * non-zero to stop. Returns the number of words given. */
typedef int (*tly_word_fn)(void *ctx, const char *w, size_t n);
size_t tly_query_words(const char *q, tly_word_fn fn, void *ctx);

#endif
