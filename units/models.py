"""Administrative units as data: provinces, communes, and the retired districts and provinces
that older records name. The hierarchy is whatever the data says (parent links and a
materialised path), so no level such as "Sở" or "Phòng" is hard-coded."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NormalizedTextMixin

# units_load_historical writes it at the head of the note of a unit whose successor links
# (mapping_is_guess in units/data/historical_units.json) have not been checked against a text.
GUESS_PREFIX = "[Ánh xạ ước đoán, cần xác minh]"
# Other spellings of a unit's name that records use («Xã Lả Nhì Thàng» for Xã Lản Nhì Thàng):
# written into the note after this marker, searched like the name.
ALIAS_PREFIX = "Tài liệu cũ viết:"
_ALIASES = re.compile(re.escape(ALIAS_PREFIX) + r" «([^»]+)»")


class AdminUnitQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)

    def retired(self):
        return self.filter(valid_to__isnull=False)

    def subtree(self, unit: "AdminUnit"):
        return self.filter(path__startswith=unit.path)


class AdminUnit(NormalizedTextMixin):
    # uid is our own key: official codes repeat across time (new Lào Cai took old Yên Bái's 15),
    # so a retired unit's uid carries an "H" prefix: P12 (Lai Châu), W03549 (Xã Phong Thổ),
    # HD110 (huyện Phong Thổ, retired), HP30 (tỉnh Hải Dương, retired).
    uid = models.CharField(max_length=32, unique=True)
    code = models.CharField(_("mã"), max_length=16, db_index=True)
    name = models.CharField(_("tên"), max_length=200)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    path = models.CharField(max_length=255, unique=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True, db_index=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors"
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return self.name

    def search_words(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def aliases(self) -> list[str]:
        return _ALIASES.findall(self.note)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def mapping_is_guess(self) -> bool:
        """Its successor links are a guess (not checked against the merging resolution)."""
        return self.note.startswith(GUESS_PREFIX)

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.uid}/"

    def save(self, *args, **kwargs):
        self.path = self.compute_path()
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)

    def ancestors(self) -> list["AdminUnit"]:
        uids = [p for p in self.path.strip("/").split("/")][:-1]
        by_uid = {u.uid: u for u in AdminUnit.objects.filter(uid__in=uids)}
        return [by_uid[u] for u in uids if u in by_uid]
