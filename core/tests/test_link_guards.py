"""No link to what the user may not do (issue 14 §4): every page a role can open, read as the
browser reads it, offers only links (and form actions) that the same user gets an answer from
— not 403, not 404. What each URL answers is what core/tests/test_permission_matrix.py proves
against the permission table, so a "Sửa" shown to the read-only viewer fails here.

Forms are posted empty inside a savepoint that is rolled back (the matrix's way): a 400 is a
form the user may send; a 403 is a button the page should not have shown."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from core.tests.test_permission_matrix import ROUTES, _target, world  # noqa: F401

pytestmark = pytest.mark.django_db

# Links every page has and whose answer is not the question here; a finished job's files (the
# matrix world fakes "done" jobs with a .docx and no PDF: 404 there is a missing file).
SKIP = {"accounts:logout", "set_language", "home", "healthz", "documents:job_file"}
# The roles that read more than they write, where a stray "Sửa" shows (the managers' pages are
# covered for their own objects by the matrix; following every link of every role is minutes).
ROLES = ("staff", "reviewer", "viewer")


class _Links(HTMLParser):
    """Links, and the actions of POST forms a person can send: a form whose controls are all
    disabled (a read-only display of the same data) offers nothing."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: set[str] = set()
        self.forms: set[str] = set()
        self._form: dict | None = None
        self._disabled_depth = 0  # open <fieldset disabled> inside the current form

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.add(a["href"])
        if tag == "form":
            post = (a.get("method") or "get").lower() == "post" or "hx-post" in a
            action = a.get("action") or a.get("hx-post")
            self._form = {"action": action, "htmx": "hx-post" in a, "offered": False}
            if not (post and action):
                self._form = None
            self._disabled_depth = 0
            return
        if self._form is None:
            return
        if tag == "fieldset" and "disabled" in a:
            self._disabled_depth += 1
        enabled = "disabled" not in a and not self._disabled_depth
        kind = (a.get("type") or "").lower()
        if tag == "button" and kind in ("", "submit") and enabled:
            self._form["offered"] = True
        if tag == "input" and kind in ("submit", "image") and enabled:
            self._form["offered"] = True
        if self._form["htmx"] and tag in ("input", "select", "textarea") and kind != "hidden":
            self._form["offered"] |= enabled

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "fieldset" and self._disabled_depth:
            self._disabled_depth -= 1
        if tag == "form":
            if self._form["offered"]:
                self.forms.add(self._form["action"])
            self._form = None


def _name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def _pages(world, role):  # noqa: F811
    for name, route in sorted(ROUTES.items()):
        if name == "admin:*" or not route.get or name in SKIP:
            continue
        kwargs, query, _obj = _target(world["inside"], route.obj, world, role)
        yield name, reverse(name, kwargs=kwargs) + query


@pytest.mark.parametrize("role", ROLES)
def test_a_page_shows_no_link_its_reader_may_not_follow(role, world):  # noqa: F811
    user = world["users"][role]
    client = Client()
    client.force_login(user)
    answers: dict[tuple[str, str], int] = {}
    wrong = []

    def answer(method: str, url: str) -> int:
        if (method, url) not in answers:
            with transaction.atomic():
                answers[method, url] = getattr(client, method)(url).status_code
                transaction.set_rollback(True)
            user._tc_scope = None
        return answers[method, url]

    for name, url in _pages(world, role):
        response = client.get(url)
        user._tc_scope = None
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for method, targets in (("get", parser.links), ("post", parser.forms)):
            for target in sorted(targets):
                if _name(target) in SKIP or _name(target) is None:
                    continue
                status = answer(method, target)
                if status in (403, 404):
                    wrong.append(f"{name} → {method.upper()} {target}: {status}")
    assert wrong == [], "\n".join(wrong)
