"""Settings read from the environment, with safe refusals."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import usip_cms.settings as s; print(s.DEBUG, s.DATABASES)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")


def test_debug_default_runs_without_configuration():
    result = load_settings(DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert "db.sqlite3" in result.stdout


def test_postgres_from_database_url():
    result = load_settings(DATABASE_URL="postgres://u@db.example:5432/usip")
    assert "postgresql" in result.stdout and "'NAME': 'usip'" in result.stdout
