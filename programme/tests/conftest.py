"""Fixtures shared with other apps' tests: the register's (media root, today, add_decision) and
the documents' miniature of seed 000 (Phong Thổ's decisions, plan and investment projects)."""

from documents.tests.conftest import documents_settings, nine_schools, seed000  # noqa: F401
from recognition.tests.conftest import add_decision, media_root, today  # noqa: F401
