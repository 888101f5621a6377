from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import nfc
from schools.models import School


class SchoolForm(forms.ModelForm):
    """Edit a school's registry entry. `version` travels with the form so that two officers
    editing the same school cannot overwrite each other silently."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = School
        fields = [
            "code",
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

    def __init__(self, *args, units=None, **kwargs):
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
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = nfc(value)
        return data

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError(_("Năm thành lập phải trong khoảng 1900–2100."))
        return year
