"""Who may see what: a user holds memberships, each in one administrative unit or one school,
with a role. Scope follows the unit tree (pretix-style permissions by membership)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Cán bộ cấp tỉnh (Sở GD&ĐT)")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    PRINCIPAL = "principal", _("Hiệu trưởng")
    STAFF = "staff", _("Cán bộ, giáo viên nhà trường")
    REVIEWER = "reviewer", _("Thành viên đoàn đánh giá ngoài")
    VIEWER = "viewer", _("Chỉ xem")


# What each role may do, and where, is the table in accounts.permissions.


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
