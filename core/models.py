from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import fold, nfc, sort_key


class NormalizedTextMixin(models.Model):
    """Keeps the NFC form of every text field and the derived search/sort keys in step.
    Subclasses name the field the keys come from in SEARCH_SOURCE; `search_text` holds the
    accent-folded words a user may type, `sort_key` the Vietnamese collation key."""

    SEARCH_SOURCE = "name"
    search_text = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    sort_key = models.CharField(max_length=600, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_text_keys()
        super().save(*args, **kwargs)

    def search_words(self) -> list[str]:
        return [getattr(self, self.SEARCH_SOURCE)]

    def refresh_text_keys(self) -> None:
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and field.editable:
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, nfc(value))
        self.search_text = fold(" ".join(w for w in self.search_words() if w))[:500]
        self.sort_key = sort_key(getattr(self, self.SEARCH_SOURCE))[:600]


class AuditEvent(models.Model):
    """What happens without a model write: logins, logouts, failed logins (the name tried),
    login lockouts (django-axes: too many failures from one address) and file downloads (who took which item). Written by core.audit, only added, never changed."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Đăng nhập")
        LOGOUT = "logout", _("Đăng xuất")
        LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
        LOCKOUT = "lockout", _("Tạm khóa đăng nhập")
        UNLOCK = "unlock", _("Mở khóa đăng nhập")
        DOWNLOAD = "download", _("Tải tệp")
        PASSWORD_CHANGE = "password_change", _("Đổi mật khẩu")
        PASSWORD_RESET = "password_reset", _("Gửi thư đặt lại mật khẩu")
        # A manager reset someone else's password (accounts.services.account_password_reset):
        # `user` is the manager, the object the person.
        PASSWORD_SET = "password_set", _("Đặt lại mật khẩu cho người dùng")

    kind = models.CharField(_("sự kiện"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_label = models.CharField(_("đối tượng"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("sự kiện hệ thống")
        verbose_name_plural = _("nhật ký sự kiện")
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditevent_object")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()} {self.username}"


class ProcessHeartbeat(models.Model):
    """A background process saying it is alive: each worker (`manage.py db_worker`) and the
    scheduler (`manage.py scheduler`) write their row every few seconds and delete it when they
    stop cleanly. The health endpoint and the document job pages read the age of the freshest
    worker row; a worker whose row is stale has died, and its running task is put back in the
    queue by the next worker (core.worker.requeue_abandoned)."""

    class Role(models.TextChoices):
        WORKER = "worker", _("tiến trình tạo văn bản")
        SCHEDULER = "scheduler", _("tiến trình lịch định kỳ")

    process_id = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=16, choices=Role.choices)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("tín hiệu tiến trình nền")
        verbose_name_plural = _("tín hiệu tiến trình nền")

    def __str__(self) -> str:
        return f"{self.role} {self.process_id}"


class DataVersion(models.Model):
    """One row whose counter moves after every committed write (core.page_cache): a kept page
    is served again only while the counter is what it was when the page was rendered, in every
    app server and worker that shares this database."""

    counter = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.counter)
