"""The one Excel import pipeline (issue 18 §5). A spec per import (`spec.ImportSpec`: columns
with Vietnamese headers and parsers, `can_import`, row and cross-row checks, an all-or-nothing
`write`), one upload → preview → confirm flow (`flow.ImportFlow`, template
`imports/page.html`) and one template generator (`template.build_template`). Reading a file
(`reading`) refuses anything but a sane .xlsx with a Vietnamese message.

The specs live with their domains: `schools.importing` (registry), `schools.importing_yeardata`
(Phần I figures), `recognition.importing` (recognition decisions), `programme.importing_targets`
(plan targets), `evidence.importing` (evidence lists)."""

from core.imports.reading import (
    MAX_ROWS,
    CellError,
    Column,
    ImportFileError,
    RawRow,
    RowError,
    cell_text,
    choice,
    choice_map,
    date,
    integer,
    parse_date,
    read_sheet,
    text,
)
from core.imports.spec import (
    ACTION_LABELS,
    CheckedRow,
    ImportPlan,
    ImportRejected,
    ImportResult,
    ImportSpec,
    Sheet,
    duplicates,
)

__all__ = [
    "ACTION_LABELS",
    "MAX_ROWS",
    "CellError",
    "CheckedRow",
    "Column",
    "ImportFileError",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "ImportSpec",
    "RawRow",
    "RowError",
    "Sheet",
    "cell_text",
    "choice",
    "choice_map",
    "date",
    "duplicates",
    "integer",
    "parse_date",
    "read_sheet",
    "text",
]
