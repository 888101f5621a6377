from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.concurrency import version_field
from core.text import nfc
from frameworks.models import Criterion

from .models import CouncilRole, GroupKind, MilestoneStatus
from .services import ACTION_FIELDS


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


def default_school_year(day: dt.date) -> str:
    """A Vietnamese school year starts in September (trường hợp đặc biệt do Bộ quyết định)."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


class StartForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=_lazy("Trường"))
    school_year = forms.CharField(label=_lazy("Năm học"), max_length=9)
    on_date = forms.DateField(
        label=_lazy("Ngày bắt đầu"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_lazy("Bộ tiêu chuẩn được chọn theo cấp học của trường và ngày này."),
    )
    copy_previous = forms.BooleanField(
        label=_lazy("Sao chép nội dung của đợt trước"), required=False
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        today = timezone.localdate()
        self.fields["on_date"].initial = today
        self.fields["school_year"].initial = default_school_year(today)
        _bootstrap(self)


class SheetForm(forms.Form):
    """Texts of a criterion sheet. One "hiện trạng" box per level; `version` travels with the
    form (optimistic locking). Improvement-plan rows arrive as parallel lists (action[],
    responsible[], …) so a row can be added in the page without a formset's bookkeeping."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    strengths = forms.CharField(
        label=_lazy("Điểm mạnh"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    weaknesses = forms.CharField(
        label=_lazy("Điểm yếu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, levels: list[tuple[int, str]], actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_names = levels
        for level, name in levels:
            self.fields[f"state_{level}"] = forms.CharField(
                label=_("Hiện trạng, kết quả đạt được — %(name)s") % {"name": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        _bootstrap(self)
        self.action_rows = self._action_rows(actions)

    def _action_rows(self, actions) -> list[dict]:
        if self.is_bound:
            lists = {f: self.data.getlist(f) for f in ACTION_FIELDS}
            count = max((len(v) for v in lists.values()), default=0)
            return [
                {f: (lists[f][i] if i < len(lists[f]) else "") for f in ACTION_FIELDS}
                for i in range(count)
            ]
        rows = [
            {
                f: (
                    getattr(a, f).isoformat()
                    if isinstance(getattr(a, f), dt.date)
                    else getattr(a, f)
                )
                or ""
                for f in ACTION_FIELDS
            }
            for a in (actions or [])
        ]
        return rows

    def state_fields(self):
        return [self[f"state_{level}"] for level, _name in self.level_names]

    def clean(self):
        data = super().clean()
        rows = []
        for n, raw in enumerate(self.action_rows, 1):
            row = {f: nfc(raw.get(f)) for f in ACTION_FIELDS}
            if not any(row.values()):
                continue
            if not row["action"]:
                self.add_error(None, _("Kế hoạch cải tiến, dòng %(n)d: thiếu nội dung.") % {"n": n})
                continue
            for key, label in (("start", _("bắt đầu")), ("end", _("kết thúc"))):
                if row[key]:
                    try:
                        row[key] = dt.date.fromisoformat(row[key])
                    except ValueError:
                        self.add_error(
                            None,
                            _("Kế hoạch cải tiến, dòng %(n)d, cột %(col)s: ngày không hợp lệ.")
                            % {"n": n, "col": label},
                        )
                        row[key] = None
                else:
                    row[key] = None
            rows.append(row)
        data["actions"] = rows
        data["current_state"] = {
            str(level): nfc(data.get(f"state_{level}")) for level, _name in self.level_names
        }
        return data


# Per framework family: (field, label, main). The main fields come first and open; the others
# are kept for every framework (the builders read all six) but shown as optional.
STANDARD_REVIEW_LAYOUT = {
    "2026": [
        ("strengths", _lazy("Điểm mạnh"), True),
        ("weaknesses", _lazy("Điểm yếu, hạn chế chủ yếu"), True),
        ("causes", _lazy("Nguyên nhân"), True),
        ("direction", _lazy("Hướng cải tiến"), True),
        ("intro", _lazy("Mở đầu"), False),
        ("conclusion", _lazy("Kết luận về tiêu chuẩn"), False),
    ],
    "2018": [
        ("intro", _lazy("Mở đầu"), True),
        ("conclusion", _lazy("Kết luận về tiêu chuẩn"), True),
        ("strengths", _lazy("Điểm mạnh"), False),
        ("weaknesses", _lazy("Điểm yếu"), False),
        ("causes", _lazy("Nguyên nhân"), False),
        ("direction", _lazy("Hướng cải tiến"), False),
    ],
}


class StandardReviewForm(forms.Form):
    """The per-standard texts; `version` travels with the form (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, family: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = STANDARD_REVIEW_LAYOUT.get(family, STANDARD_REVIEW_LAYOUT["2026"])
        for name, label, main in self.layout:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5 if main else 3}),
            )
        _bootstrap(self)

    def main_fields(self):
        return [self[name] for name, _label, main in self.layout if main]

    def other_fields(self):
        return [self[name] for name, _label, main in self.layout if not main]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_lazy("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CouncilMemberForm(forms.Form):
    full_name = forms.CharField(label=_lazy("Họ và tên"), max_length=120)
    title = forms.CharField(label=_lazy("Chức vụ"), max_length=200, required=False)
    role = forms.ChoiceField(
        label=_lazy("Nhiệm vụ"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER
    )
    user = forms.ModelChoiceField(queryset=None, label=_lazy("Tài khoản"), required=False)
    group = forms.ModelChoiceField(queryset=None, label=_lazy("Nhóm"), required=False)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__school=assessment.school)
            .distinct()
            .order_by("username")
        )
        self.fields["group"].queryset = assessment.groups.all()
        _bootstrap(self)


class GroupForm(forms.Form):
    name = forms.CharField(label=_lazy("Tên nhóm"), max_length=200)
    kind = forms.ChoiceField(
        label=_lazy("Loại"), choices=GroupKind.choices, initial=GroupKind.WORKING
    )
    criteria = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_lazy("Tiêu chí phụ trách"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = Criterion.objects.filter(
            framework=assessment.framework
        ).order_by("position")
        self.fields["criteria"].label_from_instance = lambda c: c.code
        _bootstrap(self)


class MilestoneForm(forms.Form):
    activity = forms.CharField(label=_lazy("Hoạt động"), max_length=300)
    due = forms.DateField(
        label=_lazy("Hạn"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_lazy("Tình trạng"), choices=MilestoneStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class RequirementTextForm(forms.Form):
    """The wording of a requirement copied from the official gazette (Công báo)."""

    text = forms.CharField(
        label=_lazy("Nội dung yêu cầu (chép nguyên văn theo Công báo)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    source = forms.CharField(
        label=_lazy("Nguồn: Công báo số, ngày, trang"),
        max_length=300,
        help_text=_lazy("Ví dụ: Công báo số 1003+1004, ngày 02/11/2018, trang 25."),
    )
    for_everyone = forms.BooleanField(required=False, widget=forms.HiddenInput)
    version = version_field(missing=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_text(self) -> str:
        return nfc(self.cleaned_data["text"]).strip()

    def clean_source(self) -> str:
        return nfc(self.cleaned_data["source"]).strip()
