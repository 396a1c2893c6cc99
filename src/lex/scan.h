/* scan.h -- the cue scan: one pass over a document's raw bytes that finds
 * the paragraphs that may hold an outcome word ("killed", "injured",
 * "fled"...), before any tokenization (issue 16, cue-first extraction).
 *
 * The literals are the outcome phrases of the language pack
 * (data/<lang>/outcomes.tsv, as compiled into the lexicon), and the words
 * the incident frame of a document reads anywhere in it (attack nouns and
 * verbs and responsibility cues of cues.tsv, weapons.tsv): for each phrase,
 * the folded prefix (at most 4 bytes) of its most telling word (the longest
 * one that is no function word of cues.tsv; a plural ending the morphology
 * can change is left out). A word of the text is a hit when its folded
 * prefix is one of them. The scan reads words the way the tokenizer does
 * (a letter, then letters and digits; ASCII lower-cased in place, any other
 * word folded with tly_fold), so a paragraph without a hit has no token the
 * lexicon could read as an outcome: the scan is a superset of the outcome
 * matches, never a subset.
 *
 * Paragraphs: the text is cut only where the tokenizer surely starts a new
 * sentence and a new paragraph -- a run of ASCII white space with two line
 * feeds or more, followed by a byte that is not a lower-case ASCII letter and
 * not a non-ASCII byte -- so that tokenizing the paragraphs one by one gives
 * the tokens, the sentences and the paragraph breaks of the whole text.
 *
 * Built once per lexicon (tally_lexicon_open); immutable; shared by threads. */
#ifndef TLY_SCAN_H
#define TLY_SCAN_H
#include "../util/arena.h"
#include <stddef.h>
#include <stdint.h>

typedef struct tly_cue_scan tly_cue_scan;

/* The classes of literals: the outcome phrases (a claim grows from one),
 * and the words the document's incident frame reads anywhere in the text
 * (attack nouns and verbs, responsibility cues, weapons: context.c). */
enum { TLY_SCAN_OUTCOME = 1u, TLY_SCAN_CONTEXT = 2u, TLY_SCAN_ALL = 3u };
struct tally_lexicon;

/* Builds the scan of lex's outcome phrases in lex's arena. Returns NULL when
 * the pack cannot be scanned exactly (inflection rules: its words change
 * more than a plural ending; a phrase with no word) or out of memory: then
 * every document takes the whole pipeline. */
tly_cue_scan *tly_scan_build(struct tally_lexicon *lex);

/* How much of text[0..len) cue-first extraction needs: the bytes up to the
 * end of the paragraph `after` paragraphs after the last one with a cue word
 * of any class (len when there are fewer), or 0 when no paragraph has an
 * outcome word. Scans from the end, paragraph by paragraph, and stops at
 * the first paragraph (from the end) with an outcome word. */
size_t tly_scan_keep(const tly_cue_scan *s, const char *text, size_t len, size_t after);
#endif
