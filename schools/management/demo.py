"""Demo data of the seeds' localities (schools/demo_data/*.json) and demo accounts for every role.
Both loaders are idempotent: schools are keyed by code, users by username, so `make demo` can run
them again on an existing database without duplicating anything."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Membership, Role
from core import audit
from schools.models import School, SchoolLocation, SchoolSite
from units.models import AdminUnit

DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"
REFORM_DATE = dt.date(2025, 7, 1)
DEMO_PASSWORD = "TruongChuan@2025"
SCHOOL_FIELDS = (
    "name",
    "kind",
    "ownership",
    "special_type",
    "managing_body",
    "founded_year",
    "standard_level",
    "is_illustrative",
    "principal_name",
)


class DemoDataError(Exception):
    """A precondition of the demo is missing; the message tells the user what to run."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def demo_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


def read_demo_schools() -> list[dict]:
    schools: list[dict] = []
    for path in demo_files():
        payload = json.loads(path.read_text(encoding="utf-8"))
        for record in payload["schools"]:
            schools.append({**record, "_file": path.name})
    return schools


def _note(record: dict) -> str:
    parts = [record.get("note", "")]
    if record.get("unit_is_guess"):
        parts.append("Xã hiện nay là ánh xạ ước đoán từ đơn vị cũ, cần xác minh.")
    parts.append(f"Nguồn: {record['source']}" if record.get("source") else "")
    return " ".join(p for p in parts if p).strip()


@transaction.atomic
def demo_load_schools() -> dict[str, int]:
    """Create or update every demo school with its sites and its locations over time."""
    records = read_demo_schools()
    needed = {r["unit"] for r in records}
    for r in records:
        needed.update(h["unit"] for h in r["history"])
    units = {u.uid: u for u in AdminUnit.objects.filter(uid__in=needed)}
    missing = sorted(needed - units.keys())
    if missing:
        current_missing = [uid for uid in missing if not uid.startswith("H")]
        hint = (
            "Chưa nạp danh mục đơn vị hành chính. Hãy chạy trước: python manage.py load_units"
            if current_missing
            else "Thiếu đơn vị hành chính cũ (units/data/historical_units.json). "
            "Hãy chạy lại: python manage.py load_units"
        )
        raise DemoDataError(f"{hint} (thiếu {len(missing)} mã, ví dụ: {', '.join(missing[:5])}).")

    created = updated = 0
    for r in records:
        defaults = {field: r.get(field) for field in SCHOOL_FIELDS}
        defaults["founded_year"] = r.get("founded_year") or None
        defaults["principal_name"] = r.get("principal_name") or ""
        defaults["unit"] = units[r["unit"]]
        defaults["note"] = _note(r)
        school, was_created = School.objects.update_or_create(code=r["code"], defaults=defaults)
        created += was_created
        updated += not was_created

        # Sites and locations are owned by the demo: replace them so a re-run mirrors the file.
        school.sites.all().delete()
        sites = [
            SchoolSite(
                school=school,
                name=s["name"],
                address=s.get("address", ""),
                is_main=s.get("is_main", False),
            )
            for s in r.get("sites", [])
        ]
        for site in sites:
            site.normalise_text()  # bulk_create bypasses save()
        SchoolSite.objects.bulk_create(sites)
        audit.bulk_history(sites, reason="load_demo")  # audit: bulk write
        school.locations.all().delete()
        locations = [
            SchoolLocation(
                school=school,
                unit=units[h["unit"]],
                valid_from=_date(h.get("valid_from")),
                valid_to=_date(h.get("valid_to")),
                is_guess=bool(h.get("is_guess")),
            )
            for h in r["history"]
        ]
        locations.append(
            SchoolLocation(
                school=school,
                unit=units[r["unit"]],
                valid_from=REFORM_DATE,
                valid_to=None,
                is_guess=bool(r.get("unit_is_guess")),
            )
        )
        SchoolLocation.objects.bulk_create(locations)
        audit.bulk_history(locations, reason="load_demo")  # audit: bulk write
    return {"created": created, "updated": updated, "total": len(records)}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str | None  # None = superuser
    scope_label: str
    unit_uid: str | None = None
    school_code: str | None = None
    full_name: str = ""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", None, "Toàn hệ thống (quản trị)", full_name="Quản trị hệ thống"),
    DemoAccount(
        "so_laichau",
        Role.PROVINCE_OFFICER,
        "Tỉnh Lai Châu",
        unit_uid="P12",
        full_name="Cán bộ Sở GD&ĐT Lai Châu",
    ),
    DemoAccount(
        "so_haiphong",
        Role.PROVINCE_OFFICER,
        "Thành phố Hải Phòng",
        unit_uid="P31",
        full_name="Cán bộ Sở GD&ĐT Hải Phòng",
    ),
    DemoAccount(
        "so_laocai",
        Role.PROVINCE_OFFICER,
        "Tỉnh Lào Cai",
        unit_uid="P15",
        full_name="Cán bộ Sở GD&ĐT Lào Cai",
    ),
    DemoAccount(
        "xa_phongtho",
        Role.COMMUNE_OFFICER,
        "Xã Phong Thổ (Lai Châu)",
        unit_uid="W03549",
        full_name="Cán bộ văn hóa - xã hội xã Phong Thổ",
    ),
    DemoAccount(
        "xa_ninhgiang",
        Role.COMMUNE_OFFICER,
        "Xã Ninh Giang (Hải Phòng)",
        unit_uid="W11203",
        full_name="Cán bộ văn hóa - xã hội xã Ninh Giang",
    ),
    DemoAccount(
        "xa_tramtau",
        Role.COMMUNE_OFFICER,
        "Xã Trạm Tấu (Lào Cai)",
        unit_uid="W04591",
        full_name="Cán bộ văn hóa - xã hội xã Trạm Tấu",
    ),
    DemoAccount(
        "xa_daison",
        Role.COMMUNE_OFFICER,
        "Xã Đại Sơn (Hải Phòng) — gồm xã Bình Lãng cũ (ánh xạ ước đoán)",
        unit_uid="W11086",
        full_name="Cán bộ văn hóa - xã hội xã Đại Sơn",
    ),
    DemoAccount(
        "ht_huoiluong",
        Role.PRINCIPAL,
        "Trường PTDTBT Tiểu học Huổi Luông",
        school_code="LC-PT-TH-HUOILUONG",
        full_name="Hiệu trưởng TH Huổi Luông",
    ),
    DemoAccount(
        "gv_huoiluong",
        Role.STAFF,
        "Trường PTDTBT Tiểu học Huổi Luông",
        school_code="LC-PT-TH-HUOILUONG",
        full_name="Giáo viên TH Huổi Luông",
    ),
    DemoAccount(
        "dgn_daosan",
        Role.REVIEWER,
        "Trường PTDTBT THCS Dào San (đánh giá ngoài)",
        school_code="LC-PT-THCS-DAOSAN",
        full_name="Thành viên đoàn đánh giá ngoài",
    ),
    DemoAccount(
        "dgn_truongdoan",
        Role.REVIEWER,
        "Trưởng đoàn đánh giá ngoài THCS Dào San",
        school_code="LC-PT-THCS-DAOSAN",
        full_name="Trưởng đoàn đánh giá ngoài",
    ),
    DemoAccount(
        "xem_laichau", Role.VIEWER, "Tỉnh Lai Châu (chỉ xem)", unit_uid="P12", full_name="Người xem"
    ),
)


def role_label(role: str | None) -> str:
    return "Quản trị hệ thống" if role is None else str(Role(role).label)


@transaction.atomic
def demo_create_accounts(password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create (or reset) the demo users and their memberships. Passwords are reset to the demo
    password on every run so that the printed table is always true."""
    user_model = get_user_model()
    units = {
        u.uid: u
        for u in AdminUnit.objects.filter(uid__in=[a.unit_uid for a in DEMO_ACCOUNTS if a.unit_uid])
    }
    schools = {
        s.code: s
        for s in School.objects.filter(
            code__in=[a.school_code for a in DEMO_ACCOUNTS if a.school_code]
        )
    }
    missing = [a.unit_uid for a in DEMO_ACCOUNTS if a.unit_uid and a.unit_uid not in units]
    if missing:
        raise DemoDataError(
            "Chưa nạp danh mục đơn vị hành chính. Hãy chạy trước: python manage.py load_units "
            f"(thiếu: {', '.join(missing)})."
        )
    missing = [
        a.school_code for a in DEMO_ACCOUNTS if a.school_code and a.school_code not in schools
    ]
    if missing:
        raise DemoDataError(
            "Chưa nạp trường học mẫu. Hãy chạy trước: python manage.py load_demo "
            f"(thiếu: {', '.join(missing)})."
        )
    for account in DEMO_ACCOUNTS:
        first, _, last = account.full_name.rpartition(" ")
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = first, last
        user.is_active = True
        user.is_superuser = user.is_staff = account.role is None
        user.set_password(password)
        user.save()
        if account.role is None:
            continue
        # Keep exactly the demo membership: an earlier run with other data must not widen scope.
        target = {
            "role": account.role,
            "unit": units.get(account.unit_uid) if account.unit_uid else None,
            "school": schools.get(account.school_code) if account.school_code else None,
        }
        Membership.objects.filter(user=user).exclude(**target).delete()
        Membership.objects.get_or_create(user=user, **target)
    return list(DEMO_ACCOUNTS)
