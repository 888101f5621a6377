"""Errors a person can read (issue 14 §4): 403, 404, 500 and a refused form (CSRF) answer in
Vietnamese, in the app's layout, saying what happened and where to go. Rendered as production
does (DEBUG off); the 500 page renders with no request and no database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import get_template
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_page_outside_the_scope_is_a_vietnamese_404_in_the_layout(client, outsider, school):
    client.force_login(outsider)
    response = client.get(reverse("schools:detail", args=[school.code]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body and "Về trang tổng quan" in body
    assert 'id="mainnav"' in body  # the app's navbar
    assert school.code not in body  # the address asked for is not echoed


@override_settings(DEBUG=False)
def test_a_refused_action_is_a_vietnamese_403_in_the_layout(client, make_user, province):
    viewer = make_user("viewer", unit=province)
    client.force_login(viewer)
    response = client.get(reverse("accounts:lockouts"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền làm việc này" in body and "quản lý tài khoản" in body
    assert "Forbidden" not in body


@override_settings(DEBUG=False)
def test_an_expired_form_is_a_vietnamese_page_not_a_bare_csrf_error(commune_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(commune_officer)
    response = client.post(reverse("accounts:password_change"), {"old_password": "x"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "phiên làm việc đã hết hạn" in body and "Không có dữ liệu nào được ghi" in body
    assert "Forbidden" not in body and "CSRF verification failed" not in body


def test_the_500_page_renders_without_a_request_or_the_database():
    with CaptureQueriesContext(connection) as queries:
        html = get_template("500.html").render()
    assert queries.captured_queries == []
    assert "Máy chủ gặp sự cố" in html and 'lang="vi"' in html


@override_settings(DEBUG=False)
def test_django_s_server_error_handler_answers_the_500_page(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Máy chủ gặp sự cố" in response.content.decode()
