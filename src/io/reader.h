/* reader.h -- internal knobs of the readers (the API is in tally.h). */
#ifndef TLY_IO_READER_H
#define TLY_IO_READER_H
#include "tally.h"
#include <stddef.h>

/* Sets the largest document the reader returns (0: TLY_MAX_DOC_BYTES).
 * Larger documents give TALLY_ERR_LIMIT and are skipped. */
void tly_reader_set_max_doc_bytes(tally_reader *r, size_t max);
#endif
