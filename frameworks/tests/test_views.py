"""Bộ tiêu chuẩn pages: login required (frameworks are public legal data, any logged-in user may
read them, even one with no membership), search, detail, comparison."""

from __future__ import annotations

import pytest
from django.urls import reverse

PAGES = [
    reverse("frameworks:list"),
    reverse("frameworks:detail", args=["TT17-2018"]),
    reverse("frameworks:compare") + "?a=TT17-2018&b=TT57-2026-PT",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_any_logged_in_user_may_read_them(client, loaded, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 200


def test_list_shows_every_framework_and_flags_uncertainty(client, loaded, commune_officer):
    client.force_login(commune_officer)
    html = client.get(reverse("frameworks:list")).content.decode()
    for code in [
        "TT17-2018",
        "TT18-2018",
        "TT19-2018",
        "TT57-2026-PT",
        "TT57-2026-MN",
        "TT57-2026-GDTX",
    ]:
        assert code in html
    assert "Chưa chắc chắn" in html
    assert "chưa có văn bản sửa đổi" in html


def test_list_search_finds_indicators_without_accents(client, loaded, principal):
    client.force_login(principal)
    html = client.get(reverse("frameworks:list"), {"q": "thu vien"}).content.decode()
    assert "Thư viện" in html or "thư viện" in html


def test_detail_shows_tree_legal_basis_provenance_and_missing_text(client, loaded, principal):
    client.force_login(principal)
    html = client.get(reverse("frameworks:detail", args=["TT19-2018"])).content.decode()
    assert "Thông tư 19/2018/TT-BGDĐT" in html
    assert "1.1-M1a" in html and "Tiêu chí 1.1" in html
    assert "chưa có văn bản" in html  # the texts of M4-5 and M4-6 were never found
    assert "Văn bản gốc 2018" in html  # provenance
    assert "TT22-2024" in html


def test_detail_shows_each_level4_text_with_its_confidence_and_sources(client, loaded, principal):
    client.force_login(principal)
    html = client.get(reverse("frameworks:detail", args=["TT17-2018"])).content.decode()
    assert "Thư viện có hệ thống hạ tầng công nghệ thông tin hiện đại" in html  # M4-3
    assert 'data-testid="text-confidence">Độ tin cậy của văn bản: cao<' in html
    assert "thuviennhadat.vn" in html


def test_detail_of_tt18_says_level4_cannot_be_assessed_yet(client, loaded, principal):
    client.force_login(principal)
    html = client.get(reverse("frameworks:detail", args=["TT18-2018"])).content.decode()
    assert "Đảm bảo 100% cho học sinh có hoàn cảnh khó khăn" in html  # M4-2
    assert "chưa thể đánh giá Mức 4" in html


def test_detail_of_tt57_has_an_uncertainty_banner_and_mandatory_badges(client, loaded, principal):
    client.force_login(principal)
    html = client.get(reverse("frameworks:detail", args=["TT57-2026-PT"])).content.decode()
    assert 'class="uncertain' in html
    assert "Bắt buộc" in html
    assert "ít nhất 5/7 các tiêu chí không bắt buộc đạt Mức 1" in html


def test_detail_search_filters_accent_insensitively(client, loaded, principal):
    client.force_login(principal)
    url = reverse("frameworks:detail", args=["TT17-2018"])
    html = client.get(url, {"q": "thu vien"}).content.decode()
    assert "Tiêu chí 3.6" in html
    assert "Tiêu chí 1.1:" not in html


def test_detail_search_answers_htmx_with_the_tree_only(client, loaded, principal):
    client.force_login(principal)
    url = reverse("frameworks:detail", args=["TT17-2018"])
    response = client.get(url, {"q": "thu vien"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="fw-tree")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="fw-tree"')
    assert "<nav" not in html


def test_unknown_framework_is_404(client, loaded, outsider):
    client.force_login(outsider)
    assert client.get(reverse("frameworks:detail", args=["KHONG-CO"])).status_code == 404
    assert (
        client.get(reverse("frameworks:compare"), {"a": "TT17-2018", "b": "KHONG-CO"}).status_code
        == 404
    )


def test_comparison_shows_both_frameworks_side_by_side(client, loaded, principal):
    client.force_login(principal)
    html = client.get(
        reverse("frameworks:compare"), {"a": "TT17-2018", "b": "TT57-2026-PT"}
    ).content.decode()
    assert "TT17-2018" in html and "TT57-2026-PT" in html
    assert "27 tiêu chí" in html and "15 tiêu chí" in html
    assert "Tiêu chuẩn 5" in html  # 2018 has a fifth standard, 2026 shows a dash
