"""Compile the interface's catalogues (locale/*/LC_MESSAGES/django.po) without GNU gettext.

``make run``, ``make test`` and CI call ``manage.py compile_catalogues``, which uses
translate-toolkit (a dependency anyway, for XLIFF): a fresh machine needs no ``msgfmt``.
"""

from pathlib import Path

from translate.storage import pypo
from translate.tools.pocompile import POCompile


class CatalogueError(Exception):
    """A catalogue cannot be compiled; the message names it and says why."""


def compile_catalogue(po_path):
    """Return the .mo bytes of the catalogue at ``po_path``, or raise CatalogueError."""
    path = Path(po_path)
    try:
        store = pypo.pofile.parsefile(str(path))
    except Exception as error:  # translate-toolkit raises ValueError, UnicodeError, its own kinds
        raise CatalogueError(f"{path}: {error}") from error
    header = store.parseheader()
    if "Plural-Forms" not in header or "UTF-8" not in header.get("Content-Type", ""):
        raise CatalogueError(f"{path}: the header needs Plural-Forms and a UTF-8 Content-Type.")
    return POCompile.convertstore(store)


def catalogues(root):
    """Return the catalogues under ``root``/locale."""
    return sorted(Path(root, "locale").glob("*/LC_MESSAGES/django.po"))


def compile_all(root):
    """Compile every catalogue under ``root``/locale next to itself; return the .mo files written."""
    written = []
    for po_path in catalogues(root):
        mo_path = po_path.with_suffix(".mo")
        mo_path.write_bytes(compile_catalogue(po_path))
        written.append(mo_path)
    return written


# What ``manage.py update_catalogues`` leaves out: vendored and generated files, tests, benchmarks.
IGNORE = ["static/*", "staticfiles/*", "tests/*", "bench/*", "docs/*", "deploy/*", "fixtures/*", "locale/*", "tmp/*"]
LOCALES = ["fr", "ru", "zh_Hans"]
