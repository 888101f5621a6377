import html
import io
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.urls import reverse

from schools.models import School

pytestmark = pytest.mark.django_db


def list_page(client, **params):
    return client.get(reverse("schools:list"), params).content.decode()


def test_search_without_accents_finds_the_school(client, commune_officer, school):
    client.force_login(commune_officer)
    assert "Trường PTDTBT TH Huổi Luông" in list_page(client, q="huoi luong")


def test_search_with_decomposed_accents_finds_the_school(client, commune_officer, school):
    client.force_login(commune_officer)
    assert school.name in list_page(client, q=unicodedata.normalize("NFD", "Huổi"))


def test_search_by_code(client, commune_officer, school):
    client.force_login(commune_officer)
    assert school.name in list_page(client, q="lc-th-huoi")


def test_search_that_matches_nothing_says_so(client, commune_officer, school):
    client.force_login(commune_officer)
    assert "Không có trường nào khớp" in list_page(client, q="khong co truong nay")


def test_filters_by_province_commune_kind_and_status(
    client, province_officer, school, sibling_school, sibling_commune
):
    client.force_login(province_officer)
    assert sibling_school.name in list_page(client, province="P12")
    page = list_page(client, province="P12", commune=sibling_commune.uid)
    assert sibling_school.name in page and school.name not in page
    page = list_page(client, kind="THCS")
    assert sibling_school.name in page and school.name not in page
    School.objects.filter(pk=school.pk).update(standard_level=2)
    page = list_page(client, status="2")
    assert school.name in page and sibling_school.name not in page


def test_unknown_commune_filter_returns_nothing(client, province_officer, school):
    client.force_login(province_officer)
    assert school.name not in list_page(client, province="P12", commune="W99999")


def test_list_is_sorted_in_vietnamese_order(client, province_officer, commune):
    for name in ["Trường Đoàn Kết", "Trường Dào San", "Trường An Bình"]:
        School.objects.create(code=name[-3:], name=name, kind="TH", unit=commune)
    client.force_login(province_officer)
    page = list_page(client)
    assert page.index("An Bình") < page.index("Dào San") < page.index("Đoàn Kết")


def test_htmx_request_gets_only_the_results(client, commune_officer, school):
    client.force_login(commune_officer)
    response = client.get(reverse("schools:list"), {"q": "huoi"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert school.name in body and "<html" not in body


def test_pagination(client, province_officer, commune):
    School.objects.bulk_create(
        [
            School(code=f"X{i:03d}", name=f"Trường {i:03d}", kind="MN", unit=commune)
            for i in range(60)
        ]
    )
    client.force_login(province_officer)
    assert "Trang 1/2" in list_page(client)
    assert "Trường 059" in list_page(client, page=2)


def test_list_shows_only_scope(client, commune_officer, school, sibling_school, outside_school):
    client.force_login(commune_officer)
    page = list_page(client)
    assert school.name in page
    assert sibling_school.name not in page and outside_school.name not in page


def test_list_requires_login(client, school):
    assert client.get(reverse("schools:list")).status_code == 302


def test_detail_shows_school(client, principal, school):
    client.force_login(principal)
    response = client.get(reverse("schools:detail", args=[school.code]))
    assert response.status_code == 200
    assert f'<h1 class="h3">{school.name}</h1>' in response.content.decode()


def test_it_rejects_outsider_on_detail(client, outsider, school):
    client.force_login(outsider)
    assert client.get(reverse("schools:detail", args=[school.code])).status_code == 404


def test_principal_cannot_open_a_sibling_school(client, principal, sibling_school):
    client.force_login(principal)
    assert client.get(reverse("schools:detail", args=[sibling_school.code])).status_code == 404


def test_school_save_normalises_to_nfc(commune):
    school = School.objects.create(
        code="NFD",
        name=unicodedata.normalize("NFD", "Trường Mầm non Sì Lở Lầu"),
        kind="MN",
        unit=commune,
    )
    school.refresh_from_db()
    assert school.name == unicodedata.normalize("NFC", "Trường Mầm non Sì Lở Lầu")
    assert school.search_text == "truong mam non si lo lau nfd"


# --- Filters travel URL-encoded: pagination, export link and live search -------------------

SPECIAL_Q = "th&thcs #1 +2 50%"


def _href(body: str, element_id: str) -> str:
    match = re.search(rf'<a [^>]*id="{element_id}"[^>]*href="([^"]*)"', body)
    assert match, f"#{element_id} not found"
    return html.unescape(match.group(1))


def _page_link(body: str, label: str) -> str:
    match = re.search(rf'<a class="page-link" href="([^"]*)">[^<]*{label}', body)
    assert match, f"no «{label}» link"
    return html.unescape(match.group(1))


@pytest.fixture
def multi_level_schools(commune) -> list[School]:
    """60 TH&THCS schools whose names carry & # + %, and two look-alikes the filters drop."""
    schools = School.objects.bulk_create(
        [
            School(
                code=f"TT{i:03d}",
                name=f"Trường TH&THCS {i:03d} #1 +2 50%",
                kind="TH&THCS",
                unit=commune,
            )
            for i in range(60)
        ]
    )
    for s in schools:
        s.refresh_text_keys()
    School.objects.bulk_update(schools, ["search_text", "sort_key"])
    School.objects.create(
        code="TH-GIONG", name="Trường TH&THCS 999 #1 +2 50%", kind="TH", unit=commune
    )
    School.objects.create(code="TT-KHAC", name="Trường TH&THCS 998", kind="TH&THCS", unit=commune)
    return schools


def test_pagination_keeps_filters_with_ampersand_hash_plus_and_percent(
    client, province_officer, multi_level_schools
):
    client.force_login(province_officer)
    url = reverse("schools:list")
    first = client.get(url, {"kind": "TH&THCS", "q": SPECIAL_Q}).content.decode()
    assert "60 trường" in first and "Trang 1/2" in first
    next_href = _page_link(first, "Sau")
    assert "page=2" in next_href
    second = client.get(url + next_href).content.decode()
    assert "Trang 2/2" in second
    assert "Trường TH&amp;THCS 059 #1 +2 50%" in second
    assert "TH-GIONG" not in second and "998" not in second
    back = client.get(url + _page_link(second, "Trước")).content.decode()
    assert "Trang 1/2" in back and "Trường TH&amp;THCS 000 #1 +2 50%" in back


def test_export_link_carries_the_encoded_filters(client, province_officer, multi_level_schools):
    client.force_login(province_officer)
    body = client.get(reverse("schools:list"), {"kind": "TH&THCS", "q": SPECIAL_Q})
    href = _href(body.content.decode(), "export-link")
    parsed = urlsplit(href)
    assert parsed.path == reverse("schools:export")
    assert parse_qs(parsed.query) == {"kind": ["TH&THCS"], "q": [SPECIAL_Q]}
    response = client.get(href)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    exported = [r[0] for r in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(exported) == sorted(s.code for s in multi_level_schools)


def test_live_search_refreshes_the_export_link(client, commune_officer, school):
    client.force_login(commune_officer)
    response = client.get(
        reverse("schools:list"), {"q": "huoi #", "kind": "TH"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    # The link sits outside the swapped #school-results, so it comes back out of band.
    assert re.search(r'<a [^>]*id="export-link"[^>]*hx-swap-oob="true"', body)
    query = parse_qs(urlsplit(_href(body, "export-link")).query)
    assert query == {"q": ["huoi #"], "kind": ["TH"]}


def test_full_page_renders_one_export_link(client, commune_officer, school):
    client.force_login(commune_officer)
    body = client.get(reverse("schools:list"), {"q": "huoi"}).content.decode()
    assert body.count('id="export-link"') == 1
    assert "hx-swap-oob" not in body
