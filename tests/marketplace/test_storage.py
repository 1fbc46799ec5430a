"""marketplace.storage: in production, a static file's address is the hashed one from the manifest, worked
out once; a file missing from the manifest is refused every time, as whitenoise refuses it."""

from __future__ import annotations

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from marketplace.storage import StaticFilesStorage


@pytest.fixture
def collected(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.3f2a9c.css").write_text("body{}", encoding="utf-8")
    manifest = {"paths": {"css/app.css": "css/app.3f2a9c.css"}, "version": "1.1", "hash": "3f2a9c"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_the_address_is_the_hashed_name_as_whitenoise_gives_it(collected):
    storage = StaticFilesStorage(location=str(collected), base_url="/static/")
    plain = CompressedManifestStaticFilesStorage(location=str(collected), base_url="/static/")
    assert storage.url("css/app.css") == "/static/css/app.3f2a9c.css" == plain.url("css/app.css")
    assert storage.url("css/app.css") == "/static/css/app.3f2a9c.css"  # remembered, the same


def test_a_file_missing_from_the_manifest_is_refused_each_time(collected):
    storage = StaticFilesStorage(location=str(collected), base_url="/static/")
    for _attempt in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")
