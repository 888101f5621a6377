"""The team's texts per criterion (strengths, weaknesses, recommendations): written by the leader
or the secretary until the report is final, read by the rest of the team and the officers,
versioned, audited, printed in the external evaluation report."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from documents.common import DocumentRequest, SystemUser
from documents.registry import build_docx
from evaluation import services
from evaluation.models import CriterionReview
from evaluation.tests.test_services import consolidate_all, finalise
from frameworks.models import Criterion

pytestmark = pytest.mark.django_db

TEXTS = {
    "strengths": "Kế hoạch chiến lược sát với địa phương.",
    "weaknesses": "Chưa rà soát kế hoạch hằng năm.",
    "recommendations": "Rà soát kế hoạch mỗi học kỳ.",
}


def _criterion(evaluation, code="1.1"):
    return Criterion.objects.get(framework=evaluation.framework, code=code)


def _rows():
    return list(
        CriterionReview.objects.order_by("pk").values_list(
            "pk", "strengths", "weaknesses", "recommendations", "version"
        )
    )


def _report_text(evaluation) -> str:
    blob = build_docx(
        DocumentRequest(user=SystemUser(), kind="ee-report", evaluation=str(evaluation.pk))
    )
    return "\n".join(p.text for p in Document(io.BytesIO(blob)).paragraphs)


# ---------------------------------------------------------------------------------------------
# The service


def test_the_leader_and_the_secretary_write_the_texts(started, team_users):
    crit = _criterion(started)
    row = services.criterion_review_write(
        user=team_users[0], evaluation=started, criterion=crit, version=0, **TEXTS
    )
    assert (row.strengths, row.weaknesses, row.recommendations) == tuple(TEXTS.values())
    again = services.criterion_review_write(
        user=team_users[1],
        evaluation=started,
        criterion=crit,
        strengths="  Sửa bởi thư ký  ",
        version=row.version,
    )
    assert again.pk == row.pk and again.strengths == "Sửa bởi thư ký" and again.weaknesses == ""
    assert row.history.count() == 2  # audited


def test_a_member_may_not_write_the_texts(started, team_users, province_officer):
    for user in (team_users[2], province_officer):
        with pytest.raises(services.NotAllowed):
            services.criterion_review_write(
                user=user, evaluation=started, criterion=_criterion(started), version=0, **TEXTS
            )
    assert _rows() == []


def test_a_stale_save_is_refused_and_nothing_is_written(started, team_users):
    crit = _criterion(started)
    first = services.criterion_review_write(
        user=team_users[0], evaluation=started, criterion=crit, version=0, **TEXTS
    )
    before = _rows()
    # A page opened before the first save saw no texts (version 0) …
    with pytest.raises(services.EditConflict):
        services.criterion_review_write(
            user=team_users[1], evaluation=started, criterion=crit, strengths="x", version=0
        )
    # … or an older version.
    with pytest.raises(services.EditConflict):
        services.criterion_review_write(
            user=team_users[1],
            evaluation=started,
            criterion=crit,
            strengths="x",
            version=first.version - 1,
        )
    assert _rows() == before


def test_the_texts_are_refused_after_the_final_report(started, team_users):
    crit = _criterion(started)
    services.criterion_review_write(
        user=team_users[0], evaluation=started, criterion=crit, version=0, **TEXTS
    )
    consolidate_all(started, team_users[0])
    final = finalise(started, team_users[0])
    before = _rows()
    with pytest.raises(services.EvaluationError, match="bản chính thức"):
        services.criterion_review_write(
            user=team_users[0], evaluation=final, criterion=crit, strengths="Muộn", version=None
        )
    assert _rows() == before
    # The final report vouches for the texts it was finalised with.
    assert final.final_snapshot["criterion_reviews"]["1.1"] == TEXTS


def test_a_criterion_of_another_framework_is_refused(started, team_users):
    foreign = Criterion.objects.exclude(framework=started.framework).first()
    assert foreign is not None
    with pytest.raises(services.EvaluationError, match="không thuộc bộ tiêu chuẩn"):
        services.criterion_review_write(
            user=team_users[0], evaluation=started, criterion=foreign, version=0, **TEXTS
        )
    assert _rows() == []


def test_the_report_prints_the_texts_and_nothing_where_none_are_written(started, team_users):
    services.criterion_review_write(
        user=team_users[0], evaluation=started, criterion=_criterion(started), version=0, **TEXTS
    )
    text = _report_text(started)
    for label, value in zip(
        ("Điểm mạnh:", "Điểm yếu:", "Khuyến nghị:"), TEXTS.values(), strict=True
    ):
        assert f"{label} {value}" in text
    # Only criterion 1.1 has texts: the labels are printed once each.
    assert text.count("Điểm mạnh:") == 1 and text.count("Khuyến nghị:") == 1


# ---------------------------------------------------------------------------------------------
# The page


def _url(evaluation, code="1.1"):
    return reverse("evaluation:review", args=[evaluation.pk, code])


def test_the_leader_writes_the_texts_on_the_page_and_the_write_is_audited(
    client, started, team_users
):
    leader = team_users[0]
    client.force_login(leader)
    page = client.get(_url(started))
    assert page.status_code == 200 and 'id="review-form"' in page.content.decode()
    response = client.post(_url(started), {**TEXTS, "version": "0"})
    assert response.status_code == 302
    row = CriterionReview.objects.get()
    assert row.recommendations == TEXTS["recommendations"]
    assert row.history.first().history_user == leader
    body = client.get(_url(started)).content.decode()
    assert TEXTS["weaknesses"] in body and "Lịch sử thay đổi" in body


def test_a_member_reads_the_texts_and_may_not_post(client, started, team_users):
    services.criterion_review_write(
        user=team_users[0], evaluation=started, criterion=_criterion(started), version=0, **TEXTS
    )
    client.force_login(team_users[2])
    page = client.get(_url(started))
    body = page.content.decode()
    assert page.status_code == 200 and TEXTS["strengths"] in body
    assert 'id="review-form"' not in body
    before = _rows()
    assert client.post(_url(started), {**TEXTS, "version": "1"}).status_code == 403
    assert _rows() == before


def test_the_page_is_refused_after_the_final_report_keeping_what_was_typed(
    client, started, team_users
):
    consolidate_all(started, team_users[0])
    final = finalise(started, team_users[0])
    client.force_login(team_users[0])
    page = client.get(_url(final)).content.decode()
    assert 'id="review-form"' not in page and "bản chính thức" in page
    response = client.post(_url(final), {"strengths": "Viết muộn", "version": "0"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "bản chính thức" in body and "Viết muộn" in body
    assert _rows() == []


def test_a_stale_page_gets_409_with_both_texts(client, started, team_users):
    services.criterion_review_write(
        user=team_users[1], evaluation=started, criterion=_criterion(started), version=0, **TEXTS
    )
    client.force_login(team_users[0])
    response = client.post(_url(started), {"strengths": "Bản của trưởng đoàn", "version": "0"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Bản của trưởng đoàn" in body and TEXTS["strengths"] in body
    assert CriterionReview.objects.get().strengths == TEXTS["strengths"]


def test_an_unknown_criterion_is_404(client, started, team_users):
    client.force_login(team_users[0])
    assert client.get(_url(started, "9.9")).status_code == 404


def test_the_evaluation_and_divergence_pages_link_to_the_texts(client, started, team_users):
    client.force_login(team_users[0])
    for name in ("evaluation:detail", "evaluation:divergence"):
        body = client.get(reverse(name, args=[started.pk])).content.decode()
        assert _url(started) in body, name
