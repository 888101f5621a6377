"""The API's resources (/api/v1/). Thin views: every read starts from the same scoped selectors
as the pages (outside the scope: 404), every write goes through the same services as the forms
(inside the scope without the right: 403; refused data: 400 with Vietnamese messages; a stale
version: 409). Objects are addressed by public codes: school code, unit uid, framework code,
indicator id, school year, plan code (a UUID)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Membership
from accounts.permissions import get_school_or_404, has_perm, scope_for
from api import rows
from api import serializers as s
from api.errors import Forbidden, PreconditionRequired, bad_request
from assessments import selectors as assessment_selectors
from assessments.models import Assessment
from core.text import fold
from evaluation import rules as evaluation_rules
from evaluation import selectors as evaluation_selectors
from evaluation.models import Evaluation
from evidence import downloads as evidence_downloads
from evidence.models import Evidence
from frameworks.models import Framework, Indicator
from programme import selectors as programme_selectors
from programme.models import MonthlyReport
from recognition import services as recognition_services
from recognition.models import RecognitionDecision
from schools import services as school_services
from schools.models import School, SchoolYearData
from units import selectors as unit_selectors
from units.models import AdminUnit

# --------------------------------------------------------------------------------------------
# Shared pieces


def _param(name: str, description: str, type_=OpenApiTypes.STR, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description, enum=enum)


def _ordering(allowed: list[str], default: str) -> OpenApiParameter:
    choices = [*allowed, *(f"-{a}" for a in allowed)]
    return _param(
        "ordering",
        _("Sắp xếp theo (thêm «-» để giảm dần); mặc định %(default)s.") % {"default": default},
        enum=choices,
    )


def _order(qs, request, fields: dict[str, str], default: str):
    """Sort by one of `fields` (public name → model path); an unknown value is ignored."""
    wanted = request.query_params.get("ordering", "")
    desc = wanted.startswith("-")
    path = fields.get(wanted.lstrip("-"))
    if path is None:
        return qs.order_by(*default.split(","))
    return qs.order_by(f"-{path}" if desc else path, "pk")


def _date_param(request, name: str) -> dt.date | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError(
            {name: [_("Ngày không hợp lệ; dùng dạng YYYY-MM-DD.")]}
        ) from None


def _int_schema(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


def _int_param(request, name: str, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high]; absent: None; anything else is a 400 in
    Vietnamese (never a 500 from a value the database cannot hold)."""
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    if value.isascii() and value.lstrip("-").isdigit() and len(value) <= 9:
        number = int(value)
        if low <= number <= high:
            return number
    raise serializers.ValidationError(
        {name: [_("Phải là số nguyên từ %(low)s đến %(high)s.") % {"low": low, "high": high}]}
    )


def _unit_filter(qs, request, prefix: str):
    """?unit=<uid>: that unit and everything under it; an unknown uid empties the list."""
    uid = request.query_params.get("unit", "")
    if not uid:
        return qs
    unit = AdminUnit.objects.filter(uid=uid).only("path").first()
    return qs.filter(**{f"{prefix}path__startswith": unit.path}) if unit else qs.none()


def _etag(version: int) -> str:
    return f'"{version}"'


def _if_match(request) -> int:
    """The version a write was read at, from If-Match (the ETag of the read)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    value = header.removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError:
        return -1  # never a stored version: the write is refused as stale (409)


UNIT_PARAM = _param("unit", _("Mã định danh đơn vị (uid): chỉ lấy trong đơn vị đó và cấp dưới."))
Q_PARAM = _param("q", _("Tìm theo tên hoặc mã, không cần dấu."))
ERRORS = {
    401: OpenApiResponse(description=_("Chưa xác thực (thiếu hoặc sai mã truy cập).")),
    404: OpenApiResponse(description=_("Không có trong phạm vi của bạn.")),
}
WRITE_ERRORS = {
    **ERRORS,
    400: OpenApiResponse(description=_("Dữ liệu không hợp lệ: thông báo theo từng trường.")),
    403: OpenApiResponse(description=_("Trong phạm vi nhưng không có quyền thao tác này.")),
}


class Api(GenericAPIView):
    """Base view: JSON, paginated lists."""

    def paginated(self, items, serializer_class, enrich=None):
        page = self.paginate_queryset(items)
        if enrich is not None:
            page = enrich(list(page))
        serializer = serializer_class(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


# --------------------------------------------------------------------------------------------
# The index and the caller


class Root(APIView):
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request):
        names = [
            "units",
            "schools",
            "schools_export",
            "recognitions",
            "assessments",
            "frameworks",
            "plans",
            "investments",
            "monthly_reports",
            "me",
            "schema",
            "docs",
        ]
        return Response({n: request.build_absolute_uri(reverse(f"api:v1_{n}")) for n in names})


class Me(APIView):
    @extend_schema(responses={200: s.MeSerializer, 401: ERRORS[401]}, summary=_("Người gọi"))
    def get(self, request):
        user = request.user
        seats = [
            f"{m.role}@{m.unit.uid if m.unit_id else m.school.code}"
            for m in Membership.objects.filter(user=user).select_related("unit", "school")
        ]
        token = getattr(request.auth, "name", None)
        return Response(
            s.MeSerializer(
                {
                    "username": user.get_username(),
                    "name": user.get_full_name(),
                    "seats": seats,
                    "token": token,
                }
            ).data
        )


# --------------------------------------------------------------------------------------------
# Units


class UnitList(Api):
    serializer_class = s.UnitSerializer

    @extend_schema(
        parameters=[
            Q_PARAM,
            _param("parent", _("Chỉ các đơn vị trực thuộc đơn vị có uid này.")),
            _param(
                "current",
                _("true: chỉ đơn vị hiện hành; false: chỉ đơn vị đã giải thể."),
                enum=["true", "false"],
            ),
            _ordering(["name", "code", "valid_to"], "name"),
        ],
        responses={200: s.UnitSerializer(many=True), 401: ERRORS[401]},
        summary=_("Danh sách đơn vị hành chính"),
    )
    def get(self, request):
        qs = scope_for(request.user).units().select_related("parent")
        p = request.query_params
        if p.get("q"):
            for word in fold(p["q"]).split():
                qs = qs.filter(search_text__contains=word)
        if p.get("parent"):
            qs = qs.filter(parent__uid=p["parent"])
        if p.get("current") == "true":
            qs = qs.filter(valid_to__isnull=True)
        elif p.get("current") == "false":
            qs = qs.filter(valid_to__isnull=False)
        qs = _order(
            qs, request, {"name": "sort_key", "code": "code", "valid_to": "valid_to"}, "sort_key,pk"
        )
        return self.paginated(qs, s.UnitSerializer)


class UnitDetail(Api):
    serializer_class = s.UnitDetailSerializer

    @extend_schema(
        responses={200: s.UnitDetailSerializer, **ERRORS},
        summary=_("Một đơn vị, với đơn vị cũ và đơn vị kế thừa"),
    )
    def get(self, request, uid: str):
        unit = unit_selectors.unit_get(user=request.user, uid=uid)
        data = s.UnitDetailSerializer(unit).data
        data["predecessors"] = s.UnitRefSerializer(unit.predecessors.all(), many=True).data
        data["successors"] = s.UnitRefSerializer(unit.successors.all(), many=True).data
        return Response(data)


# --------------------------------------------------------------------------------------------
# Schools

SCHOOL_ORDER = {"code": "code", "name": "sort_key", "kind": "kind", "level": "standard_level"}


def _schools(request):
    qs = scope_for(request.user).schools()
    p = request.query_params
    if p.get("q"):
        for word in fold(p["q"]).split():
            qs = qs.filter(search_text__contains=word)
    if p.get("national_code"):
        qs = qs.filter(national_code=p["national_code"].strip())
    qs = _unit_filter(qs, request, "unit__")
    if p.get("kind"):
        qs = qs.filter(kind=p["kind"])
    if p.get("level") in {"0", "1", "2"}:
        qs = qs.filter(standard_level=int(p["level"]))
    return qs


SCHOOL_FILTERS = [
    _param("q", _("Tìm theo tên, mã trường hoặc mã trường CSDL ngành, không cần dấu.")),
    _param("national_code", _("Mã trường CSDL ngành (đúng từng ký tự).")),
    UNIT_PARAM,
    _param("kind", _("Cấp học (MN, TH, THCS, THPT…)."), enum=[k for k, _l in s.SchoolKind.choices]),
    _param("level", _("Mức chuẩn quốc gia hiện tại: 0, 1, 2."), enum=["0", "1", "2"]),
]


def _national_code_taken(data: dict, *, exclude: School | None):
    """The form's check (schools.forms): a national code belongs to one school at most. The
    other school is not named: it may lie outside the caller's scope. The service still
    refuses a concurrent taker (DuplicateNationalCode)."""
    code = data.get("national_code", "")
    if not code:
        return None
    taken = School.objects.filter(national_code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if not taken.exists():
        return None
    return bad_request(
        {
            "national_code": [
                _("Mã trường CSDL ngành %(code)s đã được dùng cho một trường khác.")
                % {"code": code}
            ]
        }
    )


def _school_detail(school: School) -> dict:
    rows.enrich([school])
    return s.SchoolDetailSerializer(school).data


class SchoolList(Api):
    serializer_class = s.SchoolSerializer

    @extend_schema(
        parameters=[*SCHOOL_FILTERS, _ordering(list(SCHOOL_ORDER), "name")],
        responses={200: s.SchoolSerializer(many=True), 401: ERRORS[401]},
        summary=_("Danh sách trường, kèm công nhận hiện tại và mức tự đánh giá gần nhất"),
    )
    def get(self, request):
        qs = _order(_schools(request), request, SCHOOL_ORDER, "sort_key,code")
        qs = qs.select_related("unit").only(
            "id",
            "code",
            "national_code",
            "name",
            "kind",
            "ownership",
            "special_type",
            "standard_level",
            "unit__uid",
            "unit__name",
            "unit__path",
        )
        # Rows built as dicts (the serializer documents them): a page is 100 nested rows.
        page = rows.enrich(list(self.paginate_queryset(qs)))
        return self.get_paginated_response([rows.list_row(school) for school in page])

    @extend_schema(
        request=s.SchoolCreateSerializer,
        responses={201: s.SchoolDetailSerializer, **WRITE_ERRORS},
        summary=_("Thêm trường (đơn vị quản lý)"),
    )
    def post(self, request):
        if not has_perm(request.user, "school.create"):
            raise Forbidden(_("Bạn không có quyền thêm trường."))
        form = s.SchoolCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if not scope_for(request.user).can_see_unit(data["unit"]):
            return bad_request({"unit": [_("Không có xã/phường này trong phạm vi của bạn.")]})
        if School.objects.filter(code=data["code"]).exists():
            return bad_request({"code": [_("Mã trường này đã có trong hệ thống.")]})
        if taken := _national_code_taken(data, exclude=None):
            return taken
        try:
            school = school_services.school_create(user=request.user, data=data)
        except school_services.DuplicateNationalCode as exc:
            return bad_request({"national_code": [str(exc)]})
        except school_services.NotAllowed as exc:
            raise Forbidden(str(exc)) from exc
        response = Response(_school_detail(school), status=status.HTTP_201_CREATED)
        response["ETag"] = _etag(school.version)
        response["Location"] = reverse("api:v1_school", args=[school.code])
        return response


class SchoolDetail(Api):
    serializer_class = s.SchoolDetailSerializer

    @extend_schema(
        responses={200: s.SchoolDetailSerializer, **ERRORS},
        summary=_("Một trường (ETag: phiên bản)"),
    )
    def get(self, request, code: str):
        school = get_school_or_404(request.user, code=code)
        response = Response(_school_detail(school))
        response["ETag"] = _etag(school.version)
        return response

    @extend_schema(
        request=s.SchoolWriteSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description=_("ETag của lần đọc gần nhất (chống ghi đè)."),
            )
        ],
        responses={
            200: s.SchoolDetailSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(description=_("Trường đã được người khác sửa sau lần đọc.")),
            428: OpenApiResponse(description=_("Thiếu tiêu đề If-Match.")),
        },
        summary=_("Sửa thông tin trường (như biểu mẫu sửa trường)"),
    )
    def patch(self, request, code: str):
        school = get_school_or_404(request.user, code=code)
        if not school_services.editable_fields(user=request.user, school=school):
            raise Forbidden(_("Bạn không có quyền sửa thông tin trường này."))
        version = _if_match(request)
        form = s.SchoolWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if "unit" in data and not scope_for(request.user).can_see_unit(data["unit"]):
            return bad_request({"unit": [_("Không có xã/phường này trong phạm vi của bạn.")]})
        if taken := _national_code_taken(data, exclude=school):
            return taken
        try:
            school = school_services.school_update(
                user=request.user, school=school, data=data, version=version
            )
        except school_services.DuplicateNationalCode as exc:
            return bad_request({"national_code": [str(exc)]})
        except school_services.NotAllowed as exc:
            raise Forbidden(str(exc)) from exc
        school = get_school_or_404(request.user, code=code)
        response = Response(_school_detail(school))
        response["ETag"] = _etag(school.version)
        return response


class SchoolExport(APIView):
    @extend_schema(
        parameters=[
            *SCHOOL_FILTERS,
            _param(
                "output",
                _("Định dạng: jsonl (mặc định, mỗi dòng một trường) hoặc csv."),
                enum=["jsonl", "csv"],
            ),
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            (200, "text/csv"): OpenApiTypes.STR,
            401: ERRORS[401],
        },
        summary=_("Xuất toàn bộ trường trong phạm vi (truyền dần), kèm công nhận và mức"),
    )
    def get(self, request):
        batches = rows.export_rows(_schools(request))
        if request.query_params.get("output") == "csv":
            response = StreamingHttpResponse(_csv(batches), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="truong.csv"'
        else:
            response = StreamingHttpResponse(_jsonl(batches), content_type="application/x-ndjson")
        return response


def _jsonl(batches):
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for batch in batches:
        yield "".join([dumps(row) + "\n" for row in batch]).encode()


def _csv(batches):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=rows.EXPORT_COLUMNS)
    buf.write("\ufeff")  # Excel reads the UTF-8 file as such
    writer.writeheader()
    for batch in batches:
        writer.writerows(batch)
        yield buf.getvalue().encode()
        buf.seek(0)
        buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode()


class SchoolYearDataList(Api):
    serializer_class = s.SchoolYearDataSerializer

    @extend_schema(
        responses={200: s.SchoolYearDataSerializer(many=True), **ERRORS},
        summary=_("Số liệu năm học của trường (Phần I)"),
    )
    def get(self, request, code: str):
        school = get_school_or_404(request.user, code=code)
        qs = SchoolYearData.objects.filter(school=school).order_by("-school_year")
        return self.paginated(qs, s.SchoolYearDataSerializer)


# --------------------------------------------------------------------------------------------
# Recognition register

DECISION_ORDER = {"signed_on": "signed_on", "number": "number", "school": "school__code"}


def _decision_data(decisions) -> list:
    for d in decisions:
        d.has_scan = bool(d.scan)
    return decisions


def _with_entry(qs):
    """Each decision's `entry`: its place in its school's register in recording order (1, 2, …),
    which a correction never changes and a later decision never shifts (the register is
    append-only): the public address of a decision next to the school code."""
    earlier = (
        RecognitionDecision.objects.filter(school=OuterRef("school"), id__lte=OuterRef("id"))
        .order_by()
        .values("school")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(entry=Subquery(earlier[:1]))


def _school_decision(school: School, entry: int) -> RecognitionDecision:
    if not 1 <= entry <= 10**9:  # a huge number must not reach the database's OFFSET
        raise Http404
    decision = (
        RecognitionDecision.objects.filter(school=school)
        .select_related("school")
        .order_by("id")[entry - 1 : entry]
        .first()
    )
    if decision is None:
        raise Http404
    decision.entry = entry
    decision.has_scan = bool(decision.scan)
    return decision


def _decision_response(decision: RecognitionDecision, **kwargs) -> Response:
    response = Response(s.DecisionSerializer(decision).data, **kwargs)
    response["ETag"] = _etag(decision.version)
    return response


class RecognitionList(Api):
    serializer_class = s.DecisionSerializer

    @extend_schema(
        parameters=[
            UNIT_PARAM,
            _param("school", _("Mã trường.")),
            _param("kind", _("Loại quyết định."), enum=[k for k, _l in s.DecisionKind.choices]),
            _param("level", _("Mức (0–4)."), type_=_int_schema(0, 4)),
            _param("signed_from", _("Ký từ ngày (YYYY-MM-DD)."), type_=OpenApiTypes.DATE),
            _param("signed_to", _("Ký đến ngày (YYYY-MM-DD)."), type_=OpenApiTypes.DATE),
            _ordering(list(DECISION_ORDER), "-signed_on"),
        ],
        responses={200: s.DecisionSerializer(many=True), 400: WRITE_ERRORS[400], 401: ERRORS[401]},
        summary=_("Sổ quyết định công nhận"),
    )
    def get(self, request):
        qs = RecognitionDecision.objects.filter(scope_for(request.user).school_filter("school__"))
        qs = _unit_filter(qs, request, "school__unit__")
        p = request.query_params
        if p.get("school"):
            qs = qs.filter(school__code=p["school"])
        if p.get("kind"):
            qs = qs.filter(kind=p["kind"])
        if (level := _int_param(request, "level", 0, 4)) is not None:
            qs = qs.filter(level=level)
        if (start := _date_param(request, "signed_from")) is not None:
            qs = qs.filter(signed_on__gte=start)
        if (end := _date_param(request, "signed_to")) is not None:
            qs = qs.filter(signed_on__lte=end)
        qs = _order(qs.select_related("school"), request, DECISION_ORDER, "-signed_on,-id")
        return self.paginated(_with_entry(qs), s.DecisionSerializer, enrich=_decision_data)


class SchoolRecognitions(Api):
    serializer_class = s.DecisionSerializer

    @extend_schema(
        responses={200: s.DecisionSerializer(many=True), **ERRORS},
        summary=_("Các quyết định công nhận của một trường"),
    )
    def get(self, request, code: str):
        school = get_school_or_404(request.user, code=code)
        qs = RecognitionDecision.objects.filter(school=school).select_related("school")
        return self.paginated(
            _with_entry(qs.order_by("-signed_on", "-id")),
            s.DecisionSerializer,
            enrich=_decision_data,
        )

    @extend_schema(
        request=s.DecisionWriteSerializer,
        responses={201: s.DecisionSerializer, **WRITE_ERRORS},
        summary=_("Ghi quyết định công nhận (như biểu mẫu của Sở)"),
    )
    def post(self, request, code: str):
        school = get_school_or_404(request.user, code=code)
        if not has_perm(request.user, "recognition.record", school):
            raise Forbidden(_("Bạn không có quyền ghi quyết định cho trường này."))
        form = s.DecisionWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        for key in ("signer_title", "signer_name", "framework_code", "note"):
            data.setdefault(key, "")
        try:
            decision = recognition_services.recognition_record(
                user=request.user, school=school, data=data
            )
        except recognition_services.NotAllowed as exc:
            raise Forbidden(str(exc)) from exc
        except recognition_services.DecisionRejected as exc:
            return bad_request(exc.errors)
        decision.has_scan = False
        decision.entry = RecognitionDecision.objects.filter(
            school=school, id__lte=decision.id
        ).count()
        response = _decision_response(decision, status=status.HTTP_201_CREATED)
        response["Location"] = reverse(
            "api:v1_school_recognition", args=[school.code, decision.entry]
        )
        return response


class SchoolRecognitionDetail(Api):
    serializer_class = s.DecisionSerializer

    @extend_schema(
        responses={200: s.DecisionSerializer, **ERRORS},
        summary=_("Một quyết định trong sổ của trường, theo số thứ tự ghi sổ (ETag: phiên bản)"),
    )
    def get(self, request, code: str, entry: int):
        school = get_school_or_404(request.user, code=code)
        return _decision_response(_school_decision(school, entry))

    @extend_schema(
        request=s.DecisionCorrectionSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description=_("ETag của lần đọc gần nhất (chống ghi đè)."),
            )
        ],
        responses={
            200: s.DecisionSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(
                description=_("Quyết định đã được người khác đính chính sau lần đọc.")
            ),
            428: OpenApiResponse(description=_("Thiếu tiêu đề If-Match.")),
        },
        summary=_(
            "Đính chính quyết định (như trang Đính chính của Sở): chỉ các trường gửi lên thay"
            " đổi, bắt buộc có lý do"
        ),
    )
    def patch(self, request, code: str, entry: int):
        school = get_school_or_404(request.user, code=code)
        decision = _school_decision(school, entry)
        if not has_perm(request.user, "recognition.correct", decision):
            raise Forbidden(_("Bạn không có quyền đính chính quyết định của trường này."))
        version = _if_match(request)
        form = s.DecisionCorrectionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        reason = data.pop("reason")
        try:
            fixed = recognition_services.recognition_correct(
                user=request.user, decision=decision, data=data, reason=reason, version=version
            )
        except recognition_services.NotAllowed as exc:
            raise Forbidden(str(exc)) from exc
        except recognition_services.DecisionRejected as exc:
            return bad_request(exc.errors)
        fixed.entry, fixed.has_scan = entry, bool(fixed.scan)
        return _decision_response(fixed)


# --------------------------------------------------------------------------------------------
# Frameworks and indicators (the circulars: the same for everyone signed in)


class FrameworkList(Api):
    serializer_class = s.FrameworkSerializer

    @extend_schema(
        responses={200: s.FrameworkSerializer(many=True), 401: ERRORS[401]},
        summary=_("Các bộ tiêu chuẩn"),
    )
    def get(self, request):
        return self.paginated(
            Framework.objects.order_by("effective_from", "code"), s.FrameworkSerializer
        )


def _framework(code: str) -> Framework:
    framework = Framework.objects.filter(code=code).first()
    if framework is None:
        raise Http404
    return framework


class FrameworkDetail(Api):
    serializer_class = s.FrameworkSerializer

    @extend_schema(responses={200: s.FrameworkSerializer, **ERRORS}, summary=_("Một bộ tiêu chuẩn"))
    def get(self, request, code: str):
        return Response(s.FrameworkSerializer(_framework(code)).data)


class IndicatorList(Api):
    serializer_class = s.IndicatorSerializer

    @extend_schema(
        parameters=[
            _param("level", _("Mức của chỉ báo (1–4)."), type_=_int_schema(0, 4)),
            _param("criterion", _("Mã tiêu chí.")),
        ],
        responses={200: s.IndicatorSerializer(many=True), 400: WRITE_ERRORS[400], **ERRORS},
        summary=_("Các chỉ báo của một bộ tiêu chuẩn"),
    )
    def get(self, request, code: str):
        qs = Indicator.objects.filter(framework=_framework(code)).select_related(
            "criterion", "criterion__standard"
        )
        p = request.query_params
        if (level := _int_param(request, "level", 0, 4)) is not None:
            qs = qs.filter(level=level)
        if p.get("criterion"):
            qs = qs.filter(criterion__code=p["criterion"])
        return self.paginated(qs.order_by("position", "pk"), s.IndicatorSerializer)


class IndicatorDetail(Api):
    serializer_class = s.IndicatorSerializer

    @extend_schema(responses={200: s.IndicatorSerializer, **ERRORS}, summary=_("Một chỉ báo"))
    def get(self, request, code: str, ident: str):
        indicator = (
            Indicator.objects.filter(framework=_framework(code), ident=ident)
            .select_related("criterion", "criterion__standard")
            .first()
        )
        if indicator is None:
            raise Http404
        return Response(s.IndicatorSerializer(indicator).data)


# --------------------------------------------------------------------------------------------
# Self-assessments and their evidence

ASSESSMENT_ORDER = {
    "school_year": "school_year",
    "school": "school__code",
    "level": "computed_level",
    "status": "status",
}


class AssessmentList(Api):
    serializer_class = s.AssessmentSerializer

    @extend_schema(
        parameters=[
            UNIT_PARAM,
            _param("status", _("Trạng thái."), enum=[k for k, _l in s.AssessmentStatus.choices]),
            _param("school_year", _("Năm học (2024-2025).")),
            _param("level", _("Mức tự đánh giá (0–4)."), type_=_int_schema(0, 4)),
            _ordering(list(ASSESSMENT_ORDER), "-school_year"),
        ],
        responses={
            200: s.AssessmentSerializer(many=True),
            400: WRITE_ERRORS[400],
            401: ERRORS[401],
        },
        summary=_("Các đợt tự đánh giá"),
    )
    def get(self, request):
        qs = assessment_selectors.assessment_list(user=request.user)
        qs = _unit_filter(qs, request, "school__unit__")
        p = request.query_params
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        if p.get("school_year"):
            qs = qs.filter(school_year=p["school_year"])
        if (level := _int_param(request, "level", 0, 4)) is not None:
            qs = qs.filter(computed_level=level)
        qs = _order(qs, request, ASSESSMENT_ORDER, "-school_year,school__sort_key,pk")
        return self.paginated(qs, s.AssessmentSerializer)


def _assessment(request, code: str, school_year: str) -> Assessment:
    school = get_school_or_404(request.user, code=code)
    assessment = (
        Assessment.objects.filter(school=school, school_year=school_year)
        .select_related("school", "school__unit", "framework")
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


class SchoolAssessments(Api):
    serializer_class = s.AssessmentSerializer

    @extend_schema(
        responses={200: s.AssessmentSerializer(many=True), **ERRORS},
        summary=_("Các đợt tự đánh giá của một trường"),
    )
    def get(self, request, code: str):
        school = get_school_or_404(request.user, code=code)
        qs = Assessment.objects.filter(school=school).select_related("school", "framework")
        return self.paginated(qs.order_by("-school_year"), s.AssessmentSerializer)


class AssessmentDetail(Api):
    serializer_class = s.AssessmentDetailSerializer

    @extend_schema(
        responses={200: s.AssessmentDetailSerializer, **ERRORS},
        summary=_("Một đợt tự đánh giá: mức, mức từng tiêu chí, bản chụp"),
    )
    def get(self, request, code: str, school_year: str):
        assessment = _assessment(request, code, school_year)
        live = assessment_selectors.live_levels(assessment)
        assessment.explanation = live.explanation
        assessment.criteria = [
            {"criterion": c, "level": v.level, "explanation": v.explanation}
            for c, v in live.criteria.items()
        ]
        assessment.snapshots_list = list(assessment.snapshots.order_by("created_at", "pk"))
        data = s.AssessmentDetailSerializer(assessment).data
        data["snapshots"] = s.SnapshotSerializer(assessment.snapshots_list, many=True).data
        return Response(data)


# --------------------------------------------------------------------------------------------
# External evaluations (read). An evaluation has no public code: it is addressed by its
# school's code and its number within the school (1 = the first, by creation), which never
# changes because evaluations are never deleted (the registration and the decision protect it).


def _school_evaluations(school: School) -> list[Evaluation]:
    """The school's evaluations, oldest first, each with its `number`."""
    found = list(
        Evaluation.objects.filter(school=school)
        .select_related("registration", "framework", "assessment", "school")
        .order_by("created_at", "pk")
    )
    for number, evaluation in enumerate(found, start=1):
        evaluation.number = number
    return found


def _evaluation_row(evaluation: Evaluation) -> dict:
    reg = evaluation.registration
    submitted = reg.submitted_at
    return {
        "school": evaluation.school.code,
        "number": evaluation.number,
        "status": evaluation.status,
        "purpose": reg.purpose,
        "target_level": reg.target_level,
        "framework": evaluation.framework.code,
        "school_year": evaluation.assessment.school_year,
        "registered_on": timezone.localdate(submitted) if submitted else None,
        "team_level": evaluation.team_level,
        "proposal_level": evaluation.proposal_level,
        "outcome": evaluation.outcome,
    }


def _counts(counts: dict[str, int]) -> dict[str, int]:
    keys = (
        evaluation_rules.RAISED,
        evaluation_rules.LOWERED,
        evaluation_rules.EQUAL,
        evaluation_rules.PENDING,
    )
    return {key: counts.get(key, 0) for key in keys}


class SchoolEvaluations(Api):
    serializer_class = s.EvaluationSerializer

    @extend_schema(
        responses={
            200: s.EvaluationSerializer(many=True),
            **ERRORS,
            403: WRITE_ERRORS[403],
        },
        summary=_("Các đợt đánh giá ngoài của một trường (mới nhất trước)"),
    )
    def get(self, request, code: str):
        school = get_school_or_404(request.user, code=code)
        if not has_perm(request.user, "evaluation.view", school):
            raise Forbidden(_("Bạn không có quyền xem đánh giá ngoài của trường này."))
        found = _school_evaluations(school)[::-1]
        page = self.paginate_queryset(found)
        data = s.EvaluationSerializer([_evaluation_row(e) for e in page], many=True).data
        return self.get_paginated_response(data)


class EvaluationDetail(Api):
    serializer_class = s.EvaluationDetailSerializer

    @extend_schema(
        responses={200: s.EvaluationDetailSerializer, **ERRORS, 403: WRITE_ERRORS[403]},
        summary=_("Một đợt đánh giá ngoài: đoàn, mức của đoàn, mức từng tiêu chí, đối chiếu"),
    )
    def get(self, request, code: str, number: int):
        school = get_school_or_404(request.user, code=code)
        found = _school_evaluations(school)
        if not 1 <= number <= len(found):
            raise Http404
        listed = found[number - 1]
        # The same scoped read and the same right as the evaluation's page.
        evaluation = evaluation_selectors.get_evaluation_or_404(request.user, listed.pk)
        if not has_perm(request.user, "evaluation.view", evaluation):
            raise Forbidden(_("Bạn không có quyền xem đợt đánh giá ngoài này."))
        evaluation.number = number
        live = evaluation_selectors.team_levels(evaluation)
        gap = evaluation_selectors.divergence(evaluation)
        members = evaluation.members.prefetch_related("criteria").order_by("position", "pk")
        data = {
            **_evaluation_row(evaluation),
            "team_decision_number": evaluation.team_decision_number,
            "team_decision_date": evaluation.team_decision_date,
            "preliminary_visit_on": evaluation.preliminary_visit_on,
            "official_visit_on": evaluation.official_visit_on,
            "report_sent_on": evaluation.report_sent_on,
            "feedback_deadline": evaluation.feedback_deadline,
            "final_at": evaluation.final_at,
            "final_sha256": evaluation.final_sha256,
            "decision_number": evaluation.decision.number if evaluation.decision else None,
            "team": [
                {
                    "full_name": m.full_name,
                    "role": m.role,
                    "criteria": sorted(c.code for c in m.criteria.all()),
                }
                for m in members
            ],
            "explanation": live.explanation,
            "supported_level": evaluation_selectors.supported_standard_level(live),
            "criteria": [
                {"criterion": c, "level": v.level, "explanation": v.explanation}
                for c, v in live.criteria.items()
            ],
            "divergence": {
                "self_level": gap.self_level,
                "team_level": gap.team_level,
                "school_change": gap.school_change,
                "indicators": _counts(gap.indicator_counts),
                "criteria": _counts(gap.criterion_counts),
            },
        }
        return Response(s.EvaluationDetailSerializer(data).data)


class EvidenceList(Api):
    serializer_class = s.EvidenceSerializer

    @extend_schema(
        parameters=[_param("criterion", _("Mã tiêu chí đầu tiên."))],
        responses={200: s.EvidenceSerializer(many=True), **ERRORS},
        summary=_("Danh mục minh chứng của một đợt (tệp tải qua đường dẫn có kiểm tra phạm vi)"),
    )
    def get(self, request, code: str, school_year: str):
        assessment = _assessment(request, code, school_year)
        if not has_perm(request.user, "evidence.view", assessment):
            raise Forbidden()
        qs = Evidence.objects.filter(assessment=assessment).select_related("first_criterion")
        if request.query_params.get("criterion"):
            qs = qs.filter(first_criterion__code=request.query_params["criterion"])

        def links(items):
            for e in items:
                e.download_url = (
                    request.build_absolute_uri(
                        reverse("api:v1_evidence_file", args=[code, school_year, e.code])
                    )
                    if e.file
                    else None
                )
            return items

        return self.paginated(qs.order_by("code", "pk"), s.EvidenceSerializer, enrich=links)


class EvidenceFile(Api):
    """One evidence item's file, by the assessment's public codes and the evidence code (the
    code an item gets when filed never changes). Scoped and logged like the page's link."""

    def perform_content_negotiation(self, request, force=False):
        # The answer is the file itself, whatever the client accepts.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "evidence_code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=_("Mã minh chứng (không kèm dấu ngoặc), ví dụ H1-1.1-01."),
            )
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description=_("Tệp minh chứng, tải về dưới tên gốc (ghi nhật ký tải)."),
            ),
            403: WRITE_ERRORS[403],
            **ERRORS,
        },
        summary=_("Tệp của một minh chứng"),
    )
    def get(self, request, code: str, school_year: str, evidence_code: str):
        assessment = _assessment(request, code, school_year)
        evidence = (
            Evidence.objects.filter(assessment=assessment, code=evidence_code)
            .select_related("assessment__school__unit")
            .first()
        )
        if evidence is None:
            raise Http404
        if not has_perm(request.user, "evidence.download", evidence):
            raise Forbidden()
        return evidence_downloads.file_response(request, evidence)


# --------------------------------------------------------------------------------------------
# Plans, investment projects, monthly reports


def _plan_code(request) -> uuid.UUID | None:
    """?plan=<the plan's public code>; anything but a UUID is a 400."""
    value = request.query_params.get("plan", "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise serializers.ValidationError({"plan": [_("Mã kế hoạch không hợp lệ.")]}) from None


PLAN_PARAM = _param("plan", _("Mã định danh của kế hoạch."), type_=OpenApiTypes.UUID)


class PlanList(Api):
    serializer_class = s.PlanSerializer

    @extend_schema(
        parameters=[UNIT_PARAM, _param("status", _("Trạng thái kế hoạch."))],
        responses={200: s.PlanSerializer(many=True), 401: ERRORS[401]},
        summary=_("Kế hoạch, đề án"),
    )
    def get(self, request):
        qs = programme_selectors.plan_list(user=request.user)
        qs = _unit_filter(qs, request, "unit__")
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        return self.paginated(qs.select_related("unit"), s.PlanSerializer)


class PlanDetail(Api):
    serializer_class = s.PlanDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.UUID,
                OpenApiParameter.PATH,
                description=_("Mã định danh ổn định của kế hoạch (trường «code» của danh sách)."),
            )
        ],
        responses={200: s.PlanDetailSerializer, **ERRORS},
        summary=_("Một kế hoạch: chỉ tiêu và kết quả thực hiện theo sổ công nhận"),
    )
    def get(self, request, code):
        plan = programme_selectors.plan_get_by_code(user=request.user, code=code)
        report = programme_selectors.plan_report(
            user=request.user, plan=plan, today=timezone.localdate()
        )
        codes = {sid: sch.code for sid, sch in report.schools.items()}
        plan.targets = [
            {
                "school": {"code": codes.get(o.target.school_id, "")},
                "year": o.target.year,
                "target": o.target.kind,
                "state": o.state,
                "state_label": str(o.state_label),
            }
            for o in report.result.outcomes
        ]
        data = s.PlanSerializer(plan, context=self.get_serializer_context()).data
        data["targets"] = s.SchoolTargetSerializer(plan.targets, many=True).data
        data["years"] = s.YearRowSerializer(
            [*report.result.years, report.result.whole_period], many=True
        ).data
        return Response(data)


class InvestmentList(Api):
    serializer_class = s.InvestmentSerializer

    @extend_schema(
        parameters=[
            UNIT_PARAM,
            _param("year", _("Năm."), type_=_int_schema(1900, 2100)),
            PLAN_PARAM,
            _param("status", _("Trạng thái dự án.")),
        ],
        responses={
            200: s.InvestmentSerializer(many=True),
            400: WRITE_ERRORS[400],
            401: ERRORS[401],
        },
        summary=_("Dự án đầu tư"),
    )
    def get(self, request):
        year = _int_param(request, "year", 1900, 2100)
        qs = programme_selectors.investment_list(
            user=request.user,
            filters=programme_selectors.InvestmentFilters(year=str(year or "")),
        )
        if code := _plan_code(request):
            qs = qs.filter(plan__public_id=code)
        qs = _unit_filter(qs, request, "unit__")
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        return self.paginated(qs, s.InvestmentSerializer)


class MonthlyReportList(Api):
    serializer_class = s.MonthlyReportSerializer

    @extend_schema(
        parameters=[
            UNIT_PARAM,
            _param("school", _("Mã trường.")),
            PLAN_PARAM,
            _param(
                "month_from", _("Từ tháng (YYYY-MM-DD, ngày đầu tháng)."), type_=OpenApiTypes.DATE
            ),
            _param("month_to", _("Đến tháng (YYYY-MM-DD)."), type_=OpenApiTypes.DATE),
        ],
        responses={
            200: s.MonthlyReportSerializer(many=True),
            400: WRITE_ERRORS[400],
            401: ERRORS[401],
        },
        summary=_("Báo cáo tiến độ tháng"),
    )
    def get(self, request):
        qs = MonthlyReport.objects.filter(scope_for(request.user).school_filter("school__"))
        qs = _unit_filter(qs, request, "school__unit__")
        p = request.query_params
        if p.get("school"):
            qs = qs.filter(school__code=p["school"])
        if code := _plan_code(request):
            qs = qs.filter(plan__public_id=code)
        if (start := _date_param(request, "month_from")) is not None:
            qs = qs.filter(month__gte=start)
        if (end := _date_param(request, "month_to")) is not None:
            qs = qs.filter(month__lte=end)
        qs = qs.select_related("school", "plan").order_by("-month", "school__code", "pk")
        return self.paginated(qs, s.MonthlyReportSerializer)
