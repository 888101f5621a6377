"""The register fixtures (media root, today, add_decision) shared with the recognition tests."""

from recognition.tests.conftest import add_decision, media_root, today  # noqa: F401
