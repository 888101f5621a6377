"""Kept pages (core.page_cache): served again only while nothing has changed, only to the
session that saw them, never when they carry something one-off."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _does_token_match
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string

from assessments.tests.conftest import assessment, loaded  # noqa: F401
from core import page_cache
from core.models import DataVersion
from schools.models import School


@pytest.fixture(autouse=True)
def empty_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _shared_counter() -> int:
    return DataVersion.objects.get(pk=1).counter


def _kept(client, url: str = "/schools/") -> str:
    """Visit twice (the first visit gives the browser its CSRF cookie): the page is kept."""
    client.get(url)
    caches["pages"].clear()
    page = client.get(url).content.decode()
    assert caches["pages"]._cache, "the page should be kept"
    return page


def _rename(school: School, name: str) -> None:
    # update(): no save(), no signal — only the SQL says something changed.
    School.objects.filter(pk=school.pk).update(name=name)


@pytest.mark.parametrize(
    "sql,writes",
    [
        ('SELECT "schools_school"."name" FROM "schools_school"', False),
        ('UPDATE "schools_school" SET "name" = %s', True),
        ('INSERT INTO "schools_school" ("code") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "schools_school" ("code") VALUES (%s)', True),
        ('DELETE FROM "schools_school" WHERE id = 1', True),
        ("  \n update schools_school set name = 'x'", True),
        ('CREATE TABLE "x" ("id" integer)', True),
        ("WITH t AS (SELECT 1) SELECT * FROM t", False),
        ("WITH t AS (DELETE FROM schools_school RETURNING id) SELECT * FROM t", True),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('UPDATE "core_processheartbeat" SET "beat_at" = %s', False),
        ("SAVEPOINT s1", False),
        ('SELECT 1 FROM "schools_school" FOR UPDATE', False),
    ],
)
def test_it_tells_writes_from_reads(sql, writes):
    assert page_cache.writes_table(sql) is writes


def test_it_serves_the_kept_page_without_rendering_it(client, principal):
    client.force_login(principal)
    _kept(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/schools/")
    assert response.status_code == 200
    # Session, user, first-login check and the shared counter: nothing of the page itself.
    assert len(queries) <= 4, [q["sql"][:120] for q in queries.captured_queries]


def test_it_renders_again_after_any_write(client, principal, school):
    client.force_login(principal)
    assert school.name in _kept(client)
    _rename(school, "Trường Mầm non Đổi Tên Bằng Update")
    assert "Đổi Tên Bằng Update" in client.get("/schools/").content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE schools_school SET name = %s WHERE id = %s", ["Tên Từ SQL", school.pk]
        )
    assert "Tên Từ SQL" in client.get("/schools/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_moves_the_counter_every_process_reads(client, principal, school):
    client.force_login(principal)
    _kept(client)
    before, local = _shared_counter(), page_cache._local_writes
    _rename(school, "Trường Tiểu học Sau Khi Ghi")
    assert _shared_counter() > before
    # Another process has not made the write itself: only the shared counter tells it.
    page_cache._local_writes = local
    assert "Sau Khi Ghi" in client.get("/schools/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_write_moves_the_counter_once_per_transaction_and_only_when_committed(school):
    before = _shared_counter()
    with transaction.atomic():
        for n in range(3):
            _rename(school, f"Tên {n}")
    assert _shared_counter() == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        _rename(school, "Không lưu")
        raise RuntimeError
    assert _shared_counter() == before + 1


def test_each_session_has_its_own_page(client, principal, province_officer, sibling_school):
    client.force_login(province_officer)
    assert sibling_school.name in _kept(client)
    client.force_login(principal)
    assert sibling_school.name not in client.get("/schools/").content.decode()


def test_it_keeps_no_page_for_htmx_nor_with_a_message(client, principal, rf):
    client.force_login(principal)
    client.get("/schools/", headers={"HX-Request": "true"})
    assert not caches["pages"]._cache
    # A page showing a flash message is shown once: the message is not kept with it.
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Đã lưu trường.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    assert "Đã lưu trường." in client.get("/schools/").content.decode()
    assert not caches["pages"]._cache
    assert "Đã lưu trường." not in client.get("/schools/").content.decode()


def test_it_keeps_nothing_when_switched_off(client, principal, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(principal)
    client.get("/schools/")
    client.get("/schools/")
    assert not caches["pages"]._cache


@pytest.mark.django_db(transaction=True)
def test_clear_page_cache_moves_the_counter(capsys):
    before = _shared_counter()
    call_command("clear_page_cache")
    assert _shared_counter() == before + 1
    assert "Đã bỏ các trang lưu sẵn" in capsys.readouterr().out


@pytest.mark.parametrize(
    "page",
    ["/", "/schools/", "/dashboard/", "/assessments/{a}/", "/assessments/{a}/tieu-chi/1.1/"],
)
def test_every_kept_page_shows_a_change_at_once(client, principal, assessment, page):  # noqa: F811
    client.force_login(principal)
    url = page.format(a=assessment.pk)
    assert assessment.school.name in _kept(client, url)
    _rename(assessment.school, "Trường Thử Đổi Tên")
    assert "Trường Thử Đổi Tên" in client.get(url).content.decode()


def test_an_update_that_matches_no_row_keeps_the_pages(client, principal):
    client.force_login(principal)
    _kept(client)
    School.objects.filter(code="không có").update(name="x")
    with CaptureQueriesContext(connection) as queries:
        client.get("/schools/")
    assert len(queries) <= 4


def test_a_kept_page_carries_a_token_for_the_browser_it_is_served_to(principal):
    first = Client(enforce_csrf_checks=True)
    first.force_login(principal)
    _kept(first)
    # A second tab or browser of the same session, with a CSRF cookie of its own.
    second = Client(enforce_csrf_checks=True)
    second.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    secret = get_random_string(32, allowed_chars=CSRF_ALLOWED_CHARS)
    second.cookies[settings.CSRF_COOKIE_NAME] = secret
    with CaptureQueriesContext(connection) as queries:
        page = second.get("/schools/").content.decode()
    assert len(queries) <= 4  # served from the kept copy
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page))
    tokens |= set(re.findall(r'"X-CSRFToken": ?"(\w+)"', page))
    assert tokens
    assert all(_does_token_match(t, secret) for t in tokens)
    assert "csrf-token" not in page
