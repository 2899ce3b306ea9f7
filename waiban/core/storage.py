"""Static files in production: WhiteNoise's compressed, hashed copies (collectstatic)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The hashed address of each file, looked up once per process: the manifest is read at
    start-up and never changes while the process runs, and every page asks for the same
    three files (its stylesheets and script)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
