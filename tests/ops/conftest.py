"""Fixtures of the ops tests: collected static files, shared by every server they start."""

import subprocess
import sys

import pytest

from tests.ops.support import ROOT, SECRET_KEY


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """`collectstatic` once: with DEBUG off, pages name the hashed files of its manifest."""
    root = tmp_path_factory.mktemp("static")
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_STATIC_ROOT": str(root),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        pytest.fail(f"collectstatic failed:\n{result.stderr}")
    return root
