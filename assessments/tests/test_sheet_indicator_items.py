"""The criterion sheet's indicator items are built in Python ({% indicator_items %}) for speed:
the markup is exactly what the template's loop used to make, every value escaped."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest
from django.template import Context, Template

OLD_LOOP = """{% load i18n %}{% for r in results %}
    <li class="list-group-item" data-indicator="{{ r.indicator.ident }}">
      <div>{% if r.indicator.letter %}<span class="fw-semibold">{{ r.indicator.letter }})</span> {% endif %}{% if r.indicator.text is None %}<span class="missing-text">{% translate "Chưa có văn bản của chỉ báo này." %}</span> <a class="small" href="{% url 'assessments:requirement_text' assessment.pk r.indicator_id %}">{% translate "Ghi văn bản theo Công báo" %}</a>{% else %}<span>{{ r.indicator.text }}</span>{% endif %}</div>
      <form method="post" action="{% url 'assessments:indicator' assessment.pk sheet.criterion.code r.pk %}" class="d-flex flex-wrap gap-3 mt-1"
            hx-post="{% url 'assessments:indicator' assessment.pk sheet.criterion.code r.pk %}" hx-trigger="commit" data-commit-choice hx-target="#sheet-live" hx-swap="outerHTML" hx-include="#indicators-version">{% csrf_token %}
        <noscript><input type="hidden" name="indicators_version" value="{{ sheet.indicators_version }}"></noscript>
        <fieldset class="d-flex gap-3"{% if not can_edit %} disabled{% endif %}>
          <legend class="visually-hidden">{% if r.indicator.letter %}{% blocktranslate with l=r.indicator.letter n=name %}Đánh giá chỉ báo {{ l }}) của {{ n }}{% endblocktranslate %}{% else %}{% blocktranslate with n=name %}Đánh giá chỉ báo của {{ n }}{% endblocktranslate %}{% endif %}</legend>
          <div class="form-check"><input class="form-check-input" type="radio" name="met" value="1" id="met-{{ r.pk }}-1"{% if r.met %} checked{% endif %}><label class="form-check-label" for="met-{{ r.pk }}-1">{% translate "Đạt" %}</label></div>
          <div class="form-check"><input class="form-check-input" type="radio" name="met" value="0" id="met-{{ r.pk }}-0"{% if r.met is False %} checked{% endif %}><label class="form-check-label" for="met-{{ r.pk }}-0">{% translate "Không đạt" %}</label></div>
          <div class="form-check"><input class="form-check-input" type="radio" name="met" value="" id="met-{{ r.pk }}-u"{% if r.met is None %} checked{% endif %}><label class="form-check-label" for="met-{{ r.pk }}-u">{% translate "Chưa đánh giá" %}</label></div>
          <noscript><button class="btn btn-sm btn-outline-primary" type="submit">{% translate "Lưu" %}</button></noscript>
        </fieldset>
      </form>
    </li>
  {% endfor %}"""

NEW = "{% load sheet_indicators %}{% indicator_items results name %}"


def _result(pk, *, letter, text, met, indicator_id=None):
    ident = f"1.1-M1{letter or ''}"
    return NS(
        pk=pk,
        met=met,
        indicator_id=indicator_id or pk + 1000,
        indicator=NS(ident=ident, letter=letter, text=text),
    )


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("token", ["tok<en>", None])
def test_the_items_are_the_markup_the_template_made(can_edit, token):
    results = [
        _result(1, letter="a", text='Có "kế hoạch" <chiến lược> & tầm nhìn', met=True),
        _result(2, letter="b", text=None, met=False),
        _result(3, letter="", text="Không có chữ cái", met=None),
        _result(987654321, letter="c<", text=None, met=None, indicator_id=5),
    ]
    context = {
        "assessment": NS(pk=7),
        "sheet": NS(criterion=NS(code="1.1"), indicators_version=12),
        "results": results,
        "name": "Mức <1> & 'x'",
        "can_edit": can_edit,
    }
    if token:
        context["csrf_token"] = token
    expected = Template(OLD_LOOP).render(Context(context))
    assert Template(NEW).render(Context(context)) == expected
