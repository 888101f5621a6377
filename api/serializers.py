"""What the API shows and accepts. Every field says in Vietnamese what it holds (the schema's
descriptions come from `help_text`); objects are named by their public codes (school code, unit
uid, framework code, indicator id, plan code), never by database ids."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Role
from assessments.models import Status as AssessmentStatus
from evaluation.models import EvaluationStatus, Outcome, Purpose, TeamRole
from recognition.models import DecisionKind
from schools.models import (
    NATIONAL_CODE_MAX,
    NATIONAL_CODE_RE,
    Ownership,
    SchoolKind,
    SpecialType,
    StandardLevel,
)
from units.models import AdminUnit

F = serializers


# --------------------------------------------------------------------------------------------
# Units


class UnitRefSerializer(F.Serializer):
    uid = F.CharField(help_text=_("Mã định danh ổn định của đơn vị (P12, W03549, HD110…)."))
    code = F.CharField(help_text=_("Mã đơn vị hành chính theo danh mục nhà nước."))
    name = F.CharField(help_text=_("Tên đơn vị hành chính."))
    valid_to = F.DateField(
        allow_null=True, help_text=_("Ngày đơn vị hết hiệu lực (trống: đơn vị hiện hành).")
    )


class UnitSerializer(F.Serializer):
    uid = F.CharField(help_text=_("Mã định danh ổn định của đơn vị (dùng trong địa chỉ API)."))
    code = F.CharField(help_text=_("Mã đơn vị hành chính theo danh mục nhà nước."))
    name = F.CharField(help_text=_("Tên đơn vị hành chính."))
    division_type = F.CharField(help_text=_("Loại đơn vị: tỉnh, thành phố, xã, phường, huyện…"))
    parent = F.CharField(
        source="parent.uid",
        allow_null=True,
        help_text=_("Mã định danh của đơn vị cấp trên (trống: cấp tỉnh)."),
    )
    valid_from = F.DateField(allow_null=True, help_text=_("Ngày đơn vị bắt đầu có hiệu lực."))
    valid_to = F.DateField(
        allow_null=True, help_text=_("Ngày đơn vị hết hiệu lực (trống: đơn vị hiện hành).")
    )
    is_current = F.BooleanField(help_text=_("Đơn vị còn hiệu lực (sau sắp xếp năm 2025)."))


class UnitDetailSerializer(UnitSerializer):
    predecessors = UnitRefSerializer(
        many=True, help_text=_("Các đơn vị cũ đã sáp nhập vào đơn vị này (sắp xếp năm 2025).")
    )
    successors = UnitRefSerializer(
        many=True, help_text=_("Các đơn vị kế thừa đơn vị này sau khi sáp nhập, giải thể.")
    )
    successors_are_guess = F.BooleanField(
        source="mapping_is_guess",
        help_text=_("Ánh xạ sang đơn vị kế thừa là ước đoán, chưa đối chiếu văn bản."),
    )


# --------------------------------------------------------------------------------------------
# Schools


class RecognitionStatusSerializer(F.Serializer):
    level = F.IntegerField(
        help_text=_("Mức chuẩn quốc gia đang có hiệu lực hôm nay: 0 chưa đạt, 1, 2.")
    )
    decision_number = F.CharField(
        allow_null=True, help_text=_("Số quyết định công nhận gần nhất của chuẩn quốc gia.")
    )
    signed_on = F.DateField(allow_null=True, help_text=_("Ngày ký quyết định đó."))
    valid_until = F.DateField(
        allow_null=True, help_text=_("Hiệu lực của công nhận đến ngày (trống: không có).")
    )
    accreditation_level = F.IntegerField(
        help_text=_("Cấp độ kiểm định chất lượng đang có hiệu lực: 0 chưa đạt, 1–4.")
    )


class LatestAssessmentSerializer(F.Serializer):
    school_year = F.CharField(help_text=_("Năm học của đợt tự đánh giá gần nhất (2024-2025)."))
    status = F.ChoiceField(
        choices=AssessmentStatus.choices, help_text=_("Trạng thái của đợt tự đánh giá.")
    )
    level = F.IntegerField(help_text=_("Mức tự đánh giá của trường trong đợt đó."))


class SchoolSerializer(F.Serializer):
    code = F.CharField(help_text=_("Mã trường (dùng trong địa chỉ API)."))
    national_code = F.CharField(
        help_text=_(
            "Mã trường CSDL ngành: mã do Cơ sở dữ liệu ngành giáo dục cấp (trống: chưa có)."
        )
    )
    name = F.CharField(help_text=_("Tên trường."))
    kind = F.ChoiceField(choices=SchoolKind.choices, help_text=_("Cấp học."))
    ownership = F.ChoiceField(choices=Ownership.choices, help_text=_("Loại hình."))
    special_type = F.ChoiceField(
        choices=SpecialType.choices, help_text=_("Loại trường đặc thù (trống: không).")
    )
    unit = F.CharField(source="unit.uid", help_text=_("Mã định danh của xã/phường."))
    unit_name = F.CharField(source="unit.name", help_text=_("Tên xã/phường."))
    province = F.CharField(
        allow_null=True, help_text=_("Mã định danh của tỉnh/thành phố chứa trường.")
    )
    standard_level = F.ChoiceField(
        choices=StandardLevel.choices, help_text=_("Mức chuẩn quốc gia hiện tại (0, 1, 2).")
    )
    recognition = RecognitionStatusSerializer(
        help_text=_("Tình trạng công nhận hiện tại theo sổ quyết định.")
    )
    latest_assessment = LatestAssessmentSerializer(
        allow_null=True, help_text=_("Đợt tự đánh giá gần nhất (trống: chưa có).")
    )


class SchoolDetailSerializer(SchoolSerializer):
    managing_body = F.CharField(help_text=_("Cơ quan quản lý trực tiếp."))
    founded_year = F.IntegerField(allow_null=True, help_text=_("Năm thành lập."))
    principal_name = F.CharField(help_text=_("Họ tên hiệu trưởng."))
    phone = F.CharField(help_text=_("Điện thoại."))
    email = F.CharField(help_text=_("Thư điện tử."))
    address = F.CharField(help_text=_("Địa chỉ."))
    website = F.CharField(help_text=_("Trang web."))
    note = F.CharField(help_text=_("Ghi chú."))
    is_illustrative = F.BooleanField(
        help_text=_("Tên hoặc số liệu không có trong văn bản gốc, chỉ để minh họa.")
    )
    version = F.IntegerField(
        help_text=_("Phiên bản của bản ghi; gửi lại trong If-Match (ETag) khi sửa.")
    )


_WRITE_TEXT = {"required": False, "allow_blank": True}


class SchoolWriteSerializer(F.Serializer):
    """The registry fields a client may send; which of them the caller may change is the
    service's answer (the managing unit: all; the principal: contacts)."""

    national_code = F.RegexField(
        NATIONAL_CODE_RE,
        max_length=NATIONAL_CODE_MAX,
        help_text=_(
            "Mã trường CSDL ngành: chữ số và chữ cái không dấu, tối đa 20 ký tự; duy nhất khi có"
            " (gửi chuỗi rỗng để xóa)."
        ),
        error_messages={
            "invalid": _(
                "Mã trường CSDL ngành chỉ gồm chữ số và chữ cái không dấu, tối đa 20 ký tự."
            )
        },
        **_WRITE_TEXT,
    )
    name = F.CharField(max_length=255, required=False, help_text=_("Tên trường."))
    kind = F.ChoiceField(choices=SchoolKind.choices, required=False, help_text=_("Cấp học."))
    ownership = F.ChoiceField(choices=Ownership.choices, required=False, help_text=_("Loại hình."))
    special_type = F.ChoiceField(
        choices=SpecialType.choices,
        required=False,
        allow_blank=True,
        help_text=_("Loại trường đặc thù (trống: không)."),
    )
    managing_body = F.CharField(
        max_length=255, help_text=_("Cơ quan quản lý trực tiếp."), **_WRITE_TEXT
    )
    unit = F.SlugRelatedField(
        slug_field="uid",
        queryset=AdminUnit.objects.current().filter(parent__isnull=False),
        required=False,
        help_text=_("Mã định danh của xã/phường hiện hành chứa trường."),
        error_messages={
            "does_not_exist": _("Không có xã/phường hiện hành mã «{value}»."),
            "invalid": _("Mã xã/phường không hợp lệ."),
        },
    )
    founded_year = F.IntegerField(
        min_value=1800,
        max_value=2100,
        required=False,
        allow_null=True,
        help_text=_("Năm thành lập."),
    )
    principal_name = F.CharField(max_length=120, help_text=_("Họ tên hiệu trưởng."), **_WRITE_TEXT)
    phone = F.CharField(max_length=40, help_text=_("Điện thoại."), **_WRITE_TEXT)
    email = F.EmailField(max_length=254, help_text=_("Thư điện tử."), **_WRITE_TEXT)
    address = F.CharField(max_length=255, help_text=_("Địa chỉ."), **_WRITE_TEXT)
    website = F.CharField(max_length=200, help_text=_("Trang web."), **_WRITE_TEXT)
    note = F.CharField(help_text=_("Ghi chú."), **_WRITE_TEXT)


class SchoolCreateSerializer(SchoolWriteSerializer):
    code = F.RegexField(
        r"^[A-Za-z0-9&._-]{1,32}$",
        help_text=_("Mã trường: chữ không dấu, số, dấu gạch; tối đa 32 ký tự."),
        error_messages={"invalid": _("Mã trường chỉ gồm chữ không dấu, số, «-», «_», «.»,«&».")},
    )
    name = F.CharField(max_length=255, help_text=_("Tên trường."))
    kind = F.ChoiceField(choices=SchoolKind.choices, help_text=_("Cấp học."))
    unit = F.SlugRelatedField(
        slug_field="uid",
        queryset=AdminUnit.objects.current().filter(parent__isnull=False),
        help_text=_("Mã định danh của xã/phường hiện hành chứa trường."),
        error_messages={
            "does_not_exist": _("Không có xã/phường hiện hành mã «{value}»."),
            "invalid": _("Mã xã/phường không hợp lệ."),
        },
    )


class SchoolYearDataSerializer(F.Serializer):
    school_year = F.CharField(help_text=_("Năm học (2024-2025)."))
    values = F.DictField(help_text=_("Số liệu đã nhập, theo mã dòng của biểu Phần I."))
    version = F.IntegerField(help_text=_("Phiên bản của bản ghi."))
    updated_at = F.DateTimeField(help_text=_("Thời điểm cập nhật gần nhất."))


# --------------------------------------------------------------------------------------------
# Frameworks


class FrameworkSerializer(F.Serializer):
    code = F.CharField(help_text=_("Mã bộ tiêu chuẩn (dùng trong địa chỉ API), ví dụ TT17-2018."))
    title = F.CharField(help_text=_("Tên văn bản."))
    short_title = F.CharField(help_text=_("Tên ngắn."))
    legal_basis = F.CharField(help_text=_("Căn cứ pháp lý."))
    effective_from = F.DateField(help_text=_("Hiệu lực từ ngày."))
    effective_to = F.DateField(allow_null=True, help_text=_("Hiệu lực đến ngày (trống: còn)."))
    school_kinds = F.ListField(child=F.CharField(), help_text=_("Các cấp học áp dụng."))


class IndicatorSerializer(F.Serializer):
    ident = F.CharField(help_text=_("Mã chỉ báo (dùng trong địa chỉ API), ví dụ 1.1-M1a."))
    criterion = F.CharField(
        source="criterion.code", allow_null=True, help_text=_("Mã tiêu chí chứa chỉ báo.")
    )
    standard = F.CharField(
        source="criterion.standard.code",
        allow_null=True,
        help_text=_("Mã tiêu chuẩn chứa chỉ báo."),
    )
    level = F.IntegerField(help_text=_("Mức của chỉ báo (1–4)."))
    text = F.CharField(allow_null=True, help_text=_("Nội dung chỉ báo theo văn bản."))


# --------------------------------------------------------------------------------------------
# Self-assessments and evidence


class SnapshotSerializer(F.Serializer):
    kind = F.CharField(help_text=_("Loại bản chụp (khi nộp, khi chấp nhận…)."))
    created_at = F.DateTimeField(help_text=_("Thời điểm chụp."))
    sha256 = F.CharField(help_text=_("Mã băm SHA-256 của nội dung bản chụp."))


class CriterionLevelSerializer(F.Serializer):
    criterion = F.CharField(help_text=_("Mã tiêu chí."))
    level = F.IntegerField(help_text=_("Mức đạt của tiêu chí theo các chỉ báo đã đánh giá."))
    explanation = F.CharField(help_text=_("Còn thiếu gì để đạt mức tiếp theo."))


class AssessmentSerializer(F.Serializer):
    school = F.CharField(source="school.code", help_text=_("Mã trường."))
    school_year = F.CharField(help_text=_("Năm học (dùng trong địa chỉ API)."))
    framework = F.CharField(source="framework.code", help_text=_("Mã bộ tiêu chuẩn áp dụng."))
    status = F.ChoiceField(choices=AssessmentStatus.choices, help_text=_("Trạng thái."))
    level = F.IntegerField(source="computed_level", help_text=_("Mức tự đánh giá của trường."))
    started_on = F.DateField(help_text=_("Ngày bắt đầu đợt."))
    locked = F.BooleanField(help_text=_("Đã khóa (đã nộp hoặc đã chấp nhận)."))


class AssessmentDetailSerializer(AssessmentSerializer):
    explanation = F.CharField(help_text=_("Điều còn thiếu để trường đạt mức tiếp theo."))
    criteria = CriterionLevelSerializer(many=True, help_text=_("Mức đạt của từng tiêu chí."))
    snapshots = SnapshotSerializer(many=True, help_text=_("Các bản chụp đã lưu và mã băm."))


class EvidenceSerializer(F.Serializer):
    code = F.CharField(help_text=_("Mã minh chứng."))
    name = F.CharField(help_text=_("Tên minh chứng."))
    criterion = F.CharField(
        source="first_criterion.code", help_text=_("Mã tiêu chí đầu tiên sử dụng minh chứng.")
    )
    number = F.CharField(help_text=_("Số/ký hiệu văn bản."))
    issued_on = F.DateField(allow_null=True, help_text=_("Ngày ban hành."))
    issuer = F.CharField(help_text=_("Nơi ban hành."))
    link = F.CharField(help_text=_("Đường dẫn ngoài (nếu có)."))
    file_name = F.CharField(source="original_name", help_text=_("Tên tệp gốc (nếu có tệp)."))
    download_url = F.CharField(
        allow_null=True,
        help_text=_(
            "Địa chỉ API tải tệp, theo mã trường, năm học và mã minh chứng (kiểm tra phạm vi,"
            " ghi nhật ký); trống nếu không có tệp."
        ),
    )


# --------------------------------------------------------------------------------------------
# Recognition


class DecisionSerializer(F.Serializer):
    school = F.CharField(source="school.code", help_text=_("Mã trường."))
    number = F.CharField(help_text=_("Số quyết định."))
    signed_on = F.DateField(help_text=_("Ngày ký."))
    signing_body = F.CharField(help_text=_("Cơ quan ban hành."))
    signer_title = F.CharField(help_text=_("Chức vụ người ký."))
    signer_name = F.CharField(help_text=_("Người ký."))
    kind = F.ChoiceField(choices=DecisionKind.choices, help_text=_("Loại quyết định."))
    level = F.IntegerField(
        allow_null=True, help_text=_("Mức (chuẩn quốc gia 1–2, kiểm định 1–4; thu hồi: trống).")
    )
    framework_code = F.CharField(help_text=_("Mã bộ tiêu chuẩn áp dụng."))
    valid_until = F.DateField(allow_null=True, help_text=_("Hiệu lực đến ngày."))
    note = F.CharField(help_text=_("Ghi chú."))
    has_scan = F.BooleanField(help_text=_("Có bản quét quyết định (tải trên giao diện)."))
    entry = F.IntegerField(
        help_text=_(
            "Số thứ tự của quyết định trong sổ của trường, theo thứ tự ghi sổ (không đổi khi"
            " đính chính); địa chỉ của quyết định: /api/v1/schools/{mã trường}/recognitions/"
            "{số thứ tự}/."
        )
    )
    version = F.IntegerField(
        help_text=_("Phiên bản của quyết định (ETag); tăng mỗi lần đính chính.")
    )


class DecisionWriteSerializer(F.Serializer):
    kind = F.ChoiceField(
        choices=DecisionKind.choices,
        help_text=_("Loại quyết định."),
        error_messages={"invalid_choice": _("Loại quyết định «{input}» không hợp lệ.")},
    )
    number = F.CharField(max_length=60, help_text=_("Số quyết định."))
    signed_on = F.DateField(
        help_text=_("Ngày ký (YYYY-MM-DD)."),
        error_messages={"invalid": _("Ngày ký không hợp lệ; dùng dạng YYYY-MM-DD.")},
    )
    signing_body = F.CharField(max_length=200, help_text=_("Cơ quan ban hành."))
    signer_title = F.CharField(max_length=120, help_text=_("Chức vụ người ký."), **_WRITE_TEXT)
    signer_name = F.CharField(max_length=120, help_text=_("Người ký."), **_WRITE_TEXT)
    level = F.IntegerField(
        min_value=1,
        max_value=4,
        required=False,
        allow_null=True,
        help_text=_("Mức (chuẩn quốc gia 1–2, kiểm định 1–4; thu hồi: bỏ trống)."),
    )
    framework_code = F.CharField(
        max_length=40,
        help_text=_("Mã bộ tiêu chuẩn; bỏ trống để hệ thống chọn theo cấp học và ngày ký."),
        **_WRITE_TEXT,
    )
    note = F.CharField(help_text=_("Ghi chú."), **_WRITE_TEXT)


class DecisionCorrectionSerializer(DecisionWriteSerializer):
    """Đính chính: the recorded fields, each optional (only the fields sent change), and the
    reason, required and kept in the decision's history."""

    reason = F.CharField(
        max_length=100,
        help_text=_("Lý do đính chính (bắt buộc, tối đa 100 ký tự); lưu trong lịch sử."),
        error_messages={
            "required": _("Hãy ghi lý do đính chính (lý do được lưu trong lịch sử)."),
            "blank": _("Hãy ghi lý do đính chính (lý do được lưu trong lịch sử)."),
            "null": _("Hãy ghi lý do đính chính (lý do được lưu trong lịch sử)."),
            "max_length": _("Lý do đính chính tối đa {max_length} ký tự."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "reason":
                field.required = False


# --------------------------------------------------------------------------------------------
# Plans, investment, monthly reports


class SchoolTargetSerializer(F.Serializer):
    school = F.CharField(source="school.code", help_text=_("Mã trường."))
    year = F.IntegerField(allow_null=True, help_text=_("Năm phải đạt."))
    target = F.CharField(help_text=_("Chỉ tiêu (công nhận mới, công nhận lại, nâng mức…)."))
    state = F.CharField(
        help_text=_("Kết quả theo sổ công nhận: achieved, missed, in_progress, pending…")
    )
    state_label = F.CharField(help_text=_("Kết quả, bằng lời."))


class YearRowSerializer(F.Serializer):
    year = F.IntegerField(allow_null=True, help_text=_("Năm (trống: cả giai đoạn)."))
    targeted = F.IntegerField(help_text=_("Số chỉ tiêu giao."))
    achieved = F.IntegerField(help_text=_("Số chỉ tiêu đã đạt."))
    missed = F.IntegerField(help_text=_("Số chỉ tiêu không đạt."))
    in_progress = F.IntegerField(help_text=_("Số chỉ tiêu đang thực hiện (năm nay)."))
    pending = F.IntegerField(help_text=_("Số chỉ tiêu chưa đến hạn."))
    without_target = F.IntegerField(help_text=_("Số trường đạt chuẩn ngoài chỉ tiêu."))


class PlanSerializer(F.Serializer):
    code = F.UUIDField(
        source="public_id",
        help_text=_("Mã định danh ổn định của kế hoạch (dùng trong địa chỉ API)."),
    )
    url = F.HyperlinkedIdentityField(
        view_name="api:v1_plan",
        lookup_field="public_id",
        lookup_url_kwarg="code",
        help_text=_("Địa chỉ API của kế hoạch: chỉ tiêu và kết quả thực hiện."),
    )
    unit = F.CharField(source="unit.uid", help_text=_("Mã định danh đơn vị ban hành."))
    kind = F.CharField(help_text=_("Loại văn bản (kế hoạch, đề án…)."))
    document_number = F.CharField(source="number", help_text=_("Số, ký hiệu văn bản."))
    issued_on = F.DateField(allow_null=True, help_text=_("Ngày ban hành."))
    title = F.CharField(help_text=_("Trích yếu."))
    start_year = F.IntegerField(help_text=_("Từ năm."))
    end_year = F.IntegerField(help_text=_("Đến năm."))
    status = F.CharField(help_text=_("Trạng thái."))


class PlanDetailSerializer(PlanSerializer):
    targets = SchoolTargetSerializer(
        many=True, help_text=_("Chỉ tiêu giao cho từng trường và kết quả thực hiện.")
    )
    years = YearRowSerializer(many=True, help_text=_("Kế hoạch và thực hiện theo từng năm."))


class InvestmentSerializer(F.Serializer):
    school = F.CharField(
        source="school.code", allow_null=True, help_text=_("Mã trường (trống: của đơn vị).")
    )
    unit = F.CharField(source="unit.uid", help_text=_("Mã định danh đơn vị."))
    plan = F.UUIDField(
        source="plan.public_id",
        allow_null=True,
        help_text=_("Mã định danh của kế hoạch chứa dự án (trống: không thuộc kế hoạch nào)."),
    )
    name = F.CharField(help_text=_("Tên dự án."))
    category = F.CharField(help_text=_("Nhóm dự án."))
    total_million = F.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Tổng mức đầu tư (triệu đồng).")
    )
    funding_source = F.CharField(help_text=_("Nguồn vốn."))
    year = F.IntegerField(help_text=_("Năm."))
    status = F.CharField(help_text=_("Trạng thái."))
    progress_percent = F.IntegerField(help_text=_("Tiến độ (%)."))


class MonthlyReportSerializer(F.Serializer):
    plan = F.UUIDField(
        source="plan.public_id", help_text=_("Mã định danh ổn định của kế hoạch được báo cáo.")
    )
    school = F.CharField(source="school.code", help_text=_("Mã trường."))
    month = F.DateField(help_text=_("Tháng báo cáo (ngày đầu tháng)."))
    progress = F.CharField(help_text=_("Tiến độ thực hiện."))
    results = F.CharField(help_text=_("Kết quả đạt được."))
    difficulties = F.CharField(help_text=_("Khó khăn, vướng mắc."))
    submitted_at = F.DateTimeField(help_text=_("Thời điểm gửi."))


# --------------------------------------------------------------------------------------------
# External evaluations (read)


class EvaluationSerializer(F.Serializer):
    school = F.CharField(help_text=_("Mã trường."))
    number = F.IntegerField(
        help_text=_(
            "Số thứ tự đợt đánh giá ngoài của trường (1 là đợt đầu tiên; dùng trong địa chỉ API)."
        )
    )
    status = F.ChoiceField(
        choices=EvaluationStatus.choices, help_text=_("Trạng thái của đợt đánh giá ngoài.")
    )
    purpose = F.ChoiceField(
        choices=Purpose.choices,
        help_text=_("Mục đích đăng ký: công nhận mới, công nhận lại, nâng mức độ."),
    )
    target_level = F.IntegerField(help_text=_("Mức độ trường đề nghị công nhận."))
    framework = F.CharField(help_text=_("Mã bộ tiêu chuẩn áp dụng."))
    school_year = F.CharField(help_text=_("Năm học của đợt tự đánh giá được đánh giá ngoài."))
    registered_on = F.DateField(
        allow_null=True, help_text=_("Ngày trường gửi đăng ký đánh giá ngoài.")
    )
    team_level = F.IntegerField(help_text=_("Mức đánh giá của đoàn theo các kết luận đã có."))
    proposal_level = F.IntegerField(
        allow_null=True,
        help_text=_("Mức độ đoàn đề nghị công nhận (trống: chưa có hoặc không đề nghị)."),
    )
    outcome = F.ChoiceField(
        choices=[("", _("Chưa có")), *Outcome.choices],
        help_text=_("Kết quả: công nhận, không công nhận (trống: chưa có quyết định)."),
    )


class TeamMemberSerializer(F.Serializer):
    full_name = F.CharField(help_text=_("Họ và tên thành viên đoàn."))
    role = F.ChoiceField(
        choices=TeamRole.choices,
        help_text=_("Vai trò trong đoàn: trưởng đoàn, thư ký, thành viên."),
    )
    criteria = F.ListField(
        child=F.CharField(), help_text=_("Mã các tiêu chí được phân công đánh giá.")
    )


class DivergenceCountsSerializer(F.Serializer):
    raised = F.IntegerField(help_text=_("Số mục đoàn đánh giá cao hơn trường tự đánh giá."))
    lowered = F.IntegerField(help_text=_("Số mục đoàn đánh giá thấp hơn trường tự đánh giá."))
    equal = F.IntegerField(help_text=_("Số mục đoàn và trường đánh giá như nhau."))
    pending = F.IntegerField(help_text=_("Số mục đoàn chưa kết luận."))


class DivergenceSerializer(F.Serializer):
    self_level = F.IntegerField(help_text=_("Mức trường tự đánh giá."))
    team_level = F.IntegerField(help_text=_("Mức theo kết luận của đoàn."))
    school_change = F.ChoiceField(
        choices=[(c, c) for c in ("raised", "lowered", "equal", "pending")],
        help_text=_("So với tự đánh giá, mức của trường: cao hơn, thấp hơn, như nhau, chưa rõ."),
    )
    indicators = DivergenceCountsSerializer(help_text=_("Đối chiếu theo từng chỉ báo."))
    criteria = DivergenceCountsSerializer(help_text=_("Đối chiếu theo từng tiêu chí."))


class EvaluationDetailSerializer(EvaluationSerializer):
    team_decision_number = F.CharField(help_text=_("Số quyết định thành lập đoàn."))
    team_decision_date = F.DateField(
        allow_null=True, help_text=_("Ngày quyết định thành lập đoàn.")
    )
    preliminary_visit_on = F.DateField(allow_null=True, help_text=_("Ngày khảo sát sơ bộ."))
    official_visit_on = F.DateField(allow_null=True, help_text=_("Ngày khảo sát chính thức."))
    report_sent_on = F.DateField(allow_null=True, help_text=_("Ngày gửi dự thảo báo cáo."))
    feedback_deadline = F.DateField(allow_null=True, help_text=_("Hạn trường góp ý."))
    final_at = F.DateTimeField(
        allow_null=True, help_text=_("Thời điểm hoàn thành báo cáo chính thức.")
    )
    final_sha256 = F.CharField(help_text=_("Mã băm SHA-256 của báo cáo chính thức (nếu có)."))
    decision_number = F.CharField(
        allow_null=True, help_text=_("Số quyết định công nhận sau đánh giá ngoài (nếu có).")
    )
    team = TeamMemberSerializer(many=True, help_text=_("Thành viên đoàn đánh giá ngoài."))
    explanation = F.CharField(help_text=_("Điều còn thiếu để trường đạt mức tiếp theo (đoàn)."))
    supported_level = F.IntegerField(
        allow_null=True,
        help_text=_("Mức độ công nhận mà mức của đoàn đủ điều kiện theo bộ tiêu chuẩn."),
    )
    criteria = CriterionLevelSerializer(
        many=True, help_text=_("Mức đạt của từng tiêu chí theo kết luận của đoàn.")
    )
    divergence = DivergenceSerializer(
        help_text=_("Đối chiếu kết quả tự đánh giá với kết quả đánh giá ngoài.")
    )


# --------------------------------------------------------------------------------------------
# The caller


class MeSerializer(F.Serializer):
    username = F.CharField(help_text=_("Tên đăng nhập."))
    name = F.CharField(help_text=_("Họ tên."))
    seats = F.ListField(
        child=F.CharField(),
        help_text=_("Các vai trò đang giữ, dạng «vai trò@đơn vị hoặc mã trường»."),
    )
    token = F.CharField(allow_null=True, help_text=_("Tên mã truy cập đang dùng (nếu có)."))


ROLE_CHOICES = Role.choices
