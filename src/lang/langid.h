/* langid.h -- which language a document is in (tally_language_detect).
 *
 * Two steps, both cheap: the script most of its letters are in (Unicode
 * ranges, in langid.c), then, where several languages write that script,
 * the share of each language's most frequent words (data/langid.tsv) among
 * its first ~2,000 words. Conservative by design: "und" when the evidence
 * is thin, so that a caller that skips documents in languages it has no
 * pack for never skips one it could have read. */
#ifndef TLY_LANGID_H
#define TLY_LANGID_H
#include "tally.h"
#endif
