"""Forms of the self-assessment documents page: one document's issuance values, and the
editor of the prose sections."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.documents import prose
from core.text import nfc
from documents.forms import IssuanceForm


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
    """The prose sections of the framework's layout (assessments.documents.prose), the
    monitoring rows of Biểu 2 and the recognition conditions. An empty section prints its
    default (shown as the placeholder of the box) or a visible "chưa soạn" mark."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    MONITORING_ROWS = 4

    def __init__(self, *args, sa=None, saved=None, version=0, readonly=False, **kwargs):
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
