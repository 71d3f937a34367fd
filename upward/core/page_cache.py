"""The busiest pages, kept as rendered for the person who asked, until a table they read changes.

A participant's home, a coordinator's boards, the results dashboard and the API lists are read
far more often than what they show changes. Each is rendered once, kept (encrypted) for the
person, session and address that asked for it, and served again until any table it was built
from is written, or for at most ``UPWARD_PAGE_CACHE_SECONDS``.

How a kept page stays true:

- Every SQL statement that any process (web, worker, command) runs through Django passes
  :func:`watch`. A write to a table publishes a new *generation* for that table: a number from
  one shared clock, taken after the transaction commits (and once at the first write, so the
  writing connection's own next page is fresh too). A statement whose tables cannot be read off
  it (DDL, anything unknown) moves the generation of every page.
- While a cacheable page is built, :func:`watch` notes every table read, from the first query
  of the request (the session's owner, the roles the menu and the second-factor check read) to
  the last line of its template. The page is kept with the generation of each of those tables.
  It is served again only while every one of them is unchanged.
- It is not kept when a table it read was written after the request began (the clock read at
  the start says so), when building it wrote anything (an access-log line, say: serving a kept
  copy would skip the write), changed the session, queued a message, set a cookie, or answered
  anything but 200 with HTML or JSON. It is not served when the session holds a message to show.
- The key holds the person, the session, the CSRF secret, the session's contents, the host, the
  full path with its query, and the htmx and Accept headers, so no one is ever served a page
  built for someone else or for another request.

Only pages listed in ``VIEWS`` take part; each is a plain read that depends on nothing but the
database, the person and the hour. Writes made outside Django (psql, a restore) are not seen:
``upward restore`` moves every generation itself, and the time limit bounds the rest.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import os
import pickle  # nosec B403  # only values this site encrypted and authenticated are unpickled
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

# The pages that take part, by URL name: plain reads whose content comes from the database,
# the person and the hour only.
VIEWS = frozenset(
    {
        "home",
        "core:dashboard",
        "programmes:mine",
        "programmes:detail",
        "preparation:board",
        "running:board",
        "matches:run",
        "evidence:dashboard",
        "api-1:list_programmes",
        "api-1:list_runs",
    }
)

EVERYTHING = "*"  # the generation every kept page depends on (moved by DDL and unknown writes)
HEADER = "X-Page-Cache"
MAX_BYTES = 2_000_000
_SEEN_AT = "upward_seen_at"  # privacy.sessions.SEEN_AT: moves once a minute, changes no page
# Request headers that change what a page answers: htmx's, and Accept.
_VARY = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_TRIGGER_NAME",
    "HTTP_HX_BOOSTED",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
    "HTTP_ACCEPT",
)


def enabled() -> bool:
    return bool(getattr(settings, "UPWARD_PAGE_CACHE", False))


@lru_cache(maxsize=8)
def _scope_of(database: str) -> str:
    return "upward:pc:" + hashlib.sha256(database.encode()).hexdigest()[:16] + ":"


def _scope() -> str:
    """The start of every key: one database's pages and generations stay apart from another's
    that shares the cache (another site, or another test run)."""
    db = connections["default"].settings_dict
    return _scope_of(f"{db.get('HOST')}|{db.get('PORT')}|{db.get('NAME')}")


def _clock_key() -> str:
    return _scope() + "clock"


def _gen_key(table: str) -> str:
    return _scope() + "t:" + table


# -- Reading tables off SQL ------------------------------------------------------------------

_FIRST_WORD = re.compile(r"^\s*\(?\s*([A-Za-z]+)")
_WRITE_TARGET = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_][\w$]*)"?',
    re.IGNORECASE,
)
_READ_TABLES = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][\w$]*)"?', re.IGNORECASE)
_DATA_CHANGE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_NO_DATA = frozenset(
    {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW", "EXPLAIN", "PRAGMA"}
)
_NO_DATA |= {"FETCH", "CLOSE", "MOVE", "LISTEN", "DEALLOCATE", "DISCARD", "RESET"}
_READ = "read"
_WRITE = "write"
_NONE = "none"


def classify(sql: str) -> tuple[str, frozenset[str]]:
    """(``read``/``write``/``none``, tables) for one statement; a write whose table cannot be
    read off it is a write to ``*``."""
    # Statements repeat; long ones (an IN list of thousands) are read afresh, not remembered.
    return _classify_cached(sql) if len(sql) < 4000 else _classify(sql)


def _classify(sql: str) -> tuple[str, frozenset[str]]:
    match = _FIRST_WORD.match(sql)
    word = match.group(1).upper() if match else ""
    if word in _NO_DATA:
        return _NONE, frozenset()
    if word in {"SELECT", "VALUES", "DECLARE", "WITH"}:
        # DECLARE is PostgreSQL's server-side cursor over a SELECT (QuerySet.iterator()).
        if word == "WITH" and _DATA_CHANGE.search(sql):
            return _WRITE, frozenset({EVERYTHING})
        return _READ, frozenset(_READ_TABLES.findall(sql))
    target = _WRITE_TARGET.match(sql)
    if target:
        return _WRITE, frozenset({target.group(1)})
    return _WRITE, frozenset({EVERYTHING})


_classify_cached = lru_cache(maxsize=4096)(_classify)


@lru_cache(maxsize=1)
def _ignored() -> frozenset[str]:
    """Tables whose reads and writes change no kept page: the sessions (the key holds the
    session's contents) and a database cache's own table."""
    tables = {"django_session"}
    for options in settings.CACHES.values():
        if options.get("BACKEND", "").endswith("DatabaseCache"):
            tables.add(options["LOCATION"])
    return frozenset(tables)


# -- Generations -----------------------------------------------------------------------------

_publishing: contextvars.ContextVar[bool] = contextvars.ContextVar("pc_publishing", default=False)
_epoch = [0]  # moves whenever this process keeps a page or a value


def _start_clock() -> None:
    """A missing clock (a flushed cache) restarts from the time in microseconds, above every
    value handed out before."""
    cache.add(_clock_key(), time.time_ns() // 1000, timeout=None)


def _tick() -> int:
    """The next value of the shared clock."""
    try:
        return int(cache.incr(_clock_key()))
    except ValueError:
        _start_clock()
        return int(cache.incr(_clock_key()))


def clock() -> int | None:
    value = cache.get(_clock_key())
    if value is None:
        _start_clock()
        value = cache.get(_clock_key())
    return int(value) if value is not None else None


def publish(tables: Iterable[str]) -> None:
    """Give each table a new generation, so that every kept page that read one is stale."""
    tables = set(tables)
    if not tables or _publishing.get():
        return
    token = _publishing.set(True)
    try:
        now = _tick()
        cache.set_many({_gen_key(t): now for t in tables}, timeout=None)
    except Exception:  # a cache that is down must not fail the write; the time limit bounds it
        logger.warning("page cache: could not publish new generations", exc_info=True)
    finally:
        _publishing.reset(token)


def publish_everything() -> None:
    """After writes Django did not make (a restore): every kept page is stale."""
    if enabled():
        publish({EVERYTHING})


@dataclass(eq=False)
class _OnCommit:
    """The tables one transaction wrote, published again once it commits."""

    tables: set[str] = field(default_factory=set)
    published: set[str] = field(default_factory=set)
    epoch: int = -1

    def __call__(self) -> None:
        publish(self.tables)


def _written(connection: BaseDatabaseWrapper, tables: frozenset[str]) -> None:
    if not connection.in_atomic_block:
        publish(tables)
        return
    # Each entry is (savepoint ids, function, robust).
    pending = next(
        (e[1] for e in connection.run_on_commit if isinstance(e[1], _OnCommit)),  # type: ignore[misc]
        None,
    )
    if pending is None:
        pending = _OnCommit()
        connection.on_commit(pending)
    pending.tables |= tables
    if pending.epoch != _epoch[0]:
        pending.epoch, pending.published = _epoch[0], set()
    fresh = tables - pending.published
    if fresh:
        # Now as well as on commit: the writing connection's next page must not be an old copy.
        pending.published |= fresh
        publish(fresh)


# -- Watching every statement ----------------------------------------------------------------


@dataclass(eq=False)
class _Watch:
    """What one cacheable request has read and written, and what it fetched at its start."""

    clock: int
    reads: set[str] = field(default_factory=set)
    wrote: bool = False
    page_key: str = ""
    view: str = ""  # the URL name of the page, for the generations it read last time
    found: dict[str, Any] = field(default_factory=dict)  # fetched in the first round trip
    asked: list[str] = field(default_factory=list)  # the kept values' keys this request used


_watching: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("pc_watch", default=None)


def watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A database execute wrapper on every connection (core.apps)."""
    result = execute(sql, params, many, context)
    if _publishing.get() or not enabled():
        return result
    kind, tables = classify(sql)
    if kind == _NONE:
        return result
    tables = tables - _ignored()
    if not tables:
        return result
    watching = _watching.get()
    if kind == _READ:
        if watching is not None:
            watching.reads |= tables
        return result
    if watching is not None:
        watching.wrote = True
    _written(context["connection"], tables)
    return result


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: put :func:`watch` on the connection, once."""
    if watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch)


# -- Keeping and serving pages ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def _cacheable_view(path: str) -> str:
    """The URL name of the page at ``path`` if it takes part, else ''."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        return ""
    return name if name in VIEWS else ""


def _session_digest(request: HttpRequest) -> str:
    session = getattr(request, "session", None)
    if session is None:
        return ""
    items = {k: v for k, v in session.items() if k != _SEEN_AT}
    return hashlib.sha256(json.dumps(items, sort_keys=True, default=str).encode()).hexdigest()


def _shows_a_waiting_message(request: HttpRequest) -> bool:
    """A message waits that this page would show (a page shows it; the API never does)."""
    if request.path.startswith("/api/"):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def _key(request: HttpRequest) -> str:
    """The kept copy's key, from the request as it arrives (before the session is read): the
    session and CSRF cookies, the host, the path with its query, the headers in ``_VARY``. The
    copy itself names the person and the session's contents it was built for, checked before
    it is served."""
    parts = [
        request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_host(),
        request.get_full_path(),
        *(request.META.get(h, "") for h in _VARY),
    ]
    return _scope() + "p:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"upward page cache")
    return AESGCM(key.derive(secret.encode()))


def _encrypt(plain: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + _aead(settings.FIELD_ENCRYPTION_KEYS[0]).encrypt(nonce, plain, None)


def _decrypt(sealed: bytes) -> bytes:
    """The plaintext, or InvalidTag for anything this site's newest key did not write."""
    return _aead(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(sealed[:12], sealed[12:], None)


def _seal_value(value: Any) -> bytes:
    return _encrypt(pickle.dumps(value, protocol=5))


def _unseal(sealed: bytes) -> Any:
    # Unpickled only once AES-GCM has proved the bytes were written by this site.
    return pickle.loads(_decrypt(sealed))  # nosec B301  # noqa: S301


def _seal(status: int, headers: list[tuple[str, str]], content: bytes, used_csrf: bool) -> bytes:
    """The response, encrypted: a line of JSON (status, headers, CSRF use), then the body."""
    head = json.dumps([status, headers, used_csrf]).encode()
    return _encrypt(head + b"\n" + content)


def _open(sealed: bytes) -> tuple[int, list[tuple[str, str]], bytes, bool]:
    head, _, content = _decrypt(sealed).partition(b"\n")
    status, headers, used_csrf = json.loads(head)
    return int(status), [(str(k), str(v)) for k, v in headers], content, bool(used_csrf)


# The generation keys the last kept copy of each page or value read: fetched with it, in one trip.
_LAST_READS: dict[str, tuple[str, ...]] = {}


def _unchanged(generations: dict[str, int], found: dict[str, Any]) -> bool:
    """Every generation a kept copy was built at is still the table's (``found`` holds those
    fetched with the copy; the rest are fetched now)."""
    missing = [k for k in generations if k not in found]
    if missing:
        found.update(cache.get_many(missing))
    return all(found.get(k) == v for k, v in generations.items())


def _settle(watching: _Watch, name: str) -> dict[str, int] | str:
    """The generations of the tables ``watching`` saw read, or why what was built from them
    may not be kept. ``name`` (a page's URL name, a kind of value) remembers which tables were
    read, to fetch their generations with the next copy."""
    keys = sorted({_gen_key(t) for t in watching.reads} | {_gen_key(EVERYTHING)})
    generations = cache.get_many(keys)
    missing = [k for k in keys if k not in generations]
    if missing:
        # A table not written since the cache was emptied starts at generation 0; any write
        # gives it a clock value, never 0 again.
        for k in missing:
            cache.add(k, 0, timeout=None)
        generations.update(cache.get_many(missing))
        if len(generations) < len(keys):
            return "no generation for a table"
    if any(int(v) > watching.clock for v in generations.values()):
        return "a table it read was written meanwhile"  # it may already be out of date
    _LAST_READS[name] = tuple(keys)
    # A write after this in an open transaction must publish again (see _written).
    _epoch[0] += 1
    return generations


def remembered(name: str, compute: Callable[[], _T], *, sealed: bool = False) -> _T:
    """``compute()``, a reading of the database, kept until a table it read is written: the
    rule of kept pages, for a value every request asks for (the menu's facts, the signed-in
    person's row). ``name`` must say everything the value depends on besides the database.
    With ``sealed`` the value is pickled and encrypted like a kept page (for anything personal);
    without, it is kept as it is (ids and flags only)."""
    if not enabled():
        return compute()
    key = _scope() + "v:" + hashlib.sha256(name.encode()).hexdigest()
    # Values of one kind (every person's facts) read the same tables: one guess serves all.
    kind = "v:" + name.split("\x1f", 1)[0]
    clock_key = _clock_key()
    outer = _watching.get()
    try:
        if outer is not None and key in outer.found:
            found = outer.found  # fetched with the page, in the request's first round trip
        else:
            found = cache.get_many([clock_key, key, *_LAST_READS.get(kind, ())])
        entry = found.get(key)
        if outer is not None:
            outer.asked += [key, *(entry[0] if entry is not None else ())]
        if entry is not None and _unchanged(entry[0], found):
            value = _unseal(entry[1]) if sealed else entry[1]
            if outer is not None:  # a page built from this value depends on its tables too
                prefix = _gen_key("")
                outer.reads |= {k.removeprefix(prefix) for k in entry[0]}
            return cast(_T, value)
        # The clock as the request began, when it began earlier: older is only more careful.
        now = outer.clock if outer is not None else found.get(clock_key)
    except Exception:
        logger.warning("page cache: a kept value could not be read", exc_info=True)
        return compute()
    if now is None:
        return compute()
    inner = _Watch(clock=int(now))
    token = _watching.set(inner)
    try:
        value = compute()
    finally:
        _watching.reset(token)
    if outer is not None:
        outer.reads |= inner.reads
        outer.wrote = outer.wrote or inner.wrote
    if not inner.wrote:
        try:
            generations = _settle(inner, kind)
            if not isinstance(generations, str):
                timeout = settings.UPWARD_PAGE_CACHE_SECONDS
                kept = _seal_value(value) if sealed else value
                cache.set(key, (generations, kept), timeout=timeout)
        except Exception:
            logger.warning("page cache: a value could not be kept", exc_info=True)
    return value


# The kept values each session used last time (the menu's facts): fetched in the first trip.
_HINTS: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_HINTS_KEPT = 2_000  # about 3 KB each


class PageCacheClock:
    """Early in the chain, before the session is read: for a page that takes part, one round
    trip fetches the clock, the kept copy, the generations it was built at and the kept values
    this session used last time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not (enabled() and session and request.method == "GET"):
            return self.get_response(request)
        view = _cacheable_view(request.path_info)
        if not view:
            return self.get_response(request)
        try:
            key, clock_key = _key(request), _clock_key()
            hint = _HINTS.get(session, ())
            found = cache.get_many([clock_key, key, *_LAST_READS.get(view, ()), *hint])
            now = found.get(clock_key)
            if now is None:
                now = clock()
        except Exception:  # a host not allowed is answered by CommonMiddleware; a cache down
            logger.warning("page cache: the clock cannot be read", exc_info=True)
            now = None
        if now is None:
            return self.get_response(request)
        watching = _Watch(clock=int(now), page_key=key, view=view, found=found)
        token = _watching.set(watching)
        try:
            return self.get_response(request)
        finally:
            _watching.reset(token)
            if watching.asked:
                _HINTS[session] = tuple(watching.asked)
                _HINTS.move_to_end(session)
                while len(_HINTS) > _HINTS_KEPT:
                    _HINTS.popitem(last=False)


class PageCache:
    """Last in the chain, after every access check: serve a kept copy, or keep this one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        plan = getattr(request, "_page_cache", None)
        watching = _watching.get()
        if plan is not None and watching is not None and response.get(HEADER) != "hit":
            try:
                outcome = self._keep(request, response, watching, *plan)
                logger.debug("page cache: %s: %s", watching.view, outcome)
            except Exception:
                logger.warning("page cache: a page could not be kept", exc_info=True)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        watching = _watching.get()
        if watching is None or not request.user.is_authenticated:
            return None
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        if _shows_a_waiting_message(request):
            return None
        digest = _session_digest(request)
        csrf = request.META.get("CSRF_COOKIE", "")
        request._page_cache = (digest, csrf)  # type: ignore[attr-defined]
        watching.wrote = False  # what the middleware before the view wrote happens on a hit too
        try:
            hit = self._serve(request, watching, digest)
        except Exception:
            logger.warning("page cache: a kept page could not be read", exc_info=True)
            hit = None
        return hit

    def _serve(self, request: HttpRequest, watching: _Watch, digest: str) -> HttpResponse | None:
        entry = watching.found.get(watching.page_key)
        if entry is None:
            return None
        generations, sealed, person, session_digest = entry
        if person != request.user.pk or session_digest != digest:
            return None  # built for someone else, or before the session changed
        if not _unchanged(generations, watching.found):
            return None
        try:
            status, headers, content, used_csrf = _open(sealed)
        except (InvalidTag, ValueError):
            return None
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        if used_csrf:
            get_token(request)  # as rendering did: the CSRF cookie's timer is renewed
        return response

    def _keep(
        self,
        request: HttpRequest,
        response: HttpResponse,
        watching: _Watch,
        digest: str,
        csrf: str,
    ) -> str:
        """Keep the page, or say why not."""
        if watching.wrote:
            return "wrote while built"
        if response.status_code != 200 or response.streaming:
            return "not a plain 200"
        if response.cookies or response.has_header("Content-Disposition"):
            return "sets a cookie or is a download"
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if kind not in {"text/html", "application/json"} or len(response.content) > MAX_BYTES:
            return "not HTML or JSON of a reasonable size"
        if _shows_a_waiting_message(request):
            return "a message waits"
        if _session_digest(request) != digest:
            return "changed the session"
        if request.META.get("CSRF_COOKIE", "") != csrf:
            return "made a new CSRF secret"  # the next request brings it, and a key with it
        generations = _settle(watching, watching.view)
        if isinstance(generations, str):
            return generations
        headers = [(k, v) for k, v in response.items() if k.lower() != HEADER.lower()]
        used_csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        sealed = _seal(response.status_code, headers, response.content, used_csrf)
        entry = (generations, sealed, request.user.pk, digest)
        cache.set(watching.page_key, entry, timeout=settings.UPWARD_PAGE_CACHE_SECONDS)
        return "kept"
