"""Forms of plans, investment projects and monthly reports. Rules live in services: the
views add the service's messages to these forms, so a refused form keeps what was typed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import version_field
from evidence.uploads import ACCEPT_ATTR
from programme.models import (
    Comparator,
    FundingSource,
    InvestmentCategory,
    InvestmentStatus,
    PlanKind,
    PlanStatus,
    TargetKind,
    UnitMetric,
)
from recognition.forms import DATE_FORMATS


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs.setdefault("class", css)

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


YEAR_MIN, YEAR_MAX = 2000, 2100


class PlanForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("Đơn vị ban hành"), choices=())
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=PlanKind.choices)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày không hợp lệ: hãy ghi theo dạng dd/mm/yyyy.")},
    )
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    title = forms.CharField(label=_("Trích yếu"), max_length=400)
    start_year = forms.IntegerField(label=_("Từ năm"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    end_year = forms.IntegerField(label=_("Đến năm"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=PlanStatus.choices)
    monthly_reports = forms.BooleanField(
        label=_("Các trường báo cáo tiến độ hằng tháng"), required=False
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goals = forms.CharField(
        label=_("Mục tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (u.uid, f"{u.name}{' (' + str(_('đơn vị cũ')) + ')' if not u.is_current else ''}")
            for u in units
        ]


class SchoolTargetForm(BootstrapForm):
    school = forms.ChoiceField(label=_("Trường"), choices=())
    year = forms.TypedChoiceField(
        label=_("Năm"), choices=(), coerce=int, empty_value=None, required=False
    )
    target = forms.ChoiceField(label=_("Chỉ tiêu"), choices=TargetKind.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, schools=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.code, f"{s.name} ({s.code})") for s in schools]
        self.fields["year"].choices = [("", _("Cả giai đoạn"))] + [(y, str(y)) for y in years]


class ActivityForm(BootstrapForm):
    done_on = forms.DateField(
        label=_("Ngày thực hiện"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Nội dung"),
        max_length=300,
        help_text=_("Ví dụ: Kiểm tra kỹ thuật các trường dự kiến đạt chuẩn."),
    )
    done_count = forms.IntegerField(label=_("Số đã thực hiện"), min_value=0, required=False)
    planned_count = forms.IntegerField(label=_("Số theo kế hoạch"), min_value=0, required=False)
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=20, initial="trường")
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class UnitTargetForm(BootstrapForm):
    label = forms.CharField(label=_("Chỉ tiêu"), max_length=300)
    year = forms.IntegerField(
        label=_("Năm (để trống: cả giai đoạn)"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
    )
    value = forms.DecimalField(label=_("Giá trị"), max_digits=12, decimal_places=2, localize=True)
    value_max = forms.DecimalField(
        label=_("Đến (nếu là khoảng)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
    )
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=20, initial="%")
    comparator = forms.ChoiceField(
        label=_("So sánh"),
        choices=Comparator.choices,
        required=False,
        help_text=_("«trên 80%» khác «80%»: chọn «trên» khi văn bản ghi như vậy."),
    )
    metric = forms.ChoiceField(
        label=_("Tính từ dữ liệu"),
        choices=UnitMetric.choices,
        required=False,
        help_text=_(
            "Tỷ lệ hoặc số trường đạt chuẩn được tính từ sổ công nhận; chỉ tiêu khác (trình độ"
            " cán bộ, giáo viên) ghi «chưa có số liệu»."
        ),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


def parse_million(text: str) -> Decimal | None:
    """ "14.765" (Vietnamese thousands dot) → 14765; "12,5" → 12.5; "5900" → 5900.
    A dot followed by exactly three digits groups thousands, as in seed 000's table."""
    raw = "".join(str(text).split())
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") >= 1 and all(len(p) == 3 for p in raw.split(".")[1:]):
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


class MillionField(forms.CharField):
    default_error_messages = {
        "invalid": _("Số tiền không hợp lệ: ghi theo triệu đồng, ví dụ 5.900 hoặc 12,5."),
    }

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        number = parse_million(text)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if number.as_tuple().exponent < -3:
            raise forms.ValidationError(_("Chỉ ghi tối đa 3 chữ số thập phân (triệu đồng)."))
        return number


class InvestmentForm(BootstrapForm):
    school = forms.ChoiceField(label=_("Trường"), choices=())
    plan = forms.TypedChoiceField(
        label=_("Thuộc kế hoạch"), choices=(), coerce=int, empty_value=None, required=False
    )
    name = forms.CharField(label=_("Tên dự án"), max_length=300)
    category = forms.ChoiceField(label=_("Nhóm"), choices=InvestmentCategory.choices)
    scale = forms.CharField(
        label=_("Quy mô"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    total_million = MillionField(
        label=_("Tổng mức đầu tư (triệu đồng)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "5.900"}),
    )
    funding_source = forms.ChoiceField(label=_("Nguồn vốn"), choices=FundingSource.choices)
    funding_note = forms.CharField(label=_("Ghi rõ nguồn khác"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=InvestmentStatus.choices)
    progress_percent = forms.IntegerField(
        label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0
    )
    criteria_codes = forms.CharField(
        label=_("Tiêu chí liên quan"),
        max_length=200,
        required=False,
        help_text=_("Mã tiêu chí, cách nhau bằng dấu phẩy, ví dụ: 3.1, 3.3."),
    )
    framework = forms.ChoiceField(label=_("Bộ tiêu chuẩn"), required=False, choices=())
    targets = forms.MultipleChoiceField(
        label=_("Tiêu chí, chỉ báo dự án phục vụ"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Tiêu chuẩn cơ sở vật chất đứng đầu danh sách."),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()

    def __init__(self, *args, schools=(), plans=(), frameworks=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(s.code, f"{s.name} ({s.code})") for s in schools]
        self.fields["plan"].choices = [("", "—")] + [(p.pk, str(p)) for p in plans]
        self.fields["framework"].choices = [("", "—")] + [
            (f.code, f.short_title or f.title) for f in frameworks
        ]
        self.fields["targets"].choices = list(targets)


class MonthlyReportForm(BootstrapForm):
    progress = forms.CharField(
        label=_("Tiến độ thực hiện trong tháng"), widget=forms.Textarea(attrs={"rows": 4})
    )
    results = forms.CharField(
        label=_("Kết quả đạt được"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc, đề xuất"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(
        label=_("Tệp đính kèm (PDF, Word, Excel, ảnh)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )
    # 0 = the month had no report when the form was opened (the school's first report).
    version = version_field(missing=0)


class ReminderForm(BootstrapForm):
    school = forms.CharField(widget=forms.HiddenInput)
    month = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])
    message = forms.CharField(label=_("Lời nhắc"), max_length=500, required=False)
