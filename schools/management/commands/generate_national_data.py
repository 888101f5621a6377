"""`python manage.py generate_national_data --schools 45000 [--seed 1] [--reset]`

National-scale illustrative data for benchmarks and load tests: about 45,000 schools spread over
the 3,321 current communes that `load_units` created, with a realistic mix of kinds, names,
ownership and standard levels, plus one province officer per province and one commune officer
per commune. Everything is deterministic for a given seed, so two runs give the same codes.

Generated rows are recognisable and removable: school codes start with "GEN-", usernames with
"gen_", and every school is flagged `is_illustrative`."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import Membership, Role
from core import audit
from schools.models import Ownership, School, SchoolKind, SpecialType, StandardLevel
from units.models import AdminUnit

CODE_PREFIX = "GEN-"
USER_PREFIX = "gen_"
PASSWORD = "Mat-khau-2025!"
BATCH = 2000

# Share of each kind among Vietnamese schools (MOET statistics, rounded): the multi-level 5%
# is split between its three forms, TH&THCS being by far the most common.
KIND_WEIGHTS: list[tuple[str, float]] = [
    (SchoolKind.MN, 33),
    (SchoolKind.TH, 30),
    (SchoolKind.THCS, 23),
    (SchoolKind.THPT, 6),
    (SchoolKind.TH_THCS, 3.5),
    (SchoolKind.THCS_THPT, 1.2),
    (SchoolKind.TH_THCS_THPT, 0.3),
    (SchoolKind.GDTX, 3),
]

KIND_PREFIX = {
    SchoolKind.MN: "Trường Mầm non",
    SchoolKind.TH: "Trường Tiểu học",
    SchoolKind.THCS: "Trường THCS",
    SchoolKind.THPT: "Trường THPT",
    SchoolKind.TH_THCS: "Trường Tiểu học và Trung học cơ sở",
    SchoolKind.THCS_THPT: "Trường THCS và THPT",
    SchoolKind.TH_THCS_THPT: "Trường Phổ thông nhiều cấp học",
    SchoolKind.GDTX: "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
}
# Semi-boarding ethnic schools carry the type in their name: "Trường PTDTBT TH Huổi Luông".
PTDTBT_PREFIX = {
    SchoolKind.TH: "Trường PTDTBT TH",
    SchoolKind.THCS: "Trường PTDTBT THCS",
    SchoolKind.TH_THCS: "Trường PTDTBT TH&THCS",
}
# Provinces where semi-boarding schools for ethnic minorities are common.
MOUNTAIN_PROVINCES = {
    "Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu", "Sơn La", "Lào Cai", "Thái Nguyên",
    "Lạng Sơn", "Thanh Hóa", "Nghệ An", "Quảng Ngãi", "Gia Lai", "Đắk Lắk", "Lâm Đồng",
}  # fmt: skip

PEOPLE = [
    "Nguyễn Trãi", "Lê Quý Đôn", "Trần Phú", "Chu Văn An", "Võ Thị Sáu", "Kim Đồng",
    "Lý Tự Trọng", "Nguyễn Du", "Hoàng Hoa Thám", "Trần Hưng Đạo", "Lê Lợi", "Quang Trung",
    "Nguyễn Huệ", "Lê Văn Tám", "Nguyễn Bỉnh Khiêm", "Phan Bội Châu", "Phan Chu Trinh",
    "Nguyễn Văn Trỗi", "Trần Quốc Toản", "Lê Hồng Phong", "Nguyễn Thị Minh Khai",
    "Hai Bà Trưng", "Bà Triệu", "Ngô Quyền", "Đinh Tiên Hoàng", "Lý Thường Kiệt",
    "Trần Nhân Tông", "Nguyễn Đình Chiểu", "Tô Hiệu", "Võ Nguyên Giáp", "Nguyễn Khuyến",
    "Lương Thế Vinh", "Hồ Xuân Hương", "Đoàn Thị Điểm", "Nguyễn Công Trứ", "Cù Chính Lan",
    "Ngô Gia Tự", "Nguyễn Viết Xuân", "Phan Đình Phùng", "Huỳnh Thúc Kháng", "Mạc Đĩnh Chi",
    "Trần Quang Khải", "Yết Kiêu", "Lê Thánh Tông", "Nguyễn Văn Cừ", "Hà Huy Tập",
]  # fmt: skip
KINDERGARTEN_NAMES = [
    "Hoa Sen", "Hoa Mai", "Sơn Ca", "Họa Mi", "Hoa Hồng", "Tuổi Thơ", "Măng Non", "Bình Minh",
    "Hướng Dương", "Hoa Ban", "Ánh Dương", "Hoa Phượng", "Vành Khuyên", "Sao Mai", "Hoa Cúc",
    "Thỏ Ngọc", "Búp Sen Hồng", "Ngôi Sao", "Rạng Đông", "Hoa Lan", "Bông Sen", "Tuổi Ngọc",
]  # fmt: skip
FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 2 + [
    "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Giàng",
]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Đức", "Thanh", "Minh", "Ngọc", "Hữu", "Thu", "Xuân", "Quang"]
GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hải", "Hương", "Lan", "Linh", "Long", "Mai",
    "Nam", "Nga", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Thắm", "Chiến",
]  # fmt: skip
BASE_KINDS = [SchoolKind.MN, SchoolKind.TH, SchoolKind.THCS]
UNIT_PREFIXES = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ")


def _short_name(unit: AdminUnit) -> str:
    """ "Xã Phong Thổ" → "Phong Thổ": schools are named after the place, not its rank."""
    for prefix in UNIT_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Largest-remainder split of `total` in proportion to `weights` (sums exactly)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu minh họa toàn quốc (mặc định 45.000 trường trên 3.321 xã/phường) "
        "để đo hiệu năng. Chạy `load_units` trước."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=45_000, help="Số trường cần sinh.")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên.")
        parser.add_argument(
            "--reset", action="store_true", help="Xoá dữ liệu đã sinh trước đó rồi sinh lại."
        )
        parser.add_argument(
            "--no-users", action="store_true", help="Không tạo tài khoản cán bộ tỉnh/xã."
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        total: int = options["schools"]
        if total < 1:
            raise CommandError("Số trường (--schools) phải lớn hơn 0.")
        communes = list(
            AdminUnit.objects.current()
            .filter(parent__isnull=False, parent__parent__isnull=True)
            .select_related("parent")
            .order_by("uid")
        )
        if not communes:
            raise CommandError(
                "Chưa có xã/phường nào trong cơ sở dữ liệu. "
                "Hãy chạy `python manage.py load_units` trước."
            )
        existing = School.objects.filter(code__startswith=CODE_PREFIX).count()
        existing_users = get_user_model().objects.filter(username__startswith=USER_PREFIX).count()
        if existing or existing_users:
            if not options["reset"]:
                raise CommandError(
                    f"Đã có {existing} trường và {existing_users} tài khoản sinh tự động "
                    f"(mã bắt đầu bằng {CODE_PREFIX}). Thêm --reset để xoá và sinh lại."
                )
            self._wipe()

        with transaction.atomic():
            schools = self._build_schools(communes, total, random.Random(options["seed"]))
            School.objects.bulk_create(schools, batch_size=BATCH)
            audit.bulk_history(schools, reason="generate_national_data")  # audit: bulk write
            users = 0 if options["no_users"] else self._create_users(communes)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh {len(schools)} trường trên {len(communes)} xã/phường và {users} tài "
                f"khoản (mật khẩu {PASSWORD}) trong {time.perf_counter() - started:.1f} giây."
            )
        )

    def _wipe(self) -> None:
        with transaction.atomic():
            get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
            deleted, _ = School.objects.filter(code__startswith=CODE_PREFIX).delete()
        self.stdout.write(f"Đã xoá {deleted} bản ghi sinh tự động trước đó.")

    def _build_schools(
        self, communes: list[AdminUnit], total: int, rng: random.Random
    ) -> list[School]:
        # Urban wards hold more schools than rural communes; island zones (đặc khu) fewer.
        weights = [
            {"phường": 1.4, "đặc khu": 0.5}.get(c.division_type, 1.0) * rng.uniform(0.6, 1.4)
            for c in communes
        ]
        per_commune = _allocate(total, weights)
        # Every commune first gets one MN, one TH and one THCS (see below); the rest is drawn
        # with weights reduced by those, so that the national mix still comes out as targeted.
        base_share = 100 * 3 * len(communes) / total
        kinds = [k for k, _ in KIND_WEIGHTS]
        kind_weights = [
            max(w - (base_share / 3 if k in BASE_KINDS else 0), 0.1) for k, w in KIND_WEIGHTS
        ]
        schools: list[School] = []
        for commune, count in zip(communes, per_commune, strict=True):
            place = _short_name(commune)
            province = commune.parent
            province_name = _short_name(province).removeprefix("Tỉnh ").removeprefix("Thành phố ")
            mountain = province_name in MOUNTAIN_PROVINCES
            used: set[str] = set()
            # Most communes have at least one kindergarten, one primary and one lower secondary
            # school; the rest of the commune's share follows the national mix.
            base = BASE_KINDS[:count]
            drawn = base + rng.choices(kinds, kind_weights, k=count - len(base))
            for seq, kind in enumerate(drawn, start=1):
                school = self._school(rng, commune, place, kind, mountain, used)
                school.code = f"{CODE_PREFIX}{commune.code}-{seq:03d}"
                school.address = f"{commune.name}, {province.name}"
                school.refresh_text_keys()  # bulk_create bypasses save()
                schools.append(school)
        return schools

    def _school(
        self,
        rng: random.Random,
        commune: AdminUnit,
        place: str,
        kind: str,
        mountain: bool,
        used: set[str],
    ) -> School:
        ownership = Ownership.PUBLIC
        special = SpecialType.NONE
        prefix = KIND_PREFIX[kind]
        if kind == SchoolKind.MN and rng.random() < 0.15:
            ownership = Ownership.PRIVATE
            prefix = "Trường Mầm non tư thục"
        elif kind not in (SchoolKind.MN, SchoolKind.GDTX) and rng.random() < 0.03:
            ownership = Ownership.PRIVATE
        elif mountain and kind in PTDTBT_PREFIX and rng.random() < 0.3:
            special = SpecialType.PTDTBT
            prefix = PTDTBT_PREFIX[kind]

        if kind == SchoolKind.GDTX:
            label = place
        elif kind == SchoolKind.MN:
            label = place if rng.random() < 0.4 else rng.choice(KINDERGARTEN_NAMES)
        elif special:
            label = place  # semi-boarding schools are named after their village or commune
        else:
            label = place if rng.random() < 0.45 else rng.choice(PEOPLE)
        name = f"{prefix} {label}"
        n = 1
        while name in used:
            n += 1
            name = f"{prefix} {label} số {n}"
        used.add(name)

        level = rng.choices(
            [StandardLevel.NONE, StandardLevel.LEVEL_1, StandardLevel.LEVEL_2], [40, 45, 15]
        )[0]
        if kind == SchoolKind.GDTX:
            level = StandardLevel.NONE  # the national standard does not apply to GDTX centres
        principal = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        return School(
            name=name,
            kind=kind,
            ownership=ownership,
            special_type=special,
            managing_body=f"Ủy ban nhân dân {commune.division_type} {place}"
            if kind in (SchoolKind.MN, SchoolKind.TH, SchoolKind.THCS, SchoolKind.TH_THCS)
            else "Sở Giáo dục và Đào tạo",
            unit=commune,
            founded_year=rng.randint(1955, 2022),
            principal_name=principal,
            phone=f"0{rng.randint(200, 299)}{rng.randint(1000000, 9999999)}",
            standard_level=level,
            is_illustrative=True,
            note="Dữ liệu minh họa sinh tự động để đo hiệu năng, không phải trường có thật.",
        )

    def _create_users(self, communes: list[AdminUnit]) -> int:
        """One province officer per province and one commune officer per commune. One hash
        serves all of them: hashing 3,355 passwords would take minutes for nothing."""
        user_model = get_user_model()
        password = make_password(PASSWORD)
        provinces = {c.parent.uid: c.parent for c in communes}
        pairs: list[tuple[str, AdminUnit, str]] = [
            (f"{USER_PREFIX}so_{p.uid.lower()}", p, Role.PROVINCE_OFFICER)
            for p in provinces.values()
        ] + [(f"{USER_PREFIX}xa_{c.uid.lower()}", c, Role.COMMUNE_OFFICER) for c in communes]
        users = user_model.objects.bulk_create(
            [user_model(username=name, password=password) for name, _, _ in pairs],
            batch_size=BATCH,
        )
        if users and users[0].pk is None:  # backends that do not return ids on bulk insert
            by_name = dict(
                user_model.objects.filter(username__startswith=USER_PREFIX).values_list(
                    "username", "pk"
                )
            )
            for user in users:
                user.pk = by_name[user.username]
        memberships = Membership.objects.bulk_create(
            [
                Membership(user=user, unit=unit, role=role)
                for user, (_, unit, role) in zip(users, pairs, strict=True)
            ],
            batch_size=BATCH,
        )
        # Audit (core.audit): bulk writes bypass save(); the generated accounts' history.
        audit.bulk_history(users, reason="generate_national_data")
        if memberships and memberships[0].pk is not None:
            audit.bulk_history(memberships, reason="generate_national_data")
        return len(users)
