"""Issue 17: the engine's ids ("1.6-M3", "M4-1") name requirements inside the software only; on
screen a requirement is named as the circular names it ("chỉ báo c) của Mức 1", "yêu cầu của Mức
3 ở tiêu chí 1.6"). Attributes (data-indicator, ids) may carry the ids; visible text may not."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments import services as asm
from assessments.levels import requirement_refs
from evidence.demo import demo_assessment
from frameworks.services import framework_load_dir

from .conftest import results_of

pytestmark = pytest.mark.django_db
INTERNAL_ID = re.compile(r"\d+\.\d+-M\d|\bM\d-\d")


class _Visible(HTMLParser):
    """The text a reader sees: character data outside <script>, <style> and <template>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def test_requirement_refs_name_indicators_as_the_circular_does():
    assert requirement_refs(["1.1-M1b", "1.1-M1c"]) == "chỉ báo b), c) của Mức 1"
    assert requirement_refs(["1.6-M1a", "1.6-M3"]) == "chỉ báo a) của Mức 1; yêu cầu của Mức 3"
    assert requirement_refs(["M4-1", "M4-3"]) == "yêu cầu số 1, 3 của Mức 4"
    assert requirement_refs(["2.1-M2"]) == "yêu cầu của Mức 2"


@pytest.fixture
def principal(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


@pytest.fixture
def cycles(db, principal, school):
    """The demo's 2024-2025 cycle (gaps at Mức 3) and a copied 2025-2026 cycle with changed
    decisions, so the compare page lists indicator changes."""
    framework_load_dir()
    old = demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )
    new = asm.assessment_start(
        user=principal,
        school=school,
        school_year="2025-2026",
        on_date=dt.date(2025, 10, 1),
        copy_previous=True,
    ).assessment
    for code in ("1.1", "1.6"):
        for result in results_of(new, code).values():
            asm.indicator_set(user=principal, result=result, met=not result.met)
    return old, new


def test_assessment_criterion_and_compare_pages_show_no_internal_id(client, principal, cycles):
    old, new = cycles
    client.force_login(principal)
    urls = [
        reverse("assessments:detail", args=[old.pk]),
        reverse("assessments:detail", args=[new.pk]),
        reverse("assessments:level4", args=[new.pk]),
        reverse("assessments:compare_cycles", args=[new.pk, old.pk]),
        reverse("evidence:register", kwargs={"assessment_id": old.pk}),
        reverse("documents:assessment", args=[old.pk]),
    ]
    urls += [
        reverse(name, args=[a.pk, sheet.criterion.code])
        for a in (old, new)
        for sheet in a.sheets.select_related("criterion")
        for name in ("assessments:sheet", "assessments:history")
        if a is old or sheet.criterion.code in ("1.1", "1.6")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        found = INTERNAL_ID.search(text)
        assert found is None, f"{url}: …{text[max(0, found.start() - 60) : found.end() + 20]}…"
    # The explanations and the comparison are there, in words.
    detail = visible_text(client.get(urls[0]).content.decode())
    assert "để đạt Mức" in detail
    compare = visible_text(client.get(urls[3]).content.decode())
    assert "Chỉ báo a) của Mức 1" in compare
