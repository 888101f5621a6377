"""Excel import of historical decisions: the core.imports flow over programme.importing.SPEC
(template, upload → preview, confirm)."""

from __future__ import annotations

from core.imports.flow import ImportFlow
from programme import importing

import_upload, import_template, import_confirm = ImportFlow(
    importing.SPEC, "programme:import"
).views()
