"""Static files in production: whitenoise's compressed manifest storage, with each file's address worked out
once per process. The manifest is read when the process starts and does not change until the next
deployment, yet `{% static %}` looks the hashed name up and joins it to STATIC_URL on every call; the layout
alone has nine of them."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            address = self._addresses[name] = super().url(name)
            return address
