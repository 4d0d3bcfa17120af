"""Static files storage: whitenoise's compressed manifest, with each URL looked up once.

Every page asks for the same dozen static URLs (DSFR styles, scripts, icons); the manifest is
read once per process and never changes while it runs, so each URL is kept after its first
lookup instead of being rebuilt (manifest lookup, quoting, joining) on every request.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

MAX_URLS = 2000


class StatiquesManifeste(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        adresse = self._urls.get(name)
        if adresse is None:
            adresse = super().url(name)
            if len(self._urls) < MAX_URLS:
                self._urls[name] = adresse
        return adresse
