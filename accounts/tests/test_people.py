"""Accounts managed by units (issue 14 §1): who may give which seat (the permission table's
`account.manage`), the services and pages, the Excel import, the first-login password change
and "Quên mật khẩu" by mail."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import services
from accounts.importing import COLUMNS
from accounts.models import Membership, Profile, Role
from accounts.permissions import has_perm
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


def _seat(role, *, unit=None, school=None, is_admin=False, user=None):
    return Membership(user=user, role=role, unit=unit, school=school, is_admin=is_admin)


@pytest.fixture
def so_admin(make_user, province):
    user = make_user(username="so_admin")
    Membership.objects.create(user=user, role=Role.PROVINCE_OFFICER, unit=province, is_admin=True)
    return user


@pytest.fixture
def xa_admin(make_user, commune):
    user = make_user(username="xa_admin")
    Membership.objects.create(user=user, role=Role.COMMUNE_OFFICER, unit=commune, is_admin=True)
    return user


@pytest.fixture
def outside_admin(make_user, other_province):
    user = make_user(username="so_haiphong")
    Membership.objects.create(
        user=user, role=Role.PROVINCE_OFFICER, unit=other_province, is_admin=True
    )
    return user


# --- the table: scope and no escalation ----------------------------------------------------


def test_a_so_administrator_gives_any_role_in_its_province(so_admin, province, commune, school):
    assert has_perm(so_admin, "account.manage", _seat(Role.PROVINCE_OFFICER, unit=province))
    assert has_perm(
        so_admin, "account.manage", _seat(Role.COMMUNE_OFFICER, unit=commune, is_admin=True)
    )
    assert has_perm(so_admin, "account.manage", _seat(Role.PRINCIPAL, school=school))


def test_nobody_gives_a_seat_outside_their_scope(
    so_admin, xa_admin, principal, other_commune, outside_school, sibling_school
):
    assert not has_perm(so_admin, "account.manage", _seat(Role.PRINCIPAL, school=outside_school))
    assert not has_perm(so_admin, "account.manage", _seat(Role.COMMUNE_OFFICER, unit=other_commune))
    assert not has_perm(xa_admin, "account.manage", _seat(Role.PRINCIPAL, school=sibling_school))
    assert not has_perm(principal, "account.manage", _seat(Role.STAFF, school=sibling_school))


def test_nobody_gives_a_role_above_their_own(xa_admin, principal, province, commune, school):
    assert not has_perm(xa_admin, "account.manage", _seat(Role.PROVINCE_OFFICER, unit=province))
    assert has_perm(xa_admin, "account.manage", _seat(Role.PRINCIPAL, school=school))
    # A principal gives the school's staff only: not another principal, not an officer.
    assert has_perm(principal, "account.manage", _seat(Role.STAFF, school=school))
    assert not has_perm(principal, "account.manage", _seat(Role.PRINCIPAL, school=school))
    assert not has_perm(principal, "account.manage", _seat(Role.COMMUNE_OFFICER, unit=commune))


def test_an_officer_without_the_administrator_flag_manages_no_account(commune_officer, school):
    assert not has_perm(commune_officer, "account.manage")
    assert not has_perm(commune_officer, "account.manage", _seat(Role.STAFF, school=school))


def test_only_an_administrator_makes_administrators(principal, xa_admin, commune, school):
    assert has_perm(
        xa_admin, "account.manage", _seat(Role.COMMUNE_OFFICER, unit=commune, is_admin=True)
    )
    assert not has_perm(
        principal, "account.manage", _seat(Role.STAFF, school=school, is_admin=True)
    )


def test_a_person_is_managed_only_when_every_seat_of_theirs_is(
    xa_admin, make_user, school, sibling_school
):
    teacher = make_user(Role.STAFF, school=school)
    assert has_perm(xa_admin, "account.manage", teacher)
    Membership.objects.create(user=teacher, role=Role.STAFF, school=sibling_school)
    assert not has_perm(xa_admin, "account.manage", teacher)
    assert not has_perm(xa_admin, "account.manage", xa_admin)  # never oneself


def test_the_support_account_is_nobody_s_to_manage(so_admin, superuser, province):
    Membership.objects.create(user=superuser, role=Role.VIEWER, unit=province)
    assert not has_perm(so_admin, "account.manage", superuser)


# --- services --------------------------------------------------------------------------------


def test_creating_an_account_without_email_hands_over_a_password_once(xa_admin, school):
    made = services.account_create(
        user=xa_admin,
        username="ht.moi",
        full_name="Lò  Văn Mới",
        phone="0912 345 678",
        position="Hiệu trưởng",
        role=Role.PRINCIPAL,
        school=school,
        base_url="http://testserver/",
    )
    assert not made.mailed and len(made.password) == services.PASSWORD_LENGTH
    person = User.objects.get(username="ht.moi")
    assert person.check_password(made.password)
    assert person.get_full_name() == "Lò  Văn Mới".replace("  ", "  ")  # kept as typed, NFC
    assert person.profile.must_change_password
    assert person.memberships.get().role == Role.PRINCIPAL
    assert person.history.count() == 1 and Membership.history.filter(user_id=person.pk).count() == 1
    assert mail.outbox == []


def _create_mai(xa_admin, school):
    return services.account_create(
        user=xa_admin,
        username="gv.mai",
        full_name="Lò Thị Mai",
        email="mai@example.org",
        role=Role.STAFF,
        school=school,
        base_url="http://testserver/",
    )


def test_creating_an_account_with_email_mails_a_set_up_link(
    xa_admin, school, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = _create_mai(xa_admin, school)
    assert made.mailed and made.password == ""
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mai@example.org"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert "gv.mai" in mail.outbox[0].body
    html = dict((m, c) for c, m in mail.outbox[0].alternatives)["text/html"]
    assert "Kính gửi Lò Thị Mai" in html and "/accounts/password/reset/" in html


def test_the_set_up_mail_goes_by_the_worker_never_inside_the_request(
    xa_admin, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _create_mai(xa_admin, school)
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path="accounts.mails.send_setup_link").count() == 1


def test_an_escalation_is_refused_with_the_reason(principal, school):
    with pytest.raises(services.AccountRefused) as refused:
        services.account_create(
            user=principal, username="ht2", full_name="Hai", role=Role.PRINCIPAL, school=school
        )
    assert "cao hơn vai trò của bạn" in refused.value.reason
    assert not User.objects.filter(username="ht2").exists()


def test_a_seat_outside_the_scope_is_refused_with_the_reason(xa_admin, sibling_school):
    with pytest.raises(services.AccountRefused) as refused:
        services.account_create(
            user=xa_admin, username="gv2", full_name="Hai", role=Role.STAFF, school=sibling_school
        )
    assert "ngoài phạm vi" in refused.value.reason


def test_a_role_in_the_wrong_place_and_a_taken_login_are_refused(
    so_admin, province, commune_officer, school
):
    with pytest.raises(ValidationError):
        services.account_create(
            user=so_admin, username="x1", full_name="X", role=Role.PRINCIPAL, unit=province
        )
    with pytest.raises(ValidationError, match="đã có người dùng"):
        services.account_create(
            user=so_admin, username="XA_PHONGTHO", full_name="X", role=Role.STAFF, school=school
        )


def test_deactivation_is_audited_and_stops_the_login(client, xa_admin, principal):
    services.account_set_active(user=xa_admin, person=principal, active=False, reason="Nghỉ hưu")
    principal.refresh_from_db()
    assert not principal.is_active
    assert principal.history.first().history_change_reason == "Nghỉ hưu"
    response = client.post(
        reverse("accounts:login"), {"username": principal.username, "password": "Mat-khau-2025!"}
    )
    assert response.status_code == 200  # refused: the login page again
    services.account_set_active(user=xa_admin, person=principal, active=True)
    principal.refresh_from_db()
    assert principal.is_active


def test_deactivating_someone_out_of_reach_is_refused(principal, xa_admin):
    with pytest.raises(PermissionDenied):
        services.account_set_active(user=principal, person=xa_admin, active=False)


def test_the_last_seat_is_not_taken_but_others_are(xa_admin, principal, school):
    only = principal.memberships.get()
    with pytest.raises(ValidationError):
        services.membership_remove(user=xa_admin, membership=only)
    extra = services.membership_add(user=xa_admin, person=principal, role=Role.STAFF, school=school)
    services.membership_remove(user=xa_admin, membership=extra)
    assert list(principal.memberships.all()) == [only]


# --- pages -----------------------------------------------------------------------------------


def test_the_list_shows_my_scope_and_finds_names_without_accents(
    client, xa_admin, make_user, school, outside_school
):
    mine = make_user(Role.STAFF, school=school, username="gv.nguyen", first_name="Nguyễn Thị Huệ")
    services.profile_of(mine)
    make_user(Role.STAFF, school=outside_school, username="gv.xa", first_name="Nguyễn Văn Xa")
    client.force_login(xa_admin)
    body = client.get(reverse("accounts:people"), {"q": "nguyen thi hue"}).content.decode()
    assert "Nguyễn Thị Huệ" in body and "Nguyễn Văn Xa" not in body
    body = client.get(reverse("accounts:people"), {"q": "nguyen"}).content.decode()
    assert "Nguyễn Văn Xa" not in body  # another province's teacher


def test_the_create_page_creates_and_shows_the_password_once(client, xa_admin, school):
    client.force_login(xa_admin)
    response = client.post(
        reverse("accounts:person_create"),
        {
            "full_name": "Tòng Văn Hùng",
            "username": "ht.hung",
            "role": Role.PRINCIPAL,
            "school": school.code,
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    password = re.search(r'data-testid="new-password">([^<]+)<', response.content.decode())[1]
    assert User.objects.get(username="ht.hung").check_password(password)


def test_the_create_page_says_why_an_escalation_is_refused(client, principal, school):
    client.force_login(principal)
    response = client.post(
        reverse("accounts:person_create"),
        {
            "full_name": "Người Lạ",
            "username": "nl",
            "role": Role.STAFF,
            "school": school.code,
            "is_admin": "on",
        },
    )
    assert response.status_code == 400  # the flag is for officers: a placement error
    response = client.post(
        reverse("accounts:person_create"),
        {"full_name": "Người Lạ", "username": "nl", "role": Role.PRINCIPAL, "school": school.code},
    )
    assert response.status_code in (400, 403)
    assert not User.objects.filter(username="nl").exists()


def test_a_person_s_page_edits_and_locks_them(client, xa_admin, principal):
    client.force_login(xa_admin)
    url = reverse("accounts:person", args=[principal.pk])
    page = client.get(url)
    assert page.status_code == 200
    version = Profile.objects.get(user=principal).version
    response = client.post(
        url,
        {
            "full_name": "Vàng A Dính",
            "email": "",
            "phone": "0203",
            "position": "Hiệu trưởng",
            "version": version,
        },
    )
    assert response.status_code == 302
    principal.refresh_from_db()
    assert principal.get_full_name() == "Vàng A Dính"
    client.post(
        reverse("accounts:person_active", args=[principal.pk]),
        {"active": "0", "reason": "Chuyển công tác"},
    )
    principal.refresh_from_db()
    assert not principal.is_active
    assert "Chuyển công tác" in client.get(url).content.decode()  # the history shows the reason


def test_another_province_s_person_does_not_exist_for_an_administrator(
    client, outside_admin, principal
):
    client.force_login(outside_admin)
    assert client.get(reverse("accounts:person", args=[principal.pk])).status_code == 404
    response = client.post(
        reverse("accounts:person_seat_add", args=[principal.pk]),
        {"role": Role.STAFF, "school": principal.memberships.get().school.code},
    )
    assert response.status_code == 404
    assert principal.memberships.count() == 1


def test_a_seat_in_another_province_is_refused_on_the_form(client, outside_admin, school):
    client.force_login(outside_admin)
    response = client.post(
        reverse("accounts:person_create"),
        {"full_name": "Kẻ Lạ", "username": "kela", "role": Role.PRINCIPAL, "school": school.code},
    )
    assert response.status_code == 400
    assert "trong phạm vi của bạn" in response.content.decode()
    assert not User.objects.filter(username="kela").exists()


def test_the_navbar_shows_the_person_s_name(client, xa_admin):
    xa_admin.first_name = "Hoàng Thị Lan"
    xa_admin.save()
    client.force_login(xa_admin)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="navbar-person">Hoàng Thị Lan<' in body


# --- first login, reset by mail --------------------------------------------------------------


def test_the_first_login_forces_a_password_change_then_goes_home(client, xa_admin, school):
    made = services.account_create(
        user=xa_admin, username="gv.moi", full_name="Giáo Viên Mới", role=Role.STAFF, school=school
    )
    assert (
        client.post(
            reverse("accounts:login"), {"username": "gv.moi", "password": made.password}
        ).status_code
        == 302
    )
    response = client.get(reverse("schools:list"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_change"
    )
    assert (
        "lần đăng nhập đầu tiên" in client.get(reverse("accounts:password_change")).content.decode()
    )
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": made.password,
            "new_password1": "Rieng-Cua-Toi-42",
            "new_password2": "Rieng-Cua-Toi-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("schools:list")).status_code == 200
    assert not Profile.objects.get(user__username="gv.moi").must_change_password
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PASSWORD_CHANGE, username="gv.moi"
    ).exists()


def test_the_forgotten_password_mail_goes_by_the_worker(client, principal):
    principal.email = "ht@huoiluong.example"
    principal.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "HT@huoiluong.example"})
    assert response.status_code == 302 and mail.outbox == []
    assert DBTaskResult.objects.filter(task_path="accounts.mails.send_prepared_mail").count() == 1


def test_forgotten_password_is_reset_by_mail(client, principal, immediate_tasks):
    principal.email = "ht@huoiluong.example"
    principal.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "HT@huoiluong.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Đặt lại mật khẩu" in message.subject and "ht_huoiluong" in message.body
    html = dict((m, c) for c, m in message.alternatives)["text/html"]
    assert "Kính gửi" in html and "/accounts/password/reset/" in html
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", message.body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Mat-Khau-Moi-77", "new_password2": "Mat-Khau-Moi-77"},
    )
    assert done.status_code == 302
    principal.refresh_from_db()
    assert principal.check_password("Mat-Khau-Moi-77")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET).exists()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "ai@dau.example"})
    assert response.status_code == 302 and mail.outbox == []


def test_the_login_page_offers_the_reset(client):
    assert (
        reverse("accounts:password_reset") in client.get(reverse("accounts:login")).content.decode()
    )


# --- import ----------------------------------------------------------------------------------


def _xlsx(rows: list[dict]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tài khoản"
    ws.append([c.label for c in COLUMNS])
    for row in rows:
        ws.append([row.get(c.key, "") for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "tai-khoan.xlsx"
    return buf


def _import(client, rows):
    preview = client.post(reverse("accounts:people_import"), {"file": _xlsx(rows)})
    if preview.status_code != 200:
        return preview
    return client.post(
        reverse("accounts:people_import_confirm"),
        {"token": preview.context["token"], "action": "confirm"},
    )


ROWS = [
    {
        "full_name": "Lò Thị Mai",
        "username": "gv.mai",
        "email": "mai@example.org",
        "place": "LC-TH-HUOILUONG",
        "role": "Cán bộ, giáo viên nhà trường",
    },
    {
        "full_name": "Lò Văn Sơn",
        "username": "gv.son",
        "place": "LC-TH-HUOILUONG",
        "role": "staff",
        "position": "Tổ trưởng",
    },
]


def test_an_import_creates_everyone_mails_links_and_hands_passwords_once(
    client,
    principal,
    school,
    settings,
    tmp_path,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(client, ROWS)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert User.objects.filter(username__in=["gv.mai", "gv.son"]).count() == 2
    assert [m.to for m in mail.outbox] == [["mai@example.org"]]
    data_url = re.search(r'href="data:[^;]+;base64,([^"]+)"', response.content.decode())[1]
    import base64

    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data_url))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "gv.son" and User.objects.get(username="gv.son").check_password(rows[1][2])
    assert len(rows) == 2  # the mailed person is not in the file


def test_an_import_with_one_bad_row_creates_nobody(
    client, principal, school, sibling_school, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(principal)
    rows = [
        *ROWS,
        {
            "full_name": "Hiệu Trưởng Khác",
            "username": "ht.khac",
            "place": school.code,
            "role": "principal",
        },
    ]
    response = _import(client, rows)
    assert response.status_code == 400
    assert "cao hơn vai trò của bạn" in response.content.decode()
    assert not User.objects.filter(username__in=["gv.mai", "gv.son", "ht.khac"]).exists()


def test_an_import_refuses_a_taken_login_and_a_duplicate(
    client, principal, school, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(principal)
    rows = [*ROWS, {**ROWS[1], "full_name": "Trùng"}, {**ROWS[0], "username": "HT_HUOILUONG"}]
    body = _import(client, rows).content.decode()
    assert "trùng với dòng" in body and "đã có người dùng" in body


def test_a_fragment_asked_while_the_password_must_change_gets_no_content(client, principal):
    """The bell loads by htmx on the change page itself: it must not receive that page."""
    from accounts.models import Profile

    Profile.objects.update_or_create(user=principal, defaults={"must_change_password": True})
    client.force_login(principal)
    assert client.get("/notifications/bell/", HTTP_HX_REQUEST="true").status_code == 204
    assert client.get("/").status_code == 302
