"""Forms of the documents page: one generation form (fields used depend on the kind) and the
prose editor of a report or plan."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import version_field
from core.text import nfc
from documents.builders import FORMATS

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

    version = version_field(missing=0)  # the draft's version when opened; 0 = none yet

    def __init__(self, *args, sections=(), initial_texts=None, version=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        for key, label in sections:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=(initial_texts or {}).get(key, ""),
            )

    def texts(self) -> dict[str, str]:
        return {k: nfc(v) for k, v in self.cleaned_data.items() if k != "version"}


class AssessmentGenerateForm(IssuanceForm):
    """One self-assessment document: format, optional criterion (a single sheet), and the
    header values typed at issuance."""

    criterion = forms.RegexField(
        label=_("Tiêu chí"), required=False, regex=r"^[0-9.]{0,10}$", max_length=10
    )

    def params(self, assessment_id: int) -> dict:
        return {
            "assessment": assessment_id,
            "criterion": self.cleaned_data.get("criterion") or "",
            "header": self.header(),
        }


class ProseForm(forms.Form):
    """The prose sections of the framework's layout (documents.selfassessment.prose), the
    monitoring rows of Biểu 2 and the recognition conditions. An empty section prints its
    default (shown as the placeholder of the box) or a visible "chưa soạn" mark."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    MONITORING_ROWS = 4

    def __init__(self, *args, sa=None, saved=None, version=0, readonly=False, **kwargs):
        from documents.selfassessment import prose

        super().__init__(*args, **kwargs)
        saved = saved or {}
        data = self.sa = sa
        self.fields["version"].initial = version
        self.sections = prose.sections_for(data.layout)
        for section in self.sections:
            placeholder = prose.default_for(data, section.key)
            self.fields[section.key] = forms.CharField(
                label=section.label,
                required=False,
                initial=saved.get(section.key, ""),
                widget=forms.Textarea(
                    attrs={
                        "rows": section.rows,
                        "placeholder": placeholder or _("Chưa soạn"),
                    }
                ),
                help_text=_("Để trống để dùng nội dung gợi ý (chữ mờ trong ô).")
                if placeholder
                else "",
            )
        self.has_monitoring = data.documents.get("improvement_form") == "tt57-bieu2"
        rows = saved.get("monitoring") or []
        self.monitoring_names = []
        if self.has_monitoring:
            for n in range(self.MONITORING_ROWS):
                names = []
                for key, label in prose.MONITORING_COLUMNS:
                    name = f"mon-{n}-{key}"
                    initial = rows[n].get(key, "") if n < len(rows) else ""
                    if not initial and key == "when" and n < len(prose.MONITORING_DEFAULT_WHEN):
                        initial = prose.MONITORING_DEFAULT_WHEN[n]
                    self.fields[name] = forms.CharField(
                        label=f"{label} ({n + 1})", required=False, initial=initial, max_length=500
                    )
                    names.append(name)
                self.monitoring_names.append(names)
        flags = saved.get("conditions") or {}
        self.condition_names = []
        for key, spec in data.conditions.items():
            name = f"cond-{key}"
            self.fields[name] = forms.BooleanField(
                label=spec.get("label", key), required=False, initial=bool(flags.get(key))
            )
            self.condition_names.append(name)
        if readonly:
            for name, field in self.fields.items():
                field.disabled = name != "version"

    def section_fields(self):
        return [self[s.key] for s in self.sections]

    def monitoring_rows(self):
        return [[self[name] for name in names] for names in self.monitoring_names]

    def condition_fields(self):
        return [self[name] for name in self.condition_names]

    def texts(self) -> dict:
        from documents.selfassessment import prose

        data = self.cleaned_data
        out: dict = {s.key: nfc(data.get(s.key, "")) for s in self.sections}
        out["monitoring"] = [
            {key: nfc(data.get(f"mon-{n}-{key}", "")) for key, _label in prose.MONITORING_COLUMNS}
            for n in range(len(self.monitoring_names))
        ]
        # A row with only its default "when" is not a monitoring entry yet.
        out["monitoring"] = [
            r for r in out["monitoring"] if any(r[k] for k, _l in prose.MONITORING_COLUMNS[1:])
        ]
        out["conditions"] = {
            name.removeprefix("cond-"): bool(data.get(name)) for name in self.condition_names
        }
        return out
