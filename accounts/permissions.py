"""The one place that answers every permission question: "may this user do this action on this
object?" (`has_perm`) and "which schools / units may this user see, or act on?" (the scoped
querysets: `scope_for(user).schools()`, `schools_where`, `units_where`).

How to read it:

* `ACTIONS` is the table. Each action lists its **grants**: a set of membership roles and the
  **relation** the member must hold to the object (e.g. "officer of a unit that manages this
  school's kind", "principal of the school", "chair/secretary of this cycle's council",
  "staff assigned to this criterion"), sometimes with a **state** of the object (e.g. only an
  accepted self-assessment). Superusers (support) hold every action; that is decided here only.
* `OBJECT_PATHS` says how an object resolves to what the relations look at (its school, unit,
  assessment, criteria), by model name so that moving a model between apps changes nothing.
* `settings.MANAGING_LEVEL_BY_KIND` says which level of the administrative tree manages each
  school kind ("commune" for MN/TH/THCS, "province" for THPT and the other kinds by default;
  the 2025 reassignment varies by province). A unit at the managing level or above it manages.
  `settings.RECOGNITION_RECORDERS` (roles) says who records recognition decisions.
* Outside the user's scope an object does not exist (404, `get_school_or_404` and the
  selectors), so codes cannot be probed; inside the scope without the right is 403.

`docs/permissions.md` is generated from this table (`manage.py permissions_doc`).
Memberships are read once per request and cached on the user object (`scope_for`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import rules
from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role

P, C, H, S, R, V = (
    Role.PROVINCE_OFFICER.value,
    Role.COMMUNE_OFFICER.value,
    Role.PRINCIPAL.value,
    Role.STAFF.value,
    Role.REVIEWER.value,
    Role.VIEWER.value,
)
ALL_ROLES = (P, C, H, S, R, V)
OFFICERS = (P, C)
SCHOOL_WORKERS = (H, S)

# ---------------------------------------------------------------------------------------------
# Settings

# The kinds' managing levels before any override (truongchuan/settings.py keeps the one copy).
DEFAULT_MANAGING_LEVEL_BY_KIND = settings.MANAGING_LEVEL_DEFAULTS
DEFAULT_RECORDERS = (P, C)
LEVEL_LABELS = {"province": _("tỉnh (Sở GD&ĐT)"), "commune": _("xã")}


def managing_level(kind: str) -> str:
    """Which level of the tree manages schools of `kind`: "commune" or "province"."""
    table = getattr(settings, "MANAGING_LEVEL_BY_KIND", None) or DEFAULT_MANAGING_LEVEL_BY_KIND
    return table.get(kind, "province")


def recorder_roles() -> tuple[str, ...]:
    return tuple(getattr(settings, "RECOGNITION_RECORDERS", DEFAULT_RECORDERS))


def _unit_level(depth: int) -> str:
    # Provinces are the roots of the tree; everything below (communes, retired districts)
    # is the local level.
    return "province" if depth == 0 else "commune"


# ---------------------------------------------------------------------------------------------
# Who: the memberships of a user, read once per request


@dataclass(frozen=True)
class Seat:
    role: str
    unit_id: int | None
    unit_path: str
    unit_depth: int
    school_id: int | None
    admin: bool = False  # Membership.is_admin: manages the accounts below the unit


@dataclass
class Scope:
    """The user's memberships, and the querysets of what they may see."""

    user: object
    is_all: bool = False
    seats: list[Seat] = field(default_factory=list)

    @cached_property
    def unit_paths(self) -> list[str]:
        return [s.unit_path for s in self.seats if s.unit_id]

    @cached_property
    def school_ids(self) -> set[int]:
        return {s.school_id for s in self.seats if s.school_id}

    @property
    def is_empty(self) -> bool:
        return not (self.is_all or self.seats)

    def paths_of(self, roles: Iterable[str]) -> list[str]:
        roles = set(roles)
        return [s.unit_path for s in self.seats if s.unit_id and s.role in roles]

    def schools_of(self, roles: Iterable[str]) -> set[int]:
        roles = set(roles)
        return {s.school_id for s in self.seats if s.school_id and s.role in roles}

    @staticmethod
    def _school_q(paths: Iterable[str], ids: Iterable[int], prefix: str = "") -> Q:
        q = Q(**{f"{prefix}pk__in": []})
        for path in paths:
            q |= Q(**{f"{prefix}unit__path__startswith": path})
        ids = set(ids)
        if ids:
            q |= Q(**{f"{prefix}pk__in": ids})
        return q

    def school_filter(self, prefix: str = "") -> Q:
        """A Q for "school (at `prefix`) is visible", for querysets of related models."""
        if self.is_all:
            return Q()
        return self._school_q(self.unit_paths, self.school_ids, prefix)

    def schools(self) -> QuerySet:
        return apps.get_model("schools", "School").objects.filter(self.school_filter())

    def units(self) -> QuerySet:
        """Units the user may browse: each unit membership's unit and everything below it.
        Ancestors are NOT included: a commune officer reads the province's name in breadcrumbs
        through unit.ancestors(), but cannot list or open the province, nor its other
        communes. School memberships add no units."""
        AdminUnit = apps.get_model("units", "AdminUnit")
        if self.is_all:
            return AdminUnit.objects.all()
        q = Q(pk__in=[])
        for path in self.unit_paths:
            q |= Q(path__startswith=path)
        return AdminUnit.objects.filter(q)

    def can_see_school(self, school) -> bool:
        return (
            self.is_all
            or school.pk in self.school_ids
            or any(school.unit.path.startswith(p) for p in self.unit_paths)
        )

    def can_see_unit(self, unit) -> bool:
        return self.is_all or any(unit.path.startswith(p) for p in self.unit_paths)

    @cached_property
    def top_units(self) -> list:
        AdminUnit = apps.get_model("units", "AdminUnit")
        if self.is_all:
            return list(AdminUnit.objects.current().filter(parent__isnull=True))
        return list(AdminUnit.objects.filter(path__in=self.unit_paths))


def _is_support(user) -> bool:
    """Superusers: support work, every action everywhere. Decided here only."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )


def scope_for(user) -> Scope:
    """Build (and cache on the user object for the request) the user's memberships."""
    cached = getattr(user, "_tc_scope", None)
    if cached is not None:
        return cached
    scope = Scope(user=user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        pass
    elif _is_support(user):
        scope.is_all = True
    else:
        scope.seats = [
            Seat(
                role=m.role,
                unit_id=m.unit_id,
                unit_path=m.unit.path if m.unit_id else "",
                unit_depth=m.unit.depth if m.unit_id else -1,
                school_id=m.school_id,
                admin=m.is_admin,
            )
            for m in Membership.objects.filter(user=user).select_related("unit")
        ]
    try:
        user._tc_scope = scope
    except AttributeError:  # an object that takes no attributes: no cache
        pass
    return scope


def get_school_or_404(user, **lookup):
    """Outside the user's scope a school does not exist: 404, never 403, so that codes of
    other provinces' schools cannot be probed."""
    school = scope_for(user).schools().filter(**lookup).select_related("unit").first()
    if school is None:
        raise Http404("Không tìm thấy trường trong phạm vi của bạn.")
    return school


def get_unit_or_404(user, **lookup):
    unit = scope_for(user).units().filter(**lookup).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị trong phạm vi của bạn.")
    return unit


# ---------------------------------------------------------------------------------------------
# Objects: how each model resolves to what the relations look at


@dataclass
class Target:
    """What a relation needs to know about an object."""

    obj: Any = None
    school: Any = None
    unit: Any = None
    assessment: Any = None
    plan: Any = None
    evaluation: Any = None  # an external evaluation (evaluation.Evaluation)
    criteria: set[int] | None = None  # None: the whole assessment


@dataclass(frozen=True)
class StandardOf:
    """A standard of an assessment (the per-standard texts)."""

    assessment: Any
    standard: Any


@dataclass(frozen=True)
class CriterionOf:
    """One criterion of an assessment (adding evidence under it)."""

    assessment: Any
    criterion_id: int


# Model (class name) → attribute paths: "school", "unit", "assessment", "plan", "criterion".
OBJECT_PATHS: dict[str, dict[str, str]] = {
    "School": {"school": "", "unit": "unit"},
    "AdminUnit": {"unit": ""},
    "SchoolYearData": {"school": "school"},
    "Assessment": {"assessment": "", "school": "school"},
    "CriterionSheet": {"assessment": "assessment", "criterion": "criterion_id"},
    "StandardOf": {"assessment": "assessment"},
    "CriterionOf": {"assessment": "assessment", "criterion": "criterion_id"},
    "Evidence": {"assessment": "assessment", "criterion": "first_criterion_id"},
    "RecognitionDecision": {"school": "school"},
    "ProgrammePlan": {"plan": "", "unit": "unit"},
    "InvestmentProject": {"school": "school", "unit": "unit"},
    "MonthlyReport": {"school": "school"},
    "ReportDraft": {"unit": "unit"},
    "ImprovementAction": {"school": "school"},
    "Registration": {"school": "school"},
    "Evaluation": {"evaluation": "", "school": "school"},
    "SystemAccount": {"unit": "unit"},
    # A seat given or taken away (saved or not yet); a person is judged by all their seats.
    "Membership": {"school": "school", "unit": "unit"},
    "User": {},
}
OBJECT_LABELS = {
    "School": _("trường"),
    "AdminUnit": _("đơn vị hành chính"),
    "SchoolYearData": _("số liệu năm học → trường"),
    "Assessment": _("đợt tự đánh giá → trường"),
    "CriterionSheet": _("phiếu tiêu chí → đợt tự đánh giá → trường"),
    "StandardOf": _("tiêu chuẩn của đợt → đợt tự đánh giá → trường"),
    "CriterionOf": _("tiêu chí của đợt → đợt tự đánh giá → trường"),
    "Evidence": _("minh chứng → đợt tự đánh giá → trường; tiêu chí đầu tiên"),
    "RecognitionDecision": _("quyết định công nhận → trường"),
    "ProgrammePlan": _("kế hoạch → đơn vị ban hành"),
    "InvestmentProject": _("dự án đầu tư → trường (và đơn vị)"),
    "MonthlyReport": _("báo cáo tháng → trường"),
    "ReportDraft": _("dự thảo văn bản → đơn vị"),
    "ImprovementAction": _("hành động cải tiến → trường"),
    "Registration": _("đăng ký đánh giá ngoài → trường"),
    "Evaluation": _("đợt đánh giá ngoài → trường"),
    "SystemAccount": _("tài khoản hệ thống (API) → đơn vị"),
    "Membership": _("phân quyền (vai trò tại đơn vị/trường) → đơn vị hoặc trường"),
    "User": _("tài khoản → mọi phân quyền của người đó"),
}


def _follow(obj: Any, path: str) -> Any:
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part)
    return obj


def resolve(obj: Any) -> Target:
    if obj is None or isinstance(obj, Target):
        return obj or Target()
    name = type(obj).__name__
    if name not in OBJECT_PATHS:
        raise TypeError(f"No permission path for {name}; add it to OBJECT_PATHS")
    paths = OBJECT_PATHS[name]
    target = Target(obj=obj)
    for key, path in paths.items():
        value = _follow(obj, path)
        if key == "criterion":
            target.criteria = {value}
        else:
            setattr(target, key, value)
    if name == "StandardOf":
        target.criteria = set(obj.standard.criteria.values_list("pk", flat=True))
    if target.assessment is not None and target.school is None:
        target.school = target.assessment.school
    if target.school is not None and target.unit is None:
        target.unit = target.school.unit
    return target


# ---------------------------------------------------------------------------------------------
# Relations: how a member stands to the object


def _unit_contains(scope: Scope, roles: set[str], t: Target, *, managing: bool = False) -> bool:
    if t.school is not None:
        path = t.school.unit.path
        kind_level = managing_level(t.school.kind) if managing else "commune"
    elif t.unit is not None:
        path = t.unit.path
        kind_level = "commune"
    else:
        return False
    for s in scope.seats:
        if s.unit_id and s.role in roles and path.startswith(s.unit_path):
            if kind_level == "commune" or _unit_level(s.unit_depth) == "province":
                return True
    if t.school is None and t.unit is not None and not t.unit.is_current:
        # A retired unit (a district) is acted on by the units that succeeded it.
        return any(_unit_contains(scope, roles, Target(unit=u)) for u in t.unit.successors.all())
    return False


def _school_member(scope: Scope, roles: set[str], t: Target) -> bool:
    return t.school is not None and t.school.pk in scope.schools_of(roles)


def _in_scope(scope: Scope, roles: set[str], t: Target) -> bool:
    if t.school is not None:
        return _school_member(scope, roles, t) or _unit_contains(scope, roles, t)
    return _unit_contains(scope, roles, t)


def _council_seat(scope: Scope, roles: set[str], t: Target) -> bool:
    """Chair or secretary of this cycle's council, holding `roles` in the school."""
    if t.assessment is None or not _school_member(scope, roles, t):
        return False
    CouncilMember = apps.get_model("assessments", "CouncilMember")
    return CouncilMember.objects.filter(
        assessment=t.assessment, user=scope.user, role__in=("chu_tich", "thu_ky")
    ).exists()


def assigned_criterion_ids(user, assessment) -> set[int]:
    """Criteria this user works on: sheets assigned to them plus their groups' criteria."""
    if not getattr(user, "is_authenticated", False):
        return set()
    CriterionSheet = apps.get_model("assessments", "CriterionSheet")
    CouncilMember = apps.get_model("assessments", "CouncilMember")
    WorkingGroup = apps.get_model("assessments", "WorkingGroup")
    ids = set(
        CriterionSheet.objects.filter(assessment=assessment, assigned_to=user).values_list(
            "criterion_id", flat=True
        )
    )
    group_ids = CouncilMember.objects.filter(
        assessment=assessment, user=user, group__isnull=False
    ).values_list("group_id", flat=True)
    ids.update(
        WorkingGroup.criteria.through.objects.filter(workinggroup_id__in=group_ids).values_list(
            "criterion_id", flat=True
        )
    )
    return ids


def _assigned(scope: Scope, roles: set[str], t: Target) -> bool:
    if t.assessment is None or not _school_member(scope, roles, t):
        return False
    ids = assigned_criterion_ids(scope.user, t.assessment)
    return bool(ids) if t.criteria is None else bool(ids & t.criteria)


def _plan_unit(scope: Scope, roles: set[str], t: Target) -> bool:
    return t.plan is not None and _unit_contains(scope, roles, Target(unit=t.plan.unit))


# Team seats of an external evaluation that is still open (evaluation.models, by name: accounts
# sits below it). The evaluation's services give each team member a reviewer seat in the school
# for the evaluation's duration (that seat is what lets them read the dossier through the
# "scope" grants, with no extra query per request) and take it back when it ends.
_OPEN_EVALUATION = ("forming", "evaluating", "draft_report", "feedback", "final")


def _team_seats(scope: Scope, t: Target, seat_roles: tuple[str, ...]) -> bool:
    TeamMember = apps.get_model("evaluation", "TeamMember")
    rows = TeamMember.objects.filter(
        user=scope.user, role__in=seat_roles, evaluation__status__in=_OPEN_EVALUATION
    )
    if t.evaluation is not None:
        rows = rows.filter(evaluation=t.evaluation)
    else:
        rows = rows.filter(evaluation__school=t.school)
    return rows.exists()


def _ee_team(scope: Scope, roles: set[str], t: Target) -> bool:
    return _school_member(scope, roles, t) and _team_seats(
        scope, t, ("leader", "secretary", "member")
    )


def _ee_lead(scope: Scope, roles: set[str], t: Target) -> bool:
    return _school_member(scope, roles, t) and _team_seats(scope, t, ("leader", "secretary"))


def _ee_leader(scope: Scope, roles: set[str], t: Target) -> bool:
    return _school_member(scope, roles, t) and _team_seats(scope, t, ("leader",))


def _anywhere(scope: Scope, roles: set[str], t: Target) -> bool:
    # Only for the question without an object ("may import schools?"): asked about an
    # object, the object's own relation decides.
    return _is_empty(t) and any(s.role in roles for s in scope.seats)


# Who may give which role (accounts, never a role above one's own): an administrator of a Sở
# any role of its province, of a commune any role of its schools and its own level, a
# principal only the school's staff (council members, teachers).
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    P: (P, C, H, S, R, V),
    C: (C, H, S, R, V),
    H: (S,),
}


def _seat_gives(seat: Seat, role: str, admin: bool, unit_path: str, school_id: int | None) -> bool:
    """May the holder of `seat` give (or take away) a seat `role` at the unit `unit_path` /
    school `school_id` (`admin`: with the account administrator flag)?"""
    if role not in GRANTABLE_ROLES.get(seat.role, ()):
        return False
    if admin and not (seat.admin and seat.unit_id):
        return False  # only an administrator makes administrators
    if seat.unit_id:
        return seat.admin and bool(unit_path) and unit_path.startswith(seat.unit_path)
    return school_id is not None and school_id == seat.school_id


def _membership_places(m) -> tuple[str, int | None]:
    if m.school_id:
        return m.school.unit.path, m.school_id
    return (m.unit.path if m.unit_id else ""), None


def _account_target(scope: Scope, roles: set[str], t: Target) -> bool:
    """The object is a seat (Membership) these roles may give or take, or a person (User) all
    of whose seats they may: never oneself, never a support account (superuser)."""
    seats = [s for s in scope.seats if s.role in roles]
    if not seats:
        return False
    obj = t.obj
    if isinstance(obj, Membership):
        if obj.user_id and obj.user_id == getattr(scope.user, "pk", None):
            return False
        place = _membership_places(obj)
        return any(_seat_gives(s, obj.role, obj.is_admin, *place) for s in seats)
    if type(obj).__name__ == "User":
        if obj.pk == getattr(scope.user, "pk", None) or obj.is_superuser:
            return False
        held = list(obj.memberships.select_related("unit", "school__unit"))
        return bool(held) and all(
            any(_seat_gives(s, m.role, m.is_admin, *_membership_places(m)) for s in seats)
            for m in held
        )
    return False


def _is_empty(t: Target) -> bool:
    return (
        t.obj is None
        and t.school is None
        and t.unit is None
        and t.assessment is None
        and t.evaluation is None
    )


# Relations held through a unit membership, and through a school membership.
_UNIT_RELATIONS = {"unit", "managing_unit", "plan_unit", "scope", "anywhere"}
_SCHOOL_RELATIONS = {
    "school",
    "council_seat",
    "assigned",
    "scope",
    "anywhere",
    "ee_team",
    "ee_lead",
    "ee_leader",
}


def _somewhere(scope: Scope, grant: Grant) -> bool:
    roles = grant.role_set()
    if grant.relation == "account":
        # Account pages: an administrator's unit seat, or a role that gives roles at a school.
        return any(
            s.role in roles and s.role in GRANTABLE_ROLES and (s.admin or s.school_id)
            for s in scope.seats
        )
    return any(
        s.role in roles
        and (
            (s.unit_id and grant.relation in _UNIT_RELATIONS)
            or (s.school_id and grant.relation in _SCHOOL_RELATIONS)
        )
        for s in scope.seats
    )


@dataclass(frozen=True)
class Relation:
    label: Any  # Vietnamese, for docs/permissions.md
    test: Callable[[Scope, set[str], Target], bool]


RELATIONS: dict[str, Relation] = {
    "scope": Relation(
        _("trong phạm vi: đơn vị của mình chứa trường/đơn vị, hoặc thuộc chính trường đó"),
        _in_scope,
    ),
    "unit": Relation(
        _("đơn vị của mình chứa trường/đơn vị (đơn vị đã giải thể: đơn vị kế thừa)"),
        _unit_contains,
    ),
    "managing_unit": Relation(
        _(
            "đơn vị quản lý trường: cấp quản lý cấp học của trường (MANAGING_LEVEL_BY_KIND) hoặc cấp trên, chứa trường"
        ),
        lambda s, r, t: _unit_contains(s, r, t, managing=True),
    ),
    "school": Relation(_("thuộc chính trường đó"), _school_member),
    "council_seat": Relation(
        _("chủ tịch hoặc thư ký hội đồng tự đánh giá của đợt này, còn thuộc trường"),
        _council_seat,
    ),
    "assigned": Relation(
        _("được phân công tiêu chí đó (trực tiếp hoặc qua nhóm công tác), thuộc trường"),
        _assigned,
    ),
    "plan_unit": Relation(
        _("đơn vị ban hành kế hoạch, đơn vị cấp trên, hoặc đơn vị kế thừa"), _plan_unit
    ),
    "anywhere": Relation(_("có vai trò này ở bất kỳ đơn vị/trường nào"), _anywhere),
    "ee_team": Relation(
        _("thành viên đoàn đánh giá ngoài đang làm việc tại trường (trong thời gian đánh giá)"),
        _ee_team,
    ),
    "ee_lead": Relation(
        _("trưởng đoàn hoặc thư ký đoàn đánh giá ngoài đang làm việc tại trường"), _ee_lead
    ),
    "ee_leader": Relation(_("trưởng đoàn đánh giá ngoài đang làm việc tại trường"), _ee_leader),
    "account": Relation(
        _(
            "quản trị tài khoản của đơn vị chứa đơn vị/trường của phân quyền (cán bộ có cờ quản "
            "trị), hoặc hiệu trưởng của chính trường; chỉ cấp vai trò không cao hơn vai trò của "
            "mình (GRANTABLE_ROLES); với một tài khoản: mọi phân quyền của người đó; không phải "
            "chính mình"
        ),
        _account_target,
    ),
}


@dataclass(frozen=True)
class State:
    label: Any
    test: Callable[[Target], bool]


def _status(t: Target) -> str:
    return getattr(t.assessment, "status", "")


STATES: dict[str, State] = {
    "editable": State(
        _("đợt đang thực hiện hoặc bị trả lại"),
        lambda t: t.assessment is not None and t.assessment.is_editable,
    ),
    "submitted": State(_("đợt đã nộp"), lambda t: _status(t) == "submitted"),
    "accepted": State(_("đợt đã được chấp nhận"), lambda t: _status(t) == "accepted"),
}


# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Grant:
    roles: tuple[str, ...] | str  # a tuple of roles, or the name of a setting holding them
    relation: str
    state: str = ""

    def role_set(self) -> set[str]:
        if isinstance(self.roles, str):
            return set(recorder_roles()) if self.roles == "RECOGNITION_RECORDERS" else set()
        return set(self.roles)


@dataclass(frozen=True)
class Action:
    label: Any
    grants: tuple[Grant, ...]
    objects: tuple[str, ...] = ()  # model names it is asked about; () = no object


G = Grant
_MANAGERS = (G((H,), "school"), G(SCHOOL_WORKERS, "council_seat"))
_SHEET_EDITORS = (*_MANAGERS, G((S,), "assigned"))

ACTIONS: dict[str, Action] = {
    "admin.access": Action(_("Vào trang quản trị Django (chỉ hỗ trợ kỹ thuật)"), ()),
    "account.unlock": Action(_("Xem các tài khoản đang bị tạm khóa đăng nhập và mở khóa"), ()),
    "api.system_account": Action(
        _("Tạo tài khoản hệ thống (kết nối phần mềm khác qua API) cho đơn vị, cấp mã truy cập"),
        (G((P,), "unit"),),
        ("AdminUnit", "SystemAccount"),
    ),
    "account.manage": Action(
        _("Tạo, sửa, khóa tài khoản, đặt lại mật khẩu; cấp và thu hồi vai trò"),
        (G((P, C, H), "account"),),
        ("Membership", "User"),
    ),
    "notification.outbox": Action(
        _("Xem thư hệ thống đã gửi (bản trình diễn lưu thư trong cơ sở dữ liệu)"), ()
    ),
    # Units and schools
    "unit.view": Action(_("Xem đơn vị, bảng điều khiển"), (G(ALL_ROLES, "scope"),), ("AdminUnit",)),
    "unit.documents": Action(
        _("Lập văn bản, báo cáo của đơn vị"), (G(OFFICERS, "unit"),), ("AdminUnit",)
    ),
    "school.view": Action(_("Xem hồ sơ trường"), (G(ALL_ROLES, "scope"),), ("School",)),
    "school.create": Action(_("Thêm trường vào đơn vị"), (G(OFFICERS, "unit"),), ("AdminUnit",)),
    "school.edit": Action(
        _("Sửa mọi trường thông tin của trường (đơn vị quản lý)"),
        (G(OFFICERS, "unit"),),
        ("School",),
    ),
    "school.edit_contacts": Action(
        _("Sửa liên hệ, hiệu trưởng, năm thành lập, điểm trường"),
        (G(OFFICERS, "unit"), G((H,), "school")),
        ("School",),
    ),
    "school.import": Action(_("Nhập danh sách trường từ Excel"), (G(OFFICERS, "anywhere"),)),
    "yeardata.edit": Action(
        _("Nhập số liệu năm học (Phần I)"), (G(SCHOOL_WORKERS, "school"),), ("School",)
    ),
    # Self-assessment
    "assessment.view": Action(
        _("Xem đợt tự đánh giá, phiếu, lịch sử, bản chụp"),
        (G(ALL_ROLES, "scope"),),
        ("Assessment",),
    ),
    "assessment.start": Action(_("Mở đợt tự đánh giá"), (G((H,), "school"),), ("School",)),
    "assessment.manage": Action(
        _("Hội đồng, nhóm công tác, phân công, kế hoạch, nội dung văn bản"),
        _MANAGERS,
        ("Assessment",),
    ),
    "assessment.submit": Action(
        _("Nộp báo cáo tự đánh giá"), (G((H,), "school"),), ("Assessment",)
    ),
    "assessment.return": Action(
        _("Trả lại báo cáo đã nộp"), (G(OFFICERS, "managing_unit"),), ("Assessment",)
    ),
    "assessment.accept": Action(
        _("Chấp nhận báo cáo đã nộp"), (G(OFFICERS, "managing_unit"),), ("Assessment",)
    ),
    "assessment.reopen": Action(
        _("Mở khóa báo cáo"),
        (G((H,), "school", "submitted"), G(OFFICERS, "managing_unit", "accepted")),
        ("Assessment",),
    ),
    "assessment.progress": Action(
        _("Xem bảng tiến độ tự đánh giá của các trường"), (G(OFFICERS, "anywhere"),)
    ),
    "sheet.edit": Action(
        _("Viết phiếu đánh giá tiêu chí, chỉ báo, trích dẫn minh chứng"),
        _SHEET_EDITORS,
        ("CriterionSheet",),
    ),
    "standard.edit": Action(_("Viết nội dung theo tiêu chuẩn"), _SHEET_EDITORS, ("StandardOf",)),
    "level4.decide": Action(
        _("Đánh giá các yêu cầu Mức 4 toàn trường"), _MANAGERS, ("Assessment",)
    ),
    "requirement_text.write": Action(
        _("Ghi văn bản yêu cầu còn thiếu theo Công báo (cho trường mình)"),
        _MANAGERS,
        ("Assessment",),
    ),
    "requirement_text.write_all": Action(
        _("Ghi văn bản yêu cầu còn thiếu theo Công báo cho mọi trường (chỉ quản trị)"), ()
    ),
    # Evidence
    "evidence.view": Action(
        _("Xem danh mục minh chứng"), (G(ALL_ROLES, "scope"),), ("Assessment", "Evidence")
    ),
    "evidence.download": Action(_("Tải tệp minh chứng"), (G(ALL_ROLES, "scope"),), ("Evidence",)),
    "evidence.manage": Action(
        _("Quản lý toàn bộ danh mục minh chứng, nhập từ Excel"),
        tuple(G(g.roles, g.relation, "editable") for g in _MANAGERS),
        ("Assessment",),
    ),
    "evidence.add": Action(
        _("Thêm minh chứng (theo tiêu chí được giao)"),
        tuple(G(g.roles, g.relation, "editable") for g in _SHEET_EDITORS),
        ("Assessment", "CriterionOf"),
    ),
    "evidence.edit": Action(
        _("Sửa, xóa minh chứng"),
        tuple(G(g.roles, g.relation, "editable") for g in _SHEET_EDITORS),
        ("Evidence",),
    ),
    "evidence.cite": Action(
        _("Trích dẫn minh chứng trong phiếu tiêu chí"),
        tuple(G(g.roles, g.relation, "editable") for g in _SHEET_EDITORS),
        ("CriterionSheet",),
    ),
    # Recognition register
    "recognition.view": Action(
        _("Xem sổ công nhận"), (G(ALL_ROLES, "scope"),), ("School", "RecognitionDecision")
    ),
    "recognition.record": Action(
        _("Ghi quyết định công nhận"), (G("RECOGNITION_RECORDERS", "unit"),), ("School",)
    ),
    "recognition.correct": Action(
        _("Đính chính quyết định công nhận (kèm lý do)"),
        (G("RECOGNITION_RECORDERS", "unit"),),
        ("School", "RecognitionDecision"),
    ),
    "recognition.import": Action(
        _("Nhập quyết định công nhận từ Excel"), (G("RECOGNITION_RECORDERS", "anywhere"),)
    ),
    # External evaluation (a team member holds a reviewer seat in the school while the
    # evaluation is open: the "scope" grants above let them read the dossier, nothing else)
    "evaluation.view": Action(
        _("Xem đăng ký, đợt đánh giá ngoài, đối chiếu kết quả"),
        (G(OFFICERS, "unit"), G((H,), "school"), G((R,), "ee_team")),
        ("School", "Registration", "Evaluation"),
    ),
    "evaluation.register": Action(
        _("Đăng ký đánh giá ngoài từ báo cáo tự đánh giá đã được chấp nhận"),
        (G((H,), "school"),),
        ("School", "Assessment"),
    ),
    "evaluation.review_registration": Action(
        _("Tiếp nhận hoặc trả lại đăng ký đánh giá ngoài"),
        (G(OFFICERS, "managing_unit"),),
        ("Registration",),
    ),
    "evaluation.form_team": Action(
        _("Thành lập đoàn đánh giá ngoài, phân công tiêu chí"),
        (G((P,), "unit"),),
        ("Evaluation",),
    ),
    "evaluation.judge": Action(
        _("Ghi ý kiến đánh giá chỉ báo (tiêu chí được phân công)"),
        (G((R,), "ee_team"),),
        ("Evaluation",),
    ),
    "evaluation.consolidate": Action(
        _("Thống nhất kết luận của đoàn cho từng chỉ báo"),
        (G((R,), "ee_leader"),),
        ("Evaluation",),
    ),
    "evaluation.record_visit": Action(
        _("Ghi khảo sát sơ bộ, chính thức"), (G((R,), "ee_lead"),), ("Evaluation",)
    ),
    "evaluation.write_review": Action(
        _("Viết nhận xét của đoàn theo tiêu chí (điểm mạnh, điểm yếu, khuyến nghị)"),
        (G((R,), "ee_lead"),),
        ("Evaluation",),
    ),
    "evaluation.report": Action(
        _("Gửi dự thảo báo cáo, ghi ý kiến của trường, hoàn thành báo cáo chính thức"),
        (G((R,), "ee_leader"),),
        ("Evaluation",),
    ),
    "evaluation.record_decision": Action(
        _("Ghi quyết định công nhận (hoặc không công nhận) sau đánh giá ngoài"),
        (G("RECOGNITION_RECORDERS", "unit"),),
        ("Evaluation",),
    ),
    # Publication (công khai, seed 002)
    "publication.publish": Action(
        _("Công khai, thôi công khai kết quả tự đánh giá, đánh giá ngoài, kế hoạch cải tiến"),
        (G((H,), "school"), G(OFFICERS, "managing_unit")),
        ("School",),
    ),
    # Plans, targets, investment, monthly reports
    "plan.add": Action(_("Lập kế hoạch"), (G(OFFICERS, "unit"),), ("AdminUnit",)),
    "plan.edit": Action(_("Sửa kế hoạch"), (G(OFFICERS, "plan_unit"),), ("ProgrammePlan",)),
    "target.edit": Action(
        _("Giao chỉ tiêu cho trường, chỉ tiêu của đơn vị"),
        (G(OFFICERS, "plan_unit"),),
        ("ProgrammePlan",),
    ),
    "activity.add": Action(
        _("Ghi hoạt động đã thực hiện của kế hoạch"),
        (G(OFFICERS, "plan_unit"),),
        ("ProgrammePlan",),
    ),
    "reminder.send": Action(
        _("Nhắc trường gửi báo cáo tháng"), (G(OFFICERS, "unit"),), ("School",)
    ),
    "monthly.submit": Action(
        _("Gửi báo cáo tiến độ tháng"),
        (G(OFFICERS, "unit"), G(SCHOOL_WORKERS, "school")),
        ("School",),
    ),
    "investment.add": Action(
        _("Thêm dự án đầu tư"), (G(OFFICERS, "unit"), G((H,), "school")), ("School",)
    ),
    "investment.edit": Action(
        _("Ghi, sửa dự án đầu tư của trường"),
        (G(OFFICERS, "unit"), G((H,), "school")),
        ("School", "InvestmentProject"),
    ),
    # Improvement actions registered from the blockers, reviews, the analysis of a unit
    "improvement.view": Action(
        _("Xem điểm còn thiếu, hành động cải tiến và các lần rà soát của trường"),
        (G(ALL_ROLES, "scope"),),
        ("School", "ImprovementAction"),
    ),
    "improvement.register": Action(
        _("Đăng ký chỉ báo, tiêu chí cần nâng; sửa hành động cải tiến; ghi lần rà soát"),
        (G((H,), "school"),),
        ("School", "ImprovementAction"),
    ),
    "improvement.note": Action(
        _("Ghi tiến độ hành động cải tiến, đính kèm minh chứng"),
        (G(SCHOOL_WORKERS, "school"),),
        ("ImprovementAction",),
    ),
    "improvement.analyse": Action(
        _("Xem phân tích điểm còn thiếu của các trường trong đơn vị, xuất Excel"),
        (G(ALL_ROLES, "scope"),),
        ("AdminUnit",),
    ),
}

# ---------------------------------------------------------------------------------------------
# The predicates (django-rules), built from the table


def _grant_predicate(grant: Grant) -> rules.Predicate:
    relation = RELATIONS[grant.relation]
    state = STATES[grant.state] if grant.state else None

    def test(user, target) -> bool:
        target = target or Target()
        scope = scope_for(user)
        if _is_empty(target):
            # Asked without an object ("may this user start a cycle somewhere?", for menus
            # and buttons): a membership that could hold the grant somewhere.
            return _somewhere(scope, grant)
        if state is not None and not state.test(target):
            return False
        return relation.test(scope, grant.role_set(), target)

    return rules.Predicate(test, name=f"{grant.roles}:{grant.relation}:{grant.state}")


@rules.predicate
def is_support(user) -> bool:
    return _is_support(user)


RULES = rules.RuleSet()
for _name, _action in ACTIONS.items():
    _pred = is_support
    for _grant in _action.grants:
        _pred = _pred | _grant_predicate(_grant)
    RULES.add_rule(_name, _pred)


def has_perm(user, action: str, obj: Any = None) -> bool:
    """May `user` do `action` on `obj` (a model instance, StandardOf, CriterionOf or None)?"""
    if action not in ACTIONS:
        raise KeyError(f"Unknown action {action!r}; add it to accounts.permissions.ACTIONS")
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return RULES.test_rule(action, user, resolve(obj))


# ---------------------------------------------------------------------------------------------
# Scoped querysets for an action


def _grants_q(scope: Scope, action: str, *, prefix: str = "") -> Q:
    """A Q over schools (at `prefix`) where the action's school-level grants hold."""
    q = Q(**{f"{prefix}pk__in": []})
    for grant in ACTIONS[action].grants:
        roles = grant.role_set()
        if grant.relation in ("unit", "managing_unit", "scope"):
            for s in scope.seats:
                if not (s.unit_id and s.role in roles):
                    continue
                part = Q(**{f"{prefix}unit__path__startswith": s.unit_path})
                if grant.relation == "managing_unit" and _unit_level(s.unit_depth) != "province":
                    kinds = [k for k, v in _managing_table().items() if v == "commune"]
                    part &= Q(**{f"{prefix}kind__in": kinds})
                q |= part
        if grant.relation in ("school", "scope"):
            ids = scope.schools_of(roles)
            if ids:
                q |= Q(**{f"{prefix}pk__in": ids})
    return q


def _managing_table() -> dict[str, str]:
    return getattr(settings, "MANAGING_LEVEL_BY_KIND", None) or DEFAULT_MANAGING_LEVEL_BY_KIND


def schools_where(user, action: str) -> QuerySet:
    """Schools on which `user` holds `action` through a unit or school membership (the
    relations that need an assessment — council seats, assignments — are not listed)."""
    scope = scope_for(user)
    School = apps.get_model("schools", "School")
    if scope.is_all:
        return School.objects.all()
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.filter(_grants_q(scope, action))


def school_filter_where(user, action: str, prefix: str = "") -> Q:
    scope = scope_for(user)
    return Q() if scope.is_all else _grants_q(scope, action, prefix=prefix)


def unit_paths_where(user, action: str) -> list[str] | None:
    """Unit paths under which `user` holds `action` by a unit membership; None = everywhere."""
    scope = scope_for(user)
    if scope.is_all:
        return None
    paths: list[str] = []
    for grant in ACTIONS[action].grants:
        if grant.relation in ("unit", "managing_unit", "scope", "plan_unit", "anywhere"):
            paths += [p for p in scope.paths_of(grant.role_set()) if p not in paths]
    return paths


def units_where(user, action: str) -> QuerySet:
    """Units (and everything below them) where `user` holds `action`."""
    AdminUnit = apps.get_model("units", "AdminUnit")
    paths = unit_paths_where(user, action)
    if paths is None:
        return AdminUnit.objects.all()
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return AdminUnit.objects.filter(q)


def editable_criterion_ids(user, assessment) -> set[int] | None:
    """The criteria whose sheets (and evidence) the user may write: None means every criterion
    (a manager of the cycle); otherwise the assigned ones, or none outside the school's staff.
    Ignores the lock (the services check it)."""
    if has_perm(user, "assessment.manage", assessment):
        return None
    if not _school_member(scope_for(user), {S}, resolve(assessment)):
        return set()
    return assigned_criterion_ids(user, assessment)


def addable_criterion_ids(user, assessment) -> set[int] | None:
    """Criteria under which the user may add evidence now: None = all, empty = none."""
    if not has_perm(user, "evidence.add", assessment):
        return set()
    return editable_criterion_ids(user, assessment)


def assignable_users_filter(school) -> Q:
    """A Q over users who may be given criteria of the school: those who could hold
    `sheet.edit` through an assignment or a seat (the school's principal and staff)."""
    return Q(memberships__school=school, memberships__role__in=SCHOOL_WORKERS)


def may_be_assigned(user, school) -> bool:
    return _school_member(scope_for(user), set(SCHOOL_WORKERS), Target(school=school))


# ---------------------------------------------------------------------------------------------
# docs/permissions.md, generated from the table (manage.py permissions_doc)

DOC_PATH = settings.BASE_DIR / "docs" / "permissions.md"
ROLE_LABELS = {r.value: r.label for r in Role}


def _roles_text(grant: Grant) -> str:
    if isinstance(grant.roles, str):
        names = ", ".join(str(ROLE_LABELS[r]) for r in DEFAULT_RECORDERS)
        return f"theo cài đặt `{grant.roles}` (mặc định: {names})"
    return ", ".join(str(ROLE_LABELS[r]) for r in grant.roles)


def render_markdown() -> str:
    """The table as Vietnamese Markdown. Written with the default settings' texts, so the
    committed file does not depend on a deployment's settings."""
    with translation.override("vi"):
        lines = [
            "# Phân quyền",
            "",
            "<!-- Tệp sinh tự động từ accounts/permissions.py: "
            "`python manage.py permissions_doc`. Đừng sửa tay. -->",
            "",
            "Mỗi thao tác được cấp cho một số vai trò, kèm **quan hệ** giữa người dùng và đối "
            "tượng (và đôi khi **trạng thái** của đối tượng). Quản trị viên hệ thống "
            "(superuser, hỗ trợ kỹ thuật) có mọi quyền. Ngoài phạm vi của người dùng, đối "
            "tượng coi như không tồn tại (404); trong phạm vi mà không có quyền: 403.",
            "",
            "## Thao tác",
            "",
            "| Thao tác | Mô tả | Vai trò | Quan hệ | Trạng thái |",
            "|---|---|---|---|---|",
        ]
        for name, action in ACTIONS.items():
            if not action.grants:
                lines.append(f"| `{name}` | {action.label} | chỉ quản trị viên hệ thống | | |")
            for i, grant in enumerate(action.grants):
                first = i == 0
                lines.append(
                    "| {} | {} | {} | {} | {} |".format(
                        f"`{name}`" if first else "",
                        action.label if first else "",
                        _roles_text(grant),
                        f"{RELATIONS[grant.relation].label} (`{grant.relation}`)",
                        STATES[grant.state].label if grant.state else "",
                    )
                )
        lines += [
            "",
            "## Đối tượng quy về trường / đơn vị",
            "",
            "| Đối tượng | Quy về |",
            "|---|---|",
        ]
        for name in OBJECT_PATHS:
            lines.append(f"| `{name}` | {OBJECT_LABELS[name]} |")
        lines += [
            "",
            "## Cấp quản lý theo cấp học (`MANAGING_LEVEL_BY_KIND`)",
            "",
            "Đơn vị ở cấp quản lý hoặc cấp trên (và chứa trường) là đơn vị quản lý trường. "
            "Mặc định (từ 01/7/2025; mỗi tỉnh có thể khác, sửa trong cài đặt):",
            "",
            "| Cấp học | Cấp quản lý |",
            "|---|---|",
        ]
        for kind, level in DEFAULT_MANAGING_LEVEL_BY_KIND.items():
            lines.append(f"| {kind} | {LEVEL_LABELS[level]} |")
        lines += [
            "",
            "## Cấp vai trò (`GRANTABLE_ROLES`)",
            "",
            "Người quản lý tài khoản chỉ cấp (hoặc thu hồi) các vai trò sau, trong phạm vi của "
            "mình; cán bộ cấp tỉnh, cấp xã cần cờ «quản trị tài khoản» trên phân quyền của mình, "
            "và chỉ người có cờ đó mới cấp cờ đó cho người khác.",
            "",
            "| Vai trò của người cấp | Được cấp |",
            "|---|---|",
        ]
        for giver, given in GRANTABLE_ROLES.items():
            names = ", ".join(str(ROLE_LABELS[r]) for r in given)
            lines.append(f"| {ROLE_LABELS[giver]} | {names} |")
        lines += [
            "",
            "## Vai trò",
            "",
            "| Mã | Vai trò |",
            "|---|---|",
        ]
        for value, label in ROLE_LABELS.items():
            lines.append(f"| `{value}` | {label} |")
        return "\n".join(lines) + "\n"
