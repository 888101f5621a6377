"""What the platform told whom (Notification), how each person wants to hear of each kind
(NotificationPreference), and — for the demo and for support — the mails the database mail
backend kept (OutboxMail)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import kinds


class Delivery(models.TextChoices):
    IMMEDIATE = kinds.IMMEDIATE, kinds.DELIVERY_LABELS[kinds.IMMEDIATE]
    DIGEST = kinds.DIGEST, kinds.DELIVERY_LABELS[kinds.DIGEST]
    OFF = kinds.OFF, kinds.DELIVERY_LABELS[kinds.OFF]


class MailState(models.TextChoices):
    PENDING = "pending", _("chờ gửi")
    SENT = "sent", _("đã gửi")
    SKIPPED = "skipped", _("không gửi (chưa có địa chỉ thư)")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=40)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # What happened once is never told twice: the scheduled alerts name each event
    # ("expiry:<decision>:<months>"), one row per recipient and key.
    key = models.CharField(max_length=120, blank=True)
    delivery = models.CharField(max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    mail_state = models.CharField(
        max_length=16, choices=MailState.choices, default=MailState.PENDING
    )
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["delivery", "mail_state"], name="notification_mail"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        kind = kinds.KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind


class NotificationPreference(models.Model):
    """A person's choice for one kind; no row = the kind's default (kinds.KINDS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("loại"), max_length=40)
    delivery = models.CharField(_("cách nhận"), max_length=16, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = _("cách nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind}: {self.delivery}"


class OutboxMail(models.Model):
    """A mail as the database backend (notifications.mail.DatabaseBackend) kept it: the demo
    sends nothing out; the administrator reads what would have gone."""

    to = models.CharField(_("người nhận"), max_length=1000)
    from_email = models.CharField(_("người gửi"), max_length=300, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=500)
    body = models.TextField(_("nội dung thư"))
    html = models.TextField(_("nội dung HTML"), blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("thư đã gửi (lưu trong cơ sở dữ liệu)")
        verbose_name_plural = _("thư đã gửi (lưu trong cơ sở dữ liệu)")

    def __str__(self) -> str:
        return f"{self.to} — {self.subject}"
