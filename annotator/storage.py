"""Static files with their content's hash in their names, so browsers may keep them for good.

`collectstatic` (run by `make serve`) writes each file also under a hashed name
(`label.3f2a9c1b7e4d.js`), rewrites the references between them (CSS `url()`, JavaScript
module imports) and records the names in a manifest; pages then link the hashed names, and
WhiteNoise sends those with a ten-year, immutable cache lifetime. Without `collectstatic`
(the tests, `make run`) pages link the plain names, served from the apps' folders.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    # The labeling page is ES modules importing each other: their imports must name the hashed
    # files too, or a browser would mix one release's module with another's.
    support_js_module_import_aggregation = True
    # Each pass settles one more level of imports (a module's name hashes the names it
    # imports); Django's 5 passes stop short of the page's longest chain of imports.
    max_post_process_passes = 16

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # never collected: nothing was hashed
            return name
        return super().stored_name(name)
