from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import version_field
from recognition import frameworks_ref
from recognition.files import max_bytes
from recognition.models import DecisionKind

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
LEVEL_CHOICES = [
    ("", _("— Không ghi (thu hồi; nâng mức tự ghi Mức độ 2) —")),
    ("1", _("1 (Mức độ 1 / Cấp độ 1)")),
    ("2", _("2 (Mức độ 2 / Cấp độ 2)")),
    ("3", _("3 (Cấp độ 3 — chỉ kiểm định)")),
    ("4", _("4 (Cấp độ 4 — chỉ kiểm định)")),
]


class DecisionForm(forms.Form):
    """The record form. Rules of the register are checked by the service, which adds its
    messages to this form, so a refused form keeps what the user typed."""

    kind = forms.ChoiceField(label=_("Loại quyết định"), choices=DecisionKind.choices)
    level = forms.TypedChoiceField(
        label=_("Mức / Cấp độ"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    number = forms.CharField(
        label=_("Số quyết định"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "1234/QĐ-SGDĐT"}),
    )
    signed_on = forms.DateField(
        label=_("Ngày ký"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày không hợp lệ: hãy ghi theo dạng dd/mm/yyyy.")},
    )
    signing_body = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Sở GD&ĐT Lai Châu", "list": "bodies"}),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    framework_code = forms.CharField(
        label=_("Bộ tiêu chuẩn áp dụng"),
        max_length=40,
        required=False,
        help_text=_("Để trống: hệ thống chọn theo cấp học của trường và ngày ký."),
        widget=forms.TextInput(attrs={"list": "frameworks"}),
    )
    scan = forms.FileField(
        label=_("Bản quét quyết định (PDF, JPG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_bytes() // (1024 * 1024)
        self.fields["scan"].help_text = _("Tối đa %(n)s MB.") % {"n": limit}
        self.framework_choices = frameworks_ref.choices()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def mark_invalid(self) -> None:
        """Bootstrap's red border on every field with an error (including service errors)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class CorrectionForm(DecisionForm):
    """Đính chính: the recorded decision's fields, a reason (kept in the history) and the version
    the page was read at. The scan is not corrected here (a new scan is a new upload)."""

    reason = forms.CharField(
        label=_("Lý do đính chính"),
        max_length=100,
        help_text=_("Bắt buộc; lưu trong lịch sử của quyết định (tối đa 100 ký tự)."),
        error_messages={
            "required": _("Hãy ghi lý do đính chính (lý do được lưu trong lịch sử)."),
            "max_length": _(
                "Lý do đính chính tối đa %(limit_value)d ký tự (đang có %(show_value)d)."
            ),
        },
    )
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["scan"]
