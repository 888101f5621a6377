"""Forms of the external evaluation. The procedure's rules are checked by the services, which
add their messages to these forms, so a refused form keeps what the user typed."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.concurrency import version_field
from evaluation.models import Purpose, TeamRole, VisitKind

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ: hãy ghi theo dạng dd/mm/yyyy.")}
MET_CHOICES = [("", _("— Chưa đánh giá —")), ("1", _("Đạt")), ("0", _("Không đạt"))]
LEVEL_CHOICES = [("1", _("Mức độ 1")), ("2", _("Mức độ 2"))]
ACCREDITATION_CHOICES = [(str(n), _("Cấp độ %(n)s") % {"n": n}) for n in (1, 2, 3, 4)]


def _date(label, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages=DATE_ERRORS,
    )


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class RegistrationForm(StyledForm):
    purpose = forms.ChoiceField(label=_("Đăng ký"), choices=Purpose.choices)
    target_level = forms.TypedChoiceField(
        label=_("Mức độ đề nghị công nhận"), choices=LEVEL_CHOICES, coerce=int
    )
    letter_number = forms.CharField(label=_("Số công văn đăng ký"), max_length=60, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea({"rows": 3}))
    version = version_field()


class AcceptForm(StyledForm):
    version = version_field()


class MemberForm(StyledForm):
    person = forms.ModelChoiceField(
        label=_("Tài khoản"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        widget=forms.TextInput(attrs={"placeholder": _("mã số tài khoản")}),
        to_field_name="username",
        error_messages={"invalid_choice": _("Không có tài khoản này.")},
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    title = forms.CharField(label=_("Chức vụ, đơn vị công tác"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Nhiệm vụ"), choices=TeamRole.choices)
    criteria = forms.MultipleChoiceField(
        label=_("Tiêu chí phụ trách"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(str(c.pk), c.code) for c in criteria]


class StartForm(StyledForm):
    team_decision_number = forms.CharField(
        label=_("Số quyết định thành lập đoàn"), max_length=60, required=False
    )
    team_decision_date = _date(_("Ngày quyết định"), required=False)
    preliminary_visit_on = _date(_("Ngày khảo sát sơ bộ (dự kiến)"), required=False)
    official_visit_on = _date(_("Ngày khảo sát chính thức (dự kiến)"), required=False)
    version = version_field()


class JudgmentForm(StyledForm):
    """One member's judgment of one indicator (the criterion page, one form per indicator)."""

    indicator = forms.IntegerField(widget=forms.HiddenInput)
    met = forms.ChoiceField(label=_("Ý kiến"), choices=MET_CHOICES, required=False)
    comment = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea({"rows": 2})
    )
    version = version_field(missing=0)


class ConsolidateForm(StyledForm):
    """The team's judgment of one indicator, by the leader."""

    met = forms.ChoiceField(label=_("Kết luận của đoàn"), choices=MET_CHOICES, required=False)
    reason = forms.CharField(
        label=_("Lý do, nhận xét của đoàn"), required=False, widget=forms.Textarea({"rows": 3})
    )
    version = version_field(missing=0)


class VisitForm(StyledForm):
    kind = forms.ChoiceField(label=_("Loại khảo sát"), choices=VisitKind.choices)
    date = _date(_("Ngày khảo sát"))
    people_met = forms.CharField(
        label=_("Người đã gặp, phỏng vấn"), required=False, widget=forms.Textarea({"rows": 2})
    )
    observations = forms.CharField(
        label=_("Nội dung quan sát"), required=False, widget=forms.Textarea({"rows": 3})
    )
    evidence_examined = forms.CharField(
        label=_("Minh chứng đã xem xét"), required=False, widget=forms.Textarea({"rows": 2})
    )


class SendForm(StyledForm):
    feedback_deadline = _date(_("Hạn trường góp ý"))


class FeedbackForm(StyledForm):
    text = forms.CharField(label=_("Ý kiến của trường"), widget=forms.Textarea({"rows": 3}))
    received_on = _date(_("Ngày nhận"))


class FinaliseForm(StyledForm):
    proposal_level = forms.TypedChoiceField(
        label=_("Đề nghị công nhận"),
        choices=[("", _("Không đề nghị công nhận")), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    proposal_accreditation_level = forms.TypedChoiceField(
        label=_("Đề nghị công nhận đạt kiểm định"),
        choices=[("", _("Không đề nghị cấp độ")), *ACCREDITATION_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    version = version_field()

    def __init__(self, *args, with_accreditation: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_accreditation:  # the framework maps no Cấp độ (TT57/2026)
            del self.fields["proposal_accreditation_level"]


class DecisionForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[("recognised", _("Công nhận")), ("refused", _("Không công nhận"))],
    )
    level = forms.TypedChoiceField(
        label=_("Mức độ công nhận"),
        choices=[("", "—"), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    accreditation_level = forms.TypedChoiceField(
        label=_("Cấp độ kiểm định công nhận"),
        help_text=_(
            "Cùng quyết định công nhận đạt kiểm định chất lượng giáo dục; để trống nếu không."
        ),
        choices=[("", "—"), *ACCREDITATION_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    signed_on = _date(_("Ngày ký"), required=False)
    signing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    reason = forms.CharField(
        label=_("Lý do không công nhận"), required=False, widget=forms.Textarea({"rows": 3})
    )
    version = version_field()

    def __init__(self, *args, with_accreditation: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_accreditation:  # the framework maps no Cấp độ (TT57/2026)
            del self.fields["accreditation_level"]


class CriterionReviewForm(StyledForm):
    """The team's texts for one criterion (the report's Phần II)."""

    strengths = forms.CharField(
        label=_("Điểm mạnh"), required=False, widget=forms.Textarea({"rows": 4})
    )
    weaknesses = forms.CharField(
        label=_("Điểm yếu"), required=False, widget=forms.Textarea({"rows": 4})
    )
    recommendations = forms.CharField(
        label=_("Khuyến nghị"), required=False, widget=forms.Textarea({"rows": 4})
    )
    version = version_field(missing=0)
