"""The assessment page's criteria rows and change log are built in Python (overview_table) for
speed: the markup is exactly what the template used to make, every value escaped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

from django.template import Context, Template

from assessments import overview_table

ROWS_TEMPLATE = """{% load i18n %}{% for sheet in sheets %}
        <tr>
          <td><a href="{% url 'assessments:sheet' assessment.pk sheet.criterion.code %}">{{ sheet.criterion.code }}</a> {{ sheet.criterion.title }}{% if sheet.criterion.mandatory %} <span class="badge text-bg-dark">{% translate "Bắt buộc" %}</span>{% endif %}</td>
          <td>{{ sheet.n_decided }}/{{ sheet.n_results }}</td>
          <td><span class="badge badge-level-{{ sheet.live.level }}">{% if sheet.live.level %}{% blocktranslate with n=sheet.live.level %}Mức {{ n }}{% endblocktranslate %}{% else %}{% translate "Chưa đạt" %}{% endif %}</span></td>
          <td class="small">{% if sheet.live.next_level %}{{ sheet.live.explanation }}{% endif %}</td>
          <td class="small">{% if sheet.assigned_to %}{{ sheet.assigned_to.get_full_name|default:sheet.assigned_to.username }}{% endif %}</td>
        </tr>
      {% endfor %}"""

LOG_TEMPLATE = """{% for e in events %}<li>{{ e.at|date:"d/m/Y H:i" }} · {{ e.user.username|default:"—" }} · {{ e.label }}: {{ e.old|default:"—" }} → {{ e.new|default:"—" }}{% if e.note %} ({{ e.note }}){% endif %}</li>{% endfor %}"""


class Person(NS):
    def get_full_name(self):
        return self.full_name


def _sheet(code, title, *, mandatory=False, level=0, next_level=None, person=None):
    return NS(
        criterion=NS(code=code, title=title, mandatory=mandatory),
        n_decided=3,
        n_results=12,
        live=NS(level=level, next_level=next_level, explanation=f"thiếu <{code}> & 'x'"),
        assigned_to=person,
    )


def test_the_criteria_rows_are_the_markup_the_template_made():
    assessment = NS(pk=7)
    sheets = [
        _sheet(
            "1.1",
            'Phương hướng <chiến lược> & "kế hoạch"',
            mandatory=True,
            level=2,
            next_level=3,
            person=Person(full_name="Lò Thị Ánh", username="ht"),
        ),
        _sheet(
            "1.2", "Hội đồng", level=0, next_level=1, person=Person(full_name="", username="gv<1>")
        ),
        _sheet("2.1", "Tổ chuyên môn", level=3, next_level=None),
    ]
    expected = Template(ROWS_TEMPLATE).render(Context({"assessment": assessment, "sheets": sheets}))
    assert overview_table.criteria_rows(assessment, sheets) == expected


def test_the_change_log_is_the_markup_the_template_made():
    at = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    events = [
        NS(at=at, user=NS(username="ht<b>"), label="Mức", old="", new="Mức 2", note="lý do & <x>"),
        NS(at=at, user=None, label="Trạng thái", old="Nháp", new=None, note=""),
    ]
    expected = Template(LOG_TEMPLATE).render(Context({"events": events}))
    assert overview_table.change_log(events) == expected
