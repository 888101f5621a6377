"""Read replica (issue 13 point 6): DATABASE_REPLICA_URL adds the "replica" alias; the reads of
the dashboards go there, every write and every other read to the primary."""

from __future__ import annotations

import ast

import pytest
from django.db import router
from django.urls import reverse

from core import dbrouter
from core.tests.test_deploy_check import _production_env, _setting
from schools.models import School


@pytest.fixture
def replica(settings, monkeypatch):
    # The router reads the aliases from the settings at each call; the connections keep theirs.
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))


def test_reads_go_to_the_replica_only_inside_replica_reads(replica):
    assert router.db_for_read(School) == "default"
    with dbrouter.replica_reads():
        assert router.db_for_read(School) == "replica"
        assert router.db_for_write(School) == "default"
    assert router.db_for_read(School) == "default"


def test_without_a_replica_everything_stays_on_the_primary():
    with dbrouter.replica_reads():
        assert router.db_for_read(School) == "default"


def test_the_replica_is_never_migrated(replica):
    assert router.allow_migrate("replica", "schools") is False
    assert router.allow_migrate("default", "schools") is True


@pytest.mark.django_db
def test_dashboard_pages_read_from_the_replica(client, province_officer, monkeypatch):
    chosen: list[bool] = []

    def db_for_read(self, model, **hints):
        chosen.append(dbrouter._use_replica.get())
        return None  # the test run has one database: serve from it

    monkeypatch.setattr(dbrouter.ReplicaRouter, "db_for_read", db_for_read)
    client.force_login(province_officer)
    chosen.clear()
    assert client.get(reverse("dashboard:index")).status_code == 200
    assert any(chosen)  # the view's reads asked for the replica
    chosen.clear()
    client.get(reverse("schools:list"))
    assert chosen and not any(chosen)  # other pages never do


def test_database_replica_url_adds_the_replica_alias():
    env = _production_env(DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5432/truongchuan")
    databases = ast.literal_eval(_setting(env, "DATABASES"))
    assert sorted(databases) == ["default", "replica"]
    assert databases["replica"]["HOST"] == "10.0.0.2"
    assert databases["replica"]["TEST"]["MIRROR"] == "default"
    assert _setting(env, "DATABASE_ROUTERS") == "['core.dbrouter.ReplicaRouter']"
    assert sorted(ast.literal_eval(_setting(_production_env(), "DATABASES"))) == ["default"]
