"""The UI is Vietnamese by default and fully available in English (locale/en)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


def parse_po(path: Path) -> list[dict]:
    """A small .po reader (polib is not a dependency): one dict per entry with msgctxt, msgid,
    msgid_plural, msgstr (keyword -> text, e.g. "msgstr" or "msgstr[1]") and flags."""
    entries: list[dict] = []
    entry: dict | None = None
    current: str | None = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, current = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            # Continuation of the previous keyword's string.
            text = ast.literal_eval(line)
            if current.startswith("msgstr"):
                entry["msgstr"][current] += text
            else:
                entry[current] += text
        else:
            match = _KEYWORD.match(line)
            assert match, f"unreadable .po line: {raw!r}"
            current, text = match.group(1), ast.literal_eval(match.group(2))
            if current.startswith("msgstr"):
                entry["msgstr"][current] = text
            else:
                entry[current] = text
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return parse_po(PO_PATH)


def _messages(entries: list[dict]) -> list[dict]:
    # Skip the header (empty msgid) and obsolete "#~" entries, which the reader drops as comments.
    return [e for e in entries if e.get("msgid")]


def test_po_header_declares_english_plurals(po_entries):
    header = po_entries[0]["msgstr"]["msgstr"]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header
    assert "charset=UTF-8" in header


def test_every_msgid_has_an_english_translation(po_entries):
    messages = _messages(po_entries)
    assert len(messages) > 100
    untranslated = [
        e["msgid"] for e in messages if not e["msgstr"] or not all(e["msgstr"].values())
    ]
    assert untranslated == []


def test_plural_entries_have_both_english_forms(po_entries):
    plurals = [e for e in _messages(po_entries) if e["msgid_plural"] is not None]
    assert plurals
    for entry in plurals:
        assert set(entry["msgstr"]) == {"msgstr[0]", "msgstr[1]"}, entry["msgid"]


def test_no_translation_is_left_fuzzy(po_entries):
    # Django ignores fuzzy entries when compiling, so they would silently show Vietnamese.
    assert [e["msgid"] for e in _messages(po_entries) if "fuzzy" in e["flags"]] == []


def test_translations_keep_every_placeholder(po_entries):
    placeholder = re.compile(r"%\([^)]+\)[-#0 +]*\d*[sdif]|%[sdif]")
    for entry in _messages(po_entries):
        expected = sorted(placeholder.findall(entry["msgid"]))
        for text in entry["msgstr"].values():
            assert sorted(placeholder.findall(text)) == expected, entry["msgid"]


def test_compiled_catalog_matches_the_po_file(po_entries):
    """Catches a .po edited (or re-extracted) without running compilemessages."""
    with translation.override("en"):
        for entry in _messages(po_entries):
            if entry["msgctxt"] is not None:
                continue
            if entry["msgid_plural"] is None:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"]["msgstr"]
            else:
                one = translation.ngettext(entry["msgid"], entry["msgid_plural"], 1)
                many = translation.ngettext(entry["msgid"], entry["msgid_plural"], 2)
                assert (one, many) == (entry["msgstr"]["msgstr[0]"], entry["msgstr"]["msgstr[1]"])


@pytest.mark.django_db
def test_vietnamese_is_the_default(client, commune_officer, school):
    client.force_login(commune_officer)
    body = client.get(reverse("schools:list")).content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng xuất" in body
    assert "Danh sách trường học" in body
    assert "Log out" not in body


@pytest.mark.django_db
def test_choosing_english_translates_the_home_page(client, commune_officer, school):
    client.force_login(commune_officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "Log out" in body
    assert "Schools" in body
    assert "Đăng xuất" not in body


@pytest.mark.django_db
def test_english_school_list_uses_english_plural(client, commune_officer, school):
    client.force_login(commune_officer)
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse("schools:list")).content.decode()
    assert "List of schools" in body
    assert "1 school" in body
    assert "1 schools" not in body
    assert school.name in body  # data stays as entered, only the UI is translated


@pytest.mark.django_db
def test_english_browser_still_gets_vietnamese_until_the_user_chooses(
    client, commune_officer, school
):
    # Many office PCs run an English browser; officials must not land on English by accident.
    client.force_login(commune_officer)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Đăng xuất" in body
    client.post(reverse("set_language"), {"language": "en"})
    assert "Log out" in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()


@pytest.mark.django_db
def test_english_can_be_switched_back_to_vietnamese(client, commune_officer, school):
    client.force_login(commune_officer)
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("set_language"), {"language": "vi"})
    assert "Đăng xuất" in client.get(reverse("home")).content.decode()
