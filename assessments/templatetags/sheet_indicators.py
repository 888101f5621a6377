"""`{% indicator_items results name %}`: the indicator list items of a criterion sheet (one form
per indicator), built here rather than by the template engine, like assessments.progress_table.

Through `{% for %}` every indicator cost two `{% url %}`, a `{% csrf_token %}`, six translations
and some twenty lookups: most of the sheet page's template time under load (issue 13 §8). Here the
labels, the URL prefixes and the token are worked out once per level and each item is one
`format_html` (every value escaped) — the same markup as the former loop of
_sheet_indicators.html."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

ITEM = (
    '\n    <li class="list-group-item" data-indicator="{ident}">\n'
    "      <div>{letter}{text}</div>\n"
    '      <form method="post" action="{url}" class="d-flex flex-wrap gap-3 mt-1"\n'
    '            hx-post="{url}" hx-trigger="commit" data-commit-choice hx-target="#sheet-live"'
    ' hx-swap="outerHTML" hx-include="#indicators-version">{csrf}\n'
    '        <noscript><input type="hidden" name="indicators_version" value="{version}">'
    "</noscript>\n"
    '        <fieldset class="d-flex gap-3"{disabled}>\n'
    '          <legend class="visually-hidden">{legend}</legend>\n'
    '          <div class="form-check"><input class="form-check-input" type="radio" name="met"'
    ' value="1" id="met-{pk}-1"{met}><label class="form-check-label" for="met-{pk}-1">'
    "{met_label}</label></div>\n"
    '          <div class="form-check"><input class="form-check-input" type="radio" name="met"'
    ' value="0" id="met-{pk}-0"{not_met}><label class="form-check-label" for="met-{pk}-0">'
    "{not_met_label}</label></div>\n"
    '          <div class="form-check"><input class="form-check-input" type="radio" name="met"'
    ' value="" id="met-{pk}-u"{undecided}><label class="form-check-label" for="met-{pk}-u">'
    "{undecided_label}</label></div>\n"
    '          <noscript><button class="btn btn-sm btn-outline-primary" type="submit">{save}'
    "</button></noscript>\n"
    "        </fieldset>\n"
    "      </form>\n"
    "    </li>\n  "
)

_PK = 987654321  # reversed once, then replaced by each item's id
CHECKED = mark_safe(" checked")


@register.simple_tag(takes_context=True)
def indicator_items(context, results, name) -> SafeString:
    assessment, sheet = context["assessment"], context["sheet"]
    url = reverse("assessments:indicator", args=[assessment.pk, sheet.criterion.code, _PK])
    text_url = reverse("assessments:requirement_text", args=[assessment.pk, _PK])
    token = context.get("csrf_token")
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    missing = format_html(
        '<span class="missing-text">{}</span> <a class="small" href="{{}}">{}</a>',
        _("Chưa có văn bản của chỉ báo này."),
        _("Ghi văn bản theo Công báo"),
    )
    with_letter = _("Đánh giá chỉ báo %(l)s) của %(n)s")
    without_letter = mark_safe(_("Đánh giá chỉ báo của %(n)s") % {"n": escape(name)})  # noqa: S308
    labels = {
        "met_label": _("Đạt"),
        "not_met_label": _("Không đạt"),
        "undecided_label": _("Chưa đánh giá"),
        "save": _("Lưu"),
        "version": sheet.indicators_version,
        "disabled": "" if context.get("can_edit") else mark_safe(" disabled"),
        "csrf": csrf,
    }
    out = []
    for r in results:
        indicator = r.indicator
        letter = indicator.letter
        out.append(
            format_html(
                ITEM,
                ident=indicator.ident,
                letter=format_html('<span class="fw-semibold">{})</span> ', letter)
                if letter
                else "",
                text=(
                    mark_safe(missing.replace("{}", escape(_swap(text_url, r.indicator_id)), 1))  # noqa: S308
                    if indicator.text is None
                    else format_html("<span>{}</span>", indicator.text)
                ),
                url=_swap(url, r.pk),
                legend=(
                    mark_safe(with_letter % {"l": escape(letter), "n": escape(name)})  # noqa: S308
                    if letter
                    else without_letter
                ),
                pk=r.pk,
                met=CHECKED if r.met else "",
                not_met=CHECKED if r.met is False else "",
                undecided=CHECKED if r.met is None else "",
                **labels,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 (every item is format_html)


def _swap(url: str, pk: int) -> str:
    head, _sep, tail = url.rpartition(str(_PK))
    return f"{head}{pk}{tail}"
