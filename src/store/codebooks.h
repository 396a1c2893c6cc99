/* codebooks.h -- the SQL of the codebook exports that both backends
 * (sqlite*.c, pg*.c) speak alike: the deaths of an event, and the columns
 * of the ACLED and UCDP GED exports in their codebooks' order (the views
 * export_acled and export_ucdp make them, in each dialect; docs/schema.md
 * says how each column is filled). */
#ifndef TLY_STORE_CODEBOOKS_H
#define TLY_STORE_CODEBOOKS_H

/* The deaths of an event (an incident) by victims: its killed claims, but a
 * breakdown of a killed total ("14 people, including five children") set
 * aside (its total counts them); low = the lowest figure, best = the lower
 * median, high = the highest. */
#define TLY_VIEW_EVENT_DEATHS \
    "CREATE VIEW event_deaths AS\n" \
    "WITH f AS (SELECT c.incident_id, c.victims, c.id, coalesce(c.count_low, c.count_high) AS fig,\n" \
    "    coalesce(c.count_high, c.count_low) AS hi,\n" \
    "    row_number() OVER (PARTITION BY c.incident_id, c.victims ORDER BY coalesce(c.count_low, c.count_high), c.id) AS rn,\n" \
    "    count(*) OVER (PARTITION BY c.incident_id, c.victims) AS n\n" \
    "  FROM claims c WHERE c.outcome = 'killed' AND c.incident_id IS NOT NULL\n" \
    "    AND coalesce(c.count_low, c.count_high) IS NOT NULL\n" \
    "    AND NOT EXISTS (SELECT 1 FROM claims t WHERE t.document_id = c.document_id AND t.seq = c.part_of\n" \
    "      AND t.outcome = 'killed'))\n" \
    "SELECT incident_id, victims, count(*) AS n_claims, min(fig) AS low,\n" \
    "  max(CASE WHEN rn = (n + 1) / 2 THEN fig END) AS best, max(hi) AS high\n" \
    "FROM f GROUP BY incident_id, victims;\n"

/* ACLED's actor2: civilians of the place's country when civilians died,
 * else the military forces of the side most of its military deaths name */
#define TLY_ACLED_ACTOR2 \
    "  CASE WHEN EXISTS (SELECT 1 FROM event_deaths e WHERE e.incident_id = i.id AND e.victims = 'civilians')\n" \
    "    THEN 'Civilians' || coalesce(' (' || coalesce(k.name, p.country) || ')', '')\n" \
    "  ELSE (SELECT coalesce('Military Forces of ' || (SELECT x.name FROM countries x WHERE x.iso2 = c.victims_side),\n" \
    "      c.victims_side) FROM claims c WHERE c.incident_id = i.id AND c.outcome = 'killed'\n" \
    "      AND c.victims = 'military' AND c.victims_side IS NOT NULL\n" \
    "    GROUP BY c.victims_side ORDER BY count(*) DESC, min(c.id) LIMIT 1) END AS actor2,\n"

/* the end of export_acled: the keys the filters use, the tables (the
 * weapon class most of its claims name gives the event types) */
#define TLY_ACLED_FROM \
    "  i.id AS incident_id, i.kind, coalesce(i.first_day, i.window_first) AS span_first,\n" \
    "  coalesce(i.last_day, i.window_last) AS span_last, i.place_id\n" \
    "FROM incidents i JOIN places p ON p.id = i.place_id LEFT JOIN countries k ON k.iso2 = p.country\n" \
    "LEFT JOIN event_totals t ON t.incident_id = i.id\n" \
    "LEFT JOIN acled_weapons w ON w.weapon = (SELECT c.weapon FROM claims c WHERE c.incident_id = i.id\n" \
    "  AND c.weapon IS NOT NULL GROUP BY c.weapon ORDER BY count(*) DESC, min(c.id) LIMIT 1);\n"

/* ACLED's columns, every one in its order */
#define TLY_ACLED_SELECT                                                                                  \
    "SELECT v.event_id_cnty, v.event_date, v.year, v.time_precision, v.disorder_type, v.event_type,"      \
    " v.sub_event_type, v.actor1, v.assoc_actor_1, v.inter1, v.actor2, v.assoc_actor_2, v.inter2,"         \
    " v.interaction, v.civilian_targeting, v.iso, v.region, v.country, v.admin1, v.admin2, v.admin3,"       \
    " v.location, v.latitude, v.longitude, v.geo_precision, v.source, v.source_scale, v.notes,"             \
    " v.fatalities, v.tags, v.\"timestamp\" FROM export_acled v"

/* UCDP GED's columns, every one in its order */
#define TLY_UCDP_SELECT                                                                                   \
    "SELECT v.id, v.relid, v.year, v.active_year, v.code_status, v.type_of_violence, v.conflict_dset_id,"  \
    " v.conflict_new_id, v.conflict_name, v.dyad_dset_id, v.dyad_new_id, v.dyad_name, v.side_a_dset_id,"   \
    " v.side_a_new_id, v.side_a, v.side_b_dset_id, v.side_b_new_id, v.side_b, v.number_of_sources,"        \
    " v.source_article, v.source_office, v.source_date, v.source_headline, v.source_original,"              \
    " v.where_prec, v.where_coordinates, v.where_description, v.adm_1, v.adm_2, v.latitude, v.longitude,"   \
    " v.geom_wkt, v.priogrid_gid, v.country, v.country_id, v.region, v.event_clarity, v.date_prec,"         \
    " v.date_start, v.date_end, v.deaths_a, v.deaths_b, v.deaths_civilians, v.deaths_unknown, v.best,"     \
    " v.high, v.low, v.gwnoa, v.gwnob FROM export_ucdp v"
#endif
