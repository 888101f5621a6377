"""The criteria rows and the change log of the assessment page (assessments:detail), as HTML
built here rather than by the template engine, like progress_table and schools.list_table.

Thirty criteria through `{% for %}` cost ~15 variable lookups each (localised and escaped), a
`{% url %}` and translations per row, and twenty log lines five more lookups and a date filter:
about a third of the page's time under load (issue 13 §8). Here the labels and the URL prefix are
worked out once per request and each row is one `format_html` (every value escaped) — the same
markup."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .models import CriterionSheet

ROW = (
    "\n        <tr>\n"
    '          <td><a href="{}">{}</a> {}{}</td>\n'
    "          <td>{}/{}</td>\n"
    '          <td><span class="badge badge-level-{}">{}</span></td>\n'
    '          <td class="small">{}</td>\n'
    '          <td class="small">{}</td>\n'
    "        </tr>\n      "
)

_CODE = "CRITERIONCODE0"  # reversed once, then replaced by each row's (URL-quoted) code


def criteria_rows(assessment, sheets: Iterable[CriterionSheet]) -> SafeString:
    """One standard's rows; each sheet carries `live` (levels.CriterionLive) and the counts
    `n_decided`, `n_results` (selectors.overview)."""
    url = reverse("assessments:sheet", args=[assessment.pk, _CODE])
    mandatory = format_html(' <span class="badge text-bg-dark">{}</span>', _("Bắt buộc"))
    not_met = _("Chưa đạt")
    out = []
    for sheet in sheets:
        criterion, live, person = sheet.criterion, sheet.live, sheet.assigned_to
        out.append(
            format_html(
                ROW,
                url.replace(_CODE, _quote(criterion.code)),
                criterion.code,
                criterion.title,
                mandatory if criterion.mandatory else "",
                sheet.n_decided,
                sheet.n_results,
                live.level,
                _("Mức %(n)s") % {"n": live.level} if live.level else not_met,
                live.explanation if live.next_level else "",
                (person.get_full_name() or person.username) if person is not None else "",
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every row is format_html)


def change_log(events) -> SafeString:
    """The `<li>` lines of the page's short change log (history.readable)."""
    return format_html_join(
        "",
        "<li>{} · {} · {}: {} → {}{}</li>",
        (
            (
                date_format(localtime(e.at), "d/m/Y H:i"),
                (e.user.username if e.user is not None else "") or "—",
                e.label,
                e.old or "—",
                e.new or "—",
                format_html(" ({})", e.note) if e.note else "",
            )
            for e in events
        ),
    )


def _quote(code: str) -> str:
    # As reverse() quotes a path argument (django.urls.resolvers: RFC 3986 sub-delims kept).
    return quote(code, safe="!$&'()*+,;=/~:@")
