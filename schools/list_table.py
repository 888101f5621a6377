"""The rows of the school list (schools:list), as HTML built here rather than by the template
engine, like assessments.progress_table.

Fifty rows through `{% for %}` cost ~20 variable lookups each (localised and escaped), a
`{% url %}` and two choice labels: about a third of the page's time under load (issue 13 §8).
Here the labels and the URL prefix are worked out once per request and each row is one format
string over values escaped with `html.escape` — the same markup."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from schools.models import Ownership, School, StandardLevel

ROW = (
    '<tr><td class="text-nowrap small">{code}{national}</td>'
    '<td><a href="{url}">{name}</a>{illustrative}</td>'
    "<td>{kind}</td><td>{ownership}</td><td>{commune}</td><td>{province}</td>"
    '<td><span class="badge badge-level-{level}">{level_label}</span></td></tr>\n'
)

_CODE = "SCHOOLCODE0"  # reversed once, then replaced by each row's (URL-quoted) code


def render_rows(schools: Iterable[School]) -> SafeString:
    url = reverse("schools:detail", args=[_CODE])
    national_title = escape(_("Mã trường CSDL ngành"))
    illustrative = ' <span class="badge text-bg-light border" title="{}">{}</span>'.format(
        escape(_("Tên không có trong văn bản gốc, chỉ để minh họa")), escape(_("minh họa"))
    )
    ownership = {value: escape(str(label)) for value, label in Ownership.choices}
    levels = {value: escape(str(label)) for value, label in StandardLevel.choices}
    out = []
    for s in schools:
        parent = s.unit.parent
        out.append(
            ROW.format(
                code=escape(s.code),
                national=(
                    f'<div class="text-muted" title="{national_title}">'
                    f"{escape(s.national_code)}</div>"
                    if s.national_code
                    else ""
                ),
                url=escape(url.replace(_CODE, _quote(s.code))),
                name=escape(s.name),
                illustrative=illustrative if s.is_illustrative else "",
                kind=escape(s.kind),
                ownership=ownership.get(s.ownership, escape(s.ownership)),
                commune=escape(s.unit.name),
                province=escape(parent.name) if parent is not None else "",
                level=int(s.standard_level),
                level_label=levels.get(s.standard_level, str(int(s.standard_level))),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def _quote(code: str) -> str:
    # As reverse() quotes a path argument (django.urls.resolvers: RFC 3986 sub-delims kept).
    return quote(code, safe="!$&'()*+,;=/~:@")
