"""tally for Python: casualty claims from text, and the ledger, over libtally.

    import tally
    claims = tally.extract("Shelling killed 2 civilians in Barda on Monday.",
                           published="2020-10-08")
    for c in tally.read("articles/"):        # files, directories, .jsonl, .warc, .gz
        ...
    with tally.Ledger("tally.db") as led:
        rows = led.claims(outcome="killed", place="Ganja")

Each claim is a dict with the fields of `tally extract` (docs/extract.md).
The module needs no compiler: it loads libtally.so with ctypes. It looks for
the library in $TALLY_LIB, beside this package's build tree (build/), then
on the system's library path; the gazetteer in $TALLY_GAZETTEER or where the
build installed it. Thread safety: one Extractor (and the module-level
functions, which share one) may be used from several threads at once.
"""
import ctypes
import ctypes.util
import json
import os
import sqlite3

__all__ = ["extract", "read", "Extractor", "Ledger", "TallyError", "version"]


class TallyError(Exception):
    """An error from libtally: .status (the tally_status number), .doc, .offset."""

    def __init__(self, message, status=0, doc=None, offset=None):
        super().__init__(message)
        self.status, self.doc, self.offset = status, doc, offset


# ---- the C types (include/tally.h) -------------------------------------
class _Str(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_char_p), ("len", ctypes.c_size_t)]


class _Date(ctypes.Structure):
    _fields_ = [("year", ctypes.c_int16), ("month", ctypes.c_int8), ("day", ctypes.c_int8)]


class _Doc(ctypes.Structure):
    _fields_ = [("id", _Str), ("text", _Str), ("title", _Str), ("source", _Str),
                ("url", _Str), ("published", _Date), ("input_offset", ctypes.c_uint64)]


class _Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("has_offset", ctypes.c_int),
                ("offset", ctypes.c_uint64), ("doc", ctypes.c_char * 256),
                ("message", ctypes.c_char * 256)]


class _LexOptions(ctypes.Structure):
    # data_dir, gazetteer_path, alc, then (appended) lang
    _fields_ = [("data_dir", ctypes.c_char_p), ("gazetteer_path", ctypes.c_char_p),
                ("alc", ctypes.c_void_p), ("lang", ctypes.c_char_p)]


class _Options(ctypes.Structure):
    _fields_ = [("default_published", _Date), ("max_doc_bytes", ctypes.c_size_t),
                ("max_sentence_bytes", ctypes.c_size_t), ("flags", ctypes.c_uint),
                ("alc", ctypes.c_void_p)]


_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char), ctypes.c_size_t)
_DONE = 1  # TALLY_DONE


def _find_library():
    env = os.environ.get("TALLY_LIB")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    for cand in (os.path.join(here, "..", "..", "build", "libtally.so"),
                 os.path.join(here, "libtally.so")):
        if os.path.exists(cand):
            return os.path.normpath(cand)
    found = ctypes.util.find_library("tally")
    if found:
        return found
    raise TallyError("libtally not found: build it (make build) or set TALLY_LIB")


_lib = None


def _load():
    global _lib
    if _lib is not None:
        return _lib
    lib = ctypes.CDLL(_find_library())
    P = ctypes.POINTER
    lib.tally_version.restype = ctypes.c_char_p
    lib.tally_lexicon_open.argtypes = [P(_LexOptions), P(ctypes.c_void_p), P(_Error)]
    lib.tally_lexicon_close.argtypes = [ctypes.c_void_p]
    lib.tally_extract.argtypes = [ctypes.c_void_p, P(_Doc), P(_Options), P(ctypes.c_void_p), P(_Error)]
    lib.tally_result_free.argtypes = [ctypes.c_void_p]
    lib.tally_result_write.argtypes = [ctypes.c_void_p, P(_Doc), ctypes.c_int, _WRITE, ctypes.c_void_p]
    lib.tally_reader_open.argtypes = [ctypes.c_char_p, ctypes.c_void_p, P(ctypes.c_void_p), P(_Error)]
    lib.tally_reader_next.argtypes = [ctypes.c_void_p, P(_Doc), P(_Error)]
    lib.tally_reader_close.argtypes = [ctypes.c_void_p]
    lib.tally_date_parse.argtypes = [ctypes.c_char_p, ctypes.c_size_t, P(_Date)]
    _lib = lib
    return lib


def version():
    """The version of the loaded libtally, e.g. '0.1.0'."""
    return _load().tally_version().decode()


def _raise(err):
    msg = err.message.decode("utf-8", "replace")
    doc = err.doc.decode("utf-8", "replace") or None
    raise TallyError(f"{doc + ': ' if doc else ''}{msg}", err.code, doc,
                     err.offset if err.has_offset else None)


def _date(s):
    d = _Date()
    if s:
        b = str(s).encode()
        if not _load().tally_date_parse(b, len(b), ctypes.byref(d)):
            raise TallyError(f"not a date: {s!r} (want YYYY-MM-DD)")
    return d


class Extractor:
    """The lexicons and gazetteer of one language, loaded once (a few ms).

    Extractor(lang="en", gazetteer=None, data_dir=None)
    """

    def __init__(self, lang="en", gazetteer=None, data_dir=None):
        lib = _load()
        self._lib = lib
        opt = _LexOptions(data_dir.encode() if data_dir else None,
                          gazetteer.encode() if gazetteer else None, None,
                          lang.encode() if lang else None)
        self._lex = ctypes.c_void_p()
        err = _Error()
        if lib.tally_lexicon_open(ctypes.byref(opt), ctypes.byref(self._lex), ctypes.byref(err)):
            _raise(err)

    def close(self):
        if getattr(self, "_lex", None):
            self._lib.tally_lexicon_close(self._lex)
            self._lex = None

    def __del__(self):
        self.close()

    def _claims(self, doc, opt):
        res = ctypes.c_void_p()
        err = _Error()
        if self._lib.tally_extract(self._lex, ctypes.byref(doc), ctypes.byref(opt),
                                   ctypes.byref(res), ctypes.byref(err)):
            _raise(err)
        chunks = []

        def write(_ctx, data, n):
            chunks.append(ctypes.string_at(data, n))
            return 0
        cb = _WRITE(write)
        try:
            if self._lib.tally_result_write(res, ctypes.byref(doc), 0, cb, None):
                raise TallyError("could not format the claims")
        finally:
            self._lib.tally_result_free(res)
        out = b"".join(chunks).decode("utf-8")
        return [json.loads(line) for line in out.splitlines() if line]

    def extract(self, text, published=None, id="text", source=None, url=None, title=None):
        """The claims of one text (str or UTF-8 bytes), as a list of dicts.

        published: the publication date ("YYYY-MM-DD"), against which
        "on Monday" resolves. Byte offsets (start, end, ...) index the UTF-8
        encoding of text."""
        b = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        enc = lambda v: v.encode("utf-8") if isinstance(v, str) else v
        idb, srcb, urlb, titb = enc(id), enc(source), enc(url), enc(title)
        s = lambda v: _Str(v, len(v)) if v else _Str(None, 0)
        # the bytes objects above stay alive until the claims are copied out
        doc = _Doc(s(idb), _Str(b, len(b)), s(titb), s(srcb), s(urlb), _date(published), 0)
        return self._claims(doc, _Options())

    def read(self, path):
        """Yields the claims of every document under path (a file, a directory,
        or "-" for stdin), each claim a dict. A document that cannot be read
        raises TallyError with its name and byte offset."""
        lib = self._lib
        r = ctypes.c_void_p()
        err = _Error()
        if lib.tally_reader_open(os.fsencode(path), None, ctypes.byref(r), ctypes.byref(err)):
            _raise(err)
        try:
            while True:
                doc = _Doc()
                st = lib.tally_reader_next(r, ctypes.byref(doc), ctypes.byref(err))
                if st == _DONE:
                    return
                if st:
                    _raise(err)
                for c in self._claims(doc, _Options()):
                    yield c
        finally:
            lib.tally_reader_close(r)


_default = None


def _extractor():
    global _default
    if _default is None:
        _default = Extractor()
    return _default


def extract(text, published=None, lang="en", **meta):
    """The claims of one text as a list of dicts (see Extractor.extract)."""
    ex = _extractor() if lang == "en" else Extractor(lang=lang)
    return ex.extract(text, published=published, **meta)


def read(path, lang="en"):
    """A list of the claims of every document under path (see Extractor.read)."""
    ex = _extractor() if lang == "en" else Extractor(lang=lang)
    return list(ex.read(path))


class Ledger:
    """A tally ledger (the SQLite file of `tally ingest`), read-only.

    Ledger(path).claims(outcome=None, place=None, claimant=None, country=None,
                        since=None, until=None, limit=None) -> list of dicts
    Ledger(path).incidents(...), .query(sql, *args) for anything else."""

    def __init__(self, path):
        if not os.path.exists(path):
            raise TallyError(f"{path}: no such ledger")
        self._db = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
        self._db.row_factory = sqlite3.Row

    def close(self):
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def query(self, sql, *args):
        return [dict(r) for r in self._db.execute(sql, args)]

    def _filtered(self, view, filters, cols):
        where, args = [], []
        for key, col, op in cols:
            v = filters.pop(key, None)
            if v is not None:
                where.append(f"{col} {op} ?")
                args.append(v)
        limit = filters.pop("limit", None)
        if filters:
            raise TypeError(f"unknown filter(s): {', '.join(sorted(filters))}")
        sql = f"SELECT * FROM {view}" + (" WHERE " + " AND ".join(where) if where else "")
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        return self.query(sql, *args)

    def claims(self, **filters):
        return self._filtered("claims_v", filters, [
            ("outcome", "outcome", "="), ("place", "place", "="), ("country", "country", "="),
            ("claimant", "claimant", "="), ("since", "date_start", ">="), ("until", "date_start", "<=")])

    def incidents(self, **filters):
        return self._filtered("incident_bounds_v", filters, [
            ("outcome", "outcome", "="), ("place", "place", "=")])
