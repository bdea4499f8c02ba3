"""Static files in production: WhiteNoise's compressed, hashed (cache-busting) storage.

The vendored minified files (Bootstrap, htmx …) name source maps we do not ship; Django's
manifest storage would refuse to collect them. Their ``sourceMappingURL`` comments are left as
they are (browsers only fetch them with the developer tools open); ``url()`` and ``@import`` in
CSS are still rewritten to the hashed names.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    out = []
    for glob, rules in patterns:
        kept = tuple(r for r in rules if "sourceMappingURL" not in str(r))
        if kept:
            out.append((glob, kept))
    return tuple(out)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
