"""The French and Spanish catalogues are complete: every string the code marks is translated.

The test extracts the strings afresh (makemessages, into a copy of locale/) so that a string
added to a template or module without its translation fails here, not in front of a donor.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["fr", "es"]
# What holds marked strings (and what makemessages needs to run), copied for the extraction.
SOURCES = ["manage.py", "portal", "projects", "donors", "ingest", "templates", "static", "locale"]


def catalogue(base: Path, language: str) -> polib.POFile:
    return polib.pofile(str(base / language / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """The catalogues as makemessages leaves them, made in a copy of the project so that the
    committed ones are not touched."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is needed to extract the strings: apt-get install gettext")
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v", "0"]
        + [f"--locale={language}" for language in LANGUAGES],
        cwd=copy,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
    )
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(fresh_catalogues, language):
    po = catalogue(fresh_catalogues, language)
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogue_is_the_fresh_one_and_is_compiled(fresh_catalogues, language):
    committed = catalogue(ROOT / "locale", language)
    fresh = catalogue(fresh_catalogues, language)
    assert {e.msgid for e in committed if not e.obsolete} == {e.msgid for e in fresh}
    compiled = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    translated = {e.msgid: e.msgstr for e in committed.translated_entries()}
    assert {e.msgid: e.msgstr for e in compiled if e.msgid and not e.msgid_plural} == {
        msgid: msgstr for msgid, msgstr in translated.items() if msgstr
    }
