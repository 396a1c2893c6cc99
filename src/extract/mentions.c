/* mentions.c -- actors (organisations, offices, roles of a country, people,
 * anaphors), places (gazetteer, demonyms) in one document. */
#include "doc.h"
#include "../util/sort.h"
#include "grammar.h"
#include "../text/fold.h"
#include <string.h>
#include <stdio.h>

static int covered(const int32_t *at, uint32_t t0, uint32_t t1) {
    for (uint32_t i = t0; i < t1; i++) if (at[i] >= 0) return 1;
    return 0;
}

/* Folded key of tokens [t0, t1): words joined by a space where the text has
 * space, hyphens and apostrophes kept. */
static size_t span_key(const tly_doc *d, uint32_t t0, uint32_t t1, char *buf, size_t cap) {
    size_t o = 0;
    for (uint32_t i = t0; i < t1; i++) {
        const tly_tok *t = &d->tk.tok[i];
        if (i > t0 && (t->flags & TK_SPACE)) { if (o + 1 >= cap) return 0; buf[o++] = ' '; }
        if (o + t->len >= cap) return 0;
        memcpy(buf + o, t->norm, t->len);
        o += t->len;
    }
    buf[o] = 0;
    return o;
}

/* The country named by tokens [i, ...): a country name (longest, up to 4
 * tokens), returning its end; 0 when none. */
static uint32_t country_at(const tly_doc *d, uint32_t i, const tly_place **out) {
    if (!d->lex->gaz || i >= d->tk.n || !(d->tk.tok[i].flags & TK_CAP)) return 0;
    char key[160];
    for (uint32_t e = i + 4 < d->tk.n ? i + 4 : (uint32_t)d->tk.n; e > i; e--) {
        if (d->tk.tok[e - 1].sent != d->tk.tok[i].sent) continue;
        size_t kl = span_key(d, i, e, key, sizeof key);
        if (!kl) continue;
        const tly_place *c[8];
        size_t nc = tly_gaz_lookup(d->lex->gaz, key, kl, c, 8);
        for (size_t k = 0; k < nc && k < 8; k++)
            if (c[k]->kind == TLY_PLACE_COUNTRY) { *out = c[k]; return e; }
    }
    return 0;
}

static const tly_place *demonym_at(const tly_doc *d, uint32_t i) {
    if (!d->lex->gaz || i >= d->tk.n) return NULL;
    const tly_tok *t = &d->tk.tok[i];
    if (!(t->flags & TK_WORD) || (!(t->flags & TK_CAP) && !d->lex->lower_demonyms)) return NULL;
    return tly_gaz_demonym(d->lex->gaz, t->norm, t->len);
}

/* Fills a role template: {country} and {demonym}. */
static const char *fill_template(tly_doc *d, const char *tpl, const tly_place *c, uint32_t dem_tok) {
    char out[256];
    size_t o = 0;
    int dangling = 0; /* the last placeholder filled to nothing, at the end */
    for (const char *p = tpl; *p && o + 1 < sizeof out;) {
        if (!strncmp(p, "{country}", 9) || !strncmp(p, "{demonym}", 9)) {
            int dem = p[1] == 'd';
            char w[96];
            if (dem && dem_tok != UINT32_MAX) {
                const tly_tok *t = &d->tk.tok[dem_tok];
                size_t l = t->end - t->start;
                if (l >= sizeof w) l = sizeof w - 1;
                memcpy(w, d->text + t->start, l);
                w[l] = 0;
            } else if (c) {
                const char *dn = dem ? tly_lex_demonym(d->lex, c->country) : NULL;
                snprintf(w, sizeof w, "%s", dn ? dn : c->name);
            } else w[0] = 0;
            size_t l = strlen(w);
            if (o + l >= sizeof out) break;
            memcpy(out + o, w, l);
            o += l;
            p += 9;
            dangling = l == 0;
        } else { out[o++] = *p++; dangling = 0; }
    }
    out[o] = 0;
    /* a role with no country ("Ministry of Defence of {country}"): the word
     * that tied the country on goes too; trim */
    size_t l = strlen(out);
    while (l && out[l - 1] == ' ') out[--l] = 0;
    if (dangling) {
        while (l && out[l - 1] != ' ') l--;
        while (l && out[l - 1] == ' ') l--;
        out[l] = 0;
    }
    char *s = out;
    while (*s == ' ') s++;
    return tly_arena_strndup(d->a, s, strlen(s));
}

static const tly_lexent *longest(const tly_doc *d, size_t i, int type, uint32_t *t1) {
    if (!(d->mbits[i] & tly_match_bit(type, -1))) return NULL; /* no match of that type here: one load */
    for (uint32_t k = d->mfirst[i], e = k + d->mcount[i]; k < e; k++)
        if (d->m[k].e->type == type) { *t1 = d->m[k].t1; return d->m[k].e; }
    return NULL;
}

/* Namesakes: a place whose own name is the word beats one that has it only
 * as an old or alternate name and is no bigger ("Manchester" is Manchester,
 * not Richmond, Virginia, which absorbed a town of that name). Conflict
 * places (aliases.tsv) always stay. Returns the new count. */
/* Whether name folds to key[0..kl): an ASCII name compared byte by byte in
 * lower case (tly_fold does no more to ASCII), any other folded whole. */
static int folds_to(const char *name, const char *key, size_t kl) {
    size_t i = 0;
    for (; name[i]; i++) {
        unsigned ch = (unsigned char)name[i];
        if (ch >= 0x80) break;
        if (i >= kl || (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != key[i]) return 0;
    }
    if (!name[i]) return i == kl;
    char f[200];
    size_t fl = tly_fold(name, strlen(name), f, sizeof f);
    return fl == kl && !memcmp(f, key, kl);
}

static size_t prefer_own_name(const tly_place **c, size_t n, const char *key, size_t kl) {
    uint32_t own_pop = 0;
    int any_own = 0;
    unsigned char own[16] = {0};
    for (size_t k = 0; k < n; k++) {
        if (folds_to(c[k]->name, key, kl)) {
            own[k] = 1;
            any_own = 1;
            if (c[k]->population > own_pop) own_pop = c[k]->population;
        }
    }
    if (!any_own) return n;
    size_t o = 0;
    for (size_t k = 0; k < n; k++)
        if (own[k] || (c[k]->flags & TLY_PLACE_CONFLICT) || c[k]->kind != TLY_PLACE_CITY || c[k]->population > own_pop)
            c[o++] = c[k];
    return o;
}

/* A town this big is taken for itself even without a preposition, and is
 * not taken for a person's or a weapon's name. */
#define BIG_TOWN 100000u

static int has_upper(const char *s) {
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') return 1;
    return 0;
}

static int is_function_word(const tly_doc *d, size_t i) {
    return tly_doc_match(d, i, LX_CUE, CUE_PREP) || tly_doc_match(d, i, LX_CUE, CUE_ONE_DET) ||
           tly_doc_match(d, i, LX_CUE, CUE_AUX) || tly_cue(d, i, CUE_CONJ) || tly_cue(d, i, CUE_CONNECTIVE) ||
           tly_doc_match(d, i, LX_CUE, CUE_STOPNAME);
}

typedef TLY_VEC(tly_actor) actor_vec;
typedef TLY_VEC(tly_placem) place_vec;

static int add_actor(tly_doc *d, actor_vec *v, tly_actor a) {
    if (!tly_vec_push(d->a, v, a)) return -1;
    for (uint32_t k = a.t0; k < a.t1; k++) d->act_at[k] = (int32_t)(v->n - 1);
    return 0;
}

static const char *perp_name(const tly_doc *d, const char *kind, const char *side, const char *name) {
    (void)d;
    if (!kind) return NULL;
    if (!strcmp(kind, "armed_group")) return name;
    if (!strcmp(kind, "armed_forces") || !strcmp(kind, "state")) {
        if (side && strlen(side) == 2 && d->lex->gaz) {
            const tly_place *c = tly_gaz_country(d->lex->gaz, side);
            if (c) return c->name;
        }
        return name;
    }
    return NULL;
}

/* by position (for the one stable sort, util/sort.h) */
static int cmp_actor_pos(const void *a, const void *b, void *ctx) {
    (void)ctx;
    const tly_actor *x = a, *y = b;
    return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}
static int cmp_place_pos(const void *a, const void *b, void *ctx) {
    (void)ctx;
    const tly_placem *x = a, *y = b;
    return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

/* What the stages of this file build up: the actors and places found so
 * far (in the document's arena) and the countries the document names. */
typedef struct mentions {
    actor_vec acts;
    place_vec pls;
    tly_place_ctx ctx;
} mentions;

/* The country that holds more than half of the context's weight, else NULL */
static const char *dominant_country(const tly_place_ctx *ctx) {
    float all = 0.0f;
    size_t best = 0;
    for (size_t q = 0; q < ctx->n; q++) {
        all += ctx->weight[q];
        if (ctx->weight[q] > ctx->weight[best]) best = q;
    }
    return ctx->n && ctx->weight[best] * 2.0f > all ? ctx->country[best] : NULL;
}

/* token -> its actor / place, from the lists */
static void index_actors(tly_doc *d, const mentions *m) {
    for (size_t q = 0; q < d->tk.n; q++) d->act_at[q] = -1;
    for (size_t k = 0; k < m->acts.n; k++)
        for (uint32_t q = m->acts.v[k].t0; q < m->acts.v[k].t1; q++) d->act_at[q] = (int32_t)k;
}
static void index_places(tly_doc *d, const mentions *m) {
    for (size_t q = 0; q < d->tk.n; q++) d->pl_at[q] = -1;
    for (size_t k = 0; k < m->pls.n; k++)
        for (uint32_t q = m->pls.v[k].t0; q < m->pls.v[k].t1; q++) d->pl_at[q] = (int32_t)k;
}

/* Stage 1: named actors (actors.tsv) and roles of a country (roles.tsv:
 * "the Azerbaijani Defence Ministry", "Prosecutor General of Armenia").
 * needs: tokens, matches, gazetteer; gives: m->acts, act_at */
static int find_actors(tly_doc *d, mentions *m) {
    const tly_tok *t = d->tk.tok;
    uint32_t n = (uint32_t)d->tk.n;
    for (uint32_t i = 0; i < n; i++) {
        if (d->act_at[i] >= 0) continue;
        uint32_t t1;
        const tly_lexent *e = longest(d, i, LX_ACTOR, &t1);
        if (e) {
            tly_actor a = {0};
            a.t0 = i; a.t1 = t1; a.name = e->s; a.kind = e->s2; a.side = e->side; a.src = AM_ACTOR;
            a.perp = perp_name(d, e->s2, e->side, e->s);
            if (e->speaks_for) { a.name = e->speaks_for; a.kind = "person"; }
            if (add_actor(d, &m->acts, a)) return -1;
            i = t1 - 1;
            continue;
        }
        e = longest(d, i, LX_ROLE, &t1);
        if (!e) continue;
        /* the country: a demonym or "X's" before, or "of (the Republic of) X" after */
        const tly_place *c = NULL;
        uint32_t a0 = i, a1 = t1, dem_tok = UINT32_MAX;
        if (i > 0 && t[i - 1].sent == t[i].sent) {
            const tly_place *dm = demonym_at(d, i - 1);
            if (dm) { c = dm; a0 = i - 1; dem_tok = i - 1; }
            else {
                /* "Azerbaijan's Prosecutor General", "Azerbaijan Defence Ministry" */
                uint32_t s = i;
                if (i >= 2 && tly_possessive(d, i - 2)) s = i - 2;
                for (uint32_t b = s >= 3 ? s - 3 : 0; b < s; b++) {
                    const tly_place *cc;
                    if (country_at(d, b, &cc) == s) { c = cc; a0 = b; break; }
                }
            }
        }
        if (!c && tly_cue(d, t1, CUE_OF)) {
            uint32_t k = t1 + 1;
            if (tly_cue(d, k, CUE_ARTICLE)) k++;
            if (tly_cue(d, k, CUE_ADMIN_WORD) && tly_cue(d, k + 1, CUE_OF)) k += 2; /* "the Republic of" */
            const tly_place *cc;
            uint32_t e2 = country_at(d, k, &cc);
            if (e2) { c = cc; a1 = e2; }
        }
        /* "the Kharkiv regional prosecutor's office": a town or region before the role */
        if (!c && i > 0) {
            uint32_t b = i;
            while (b > 0 && b + 3 > i && t[b - 1].sent == t[i].sent &&
                   tly_cue(d, b - 1, CUE_ADMIN_WORD))
                b--;
            if (b > 0 && (t[b - 1].flags & TK_CAP) && d->lex->gaz) {
                char key[128];
                uint32_t pb = b - 1;
                size_t kl = span_key(d, pb, b, key, sizeof key);
                const tly_place *pc[4];
                if (kl && tly_gaz_lookup(d->lex->gaz, key, kl, pc, 4) > 0 && pc[0]->kind != TLY_PLACE_COUNTRY) {
                    tly_actor a = {0};
                    a.t0 = pb; a.t1 = t1; a.src = AM_ROLE; a.kind = e->s2; a.role_has_country = 1;
                    a.side = tly_arena_strndup(d->a, pc[0]->country, strlen(pc[0]->country));
                    a.name = tly_doc_name(d, t[pb].start, t[t1 - 1].end);
                    if (e->a) {
                        const tly_place *cc = tly_gaz_country(d->lex->gaz, pc[0]->country);
                        a.perp = cc ? cc->name : NULL;
                    }
                    if (!a.name || add_actor(d, &m->acts, a)) return -1;
                    i = t1 - 1;
                    continue;
                }
            }
        }
        if (!c && a0 == i && i > 0 && !tly_cue(d, i - 1, CUE_ARTICLE)) {
            /* a bare role word in lower case ("forces", "army") with no country is not an actor */
            if (!(t[i].flags & TK_CAP)) continue;
        }
        if (!c && !(t[i].flags & TK_CAP)) continue;
        tly_actor a = {0};
        a.t0 = a0; a.t1 = a1; a.src = AM_ROLE; a.kind = e->s2; a.role_tpl = e->s;
        a.role_has_country = c != NULL;
        a.side = c ? tly_arena_strndup(d->a, c->country, strlen(c->country)) : NULL;
        a.name = fill_template(d, e->s, c, dem_tok);
        if (e->a && c) a.perp = c->name;
        if (!a.name) return -1;
        if (add_actor(d, &m->acts, a)) return -1;
        i = a1 - 1;
    }
    return 0;
}

/* Stage 2: places of the gazetteer and demonyms ("Armenian"), a namesake
 * resolved against the countries the whole document names.
 * needs: tokens, matches, timexes, actors (act_at), gazetteer; gives: m->pls, m->ctx */
static int find_places(tly_doc *d, mentions *m) {
    const tly_tok *t = d->tk.tok;
    uint32_t n = (uint32_t)d->tk.n;
    /* a name and its namesakes, resolved once the whole document is read */
    typedef struct { uint32_t t0, t1; const tly_place *c[16]; size_t nc; int strong; } cand_t;
    TLY_VEC(cand_t) cands = {0};
    for (uint32_t i = 0; i < n; i++) {
        if (!(t[i].flags & TK_WORD)) continue;
        if (!(t[i].flags & TK_CAP) && !(d->lex->lower_demonyms && demonym_at(d, i))) continue; /* ru: "украинский" */
        if (d->act_at[i] >= 0 || d->tx_at[i] >= 0) continue;
        const tly_place *dm = demonym_at(d, i);
        /* the longest name from here */
        char key[200];
        cand_t cd;
        memset(&cd, 0, sizeof cd);
        /* the longest name from here: extend one token at a time while some
         * name starts with what we have */
        uint32_t lim = i + 6 < n ? i + 6 : n;
        for (uint32_t e = i + 1; e <= lim; e++) {
            if (t[e - 1].sent != t[i].sent || d->act_at[e - 1] >= 0) break;
            size_t kl = span_key(d, i, e, key, sizeof key);
            if (!kl) break;
            if (t[e - 1].flags & TK_WORD) {
                const tly_place *c2[16];
                size_t nc = tly_gaz_lookup(d->lex->gaz, key, kl, c2, 16);
                if (!nc && strchr(key, '-')) {
                    char alt[200];
                    memcpy(alt, key, kl + 1);
                    for (char *p = alt; *p; p++) if (*p == '-') *p = ' ';
                    nc = tly_gaz_lookup(d->lex->gaz, alt, kl, c2, 16);
                }
                if (nc) {
                    cd.t0 = i; cd.t1 = e; cd.nc = nc > 16 ? 16 : nc;
                    memcpy(cd.c, c2, cd.nc * sizeof *c2);
                    cd.nc = prefer_own_name(cd.c, cd.nc, key, kl);
                }
            }
            if ((t[e - 1].flags & TK_WORD) && !tly_gaz_has_prefix(d->lex->gaz, key, kl)) break;
        }
        /* "the Lebanese capital": the country's capital city */
        if (dm && tly_cue(d, i + 1, CUE_CAPITAL) && t[i + 1].sent == t[i].sent) {
            const tly_place *cap = tly_gaz_capital(d->lex->gaz, dm->country);
            if (cap) {
                tly_placem pm = {0};
                pm.t0 = i; pm.t1 = i + 2; pm.pl = cap;
                if (!tly_vec_push(d->a, &m->pls, pm)) return -1;
                tly_place_ctx_add(&m->ctx, cap->country, 1.0f);
                i++;
                continue;
            }
        }
        if (!cd.nc) {
            if (dm) {
                tly_placem pm = {0};
                pm.t0 = i; pm.t1 = i + 1; pm.pl = dm; pm.demonym = 1;
                if (!tly_vec_push(d->a, &m->pls, pm)) return -1;
                tly_place_ctx_add(&m->ctx, dm->country, 0.5f);
            }
            continue;
        }
        /* is it a name of something else? */
        int multi = cd.t1 - cd.t0 > 1;
        const tly_place *best = cd.c[0];
        int strong = best->kind == TLY_PLACE_COUNTRY || best->kind == TLY_PLACE_ADMIN1 ||
                     best->kind == TLY_PLACE_REGION || (best->flags & TLY_PLACE_CONFLICT);
        uint32_t pop = 0; /* the largest namesake: a city is not taken for a name or a weapon */
        for (size_t k = 0; k < cd.nc; k++) {
            if (cd.c[k]->flags & TLY_PLACE_CONFLICT) strong = 1;
            if (cd.c[k]->population > pop) pop = cd.c[k]->population;
        }
        uint32_t after = cd.t1;
        int prep_before = i > 0 && t[i - 1].sent == t[i].sent &&
                          (tly_doc_match(d, i - 1, LX_CUE, CUE_PREP) || tly_doc_match(d, i - 1, LX_CUE, CUE_PLACE_NOUN) || tly_cue(d, i - 1, CUE_ARTICLE));
        int cap_neighbour = (after < n && t[after].sent == t[i].sent && (t[after].flags & TK_CAP) &&
                             (t[after].flags & TK_WORD) && (t[after].flags & TK_SPACE) &&
                             !tly_doc_match(d, after, LX_CUE, CUE_PLACE_NOUN) && !demonym_at(d, after) &&
                             d->act_at[after] < 0) ||
                            (i > 0 && t[i - 1].sent == t[i].sent && (t[i - 1].flags & TK_CAP) &&
                             (t[i - 1].flags & TK_WORD) &&
                             (!(t[i - 1].flags & TK_SSTART) || tly_lex_is_given_name(d->lex, t[i - 1].norm, t[i - 1].len)) &&
                             !is_function_word(d, i - 1) && d->act_at[i - 1] < 0 && !demonym_at(d, i - 1));
        int common = 0;
        {
            size_t kl0 = span_key(d, cd.t0, cd.t1, key, sizeof key);
            if (kl0 && (tly_gaz_key_flags(d->lex->gaz, key, kl0) & TLY_PLACE_COMMONWORD)) common = 1;
        }
        if (!multi && (tly_content_cue(d, i) || tly_doc_match(d, i, LX_VICTIM, -1) ||
                       tly_doc_match(d, i, LX_NUMWORD, -1) || tly_doc_match(d, i, LX_OUTCOME, -1) ||
                       tly_doc_match(d, i, LX_WEAPON, -1)))
            common = 1;
        /* "fire from Grad rocket launchers", "Grad multiple launch rocket
         * systems": a weapon's name, or a word naming the weapon after it */
        if (!multi && !strong && tly_doc_match(d, i, LX_WEAPON, -1)) continue;
        if (!multi && !strong && pop < BIG_TOWN && after < n && t[after].sent == t[i].sent &&
            tly_doc_match(d, after, LX_WEAPON, -1))
            continue;
        if (dm && !multi) { /* "Armenian" is an adjective first */
            tly_placem pm = {0};
            pm.t0 = i; pm.t1 = i + 1; pm.pl = dm; pm.demonym = 1;
            if (!tly_vec_push(d->a, &m->pls, pm)) return -1;
            tly_place_ctx_add(&m->ctx, dm->country, 0.5f);
            continue;
        }
        if (cap_neighbour && !strong) { i = cd.t1 - 1; continue; }
        /* "the Post", "the Sun": an article is no evidence for a common word */
        if (common && !strong && (!prep_before || tly_cue(d, i - 1, CUE_ARTICLE))) continue;
        /* "Campbell-Hardy": the second half of a hyphenated name is no town */
        if (!strong && i >= 2 && tly_punct(d, i - 1, '-') && !(t[i - 1].flags & TK_SPACE) &&
            !(t[i].flags & TK_SPACE) && (t[i - 2].flags & TK_CAP) && (t[i - 2].flags & TK_WORD))
            continue;
        /* "Olivia", "Kyle": a given name is a person unless "in"/"near" says otherwise */
        if (!multi && !strong && (!prep_before || tly_cue(d, i - 1, CUE_ARTICLE)) &&
            tly_lex_is_given_name(d->lex, t[i].norm, t[i].len) && pop < BIG_TOWN)
            continue;
        if (common && (t[i].flags & TK_SSTART) && !multi) continue;
        cd.strong = strong || prep_before || multi || pop >= BIG_TOWN;
        if (!cd.strong && (t[i].flags & TK_SSTART)) continue;
        if (!tly_vec_push(d->a, &cands, cd)) return -1;
        if (cd.nc == 1 || best->kind == TLY_PLACE_COUNTRY) tly_place_ctx_add(&m->ctx, best->country, best->kind == TLY_PLACE_COUNTRY ? 1.0f : 0.5f);
        i = cd.t1 - 1;
    }
    /* resolve namesakes against what the whole document names */
    for (size_t k = 0; k < cands.n; k++) {
        cand_t *cd = &cands.v[k];
        const tly_place *p = tly_gaz_resolve(d->lex->gaz, (const tly_place *const *)cd->c, cd->nc, &m->ctx);
        if (!p) continue;
        if (!cd->strong && !(p->flags & TLY_PLACE_CONFLICT)) {
            int in_ctx = 0;
            for (size_t q = 0; q < m->ctx.n; q++) if (!strcmp(m->ctx.country[q], p->country)) in_ctx = 1;
            if (!in_ctx && p->population < 20000) continue;
        }
        /* "an attack on Kaboro community" in a Nigerian story: not Carrboro
         * (US). A town abroad that is no big city loses to a document that
         * is about one other country (find_settlements names it then). */
        if (p->kind != TLY_PLACE_COUNTRY && p->kind != TLY_PLACE_ADMIN1 && !(p->flags & TLY_PLACE_CONFLICT) &&
            p->population < BIG_TOWN && cd->t1 - cd->t0 == 1) {
            const char *dom = dominant_country(&m->ctx);
            int named = 0; /* its country is named: "Niger's defence ministry ... near Ayorou" */
            for (size_t q = 0; q < m->ctx.n; q++) /* more than the town itself adds */
                if (!strcmp(m->ctx.country[q], p->country) && m->ctx.weight[q] > 0.5f) named = 1;
            for (size_t q = 0; q < m->acts.n && !named; q++)
                if (m->acts.v[q].side && !strcmp(m->acts.v[q].side, p->country)) named = 1;
            if (dom && strcmp(dom, p->country) && !named) continue;
        }
        tly_placem pm = {0};
        pm.t0 = cd->t0; pm.t1 = cd->t1; pm.pl = p;
        if (!tly_vec_push(d->a, &m->pls, pm)) return -1;
    }
    return 0;
}

/* "Dahyan market", "the al-Hitawin area", "Kaboro community": the name
 * before a settlement noun, from the preposition (or article) on; its first
 * token, or 0 when there is none */
static uint32_t name_before(const tly_doc *d, uint32_t i) {
    const tly_tok *t = d->tk.tok;
    uint32_t b = i, caps = 0;
    while (b > 0 && i - b < 4 && t[b - 1].sent == t[i].sent && d->act_at[b - 1] < 0 && d->tx_at[b - 1] < 0) {
        const tly_tok *u = &t[b - 1];
        int joined = tly_punct(d, b - 1, '-') && !(u->flags & TK_SPACE) && !(t[b].flags & TK_SPACE);
        int prefix = b >= 2 && tly_punct(d, b - 1, '-') ? 0 : (b < i && tly_punct(d, b, '-') && !(t[b].flags & TK_SPACE));
        if ((u->flags & TK_WORD) && (u->flags & TK_CAP) && !is_function_word(d, b - 1)) caps++;
        else if (!joined && !prefix) break;
        b--;
    }
    if (!caps || b == i || b == 0) return 0;
    if (!tly_cue(d, b - 1, CUE_PREP) && !tly_cue(d, b - 1, CUE_ARTICLE)) return 0;
    return b;
}

/* Stage 3: "the village of Qarayusifli": a settlement the gazetteer does not
 * know is still a place, named as the text names it (no coordinates: id 0).
 * needs: tokens, matches, timexes, actors, m->pls, m->ctx; gives: m->pls */
static int find_settlements(tly_doc *d, mentions *m) {
    const tly_tok *t = d->tk.tok;
    uint32_t n = (uint32_t)d->tk.n;
    for (uint32_t i = 0; i + 2 < n; i++) {
        int of = tly_cue(d, i, CUE_SETTLEMENT) && tly_cue(d, i + 1, CUE_OF);
        uint32_t s0 = i + 2, e0 = s0;
        if (of) {
            while (e0 < n && e0 < s0 + 3 && t[e0].sent == t[i].sent && (t[e0].flags & TK_CAP) && (t[e0].flags & TK_WORD) &&
                   d->act_at[e0] < 0 && d->tx_at[e0] < 0)
                e0++;
        } else if (tly_cue(d, i, CUE_SETTLEMENT_AFTER) && i > 0 && !(t[i].flags & TK_CAP)) {
            /* "in Dahyan market", "the al-Hitawin area", "Kaboro community" */
            s0 = name_before(d, i);
            e0 = i;
            if (!s0) continue;
        } else if (tly_cue(d, i, CUE_PREP) && !(t[i].flags & TK_CAP) && i + 3 < n && (t[i + 1].flags & TK_CAP) &&
                   (t[i + 1].flags & TK_WORD) && d->pl_at[i + 1] < 0 && d->act_at[i + 1] < 0 && d->tx_at[i + 1] < 0 &&
                   !is_function_word(d, i + 1) && !tly_known(d, i + 1) && tly_cue(d, i + 2, CUE_PREP) &&
                   !(t[i + 2].flags & TK_CAP) && (t[i + 3].flags & TK_CAP) && d->tx_at[i + 3] < 0 &&
                   !is_function_word(d, i + 3) && t[i + 3].sent == t[i].sent) {
            /* "in Zaganiya in Al-Abara district": an unknown name in a known place */
            s0 = i + 1;
            e0 = i + 2;
        } else continue;
        if (e0 == s0) continue;
        int known = 0;
        for (size_t k = 0; k < m->pls.n; k++) if (m->pls.v[k].t0 < e0 && m->pls.v[k].t1 > s0) known = 1;
        if (known) continue;
        tly_place *np = tly_arena_calloc(d->a, 1, sizeof *np);
        if (!np) return -1;
        np->name = tly_doc_name(d, t[s0].start, t[e0 - 1].end);
        np->admin1 = "";
        if (m->ctx.n) memcpy(np->country, m->ctx.country[m->ctx.n - 1], 3);
        np->kind = TLY_PLACE_CITY;
        if (!np->name) return -1;
        tly_placem pm = {0};
        pm.t0 = s0; pm.t1 = e0; pm.pl = np;
        if (!tly_vec_push(d->a, &m->pls, pm)) return -1;
    }
    return 0;
}

/* Stage 4: people: two to four capitalized words that are nothing else.
 * needs: tokens, matches, timexes, actors, places (pl_at); gives: m->acts (appended) */
static int find_persons(tly_doc *d, mentions *m) {
    const tly_tok *t = d->tk.tok;
    uint32_t n = (uint32_t)d->tk.n;
    for (uint32_t i = 0; i < n; i++) {
        if (!(t[i].flags & TK_CAP) || !(t[i].flags & TK_WORD) || (t[i].flags & TK_UPPER)) continue;
        if (d->act_at[i] >= 0 || d->pl_at[i] >= 0 || d->tx_at[i] >= 0 || is_function_word(d, i)) continue;
        if ((tly_content_cue(d, i) && !tly_doc_match(d, i, LX_CUE, CUE_ORG_WORD)) || tly_doc_match(d, i, LX_NUMWORD, -1)) continue;
        uint32_t e = i + 1;
        while (e < n && e - i < 4 && t[e].sent == t[i].sent && (t[e].flags & TK_CAP) && (t[e].flags & TK_WORD) &&
               !(t[e].flags & TK_UPPER) && (t[e].flags & TK_SPACE) && d->act_at[e] < 0 && d->pl_at[e] < 0 &&
               d->tx_at[e] < 0 && !is_function_word(d, e) &&
               (!tly_content_cue(d, e) || tly_doc_match(d, e, LX_CUE, CUE_ORG_WORD)))
            e++;
        if (e - i < 2) continue;
        /* "Central Asia Regional Office", "Human Rights Centre": an organisation's name */
        int org = 0;
        for (uint32_t q = i; q < e; q++) if (tly_doc_match(d, q, LX_CUE, CUE_ORG_WORD)) org = 1;
        if (e < n && tly_doc_match(d, e, LX_CUE, CUE_ORG_WORD) && (t[e].flags & TK_CAP)) org = 1;
        if (org) { i = e - 1; continue; }
        tly_actor a = {0};
        a.t0 = i; a.t1 = e; a.src = AM_PERSON; a.kind = "person";
        const tly_tok *f = &t[i], *l = &t[e - 1];
        a.name = tly_doc_name(d, f->start, l->end);
        if (!a.name) return -1;
        if (add_actor(d, &m->acts, a)) return -1;
        i = e - 1;
    }
    return 0;
}

/* Stage 5: a town that is a person's name: "Bob Woodward" named, then
 * "he admitted to Woodward" is the man, not Woodward, Oklahoma. A single
 * word that is the first or last word of a person named in the document
 * is not a town, unless it is a conflict place, more than a town, or a
 * city of 100,000+ ("Manchester Arena" may pass for a person).
 * needs: m->acts (persons), m->pls; gives: m->pls, pl_at */
static void drop_person_towns(tly_doc *d, mentions *m) {
    const tly_tok *t = d->tk.tok;
    uint32_t names[64]; /* tokens: first and last words of persons */
    size_t nn = 0;
    for (size_t k = 0; k < m->acts.n && nn + 2 <= 64; k++) {
        if (m->acts.v[k].src != AM_PERSON || m->acts.v[k].t1 - m->acts.v[k].t0 < 2) continue;
        names[nn++] = m->acts.v[k].t0;
        names[nn++] = m->acts.v[k].t1 - 1;
    }
    size_t o = 0;
    for (size_t k = 0; k < m->pls.n; k++) {
        const tly_placem *pm = &m->pls.v[k];
        int drop = 0;
        if (nn && pm->t1 - pm->t0 == 1 && !pm->demonym && pm->pl->kind == TLY_PLACE_CITY &&
            !(pm->pl->flags & TLY_PLACE_CONFLICT) && pm->pl->population < BIG_TOWN) {
            for (size_t q = 0; q < nn && !drop; q++)
                drop = t[names[q]].hash == t[pm->t0].hash && !strcmp(t[names[q]].norm, t[pm->t0].norm);
        }
        if (drop) { d->pl_at[pm->t0] = -1; continue; }
        m->pls.v[o++] = m->pls.v[k];
    }
    if (o != m->pls.n) {
        m->pls.n = o;
        index_places(d, m);
    }
}

/* Stage 6: anaphors ("the rights group", "he"): the last actor of a matching
 * kind (anaphors.tsv); the actors sorted by position.
 * needs: tokens, matches, m->acts; gives: m->acts (merged, sorted), act_at */
static int find_anaphors(tly_doc *d, mentions *m) {
    uint32_t n = (uint32_t)d->tk.n;
    if (m->acts.n > 1) { /* persons were appended: sort by position first */
        tly_actor *tmp = tly_arena_alloc(d->a, m->acts.n * sizeof *tmp);
        if (!tmp) return -1;
        tly_sort(m->acts.v, tmp, m->acts.n, sizeof *m->acts.v, cmp_actor_pos, NULL);
    }
    index_actors(d, m);
    actor_vec ana = {0};
    size_t named = m->acts.n, cursor = 0;
    for (uint32_t i = 0; i < n; i++) {
        while (cursor < named && m->acts.v[cursor].t0 < i) cursor++;
        if (d->act_at[i] >= 0) continue;
        uint32_t t1;
        const tly_lexent *e = longest(d, i, LX_ANAPHOR, &t1);
        if (!e || !e->s) continue;
        if (covered(d->act_at, i, t1)) continue;
        const tly_actor *hit = NULL;
        int hit_rank = 1 << 20;
        /* the nearest one before of the first kind listed ("the office":
         * an office before a government), looking back a bounded way */
        for (size_t k = cursor, seen = 0; k-- > 0 && seen < 400; seen++) {
            const tly_actor *c = &m->acts.v[k];
            if (c->src == AM_PERSON && !strstr(e->s, "person")) continue;
            /* a bare generic role ("officials", "security sources") names no
             * body that "the ministry" could refer back to */
            if (c->src == AM_ROLE && !c->role_has_country && c->name && !has_upper(c->name)) continue;
            int rank = -1;
            if (!strncmp(e->s, "name:", 5)) {
                if (c->name && strstr(c->name, e->s + 5) != NULL && c->src != AM_PERSON) rank = 0;
            } else if (c->kind) {
                const char *p = e->s;
                size_t kl = strlen(c->kind);
                for (int r = 0; *p && rank < 0; r++) {
                    const char *q = strchr(p, '|');
                    size_t l = q ? (size_t)(q - p) : strlen(p);
                    if (l == kl && !strncmp(p, c->kind, l)) rank = r;
                    p = q ? q + 1 : p + l;
                }
            }
            if (rank >= 0 && rank < hit_rank) { hit = c; hit_rank = rank; }
            if (hit_rank == 0) break;
        }
        if (!hit) continue;
        tly_actor a = *hit;
        a.t0 = i; a.t1 = t1;
        if (hit->src != AM_PERSON) a.src = AM_ANAPHOR; /* "he": still the person, who may speak for someone */
        if (!tly_vec_push(d->a, &ana, a)) return -1;
        i = t1 - 1;
    }
    /* merge the anaphors in (both lists are sorted by position) */
    if (ana.n) {
        tly_actor *all = tly_arena_alloc(d->a, (m->acts.n + ana.n) * sizeof *all);
        if (!all) return -1;
        size_t x = 0, y = 0, o = 0;
        while (x < m->acts.n || y < ana.n)
            all[o++] = (y >= ana.n || (x < m->acts.n && m->acts.v[x].t0 <= ana.v[y].t0)) ? m->acts.v[x++] : ana.v[y++];
        m->acts.v = all;
        m->acts.n = m->acts.cap = o;
    }
    index_actors(d, m);
    return 0;
}

/* Stage 7: a bare role ("the Prosecutor General") takes the country of an
 * earlier full mention.
 * needs: m->acts; gives: m->acts (names, sides) */
static void resolve_bare_roles(mentions *m) {
    for (size_t k = 0; k < m->acts.n; k++) {
        tly_actor *a = &m->acts.v[k];
        if (a->src != AM_ROLE || a->role_has_country) continue;
        for (size_t j = k, seen = 0; j-- > 0 && seen < 400; seen++) {
            if (m->acts.v[j].src == AM_ROLE && m->acts.v[j].role_has_country && m->acts.v[j].role_tpl == a->role_tpl) {
                a->name = m->acts.v[j].name; a->side = m->acts.v[j].side; a->perp = m->acts.v[j].perp;
                break;
            }
        }
    }
}

/* needs: tokens, matches, timexes, gazetteer; gives: actors, places (d->act,
 * d->pl and the token maps act_at, pl_at) */
int tly_find_mentions(tly_doc *d) {
    mentions m;
    memset(&m, 0, sizeof m);
    if (find_actors(d, &m)) return -1;
    if (d->lex->gaz) {
        if (find_places(d, &m)) return -1;
        index_places(d, &m); /* which tokens are places already */
        if (find_settlements(d, &m)) return -1;
        /* keep them in text order */
        if (m.pls.n > 1) {
            tly_placem *tmp = tly_arena_alloc(d->a, m.pls.n * sizeof *tmp);
            if (!tmp) return -1;
            tly_sort(m.pls.v, tmp, m.pls.n, sizeof *m.pls.v, cmp_place_pos, NULL);
        }
        index_places(d, &m);
    }
    if (find_persons(d, &m)) return -1;
    if (m.pls.n) drop_person_towns(d, &m);
    if (find_anaphors(d, &m)) return -1;
    resolve_bare_roles(&m);
    d->act = m.acts.v; d->nact = m.acts.n;
    d->pl = m.pls.v; d->npl = m.pls.n;
    return 0;
}
