from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts.mails import send_prepared_mail
from core.concurrency import version_field


class PasswordResetMailForm(PasswordResetForm):
    """Django's "Quên mật khẩu" form, whose mail the background worker sends: the page answers
    at once even when the mail server is slow or down, and a failed send is retried."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html = (
            render_to_string(html_email_template_name, context) if html_email_template_name else ""
        )
        send_prepared_mail.enqueue(subject=subject, body=body, to=to_email, html=html)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên."),
    }


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs.setdefault("class", css)

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class PersonFields(BootstrapForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Có thư điện tử: người dùng nhận thư để tự đặt mật khẩu."),
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    position = forms.CharField(
        label=_("Chức vụ"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Phó Hiệu trưởng, Chuyên viên phòng Giáo dục."),
    )


class SeatFields(BootstrapForm):
    """Where and as what: a role at one unit (from the list) or one school (by its code)."""

    role = forms.ChoiceField(label=_("Vai trò"), choices=())
    unit = forms.ChoiceField(label=_("Đơn vị (tỉnh, xã)"), choices=(), required=False)
    school = forms.CharField(
        label=_("hoặc mã trường"),
        max_length=32,
        required=False,
        help_text=_("Hiệu trưởng, cán bộ giáo viên, thành viên đoàn đánh giá: ghi mã trường."),
    )
    is_admin = forms.BooleanField(
        label=_("Quản trị tài khoản của đơn vị"),
        required=False,
        help_text=_(
            "Cán bộ cấp tỉnh, cấp xã: được tạo và quản lý tài khoản của đơn vị mình và các "
            "trường thuộc đơn vị."
        ),
    )

    def __init__(self, *args, roles=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—")] + [(r.value, r.label) for r in roles]
        self.fields["unit"].choices = [("", "—")] + [(u.uid, str(u)) for u in units]

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool((data.get("school") or "").strip()):
            raise forms.ValidationError(_("Chọn một đơn vị hoặc ghi một mã trường (chỉ một)."))
        return data


class AccountCreateForm(PersonFields, SeatFields):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("Chữ không dấu, số và . _ - @; ví dụ: ht.huoiluong"),
    )
    field_order = ["full_name", "username", "email", "phone", "position"]


class AccountEditForm(PersonFields):
    version = version_field()


class SeatForm(SeatFields):
    pass
