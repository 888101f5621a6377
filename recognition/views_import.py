"""Excel import of historical decisions: the core.imports flow over recognition.importing.SPEC
(template, upload → preview, confirm)."""

from __future__ import annotations

from core.imports.flow import ImportFlow
from recognition import importing

import_upload, import_template, import_confirm = ImportFlow(
    importing.SPEC, "programme:import"
).views()
