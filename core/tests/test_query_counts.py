"""The pages the load benchmark drives (bench/bench_load.py) keep a fixed number of queries:
more schools, sheets or decisions must not add queries, and a change that adds one shows here
first (issue 13 §8). Each count is what the page needs today; raise one only with a reason."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.tests.conftest import assessment, loaded  # noqa: F401

# (role fixture, page, most queries: session + user + scope included)
PAGES = [
    # 39 since the home page says what needs the principal today (issue 14 §2): the open
    # cycle's criteria not judged, its timeline, evidence to renew and the pre-print checks,
    # which read the document data (as the assessment page's submit dialog does); 40 with
    # the school's overdue improvement actions (issue 16).
    ("principal", "/", 40),
    ("principal", "/schools/", 7),
    ("principal", "/dashboard/", 7),
    # 14: the submit dialog's pre-print checks (issue 17 §8), which read the document data,
    # are loaded when the dialog opens (/nop/kiem-tra/); the change history when the reader
    # scrolls to it (/lich-su/); 13 with only the written standards' ids read, not the texts.
    ("principal", "/assessments/{a}/", 13),
    ("principal", "/assessments/{a}/tieu-chi/1.1/", 10),
    ("principal", "/api/schools/", 5),
    ("principal", "/api/me/", 3),
    # 15 since the officer's home lists the to-do (issue 14 §2): reports waiting, expiring
    # recognitions, missing monthly reports (two per plan, not per school), the chart's counts;
    # 16 with the registrations for external evaluation to check and the overdue improvement
    # actions (one count each).
    ("commune_officer", "/", 16),
    ("commune_officer", "/schools/", 6),
    # 13: the kept counts' state and the data's marks read in one statement (tally.is_fresh).
    ("commune_officer", "/dashboard/", 13),
    ("commune_officer", "/api/schools/", 5),
    ("province_officer", "/schools/", 6),
    ("province_officer", "/dashboard/", 12),
]


@pytest.mark.parametrize("role,page,most", PAGES, ids=[f"{r}:{p}" for r, p, _ in PAGES])
def test_the_page_keeps_its_number_of_queries(
    request,
    client,
    settings,
    assessment,  # noqa: F811
    role,
    page,
    most,
):
    # The page as it is rendered: a kept page (core.page_cache) would read almost nothing.
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(request.getfixturevalue(role))
    url = page.format(a=assessment.pk)
    client.get(url)  # first visit: caches warmed, as on a running server
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= most, "\n".join(q["sql"][:160] for q in queries.captured_queries)
