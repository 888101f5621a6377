"""Issue 14 §1's quality bar in a real browser: a Sở administrator creates a commune account
(an administrator of the commune), which creates a school's principal; the principal logs in,
is made to choose a password, and lands on the home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _create(page, live_server, *, full_name, username, role, unit="", school="", admin=False):
    page.goto(f"{live_server.url}/accounts/people/new/")
    page.fill("#id_full_name", full_name)
    page.fill("#id_username", username)
    page.select_option("#id_role", role)
    if unit:
        page.select_option("#id_unit", unit)
    if school:
        page.fill("#id_school", school)
    if admin:
        page.check("#id_is_admin")
    page.click("main form button[type=submit]")
    expect(page.locator("#created-account")).to_be_visible()
    return page.locator("[data-testid=new-password]").inner_text().strip()


def _logout(page):
    page.locator("[data-testid=navbar-person]").click()
    page.get_by_role("button", name="Đăng xuất").click()


def _first_login(page, live_server, username, password, new_password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/password/")
    expect(page.locator("#first-login")).to_be_visible()
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_so_admin_creates_a_commune_account_which_creates_a_principal(
    page, live_server, login, screenshot, make_user, province, commune, school
):
    so = make_user(username="so_admin", first_name="Nguyễn Văn Sở")
    Membership.objects.create(user=so, role=Role.PROVINCE_OFFICER, unit=province, is_admin=True)

    login("so_admin")
    expect(page.locator("[data-testid=navbar-person]")).to_have_text("Nguyễn Văn Sở")
    xa_password = _create(
        page,
        live_server,
        full_name="Lò Văn Xã",
        username="xa.phongtho",
        role=Role.COMMUNE_OFFICER,
        unit=commune.uid,
        admin=True,
    )
    screenshot("accounts-created")
    _logout(page)

    _first_login(page, live_server, "xa.phongtho", xa_password, "Bau-Troi-Xanh-2026")
    expect(page.locator("[data-testid=navbar-person]")).to_have_text("Lò Văn Xã")
    # A commune cannot give a Sở role: the form says why.
    page.goto(f"{live_server.url}/accounts/people/new/")
    expect(page.locator("#id_role option[value=province_officer]")).to_have_count(0)
    ht_password = _create(
        page,
        live_server,
        full_name="Vàng Thị Hiệu",
        username="ht.huoiluong2",
        role=Role.PRINCIPAL,
        school=school.code,
    )
    _logout(page)

    _first_login(page, live_server, "ht.huoiluong2", ht_password, "Suoi-Nuoc-Trong-2026")
    expect(page.locator("[data-testid=navbar-person]")).to_have_text("Vàng Thị Hiệu")
    expect(page.locator("main")).to_contain_text("Vàng Thị Hiệu")  # the home greets the person
    screenshot("accounts-principal-home")
