from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import nfc
from schools.models import School, SchoolSite
from units.models import AdminUnit


class SchoolForm(forms.ModelForm):
    """Edit a school's registry entry. `version` travels with the form so that two officers
    editing the same school cannot overwrite each other silently. Fields outside `editable`
    (see schools.services.editable_fields) are disabled: shown as text, never taken from the
    POST."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = School
        fields = [
            "code",
            "national_code",
            "name",
            "kind",
            "ownership",
            "special_type",
            "managing_body",
            "unit",
            "founded_year",
            "principal_name",
            "phone",
            "email",
            "address",
            "website",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units=None, editable=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["unit"].label = _("Xã/phường")
        self.fields["founded_year"].widget.attrs.update({"min": 1900, "max": 2100})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            # The code is the school's identity in imports, evidence codes and documents.
            self.fields["code"].disabled = True
        else:
            self.fields["version"].required = False
        if editable is not None:
            for name, field in self.fields.items():
                if name not in editable and name != "version":
                    field.disabled = True
        if self.fields["unit"].disabled and self.instance.pk:
            # The school's own commune, whatever units the user may pick from.
            self.fields["unit"].queryset = AdminUnit.objects.filter(pk=self.instance.unit_id)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    @property
    def has_readonly(self) -> bool:
        """Fields the user sees but may not change, apart from the code (never editable)."""
        return any(f.disabled for name, f in self.fields.items() if name != "code")

    def rows(self) -> list[tuple[forms.BoundField, str | None]]:
        """(field, text): text is what a read-only field shows instead of an input."""
        out = []
        for bound in self.visible_fields():
            text = None
            if bound.field.disabled:
                text = self._display(bound.name) or "—"
            out.append((bound, text))
        return out

    def _display(self, name: str) -> str:
        school = self.instance
        if name == "unit":
            unit = school.unit if school.unit_id else None
            if unit is None:
                return ""
            return f"{unit.name}, {unit.parent.name}" if unit.parent_id else unit.name
        value = getattr(school, name, None)
        display = getattr(school, f"get_{name}_display", None)
        if display is not None and value:
            return str(display())
        return "" if value is None else str(value)

    def clean(self):
        data = super().clean()
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = nfc(value)
        return data

    def clean_national_code(self) -> str:
        code = (self.cleaned_data.get("national_code") or "").strip()
        if code:
            taken = School.objects.filter(national_code=code).exclude(pk=self.instance.pk)
            if taken.exists():
                # The other school is not named: it may lie outside the user's scope.
                raise forms.ValidationError(
                    _("Mã trường CSDL ngành %(code)s đã được dùng cho một trường khác.")
                    % {"code": code}
                )
        return code

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError(_("Năm thành lập phải trong khoảng 1900–2100."))
        return year


class SchoolSiteForm(forms.ModelForm):
    class Meta:
        model = SchoolSite
        fields = ["name", "address", "is_main"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"class": "form-control form-control-sm"})
        self.fields["address"].widget.attrs.update({"class": "form-control form-control-sm"})
        self.fields["is_main"].widget.attrs.update({"class": "form-check-input"})

    def clean(self):
        data = super().clean()
        for key in ("name", "address"):
            if isinstance(data.get(key), str):
                data[key] = nfc(data[key])
        return data


class BaseSiteFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.update({"class": "form-check-input"})

    def clean(self):
        super().clean()
        mains = sum(
            1
            for form in self.forms
            if form.cleaned_data.get("is_main")
            and form.cleaned_data.get("name")
            and not self._should_delete_form(form)
        )
        if mains > 1:
            raise forms.ValidationError(_("Chỉ một điểm trường được đánh dấu là điểm chính."))


SiteFormSet = forms.inlineformset_factory(
    School,
    SchoolSite,
    form=SchoolSiteForm,
    formset=BaseSiteFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)
