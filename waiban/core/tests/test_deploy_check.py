"""`manage.py check --deploy` is clean under the production settings the README documents."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-with-enough-variety-0123456789",
    "DJANGO_ALLOWED_HOSTS": "waiban.example.gov.cn",
    "WAIBAN_FIELD_KEYS": "l0qkd7pX1p0mS2t7hIqL3dJkq4oYy6p8m2Z0a1b2c3E=",
    "WAIBAN_BLIND_INDEX_KEY": "blind-index-key",
    "WAIBAN_AUDIT_KEY": "audit-chain-key",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
}


def _check(extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WAIBAN_"))}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deploy_check():
    result = _check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_https_settings_the_deploy_check_fails():
    result = _check({k: v for k, v in PRODUCTION.items() if "SECURE" not in k})
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
