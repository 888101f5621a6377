"""The external evaluation's long pages keep a fixed number of queries (in the style of
core/tests/test_query_counts.py): more registrations or a larger framework must not add any.
Each count is what the page needs today; raise one only with a reason."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from evaluation.models import Registration
from schools.models import School

# Session, user, scope; the queue's counts per status (one aggregate); one page of rows; the
# evaluations, my teams and my filed registrations lists.
QUEUE_MOST = 9
# Session, user, scope; the evaluation; the four divergence reads (indicators, the two sets
# of results, criteria).
DIVERGENCE_MOST = 9


def _more_registrations(accepted: Assessment, n: int) -> None:
    """n more schools of the same commune with an accepted self-assessment and a submitted
    registration, written in bulk (the filing itself is tested in test_services)."""
    schools = School.objects.bulk_create(
        School(code=f"QC-{i:04d}", name=f"Trường Số {i}", kind="TH", unit=accepted.school.unit)
        for i in range(n)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            school=s,
            school_year=accepted.school_year,
            framework=accepted.framework,
            framework_version=accepted.framework_version,
            started_on=accepted.started_on,
            status="accepted",
            locked=True,
        )
        for s in schools
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            school=a.school,
            assessment=a,
            purpose="new",
            target_level=1,
            status="submitted",
            submitted_at=now - dt.timedelta(minutes=i),
        )
        for i, a in enumerate(assessments)
    )


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)  # first visit: caches warmed, as on a running server
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_queue_keeps_its_number_of_queries_whatever_its_length(
    client, province_officer, registration
):
    client.force_login(province_officer)
    url = reverse("evaluation:index")
    few, _page = _count(client, url)
    _more_registrations(registration.assessment, 150)
    many, page = _count(client, url)
    assert many == few <= QUEUE_MOST
    assert page.count("/danh-gia-ngoai/dang-ky/r/") == 100  # one page of 100 rows


def test_the_queue_pages_keep_the_filter_in_their_links(client, province_officer, registration):
    _more_registrations(registration.assessment, 150)
    client.force_login(province_officer)
    first = client.get(reverse("evaluation:index"), {"status": "submitted"}).content.decode()
    assert 'href="?status=submitted&amp;page=2"' in first
    assert 'aria-current="page"' in first and "Trang 1/2" in first
    assert "Đã gửi (151)" in first  # the count per status, in the filter
    second = client.get(reverse("evaluation:index"), {"status": "submitted", "page": "2"})
    body = second.content.decode()
    assert body.count("/danh-gia-ngoai/dang-ky/r/") == 51
    assert 'href="?status=submitted&amp;page=1"' in body
    # A page that is not one gives the nearest real page, never an error.
    for raw in ("0", "99", "x"):
        assert client.get(reverse("evaluation:index"), {"page": raw}).status_code == 200


def test_the_divergence_keeps_its_number_of_queries(client, province_officer, started):
    client.force_login(province_officer)
    n, page = _count(client, reverse("evaluation:divergence", args=[started.pk]))
    assert n <= DIVERGENCE_MOST
