from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên mã truy cập"),
        max_length=100,
        help_text=_("Để nhận ra mã sau này, ví dụ: «Đồng bộ CSDL ngành»."),
    )
    expires_on = forms.DateField(
        label=_("Hết hạn ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bỏ trống: không hết hạn (có thể thu hồi bất cứ lúc nào)."),
    )


class SystemAccountForm(forms.Form):
    name = forms.CharField(label=_("Tên hệ thống"), max_length=120)
    unit = forms.ChoiceField(label=_("Đơn vị"))
    access = forms.ChoiceField(
        label=_("Quyền"),
        choices=[
            ("viewer", _("Chỉ xem dữ liệu của đơn vị")),
            ("officer", _("Như cán bộ của đơn vị (xem và ghi)")),
        ],
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.uid, u.name) for u in units]
