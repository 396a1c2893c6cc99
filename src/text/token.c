#include "token.h"
#include "fold.h"
#include <string.h>

uint32_t tly_hash(const char *s, size_t n) { return tly_hash_more(TLY_HASH_SEED, s, n); }

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

/* Static folded forms of ASCII punctuation, so punctuation costs no allocation. */
static const char *punct_norm[128];
static char punct_store[128][2];
static void init_punct(void) {
    if (punct_norm['.']) return;
    for (int c = 0; c < 128; c++) {
        punct_store[c][0] = (char)c;
        punct_store[c][1] = 0;
        punct_norm[c] = punct_store[c];
    }
}

static int push(tly_arena *a, tly_tokens *t, size_t *cap, const tly_tok *tk) {
    if (t->n == *cap && !tly_vec_grow_(a, (void **)&t->tok, cap, sizeof *t->tok, t->n + 1)) return -1;
    t->tok[t->n++] = *tk;
    return 0;
}

/* The folded form of an ASCII token is its bytes in lower case (tly_fold
 * does the same), written straight into the arena. */
static int set_norm_ascii(tly_arena *a, const char *text, tly_tok *tk) {
    size_t n = tk->end - tk->start;
    if (n > 65535) n = 65535;
    const unsigned char *s = (const unsigned char *)text + tk->start;
    char *out = tly_arena_alloc(a, n + 1);
    if (!out) return -1;
    uint32_t h = TLY_HASH_SEED; /* tly_hash of the folded bytes, grown as they are written */
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        c = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        out[i] = (char)c;
        h = (h ^ c) * 16777619u;
    }
    out[n] = 0;
    tk->norm = out;
    tk->len = (uint16_t)n;
    tk->hash = h;
    return 0;
}

static int set_norm(tly_arena *a, const char *text, tly_tok *tk) {
    size_t n = tk->end - tk->start;
    const char *s = text + tk->start;
    char small[256];
    size_t fl = tly_fold(s, n, small, sizeof small);
    if (fl > 65535) fl = 65535;
    char *out;
    if (fl < sizeof small) {
        out = tly_arena_strndup(a, small, fl);
    } else {
        out = tly_arena_alloc(a, fl + 1);
        if (out) { tly_fold(s, n, out, fl); out[fl] = 0; }
    }
    if (!out) return -1;
    tk->norm = out;
    tk->len = (uint16_t)fl;
    tk->hash = tly_hash(out, fl);
    return 0;
}

int tly_tokenize(tly_arena *a, const char *text, size_t len, size_t max_sentence_bytes,
                 tly_abbrev_fn is_abbrev, const void *ctx, tly_tokens *out) {
    init_punct();
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    /* about one token per 5 bytes of news text (one per 4 bytes leaves room): one allocation, few copies */
    if (len) {
        cap = len / 4 < (1u << 18) ? len / 4 + 16 : (1u << 18);
        out->tok = tly_arena_alloc(a, cap * sizeof *out->tok);
        if (!out->tok) return -1;
    }
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    unsigned pending = 0; /* space flags for the next token */
    int newlines = 0;
    while (i < len) {
        unsigned c = p[i];
        int32_t cp;
        size_t l;
        if (c < 0x80) { cp = (int32_t)c; l = 1; }
        else {
            l = tly_utf8_decode(p + i, len - i, &cp);
            if (!l) { i++; continue; } /* invalid bytes were rejected earlier; be safe */
        }
        if (c < 0x80 ? (c == ' ' || (c >= 9 && c <= 13) || c == 0) : tly_cp_is_space(cp)) {
            pending |= TK_SPACE;
            if (cp == '\n') { pending |= (pending & TK_LF) ? TK_LF2 : TK_LF; }
            if (cp == '\n' || cp == 0x2028 || cp == 0x2029) { newlines++; pending |= TK_NL; }
            i += l;
            continue;
        }
        tly_tok tk;
        memset(&tk, 0, sizeof tk);
        tk.start = (uint32_t)i;
        tk.flags = (uint16_t)pending;
        if (newlines >= 2) tk.flags |= TK_PARA;
        pending = 0;
        newlines = 0;
        if (is_digit(c)) {
            size_t j = i + 1;
            while (j < len) {
                if (is_digit(p[j])) { j++; continue; }
                if ((p[j] == ',' || p[j] == '.') && j + 1 < len && is_digit(p[j + 1])) {
                    /* "6,000" groups of three; "1.5" decimals */
                    if (p[j] == ',') {
                        size_t k = j + 1, d = 0;
                        while (k < len && is_digit(p[k])) { k++; d++; }
                        if (d != 3) break;
                    }
                    j += 2;
                    continue;
                }
                break;
            }
            /* "12 500" / "12\u202f500": groups of three after a space (a figure of
             * 1-3 digits first, then exactly three digits and no more) */
            for (;;) {
                size_t glen = 0;
                for (size_t q = i; q < j; q++) if (is_digit(p[q])) glen++; else glen = 0;
                if (glen < 1 || glen > 3) break;
                size_t sp = 0;
                if (j < len && p[j] == ' ') sp = 1;
                else if (j + 2 < len && p[j] == 0xE2 && p[j + 1] == 0x80 && (p[j + 2] == 0xAF || p[j + 2] == 0x89)) sp = 3;
                else if (j + 1 < len && p[j] == 0xC2 && p[j + 1] == 0xA0) sp = 2;
                if (!sp) break;
                size_t k = j + sp, d3 = 0;
                while (k < len && is_digit(p[k])) { k++; d3++; }
                if (d3 != 3 || (k < len && (p[k] == ',' || p[k] == '.') && k + 1 < len && is_digit(p[k + 1]))) break;
                if (sp == 1 && j - i > 3) break; /* "2020 500" is not a figure */
                if (sp == 1 && glen == 1) break; /* "5 000"? rare; "on 5 500 people" is worse */
                j = k;
            }
            tk.end = (uint32_t)j;
            tk.flags |= TK_NUM;
            tk.norm = NULL;
            int ascii = 1, digits = 1;
            for (size_t q = i; q < j && ascii; q++) { ascii = p[q] < 0x80; digits &= is_digit(p[q]); }
            if (ascii) tk.flags |= TK_ASCII;
            if (!digits) tk.flags |= TK_DIGITS;
            if (ascii ? set_norm_ascii(a, text, &tk) : set_norm(a, text, &tk)) return -1;
            i = j;
        } else if (c < 0x80 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') : tly_cp_is_letter(cp)) {
            size_t j = i + l;
            int upper = c < 0x80 ? (c >= 'A' && c <= 'Z') : tly_cp_is_upper(cp), allup = upper, letters = 1, ascii = c < 0x80, digits = 0;
            while (j < len) {
                unsigned b = p[j];
                if (b < 0x80) { /* the common case, without a call */
                    if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
                        letters++;
                        if (b >= 'a') allup = 0;
                        j++;
                        continue;
                    }
                    if (is_digit(b)) { j++; digits = 1; continue; }
                    break;
                }
                int32_t c2;
                size_t l2 = tly_utf8_decode(p + j, len - j, &c2);
                if (!l2) break;
                if (tly_cp_is_letter(c2)) {
                    ascii = 0;
                    letters++;
                    if (!tly_cp_is_upper(c2) && c2 >= 0x41) {
                        /* combining marks are neither; lower-case letters break all-caps */
                        if (c2 < 0x80 ? (c2 >= 'a' && c2 <= 'z') : !tly_cp_is_upper(c2)) allup = 0;
                    }
                    j += l2;
                } else if (is_digit((unsigned)c2)) {
                    j += l2;
                } else break;
            }
            tk.end = (uint32_t)j;
            tk.flags |= TK_WORD;
            if (ascii) tk.flags |= TK_ASCII;
            if (digits) tk.flags |= TK_DIGITS;
            if (upper) tk.flags |= TK_CAP;
            if (allup && letters >= 2) tk.flags |= TK_UPPER;
            if (ascii ? set_norm_ascii(a, text, &tk) : set_norm(a, text, &tk)) return -1;
            i = j;
        } else {
            tk.end = (uint32_t)(i + l);
            tk.flags |= TK_PUNCT;
            if (c < 0x80) tk.flags |= TK_ASCII;
            if (c < 0x80) {
                tk.norm = punct_norm[c];
                tk.len = 1;
                tk.hash = tly_hash(tk.norm, 1);
            } else if (set_norm(a, text, &tk)) return -1;
            if (tk.len == 0) { /* a symbol that folds to nothing */
                tk.norm = punct_norm['?' - 1]; /* '>' placeholder */
                tk.len = 1;
                tk.hash = tly_hash(tk.norm, 1);
            }
            i += l;
        }
        if (push(a, out, &cap, &tk)) return -1;
    }

    /* ---- sentences and paragraphs ---- */
    size_t scap = 64;
    out->sent = tly_arena_alloc(a, scap * sizeof *out->sent);
    if (!out->sent) return -1;
    uint32_t para = 0;
    size_t begin = 0;
    size_t open = (size_t)-1; /* the last token before k that is not a closing quote or bracket */
    for (size_t k = 0; k < out->n; open = out->tok[k].len == 1 && (out->tok[k].norm[0] == '"' ||
                                          out->tok[k].norm[0] == '\'' || out->tok[k].norm[0] == ')') ? open : k,
                                   k++) {
        tly_tok *t = &out->tok[k];
        int brk = 0;
        if (k > begin) {
            const tly_tok *pv = &out->tok[k - 1];
            /* a line break ends a sentence unless the line runs on in lower
             * case; so does a blank line, but for a hard-wrapped text that
             * leaves a blank line between its lines ("9 people" / "" /
             * "were killed") */
            int lower_next = (t->flags & TK_WORD) && !(t->flags & TK_CAP);
            int runs_on = lower_next && ((pv->flags & TK_WORD) || pv->norm[0] == ',');
            if (t->flags & TK_PARA) brk = !runs_on;
            else if (t->flags & TK_NL) {
                if (!runs_on) brk = 1;
            } else {
                /* the last non-closing token before t (in this sentence: else its first) */
                size_t q = open != (size_t)-1 && open > begin ? open : begin;
                const tly_tok *e = &out->tok[q];
                char ec = e->len == 1 ? e->norm[0] : 0;
                if ((ec == '.' || ec == '!' || ec == '?' || (e->len == 3 && !strcmp(e->norm, "...")))
                    && (t->flags & TK_SPACE)) {
                    int starts = (t->flags & (TK_CAP | TK_NUM)) || (t->flags & TK_PUNCT);
                    if (t->flags & TK_WORD && !(t->flags & TK_CAP)) starts = 0;
                    if (starts && ec == '.' && q > begin) {
                        const tly_tok *w = &out->tok[q - 1];
                        if ((w->flags & TK_WORD) && !(e->flags & TK_SPACE)) {
                            /* an initial ("J." or the S of "U.S.") or a known abbreviation */
                            if (w->len == 1 && (w->flags & TK_CAP)) starts = 0;
                            /* a dotted abbreviation: "6 p.m. Sunday", "a.m.", "e.g." */
                            else if (w->len == 1 && q >= begin + 3 && out->tok[q - 2].len == 1 &&
                                     out->tok[q - 2].norm[0] == '.' && !(w->flags & TK_SPACE) &&
                                     out->tok[q - 3].len == 1 && (out->tok[q - 3].flags & TK_WORD))
                                starts = 0;
                            else if (is_abbrev && is_abbrev(ctx, w->norm, w->len)) {
                                /* "No. 5" and "Oct. 17" go on; "in the U.S. The" is ambiguous: go on */
                                starts = 0;
                            }
                        }
                    }
                    if (starts) brk = 1;
                }
            }
            if (!brk && max_sentence_bytes && t->end - out->tok[begin].start > max_sentence_bytes) brk = 1;
        }
        if (brk) {
            if (out->nsent == scap && !tly_vec_grow_(a, (void **)&out->sent, &scap, sizeof *out->sent, out->nsent + 1))
                return -1;
            tly_sent *s = &out->sent[out->nsent++];
            s->tok_begin = (uint32_t)begin;
            s->tok_end = (uint32_t)k;
            s->start = out->tok[begin].start;
            s->end = out->tok[k - 1].end;
            s->para = para;
            /* a paragraph ends at a blank line, or a line break after a full stop */
            if (t->flags & TK_PARA) para++;
            else if (t->flags & TK_NL) {
                char pc = out->tok[k - 1].norm[0];
                if (out->tok[k - 1].len == 1 && (pc == '.' || pc == '!' || pc == '?' || pc == '"' || pc == ':'))
                    para++;
            }
            begin = k;
        }
    }
    if (begin < out->n) {
        if (out->nsent == scap && !tly_vec_grow_(a, (void **)&out->sent, &scap, sizeof *out->sent, out->nsent + 1))
            return -1;
        tly_sent *s = &out->sent[out->nsent++];
        s->tok_begin = (uint32_t)begin;
        s->tok_end = (uint32_t)out->n;
        s->start = out->tok[begin].start;
        s->end = out->tok[out->n - 1].end;
        s->para = para;
    }
    for (size_t si = 0; si < out->nsent; si++) {
        tly_sent *s = &out->sent[si];
        out->tok[s->tok_begin].flags |= TK_SSTART;
        for (uint32_t k = s->tok_begin; k < s->tok_end; k++) {
            out->tok[k].sent = (uint32_t)si;
            out->tok[k].para = s->para;
        }
    }
    return 0;
}
