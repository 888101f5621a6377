from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import version_field
from improvement.models import ActionStatus
from programme.forms import BootstrapForm
from recognition.forms import DATE_FORMATS


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
    )


class ActionForm(BootstrapForm):
    """Register (targets chosen among the blockers and the framework's ids) or edit an action.
    Required fields are checked by improvement.rules, so one place words the messages."""

    targets = forms.MultipleChoiceField(
        label=_("Chỉ báo, tiêu chí cần nâng"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    title = forms.CharField(label=_("Nội dung cải tiến"), max_length=400, required=False)
    responsible = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=200, required=False)
    start = _date(_("Ngày bắt đầu"))
    due = _date(_("Hạn hoàn thành"))
    resources = forms.CharField(
        label=_("Nguồn lực"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_evidence = forms.CharField(
        label=_("Minh chứng dự kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ActionStatus.choices)
    drop_reason = forms.CharField(
        label=_("Lý do dừng (khi dừng thực hiện)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = version_field()

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = list(targets)

    def split_targets(self, criterion_codes) -> tuple[list[str], list[str]]:
        chosen = self.cleaned_data.get("targets") or []
        criteria = [t for t in chosen if t in criterion_codes]
        return [t for t in chosen if t not in criteria], criteria


class NoteForm(BootstrapForm):
    text = forms.CharField(
        label=_("Đã thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    written_on = _date(_("Ngày"))
    evidence = forms.TypedMultipleChoiceField(
        label=_("Minh chứng đính kèm"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    status = forms.ChoiceField(
        label=_("Chuyển trạng thái"),
        required=False,
        choices=[
            ("", _("Giữ nguyên")),
            (ActionStatus.IN_PROGRESS.value, ActionStatus.IN_PROGRESS.label),
            (ActionStatus.DONE.value, ActionStatus.DONE.label),
        ],
    )

    def __init__(self, *args, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(e.pk, f"{e.code} — {e.name}") for e in evidence]


class ReviewForm(BootstrapForm):
    held_on = _date(_("Ngày rà soát"))
    conclusions = forms.CharField(
        label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MonthlySendForm(forms.Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)
    version = version_field(missing=0)
