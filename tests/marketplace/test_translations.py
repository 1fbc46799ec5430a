"""X-1: every user-facing string has a Norwegian bokmål translation, and the catalogues are current.

The catalogues are regenerated from the code in a copy of the project, so a string added without a
translation fails here (and so does a fuzzy or untranslated entry).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["marketplace", "innovation", "verification", "store", "experience"]
IGNORE = [".venv", "node_modules", "var", "media", "staticfiles", "static", ".git", "tests", "bench", "__pycache__"]


def _statistics(po: Path) -> str:
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"{po}: {result.stderr}"
    return result.stderr.strip()


def test_every_catalogue_is_complete_and_current(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORE, "*.mo"), symlinks=True)
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "marketplace.settings", "VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nb", "--no-location", "--no-obsolete",
         "--ignore", "conftest.py", "--ignore", "manage.py"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    problems = []
    catalogues = sorted(copy.glob("*/locale/nb/LC_MESSAGES/django.po"))
    assert catalogues, "no catalogues found"
    for po in catalogues:
        stats = _statistics(po)
        if re.search(r"\d+ (untranslated|fuzzy)", stats):
            problems.append(f"{po.relative_to(copy)}: {stats}")
    assert not problems, "Untranslated or fuzzy strings (run makemessages and translate):\n" + "\n".join(problems)


def test_norwegian_is_the_default_language(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "nb"
    assert '<html lang="nb"' in response.content.decode()


def test_the_language_switcher_changes_the_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en"' in response.content.decode()
    assert "Skip to main content" in response.content.decode()
