"""`manage.py check --deploy` passes with production settings taken from the environment
(issue 2's quality bar): DEBUG off, a real SECRET_KEY, ALLOWED_HOSTS, secure cookies, HSTS."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _production_env(**overrides: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # Whatever the developer's shell or the test run set must not leak into "production".
        if k
        not in {
            "DATABASE_URL",
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "BEHIND_PROXY",
        }
        and not k.startswith(("SESSION_COOKIE", "CSRF_COOKIE", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="truongchuan.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="truongchuan.example.vn",
    )
    env.update(overrides)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_environment():
    result = _check_deploy(_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_debug_is_left_on():
    # Proves the check above is real: the same command refuses a DEBUG=1 deployment.
    result = _check_deploy(_production_env(DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_check_deploy_fails_when_secret_key_is_missing():
    # Forgetting SECRET_KEY in production must not fall back silently to the public dev key.
    env = _production_env()
    del env["SECRET_KEY"]
    result = _check_deploy(env)
    assert result.returncode != 0, "check --deploy accepted the development SECRET_KEY"


def _setting(env: dict[str, str], name: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from django.conf import settings; print(repr(settings.{name}))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's "N objects imported"


def test_forwarded_proto_is_ignored_unless_behind_a_proxy():
    # Trusting X-Forwarded-Proto without a proxy that sets it lets any client claim HTTPS.
    assert _setting(_production_env(), "SECURE_PROXY_SSL_HEADER") == "None"


def test_behind_proxy_trusts_forwarded_proto_and_passes_check_deploy():
    env = _production_env(BEHIND_PROXY="1")
    assert _setting(env, "SECURE_PROXY_SSL_HEADER") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
