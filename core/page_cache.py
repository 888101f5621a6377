"""Kept pages (issue 13 §8): the busiest read-only pages (school list, dashboard, assessment page,
criterion sheet) are rendered once and served again to the same session until anything in the
database changes.

Why it is safe to serve a kept page:
- **The data has not changed.** Every SQL statement that writes (INSERT, UPDATE, DELETE, DDL) on
  any Django connection, in any process (app servers, worker, scheduler, management commands),
  is seen by an execute wrapper. After the transaction commits, the counter in
  ``core_dataversion`` moves; every process reads it (one primary-key read) before it serves a
  kept page. The writing process also moves a counter of its own at once, so the page after a
  save (and a test's page inside its never-committed transaction) is rendered afresh.
  Writes that cannot change a page are not counted: sessions, login attempts, heartbeats.
- **The page is this session's.** The key holds the path and query, the session (its key and
  content), the language, the Accept header and today's date. The page's CSRF tokens are taken
  out when it is kept and each serving puts in a token for the browser's own CSRF cookie; pages are kept for at most ``PAGE_CACHE_SECONDS`` (times such as "5 phút
  trước" move on their own).
- **Nothing one-off is kept.** Only GET, 200, non-htmx, signed-in requests without flash
  messages; never a response that sets a cookie; never inside a request-wide transaction; never
  while the view reads from a replica (the replica may be behind the counter).

Pages are kept in the process's own memory (the ``pages`` cache): each app server warms its own,
and the shared counter keeps them all honest. Writes made outside Django (psql by hand) must
be followed by ``manage.py clear_page_cache``, which moves the counter.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _does_token_match, get_token
from django.utils import timezone, translation

from core.dbrouter import replica_in_use

TABLE = "core_dataversion"
# Written on reads or by clocks, never shown on a kept page.
QUIET_TABLES = frozenset(
    {
        TABLE,
        "django_session",
        "core_processheartbeat",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
    }
)
_WRITE = re.compile(
    r"\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|replace\s+into)\s+[\"`]?(\w+)"
    r"|\s*(create|alter|drop|truncate|copy|with)\b",
    re.IGNORECASE,
)
_UPDATE = "UPDATE core_dataversion SET counter = counter + 1 WHERE id = 1"
_INSERT = "INSERT INTO core_dataversion (id, counter) VALUES (1, 1)"

# Moved by this process's own writes, before they commit (see the module's docstring).
_local_writes = 0


def writes_table(sql: object) -> bool:
    """Whether a statement may change what a page shows."""
    if not isinstance(sql, str):
        return True  # a composed statement: assume the worst
    match = _WRITE.match(sql)
    if match is None:
        return False
    table, keyword = match.groups()
    if table:
        return table.lower() not in QUIET_TABLES
    if keyword.lower() == "with":
        return bool(re.search(r"\b(insert|update|delete)\b", sql, re.IGNORECASE))
    return True


def note_write(alias: str = DEFAULT_DB_ALIAS) -> None:
    """A write this process has made (or is making, for COPY, which no wrapper sees): kept
    pages are stale for this process now, and for every process once it commits."""
    global _local_writes
    _local_writes += 1
    connection = connections[alias]
    if not connection.in_atomic_block:
        # Committed already (autocommit), but the statement's own rows (RETURNING) may not be
        # read yet: the counter moves before this connection's next statement, at the end of
        # the request, or at exit (flush_pending).
        connection.page_bump_pending = True
        return
    # Once per transaction; a rolled-back transaction drops its callbacks with it.
    bump = _bump_for(alias)
    if not any(func is bump for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(bump, using=alias)


_bumpers: dict[str, Callable[[], None]] = {}


def _bump_for(alias: str) -> Callable[[], None]:
    if alias not in _bumpers:

        def bump() -> None:
            connection = connections[alias]
            connection.page_bump_pending = False
            try:
                with connection.cursor() as cursor:
                    cursor.execute(_UPDATE)
                    if cursor.rowcount == 0:  # a flushed test database: the row comes back
                        cursor.execute(_INSERT)
            except DatabaseError:
                pass  # the table is not there yet (migrating): no page was kept either

        _bumpers[alias] = bump
    return _bumpers[alias]


def flush_pending(**kwargs) -> None:
    """Move the counter for this thread's autocommit writes not told yet (request_finished,
    exit)."""
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "page_bump_pending", False) and not connection.in_atomic_block:
            _bump_for(connection.alias)()


def _watch(execute, sql, params, many, context):
    connection = context["connection"]
    if connection.alias not in settings.DATABASES:
        # PostgreSQL's maintenance connection (creating or dropping a database): no page.
        return execute(sql, params, many, context)
    if getattr(connection, "page_bump_pending", False) and not connection.in_atomic_block:
        _bump_for(connection.alias)()
    result = execute(sql, params, many, context)
    if writes_table(sql) and not _changed_nothing(sql, context["cursor"]):
        note_write(connection.alias)
    return result


def _changed_nothing(sql: str, cursor) -> bool:
    """An UPDATE or DELETE that matched no row (a stale edit refused, a periodic clean-up with
    nothing to do) leaves the pages as they were. Not decided for INSERT: with RETURNING, the
    count is known only once its rows are read."""
    return (
        isinstance(sql, str)
        and getattr(cursor, "rowcount", -1) == 0
        and sql.lstrip()[:6].upper() in ("UPDATE", "DELETE")
        and "RETURNING" not in sql.upper()
    )


def install(sender, connection, **kwargs) -> None:
    """connection_created receiver (core.apps): every connection gets the wrapper once."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def bump() -> None:
    """Move the shared counter now (manage.py clear_page_cache)."""
    global _local_writes
    _local_writes += 1
    caches["pages"].clear()
    _bump_for(DEFAULT_DB_ALIAS)()


def data_version() -> str | None:
    """The shared counter and this process's own, or None when the row is missing."""
    flush_pending()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT counter FROM core_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return None if row is None else f"{row[0]}.{_local_writes}"


def _in_request_transaction() -> bool:
    # A test case's own transaction (Django marks it) is not the request's.
    connection = connections[DEFAULT_DB_ALIAS]
    return any(not getattr(a, "_from_testcase", False) for a in connection.atomic_blocks)


def _key(request: HttpRequest) -> str | None:
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method != "GET"
        or request.headers.get("HX-Request")
        or not request.user.is_authenticated
        or len(get_messages(request))
        or _in_request_transaction()
        or replica_in_use()
    ):
        return None
    version = data_version()
    if version is None:
        return None
    session = request.session
    parts = [
        version,
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        request.get_full_path(),
        session.session_key or "",
        repr(sorted(session.items())),
        request.headers.get("Accept", ""),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    storage = get_messages(request)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(storage, "used", False)
        and not len(storage)
    )


def _store(key: str, request: HttpRequest, response: HttpResponse) -> None:
    headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
    content = _without_csrf_token(request, response.content)
    caches["pages"].set(key, (content, headers), settings.PAGE_CACHE_SECONDS)


# A masked CSRF token as the page carries it (forms, htmx headers): 64 letters and digits.
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)
_TOKEN_SLOT = b"\x00csrf-token\x00"


def _without_csrf_token(request: HttpRequest, content: bytes) -> bytes:
    """The page with each of its CSRF tokens replaced by a slot: the browser (or tab) it is
    served to next gets a token for its own CSRF cookie."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content

    def slot(match: re.Match) -> bytes:
        token = match.group().decode()
        # Django's own test of a token against a secret, as its middleware does.
        return _TOKEN_SLOT if _does_token_match(token, secret) else match.group()

    return _TOKEN.sub(slot, content)


def _with_csrf_token(request: HttpRequest, content: bytes) -> bytes:
    if _TOKEN_SLOT not in content:
        return content
    # get_token() also has the CSRF middleware send the cookie, as a render would.
    return content.replace(_TOKEN_SLOT, get_token(request).encode())


def kept_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page again to the same session while nothing has changed (above)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _key(request)
        if key is None:
            return view(request, *args, **kwargs)
        kept = caches["pages"].get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(_with_csrf_token(request, content))
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if _keepable(request, response):
            if getattr(response, "is_rendered", True):
                _store(key, request, response)
            else:
                response.add_post_render_callback(lambda r: _store(key, request, r))
        return response

    return wrapper
