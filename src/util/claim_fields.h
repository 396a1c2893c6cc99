/* claim_fields.h -- the claim schema, once: every field of a tally_claim as
 * the JSON Lines and TSV writers (src/api.c) and the ledger's SQL columns
 * show it, in the order of the JSON object (TSV: the same order, fewer
 * fields; docs/extract.md is the contract).
 *
 *   X(name, kind, a, b, sql, outputs)
 *
 *   name     the JSON key, TSV column and SQL column (a C string)
 *   kind     how the value is read from a const tally_claim *c:
 *     DOC         the document id (not in the claim: the tally_doc's id)
 *     OFFSET      c->a, a byte offset that is always set (size_t)
 *     SPAN_OFFSET c->a, a byte offset or TALLY_NO_SPAN (null)
 *     COUNT       c->a, an int64_t bound; TALLY_OPEN is null
 *     ENUM        b(c->a): the enum's name, b its tally_*_name function
 *     STR         c->a, a NUL-terminated string or NULL (null)
 *     COORD       c->a (a double) when c->b (has_coords), else null
 *     DATE        c->a, a tally_date; year 0 is null
 *     TEXT        the document text [c->a, c->b); null when c->a is
 *                 TALLY_NO_SPAN or c->b < c->a
 *     EVIDENCE    the claim's evidence: the text [c->a, c->b) of its
 *                 sentence, with "…" at a cut (tally_claim_evidence)
 *     ID          c->a, a uint32_t id; 0 is null
 *     ENUM0       b(c->a), null when c->a is 0 (the enum's "none")
 *     PLACE_KIND  c->a's name when there is a place (c->b), else null
 *     INDEX       c->a - 1, an index stored plus one; 0 is null
 *   a, b     members of tally_claim (or the name function); `_` when unused
 *   sql      the SQL column type and constraint
 *   outputs  where the field appears: TLY_CF_JSON, TLY_CF_TSV, TLY_CF_SQL
 *
 * A consumer defines X for the kinds it writes, e.g.
 *   #define COL(name, kind, a, b, sql, out) if ((out) & TLY_CF_SQL) add_column(name, sql);
 *   TLY_CLAIM_FIELDS(COL)
 */
#ifndef TLY_CLAIM_FIELDS_H
#define TLY_CLAIM_FIELDS_H

enum { TLY_CF_JSON = 1, TLY_CF_TSV = 2, TLY_CF_SQL = 4, TLY_CF_ALL = 7 };

#define TLY_CLAIM_FIELDS(X)                                                                              \
    X("doc", DOC, _, _, "TEXT NOT NULL", TLY_CF_ALL)                                                     \
    X("start", OFFSET, start, _, "INTEGER NOT NULL", TLY_CF_ALL)                                         \
    X("end", OFFSET, end, _, "INTEGER NOT NULL", TLY_CF_ALL)                                             \
    X("outcome", ENUM, outcome, tally_outcome_name, "TEXT NOT NULL", TLY_CF_ALL)                         \
    X("count_low", COUNT, count_low, _, "INTEGER", TLY_CF_ALL)                                           \
    X("count_high", COUNT, count_high, _, "INTEGER", TLY_CF_ALL)                                         \
    X("qualifier", STR, qualifier, _, "TEXT", TLY_CF_ALL)                                                \
    X("victims", ENUM, victims, tally_victims_name, "TEXT NOT NULL", TLY_CF_ALL)                         \
    X("victims_side", STR, victims_side, _, "TEXT", TLY_CF_ALL)                                          \
    X("scope", ENUM, scope, tally_scope_name, "TEXT NOT NULL", TLY_CF_ALL)                               \
    X("place", STR, place, _, "TEXT", TLY_CF_ALL)                                                        \
    X("country", STR, country, _, "TEXT", TLY_CF_ALL)                                                    \
    X("lat", COORD, lat, has_coords, "REAL", TLY_CF_ALL)                                                 \
    X("lon", COORD, lon, has_coords, "REAL", TLY_CF_ALL)                                                 \
    X("place_text", TEXT, place_start, place_end, "TEXT", TLY_CF_JSON | TLY_CF_SQL)                      \
    X("place_precision", PLACE_KIND, place_kind, place, "TEXT", TLY_CF_ALL)                               \
    X("place_start", SPAN_OFFSET, place_start, _, "INTEGER", TLY_CF_SQL)                                 \
    X("place_end", SPAN_OFFSET, place_end, _, "INTEGER", TLY_CF_SQL)                                     \
    X("place_gazetteer_id", ID, place_gazetteer_id, _, "INTEGER", TLY_CF_SQL)                            \
    X("place_admin1", STR, place_admin1, _, "TEXT", TLY_CF_SQL)                                          \
    X("date_start", DATE, date_start, _, "TEXT", TLY_CF_ALL)                                             \
    X("date_end", DATE, date_end, _, "TEXT", TLY_CF_ALL)                                                 \
    X("date_text", TEXT, date_span_start, date_span_end, "TEXT", TLY_CF_JSON | TLY_CF_SQL)               \
    X("date_basis", ENUM0, date_basis, tally_date_basis_name, "TEXT", TLY_CF_ALL)                        \
    X("date_span_start", SPAN_OFFSET, date_span_start, _, "INTEGER", TLY_CF_SQL)                         \
    X("date_span_end", SPAN_OFFSET, date_span_end, _, "INTEGER", TLY_CF_SQL)                             \
    X("claimant", STR, claimant, _, "TEXT", TLY_CF_ALL)                                                  \
    X("claimant_alignment", STR, claimant_alignment, _, "TEXT", TLY_CF_ALL)                              \
    X("claimant_text", TEXT, claimant_start, claimant_end, "TEXT", TLY_CF_JSON | TLY_CF_SQL)             \
    X("reported_by", STR, reported_by, _, "TEXT", TLY_CF_ALL)                                            \
    X("claimant_start", SPAN_OFFSET, claimant_start, _, "INTEGER", TLY_CF_SQL)                           \
    X("claimant_end", SPAN_OFFSET, claimant_end, _, "INTEGER", TLY_CF_SQL)                               \
    X("perpetrator", STR, perpetrator, _, "TEXT", TLY_CF_ALL)                                            \
    X("weapon", STR, weapon, _, "TEXT", TLY_CF_ALL)                                                      \
    X("weapon_name", STR, weapon_name, _, "TEXT", TLY_CF_JSON | TLY_CF_SQL)                              \
    X("part_of", INDEX, part_of, _, "INTEGER", TLY_CF_ALL)                                                \
    X("count_text", TEXT, count_start, count_end, "TEXT NOT NULL", TLY_CF_JSON | TLY_CF_SQL)             \
    X("count_start", OFFSET, count_start, _, "INTEGER NOT NULL", TLY_CF_JSON | TLY_CF_SQL)               \
    X("count_end", OFFSET, count_end, _, "INTEGER NOT NULL", TLY_CF_JSON | TLY_CF_SQL)                   \
    X("sentence", EVIDENCE, evidence_start, evidence_end, "TEXT NOT NULL", TLY_CF_ALL)

#endif
