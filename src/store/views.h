/* views.h -- the views both backends (sqlite_schema.c, pg_schema.c) make
 * alike: claims_v, incident_bounds_v, incident_claims_v, incident_overlaps,
 * timeline_v, series_disagreements, sources_v. The file that expands
 * TLY_VIEWS_COMMON defines first the dialect's words:
 *   TLY_SQL_LIST(expr, sep, order)  the values of expr joined by sep
 *   TLY_SQL_SAME(a, b)              a equals b, NULL equal to NULL
 *   TLY_SQL_FALSE(x)                x is 0 (false)
 * (each a string literal made of its arguments). */
#ifndef TLY_STORE_VIEWS_H
#define TLY_STORE_VIEWS_H

#define TLY_VIEWS_COMMON \
    "CREATE VIEW claims_v AS\n" \
    "SELECT c.id AS claim_id, c.doc, d.title, d.source AS publisher, d.published, d.url,\n" \
    "  c.outcome, c.count_low, c.count_high, c.qualifier, c.victims, c.scope,\n" \
    "  c.place, c.country, c.lat, c.lon, c.date_start, c.date_end,\n" \
    "  c.claimant, a.alignment AS claimant_alignment, a.role AS claimant_role, a.side AS claimant_side,\n" \
    "  c.perpetrator, c.weapon, c.weapon_name, c.incident_id, c.sentence,\n" \
    "  c.first_day, c.last_day, c.document_id, c.seq, c.place_id, c.claimant_id,\n" \
    "  c.place_kind, c.review_status, c.same_as, c.claim_key,\n" \
    "  (SELECT " TLY_SQL_LIST("x.doc", "'; '", "x.id") " FROM claims x WHERE x.same_as = c.id) AS also_in,\n" \
    /* version 4: the fields of issue 12; part_of_claim_id: the total's row */ \
    "  c.victims_side, c.date_basis, c.place_precision, c.reported_by, c.part_of,\n" \
    "  (SELECT t.id FROM claims t WHERE t.document_id = c.document_id AND t.seq = c.part_of) AS part_of_claim_id\n" \
    "FROM claims c JOIN documents d ON d.id = c.document_id\n" \
    "LEFT JOIN actors a ON a.id = c.claimant_id;\n" \
    "CREATE VIEW incident_bounds_v AS\n" \
    /* a country's or an area's point is no event's place: no coordinates (issue 13) */ \
    "SELECT i.id AS incident_id, i.kind, p.name AS place, p.country,\n" \
    "  CASE WHEN p.kind IN ('country', 'area') THEN NULL ELSE p.lat END AS lat,\n" \
    "  CASE WHEN p.kind IN ('country', 'area') THEN NULL ELSE p.lon END AS lon,\n" \
    "  i.first_day, i.last_day, b.outcome, b.victims, b.n_claims,\n" \
    "  b.low, lc.claimant AS low_claimant, lc.doc AS low_doc,\n" \
    "  b.best, bc.claimant AS best_claimant, bc.doc AS best_doc,\n" \
    "  b.high, hc.claimant AS high_claimant, hc.doc AS high_doc, b.high_open,\n" \
    "  i.place_id, b.low_claim_id, b.best_claim_id, b.high_claim_id\n" \
    "FROM incidents i JOIN places p ON p.id = i.place_id\n" \
    "JOIN incident_bounds b ON b.incident_id = i.id\n" \
    "LEFT JOIN claims lc ON lc.id = b.low_claim_id\n" \
    "LEFT JOIN claims bc ON bc.id = b.best_claim_id\n" \
    "LEFT JOIN claims hc ON hc.id = b.high_claim_id;\n" \
    "CREATE VIEW incident_claims_v AS\n" \
    "SELECT v.incident_id, v.kind, v.place, v.country, v.lat, v.lon, v.first_day, v.last_day,\n" \
    "  v.outcome, v.victims, v.n_claims, v.low, v.low_claimant, v.low_doc, v.best, v.best_claimant,\n" \
    "  v.best_doc, v.high, v.high_claimant, v.high_doc, v.high_open,\n" \
    "  c.id AS claim_id, c.count_low, c.count_high, c.qualifier, c.date_start, c.date_end,\n" \
    "  c.place AS claim_place, c.claimant, c.claimant_alignment, c.doc, d.title, c.sentence, v.place_id,\n" \
    "  c.claimant_id\n" \
    "FROM incident_bounds_v v JOIN claims c ON c.incident_id = v.incident_id\n" \
    "  AND c.outcome = v.outcome AND c.victims = v.victims\n" \
    "JOIN documents d ON d.id = c.document_id;\n" \
    "CREATE VIEW incident_overlaps AS\n" \
    "SELECT a.id AS aggregate_id, s.id AS incident_id, pa.name AS aggregate_place, ps.name AS incident_place,\n" \
    "  a.first_day AS aggregate_first, a.last_day AS aggregate_last, s.first_day, s.last_day\n" \
    "FROM incidents a JOIN incidents s ON s.kind = 'incident' AND a.kind = 'aggregate'\n" \
    "JOIN places pa ON pa.id = a.place_id JOIN places ps ON ps.id = s.place_id\n" \
    "WHERE (s.place_id = a.place_id OR ps.parent_id = a.place_id OR pa.parent_id = s.place_id)\n" \
    "  AND a.first_day IS NOT NULL AND s.first_day IS NOT NULL\n" \
    "  AND s.first_day <= a.last_day AND s.last_day >= a.first_day;\n" \
    "CREATE VIEW timeline_v AS\n" \
    "SELECT s.id AS series_id, s.claimant, a.alignment AS claimant_alignment, s.outcome, s.victims,\n" \
    "  sp.as_of, sp.period_start, sp.value, sp.count_low, sp.count_high,\n" \
    "  sp.down, sp.differs, c.doc, c.place, c.sentence, sp.claim_id, s.claimant_id, c.place_id, s.frame\n" \
    "FROM series_points sp JOIN series s ON s.id = sp.series_id\n" \
    "JOIN claims c ON c.id = sp.claim_id\n" \
    "LEFT JOIN actors a ON a.id = s.claimant_id;\n" \
    "CREATE VIEW series_disagreements AS\n" \
    "SELECT x.outcome, x.victims, x.as_of, x.claimant AS claimant_a, x.value AS value_a, x.doc AS doc_a,\n" \
    "  y.claimant AS claimant_b, y.value AS value_b, y.doc AS doc_b\n" \
    "FROM timeline_v x JOIN timeline_v y ON x.as_of = y.as_of AND x.outcome = y.outcome\n" \
    "  AND x.victims = y.victims AND x.series_id < y.series_id\n" \
    "JOIN series sx ON sx.id = x.series_id JOIN series sy ON sy.id = y.series_id\n" \
    "  AND " TLY_SQL_SAME("sy.country", "sx.country") " AND " TLY_SQL_SAME("sy.period_start", "sx.period_start") "\n" \
    "  AND " TLY_SQL_FALSE("sx.background") " AND " TLY_SQL_FALSE("sy.background") "\n" \
    "  AND sx.document_id IS NULL AND sy.document_id IS NULL\n" \
    "WHERE coalesce(x.count_high, 9223372036854775807) < coalesce(y.count_low, 0)\n" \
    "   OR coalesce(y.count_high, 9223372036854775807) < coalesce(x.count_low, 0);\n" \
    "CREATE VIEW sources_v AS\n" \
    "SELECT a.id AS actor_id, a.name AS claimant, a.alignment, a.role, a.side,\n" \
    "  count(c.id) AS claims, count(DISTINCT c.document_id) AS documents,\n" \
    "  min(c.first_day) AS first_day, max(c.last_day) AS last_day,\n" \
    "  (SELECT " TLY_SQL_LIST("x.alias", "'; '", "x.alias") " FROM actor_aliases x WHERE x.actor_id = a.id) AS aliases\n" \
    "FROM actors a JOIN claims c ON c.claimant_id = a.id\n" \
    "GROUP BY a.id;\n" \
    /* end of TLY_VIEWS_COMMON */

#endif
