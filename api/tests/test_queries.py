"""The school list's cost does not grow with the page: a fixed number of queries per page
(the rows, their decisions, their assessments, the count, the caller), whatever its size."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import School


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_page_of_schools_costs_the_same_queries_whatever_its_size(
    token_client, province_officer, commune, school
):
    client = token_client(province_officer)
    url = reverse("api:v1_schools") + "?page_size=100"
    _queries(client, url)  # the token's last use is touched once a minute: not counted
    few = _queries(client, url)
    School.objects.bulk_create(
        [
            School(code=f"LC-TH-{n:03d}", name=f"Trường TH số {n}", kind="TH", unit=commune)
            for n in range(40)
        ]
    )
    many = _queries(client, url)
    assert many == few
