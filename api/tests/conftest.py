from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api import services

# The external evaluation's chain (accepted self-assessment → registration → evaluation → team)
# for the evaluation resources' tests.
from evaluation.tests.conftest import (  # noqa: F401
    accepted,
    assessment,
    evaluation,
    loaded,
    registration,
    staff,
    started,
    team,
    team_users,
)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The rate limit counts in the cache: each test starts with empty buckets."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_client():
    """token_client(user) -> an APIClient sending a new token of that user."""

    def make(user, name: str = "Kiểm thử"):
        _token, secret = services.token_create(user=user, owner=user, name=name)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
