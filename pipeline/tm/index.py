"""The memory's index: a SQLite file derived from the catalogs and ``tm/*.tmx``.

The catalogs (and the TMX files) stay the truth. The index is rebuilt from
them incrementally: a file whose size and modification time are as last seen
is not read, one whose bytes hash as before is not parsed, and only the units
of a file that really changed are replaced. Every update is one SQLite
transaction, so a crash or kill -9 leaves the old index or the new one (SQLite
rolls a half-written transaction back when the file is next opened). The file
is never hand-edited and is safe to delete: the next run rebuilds it.

Lookups fold script, width and case (Traditional matches Simplified) and mask
figures, so "4512個" and "5120個" are the same sentence to the memory; the
figures are carried over later (``placeables``). Retrieval is an n-gram index:
each character bigram maps to a packed array of the units holding it. A lookup
counts the units in the postings of the query's rarest bigrams, keeps the best
counted few, and scores those exactly with rapidfuzz (character Levenshtein
distance, normalized to 0..100).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import os
import re
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.workspace import links
from pipeline.errors import TMError, ZhenError
from pipeline.model import Progress, Warn, no_progress
from pipeline.text.script import fold
from pipeline.workspace.layout import CATALOG

SCHEMA = "zhen-tm-2"  # a new key function or table layout: the index is rebuilt
DB_PATH = Path(".zhen") / "tm.sqlite"
TM_DIR = Path("tm")
PROBE_GRAMS = 20  # a lookup counts the postings of this many rarest bigrams (more for long sentences)
CANDIDATES = 50  # and scores this many best-counted units exactly
CONCORDANCE_SCAN = 500  # units containing a searched text that are scored, shortest first
BUSY_TIMEOUT_S = 60.0  # how long a run waits for another that holds the index

_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Unit:
    """One reviewed sentence pair."""

    source: str
    target: str
    origin: str  # the catalog or TMX file it came from, relative to the project folder
    article: str = ""  # the article's slug, where the origin names one


@dataclass(frozen=True)
class Match:
    unit: Unit
    score: int  # 100: the same sentence once script is folded; else at most 99
    # Found because its source contains the searched text, not by its score (concordance only):
    # a long sentence holding a short phrase scores low, and that score says nothing.
    containment: bool = False

    @property
    def exact(self) -> bool:
        return self.score == 100


@dataclass(frozen=True)
class Stats:
    units: int
    articles: int
    catalogs: int
    tmx_files: int
    size_bytes: int


def _mask(folded: str) -> str:
    return _FIGURE.sub("#", folded)


def _hash(folded: str) -> str:
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:20]


@functools.lru_cache(maxsize=None)  # bounded by the characters there are
def _fold_char(ch: str) -> str:
    simplified = fold(ch)
    return simplified if len(simplified) == 1 else ch


def fold_text(text: str) -> str:
    """Simplified, half-width and case-folded, one character at a time.

    OpenCC's phrase tables (which ``script.fold`` uses) cost half a millisecond a
    sentence in pure Python; the memory compares sentences with each other, not
    with a glossary, so per-character conversion, the same on both sides, is
    what it needs, at a hundredth of the cost.
    """
    return "".join(map(_fold_char, text))


def fold_key(text: str) -> str:
    """What the memory compares: Simplified, half-width, case-folded, figures masked."""
    return _mask(fold_text(text))


def exact_key(text: str) -> str:
    """Equal for two sentences that are the same once script, width and case are folded."""
    return _hash(fold_text(text))


def grams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)} if len(key) > 1 else {key}


# rapidfuzz is imported on first use: a skipped re-run syncs the index but scores nothing.
@functools.cache
def _levenshtein():
    from rapidfuzz.distance import Levenshtein

    return Levenshtein


@functools.cache
def _scorer():
    from rapidfuzz import process

    return process


def similarity(a_key: str, b_key: str, *, cutoff: int = 0) -> int:
    """0..99: character Levenshtein similarity of two keys, rounded down; 0 under ``cutoff``."""
    s = _levenshtein().normalized_similarity(a_key, b_key, score_cutoff=cutoff / 100 if cutoff else None)
    return min(99, int(s * 100 + 1e-9))


def _order(query: str) -> Callable[[Match], tuple]:
    # Best score first; then a source written exactly as the query; then a stable order.
    return lambda m: (-m.score, m.unit.source != query, m.unit.origin, m.unit.source, m.unit.target)


def _file_digest(units: Sequence[Unit]) -> str:
    """What a file gives the memory, whatever the order of its entries (obsolete ones move to the end)."""
    h = hashlib.sha256()
    for line in sorted(f"{u.source}\0{u.target}\0{u.article}\n" for u in units):
        h.update(line.encode("utf-8"))
    return h.hexdigest()


_NOTHING = _file_digest(())


def reviewed_units(catalog, origin: str, article: str) -> list[Unit]:
    """The reviewed entries (non-empty, not fuzzy, obsolete ones too) of a parsed catalog."""
    from pipeline.catalog.entries import owned, state

    return [Unit(e.msgid, e.msgstr, origin, article) for e in catalog if owned(e) and state(e) == "reviewed"]


def _article(path: Path) -> str:
    from pipeline.workspace.articles import slugify

    return slugify(Path(os.path.abspath(path)).parent.name)


def catalog_units(path: Path, origin: str) -> list[Unit]:
    from pipeline.catalog import po

    return reviewed_units(po.read_catalog(path), origin, _article(path))


def tmx_units(path: Path, origin: str) -> list[Unit]:
    from pipeline.tm.tmx import read_tmx_file

    return [Unit(u.source, u.target, origin, u.article) for u in read_tmx_file(path)]


def _faults(method):
    """Any SQLite failure (a full disk, a read-only file system, an index another process holds
    past the busy timeout) as one TMError naming the index, never a traceback."""
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as e:
            raise TMError(f"the memory index failed: {e}; the catalogs and tm/ are the memory, so the "
                          "index may be deleted and is rebuilt", path=self.path) from e
    return guarded


def _rollback(db: sqlite3.Connection) -> None:
    # SQLite has already rolled back after some failures (a full disk): a second rollback must not hide the first error.
    with contextlib.suppress(sqlite3.Error):
        db.execute("ROLLBACK")


class Memory:
    """The memory index of one project folder: catalogs under ``root``, TMX files in ``tm_dir``.

    Files are named relative to ``base``, the project folder (by default the one
    holding ``root``), never to the working folder: the same project used from
    any folder keeps one name per file, so its units, the drafts' signatures and
    the notes that cite them stay as they are.
    """

    def __init__(self, path: Path = DB_PATH, *, root: Path, tm_dir: Path = TM_DIR, base: Path | None = None,
                 follow_symlinks: bool = False):
        self.path = Path(path)
        self.root = Path(root)
        self.tm_dir = Path(tm_dir)
        self.base = Path(os.path.abspath(self.root.parent if base is None else base))
        self.follow_symlinks = follow_symlinks
        self._db: sqlite3.Connection | None = None
        self.digest = "-"

    def __getstate__(self) -> dict:
        # A worker process opens its own connection: sqlite's may not cross processes.
        return {**self.__dict__, "_db": None}

    # ------------------------------------------------------------ files

    def sources(self, *, warn: Warn = lambda m: None) -> list[tuple[Path, str]]:
        """(path, kind) of every file the memory is derived from, in a stable order.

        As everywhere in zhen (``links``), a catalog that links out of its article
        folder or the translations root, or a TMX file that links out of tm/, is not
        read unless links are followed: it is left out, with a warning.
        """
        found: list[tuple[Path, str]] = []
        if self.root.is_dir():
            found += [(p, "catalog") for p in sorted(self.root.rglob(CATALOG)) if p.is_file()]
        if self.tm_dir.is_dir():
            found += [(p, "tmx") for p in sorted(self.tm_dir.iterdir())
                      if p.suffix.lower() == ".tmx" and p.is_file()]
        if self.follow_symlinks:
            return found
        kept = []
        for path, kind in found:
            within = (path.parent, self.root) if kind == "catalog" else (self.tm_dir,)
            if all(links.inside(path, (folder,)) for folder in within):
                kept.append((path, kind))
            else:
                warn(f"{path}: is a link to {os.path.realpath(path)}, outside "
                     f"{'its article folder and ' + str(self.root) if kind == 'catalog' else str(self.tm_dir)}; "
                     f"left out of the translation memory ({links.HINT})")
        return kept

    def _check_index_path(self) -> None:
        """The index is written, so it must lead where zhen writes: inside the project."""
        if self.follow_symlinks:
            return
        folder = self.path.parent
        if os.path.islink(folder) and not links.inside(folder, (Path(os.path.abspath(folder)).parent,)):
            raise TMError(f"is a link to {os.path.realpath(folder)}, outside the project; zhen "
                          f"would write its memory index there; {links.HINT}", path=self.path.parent)
        if os.path.islink(self.path) and not links.inside(self.path, (self.path.parent,)):
            raise TMError(f"is a link to {os.path.realpath(self.path)}, outside {self.path.parent}; zhen would write "
                          f"its memory index there; {links.HINT}", path=self.path)

    @_faults
    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._check_index_path()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise TMError(f"cannot create the memory index's folder: {e.strerror or e}", path=self.path) from e
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        for attempt in (1, 2):
            # Threads of one run may use it, one at a time (``MemoryDrafter`` holds a lock).
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            try:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row and row[0] == SCHEMA:
                    return db
                self._create(db)
                return db
            except sqlite3.OperationalError as e:
                if "no such table" not in str(e):
                    db.close()
                    raise TMError(f"cannot open the memory index: {e}", path=self.path) from e
                self._create(db)
                return db
            except sqlite3.DatabaseError:
                # Not a database (damaged, or something else wrote here): it is derived data, rebuild it.
                db.close()
                if attempt == 2:
                    raise
                for suffix in ("", "-journal", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(f"{self.path}{suffix}")
        raise AssertionError("unreachable")

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            for table in ("meta", "files", "units", "grams"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL,"
                       " mtime INTEGER NOT NULL, sha TEXT NOT NULL, digest TEXT NOT NULL)")
            db.execute("CREATE TABLE units (id INTEGER PRIMARY KEY, file TEXT NOT NULL, source TEXT NOT NULL,"
                       " target TEXT NOT NULL, article TEXT NOT NULL, exact TEXT NOT NULL, key TEXT NOT NULL)")
            db.execute("CREATE INDEX units_file ON units (file)")
            db.execute("CREATE INDEX units_exact ON units (exact)")
            db.execute("CREATE TABLE grams (gram TEXT PRIMARY KEY, ids BLOB NOT NULL) WITHOUT ROWID")
            db.execute("INSERT INTO meta VALUES ('schema', ?), ('digest', '-')", (SCHEMA,))
            db.execute("COMMIT")
        except BaseException:
            _rollback(db)
            raise

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # ------------------------------------------------------------ sync

    @_faults
    def sync(self, *, warn: Warn = lambda m: None, progress: Progress | None = None) -> str:
        """Bring the index up to date with its files; returns the digest of what it holds.

        With no file to derive it from and no index yet, nothing is written.
        A file that does not parse is left out, with a warning. ``progress``
        hears (units indexed, units to index) while new units are indexed.
        """
        files = self.sources(warn=warn)
        if not files and not os.path.lexists(self.path):
            self.digest = "-"
            return self.digest
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:  # read-only folder or file, or locked past the timeout
            raise TMError(f"cannot update the memory index: {e}", path=self.path) from e
        try:
            self.digest = self._sync(db, files, warn, progress or no_progress)
            db.execute("COMMIT")
        except BaseException:
            _rollback(db)
            raise
        return self.digest

    def _sync(self, db: sqlite3.Connection, files: Sequence[tuple[Path, str]], warn: Warn,
              progress: Progress) -> str:
        known = {row[0]: row[1:] for row in db.execute("SELECT path, size, mtime, sha, digest FROM files")}
        changed: dict[str, tuple[str, int, int, str, list[Unit]] | None] = {}  # origin → new state, None: gone
        for path, kind in files:
            origin = self._name(path)
            old = known.pop(origin, None)
            try:
                st = path.stat()
                if old is not None and (old[0], old[1]) == (st.st_size, st.st_mtime_ns):
                    continue
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as e:  # gone since it was listed, or unreadable
                warn(f"{path}: cannot read: {e.strerror or e}; left out of the translation memory")
                changed[origin] = None
                continue
            if old is not None and old[2] == sha:
                db.execute("UPDATE files SET size = ?, mtime = ? WHERE path = ?", (st.st_size, st.st_mtime_ns, origin))
                continue
            try:
                units = catalog_units(path, origin) if kind == "catalog" else tmx_units(path, origin)
            except ZhenError as e:
                warn(f"{e}; left out of the translation memory")
                changed[origin] = None
                continue
            changed[origin] = (kind, st.st_size, st.st_mtime_ns, sha, units)
        for origin in known:  # files that are gone (or were named otherwise by an older zhen)
            changed[origin] = None
        if changed:
            self._replace(db, changed, progress)
            self._update_digest(db)
        return db.execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()[0]

    @staticmethod
    def _update_digest(db: sqlite3.Connection) -> None:
        # Files that give no unit (catalogs of drafts only) do not count: a first run
        # that writes new catalogs leaves the memory's digest as it found it.
        digest, any_units = hashlib.sha256(SCHEMA.encode()), False
        for origin, file_digest in db.execute("SELECT path, digest FROM files WHERE digest != ? ORDER BY path",
                                              (_NOTHING,)):
            digest.update(f"\0{origin}\0{file_digest}".encode())
            any_units = True
        db.execute("UPDATE meta SET value = ? WHERE key = 'digest'", (digest.hexdigest()[:16] if any_units else "-",))

    def _name(self, path: Path) -> str:
        return Path(os.path.relpath(os.path.abspath(path), self.base)).as_posix()

    def origin(self, path: Path) -> str | None:
        """How the memory names a catalog, or None when it is not under the translations root."""
        absolute, root = os.path.abspath(path), os.path.abspath(self.root)
        if not absolute.startswith(root + os.sep):
            return None
        return self._name(Path(absolute))

    @_faults
    def written(self, path: Path, catalog) -> None:
        """A run has just written this catalog: record it from the catalog in hand, so that the
        next run finds the index up to date without parsing it again."""
        origin = self.origin(path)
        if origin is None or not Path(path).is_file():
            return
        units = reviewed_units(catalog, origin, _article(path))
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT digest FROM files WHERE path = ?", (origin,)).fetchone()
            data = Path(path).read_bytes()
            st = Path(path).stat()
            state = ("catalog", st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest(), units)
            if row is not None and row[0] == _file_digest(units):
                db.execute("UPDATE files SET size = ?, mtime = ?, sha = ? WHERE path = ?",
                           (st.st_size, st.st_mtime_ns, state[3], origin))
            else:
                self._replace(db, {origin: state}, no_progress)
                self._update_digest(db)
            self.digest = db.execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()[0]
            db.execute("COMMIT")
        except BaseException:
            _rollback(db)
            raise

    def _replace(self, db: sqlite3.Connection, changed, progress: Progress) -> None:
        removed: dict[str, list[int]] = {}
        for origin in changed:
            for uid, key in db.execute("SELECT id, key FROM units WHERE file = ?", (origin,)):
                for g in grams(key):
                    removed.setdefault(g, []).append(uid)
            db.execute("DELETE FROM units WHERE file = ?", (origin,))
            db.execute("DELETE FROM files WHERE path = ?", (origin,))
        next_id = db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0] + 1
        added: dict[str, array] = {}
        rows = []
        total = sum(len(new[4]) for new in changed.values() if new is not None)
        for origin, new in changed.items():
            if new is None:
                continue
            kind, size, mtime, sha, units = new
            db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
                       (origin, kind, size, mtime, sha, _file_digest(units)))
            for u in units:
                folded = fold_text(u.source)
                key = _mask(folded)
                rows.append((next_id, origin, u.source, u.target, u.article, _hash(folded), key))
                for g in grams(key):
                    ids = added.get(g)
                    if ids is None:
                        added[g] = ids = array("I")
                    ids.append(next_id)
                next_id += 1
                if len(rows) % 5000 == 0:
                    progress(len(rows), total)
        db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        for g in sorted(set(removed) | set(added)):
            row = db.execute("SELECT ids FROM grams WHERE gram = ?", (g,)).fetchone()
            ids = array("I", row[0]) if row else array("I")
            if g in removed:
                gone = set(removed[g])
                ids = array("I", (i for i in ids if i not in gone))
            if g in added:
                ids.extend(added[g])
            if ids:
                db.execute("INSERT OR REPLACE INTO grams VALUES (?, ?)", (g, ids.tobytes()))
            elif row:
                db.execute("DELETE FROM grams WHERE gram = ?", (g,))
        progress(total, total)

    # ------------------------------------------------------------ lookups

    def _units(self, where: str, params: Iterable) -> list[tuple[Unit, str]]:
        db = self._connect()
        rows = db.execute(f"SELECT file, source, target, article, key FROM units WHERE {where}", tuple(params))
        return [(Unit(source, target, origin, article), key) for origin, source, target, article, key in rows]

    def _candidates(self, key: str) -> list[int]:
        gs = sorted(grams(key))
        # SQLite knows a blob's length from the record header: the long postings of common
        # bigrams are never read.
        rows = self._connect().execute(
            f"SELECT ids FROM grams WHERE gram IN ({','.join('?' * len(gs))}) ORDER BY length(ids), gram LIMIT ?",
            (*gs, max(PROBE_GRAMS, len(gs) // 3)))
        counts: Counter[int] = Counter()
        for (blob,) in rows:
            counts.update(array("I", blob))
        if len(counts) <= CANDIDATES:
            return sorted(counts)
        # The lowest count that still lets CANDIDATES units in, found from a histogram
        # of the counts (C speed) rather than by sorting every unit counted.
        histogram = sorted(Counter(counts.values()).items(), reverse=True)
        enough, floor = 0, 1
        for count, units in histogram:
            enough += units
            floor = count
            if enough >= CANDIDATES:
                break
        best = [(-c, uid) for uid, c in counts.items() if c >= floor]
        # Ties go to the lower id, so one index state always gives the same answer.
        return [uid for _, uid in heapq.nsmallest(CANDIDATES, best)]

    @_faults
    def matches(self, text: str, *, min_score: int) -> list[Match]:
        """Units at or above ``min_score``, best first; an exact match hides the fuzzy ones."""
        if not self.path.exists() or not text.strip():
            return []
        folded = fold_text(text)
        exact = self._units("exact = ?", (_hash(folded),))
        if exact:
            return sorted((Match(u, 100) for u, _ in exact), key=_order(text))
        key = _mask(folded)
        ids = self._candidates(key)
        if not ids:
            return []
        db = self._connect()
        rows = dict(db.execute(f"SELECT id, key FROM units WHERE id IN ({','.join('?' * len(ids))})", ids))
        scores = {uid: min(99, int(s * 100 + 1e-9)) for _, s, uid in _scorer().extract(
            key, rows, scorer=_levenshtein().normalized_similarity, score_cutoff=min_score / 100, limit=None)}
        scores = {uid: s for uid, s in scores.items() if s >= min_score}
        if not scores:
            return []
        found = [Match(u, scores[uid]) for uid, u in self._full(scores)]
        return sorted(found, key=_order(text))

    def _full(self, ids: Iterable[int]) -> list[tuple[int, Unit]]:
        ids = list(ids)
        rows = self._connect().execute(
            f"SELECT id, file, source, target, article FROM units WHERE id IN ({','.join('?' * len(ids))})", ids)
        return [(uid, Unit(source, target, origin, article)) for uid, origin, source, target, article in rows]

    def best(self, text: str, *, min_score: int) -> Match | None:
        found = self.matches(text, min_score=min_score)
        return found[0] if found else None

    @_faults
    def search(self, text: str, *, min_score: int, limit: int = 20) -> list[Match]:
        """Concordance: units whose source contains ``text``, and units matching it at ``min_score`` or more."""
        if not self.path.exists() or not text.strip():
            return []
        key = fold_key(text.strip())
        found = {(m.unit.origin, m.unit.source, m.unit.target): m for m in self.matches(text, min_score=min_score)}
        for u, ukey in self._units("instr(key, ?) > 0 ORDER BY length(key), id LIMIT ?", (key, CONCORDANCE_SCAN)):
            exact = exact_key(u.source) == exact_key(text)
            found.setdefault((u.origin, u.source, u.target),
                             Match(u, 100 if exact else similarity(key, ukey), containment=not exact))
        return sorted(found.values(), key=_order(text))[:limit]

    @_faults
    def stats(self) -> Stats:
        if not self.path.exists():
            return Stats(0, 0, 0, 0, 0)
        db = self._connect()
        units, articles = db.execute("SELECT count(*), count(DISTINCT nullif(article, '')) FROM units").fetchone()
        kinds = dict(db.execute("SELECT kind, count(*) FROM files GROUP BY kind").fetchall())
        return Stats(units, articles, kinds.get("catalog", 0), kinds.get("tmx", 0), self.path.stat().st_size)
