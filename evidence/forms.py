"""Forms of the evidence register. They only shape input; checks that need the database (code,
duplicate file, file content) live in services and come back as ValidationError by field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from core.concurrency import version_field
from frameworks.models import Criterion

from .uploads import ACCEPT_ATTR, human_size, max_bytes

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class EvidenceForm(forms.Form):
    first_criterion = forms.TypedChoiceField(
        label=_("Tiêu chí (mã minh chứng theo tiêu chí này)"), coerce=int
    )
    name = forms.CharField(label=_("Tên minh chứng"), max_length=500)
    number = forms.CharField(label=_("Số/ký hiệu"), max_length=120, required=False)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày không hợp lệ; hãy ghi dạng dd/mm/yyyy.")},
    )
    issuer = forms.CharField(label=_("Nơi ban hành"), max_length=255, required=False)
    box = forms.IntegerField(
        label=_("Số hộp"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Để trống: số thứ tự của tiêu chuẩn."),
    )
    link = forms.CharField(
        label=_("Đường dẫn (nếu minh chứng ở nơi khác)"),
        max_length=1000,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("Tệp"), required=False)
    remove_file = forms.BooleanField(label=_("Xóa tệp hiện có"), required=False)
    version = version_field()  # the item's version when the form was opened (edit only)

    def __init__(
        self,
        *args,
        assessment: Assessment,
        editing: bool = False,
        criterion_ids: set[int] | None = None,
        **kwargs,
    ):
        """`criterion_ids`: the criteria the user may file items under (None: all)."""
        super().__init__(*args, **kwargs)
        criteria = Criterion.objects.filter(framework=assessment.framework).order_by("position")
        if criterion_ids is not None and not editing:
            criteria = criteria.filter(pk__in=criterion_ids)
        self.fields["first_criterion"].choices = [("", "—")] + [
            (c.pk, f"{c.code}. {c.title[:90]}") for c in criteria
        ]
        self.fields["file"].widget.attrs["accept"] = ACCEPT_ATTR
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, JPG hoặc PNG; tối đa %(max)s. Loại tệp được kiểm tra theo nội dung."
        ) % {"max": human_size(max_bytes())}
        if editing:
            # The code hangs on the first criterion: it is fixed once assigned.
            self.fields["first_criterion"].disabled = True
            self.fields["first_criterion"].required = False
            self.fields["box"].help_text = _("Đổi số hộp không đổi mã đã cấp.")
        else:
            del self.fields["remove_file"]
            del self.fields["version"]
        for name, fld in self.fields.items():
            css = (
                "form-check-input"
                if name == "remove_file"
                else ("form-select" if name == "first_criterion" else "form-control")
            )
            fld.widget.attrs.setdefault("class", css)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
