"""Who may see what: a user holds memberships, each in one administrative unit or one school,
with a role. Scope follows the unit tree (pretix-style permissions by membership)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedModel
from core.text import fold, nfc, sort_key


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Cán bộ cấp tỉnh (Sở GD&ĐT)")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    PRINCIPAL = "principal", _("Hiệu trưởng")
    STAFF = "staff", _("Cán bộ, giáo viên nhà trường")
    REVIEWER = "reviewer", _("Thành viên đoàn đánh giá ngoài")
    VIEWER = "viewer", _("Chỉ xem")


# What each role may do, and where, is the table in accounts.permissions.

# Seniority, for "never a role above one's own" (accounts.permissions.GRANTABLE_ROLES spells
# out which roles each role may give; this order is what the account pages sort by).
ROLE_RANK = {
    Role.PROVINCE_OFFICER: 50,
    Role.COMMUNE_OFFICER: 40,
    Role.PRINCIPAL: 30,
    Role.STAFF: 20,
    Role.REVIEWER: 20,
    Role.VIEWER: 10,
}


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "units.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("đơn vị"),
    )
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("trường"),
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    # An officer who also manages the accounts of their unit and everything below it (the
    # "administrator" of a Sở or a commune). A principal manages the school's staff by role.
    is_admin = models.BooleanField(_("quản trị tài khoản"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, school__isnull=True))
                | (Q(unit__isnull=True, school__isnull=False)),
                name="membership_unit_xor_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit or self.school}"


class Profile(VersionedModel):
    """What a person is besides their login: position and phone, and whether the next login
    must start by changing the password (an account created by someone else). The full name
    ("Họ và tên", one field, NFC) is `User.first_name` with `last_name` left empty, so Django's
    `get_full_name()` — what every page and the history show — returns it whole; the e-mail is
    `User.email`. The version guards the account's edit form (core.concurrency)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # Accent-folded name, login, e-mail, phone and position ("nguyen van an" finds "Nguyễn Văn
    # An") and the Vietnamese sort key of the name: kept by save() from the user's fields.
    search_text = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    sort_key = models.CharField(max_length=600, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def save(self, *args, **kwargs):
        self.position, self.phone = nfc(self.position), nfc(self.phone)
        user = self.user
        words = [user.get_full_name(), user.get_username(), user.email, self.phone, self.position]
        self.search_text = fold(" ".join(w for w in words if w))[:500]
        self.sort_key = sort_key(user.get_full_name() or user.get_username())[:600]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "sort_key"}
        super().save(*args, **kwargs)
