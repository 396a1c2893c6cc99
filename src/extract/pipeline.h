/* pipeline.h -- the stages of the analysis of one document, in order.
 *
 * A stage reads the layers it needs (doc.h: TLY_L_*) and makes the layers it
 * gives; tly_pipeline_run runs the table in order and, in debug builds,
 * asserts that each stage's needs are met. A stage is one of:
 *
 *   TLY_PER_DOC   reads the whole document (state carried from sentence
 *                 to sentence: the reference date, the temporal anchor, the
 *                 current speaker)
 *   TLY_PER_SENT  its output for a sentence depends only on that sentence
 *                 (and the layers given before): it could run on the chosen
 *                 sentences alone
 *   TLY_GATE      decides whether the rest is worth running
 *
 * so that a cue-first scan can later run the per-sentence stages only where
 * cues were hit, and compute the document-wide state at those hits. */
#ifndef TLY_PIPELINE_H
#define TLY_PIPELINE_H
#include "doc.h"

typedef enum tly_stage_kind { TLY_PER_DOC, TLY_PER_SENT, TLY_GATE } tly_stage_kind;

/* What a stage returns. */
enum {
    TLY_STAGE_OK = 0,
    TLY_STAGE_NOMEM = -1,
    TLY_STAGE_STOP = 1, /* a gate: skip the rest */
    TLY_STAGE_SKIP = 2  /* not asked for: gives nothing */
};

typedef struct tly_stage {
    const char *name;
    int (*run)(tly_doc *d);
    unsigned needs, gives; /* TLY_L_* */
    tly_stage_kind kind;
} tly_stage;

/* The stages, in order; *n gets how many. */
const tly_stage *tly_pipeline(size_t *n);

/* Runs every stage on d (its lex, text, arena and options set, layers 0)
 * until the end or a gate says stop. Returns 0, or -1 when out of memory. */
int tly_pipeline_run(tly_doc *d);
#endif
