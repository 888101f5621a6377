import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_logs_in_and_shows_scope(client, commune_officer):
    response = client.post(
        reverse("accounts:login"), {"username": "xa_phongtho", "password": "Mat-khau-2025!"}
    )
    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert "Xã Phong Thổ" in page.content.decode()


def test_wrong_password_gives_vietnamese_message_and_keeps_username(client, commune_officer):
    response = client.post(
        reverse("accounts:login"), {"username": "xa_phongtho", "password": "sai"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in body
    assert 'value="xa_phongtho"' in body


def test_logout_is_a_post(client, commune_officer):
    client.force_login(commune_officer)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, commune_officer):
    client.force_login(commune_officer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Mat-khau-2025!",
            "new_password1": "Truong-Chuan-Moi-9",
            "new_password2": "Truong-Chuan-Moi-9",
        },
    )
    assert response.status_code == 302
    commune_officer.refresh_from_db()
    assert commune_officer.check_password("Truong-Chuan-Moi-9")


def test_language_can_switch_to_english(client, commune_officer):
    client.force_login(commune_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("home"))["Content-Language"] == "en"
