"""Forms of the documents page: one generation form (fields used depend on the kind) and the
prose editor of a report or plan."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import nfc
from documents.registry import FORMATS

PERIOD_CHOICES = [
    ("H1", _("6 tháng đầu năm")),
    ("H2", _("6 tháng cuối năm")),
    ("Y", _("Cả năm")),
]
FORMAT_LABELS = {"docx": _("Word (.docx)"), "xlsx": _("Excel (.xlsx)"), "pdf": _("PDF")}


class IssuanceForm(forms.Form):
    """The fields every generation form shares: the format and the header values typed at
    issuance (number, date, signer). A blank value leaves the document's placeholder."""

    fmt = forms.ChoiceField(
        label=_("Định dạng"), choices=[(f, FORMAT_LABELS[f]) for f in FORMATS], initial="docx"
    )
    date = forms.DateField(
        label=_("Ngày ghi trên văn bản"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    number = forms.CharField(label=_("Số văn bản"), required=False, max_length=20)
    signer_name = forms.CharField(label=_("Người ký"), required=False, max_length=120)

    def header(self) -> dict[str, str]:
        data = self.cleaned_data
        header = {
            "number": nfc(data.get("number")),
            "signer_name": nfc(data.get("signer_name")),
            "signer_title": nfc(data.get("signer_title")),
            "date": data["date"].isoformat() if data.get("date") else "",
        }
        return {k: v for k, v in header.items() if v}


class GenerateForm(IssuanceForm):
    # Plain text, checked against the scope by the view (outside the scope is 404, not a form
    # error); the choices are offered by the template.
    unit = forms.CharField(label=_("Đơn vị"), required=False, max_length=32)
    plan = forms.RegexField(label=_("Kế hoạch"), required=False, regex=r"^\d*$")
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=PERIOD_CHOICES, initial="H1", required=False
    )
    on = forms.DateField(
        label=_("Số liệu tính đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=120)

    def __init__(self, *args, units=(), plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_choices = [("", "—"), *units]
        self.plan_choices = [("", "—"), *plans]
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year

    def params(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": data.get("unit") or "",
            "plan": data.get("plan") or "",
            "year": data.get("year") or "",
            "period": data.get("period") or "H1",
            "on": data["on"].isoformat() if data.get("on") else "",
            "header": self.header(),
        }


class DraftForm(forms.Form):
    """One textarea per prose section; a blank line separates nothing: every line is a
    paragraph of the document."""

    def __init__(self, *args, sections=(), initial_texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in sections:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=(initial_texts or {}).get(key, ""),
            )

    def texts(self) -> dict[str, str]:
        return {k: nfc(v) for k, v in self.cleaned_data.items()}
