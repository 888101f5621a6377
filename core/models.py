from django.db import models

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
