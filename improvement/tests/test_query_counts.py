"""The managing unit's list of actions keeps a fixed number of queries (in the style of
core/tests/test_query_counts.py): more schools or actions must not add any. Raise the count
only with a reason."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement import services
from improvement.models import ImprovementAction
from schools.models import School

# Session, user, scope, the unit; the counts (one aggregate); one page of rows; the unread
# notifications badge.
UNIT_ACTIONS_MOST = 7


def _more_actions(tt17, commune, n: int) -> None:
    """n more schools of the commune, each with one overdue action (in bulk: the service is
    tested in test_services)."""
    schools = School.objects.bulk_create(
        School(code=f"QC-{i:04d}", name=f"Trường Số {i}", kind="TH", unit=commune) for i in range(n)
    )
    ImprovementAction.objects.bulk_create(
        ImprovementAction(
            school=s,
            framework=tt17,
            year=2025,
            indicators=["1.1-M2"],
            title=f"Việc số {i}",
            responsible="Phó hiệu trưởng",
            start=dt.date(2025, 1, 1),
            due=dt.date(2025, 2, 1),
            status="in_progress",
        )
        for i, s in enumerate(schools)
    )


def _count(client, url: str, params: dict) -> tuple[int, str]:
    client.get(url, params)  # first visit: caches warmed, as on a running server
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_unit_list_keeps_its_number_of_queries_whatever_its_length(
    client, principal, commune_officer, commune, school, tt17, action_data
):
    services.action_register(user=principal, school=school, framework=tt17, data=action_data())
    client.force_login(commune_officer)
    url = reverse("improvement:unit_actions", args=[commune.uid])
    few, _page = _count(client, url, {"status": "overdue"})
    _more_actions(tt17, commune, 150)
    many, page = _count(client, url, {"status": "overdue"})
    assert many == few <= UNIT_ACTIONS_MOST
    assert page.count("/improvement/hanh-dong/") == 100  # one page of 100 rows


def test_the_unit_list_pages_keep_the_filter_in_their_links(client, commune_officer, commune, tt17):
    _more_actions(tt17, commune, 150)
    client.force_login(commune_officer)
    url = reverse("improvement:unit_actions", args=[commune.uid])
    first = client.get(url, {"status": "overdue"}).content.decode()
    assert 'href="?status=overdue&amp;page=2"' in first
    assert 'aria-current="page"' in first and "Trang 1/2" in first
    assert "150 hành động, trong đó 150 quá hạn." in first
    second = client.get(url, {"status": "overdue", "page": "2"}).content.decode()
    assert second.count("/improvement/hanh-dong/") == 50
    assert 'href="?status=overdue&amp;page=1"' in second
    for raw in ("0", "99", "x"):
        assert client.get(url, {"page": raw}).status_code == 200
