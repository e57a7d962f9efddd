"""Find the outside checkers the suite runs: the Nu HTML Checker (vnu.jar on Java) and LibreOffice.

Each is skipped, with the reason, where it is missing; with REQUIRE_CHECKERS=1 (as in CI) a
missing checker fails instead, as REQUIRE_BROWSER=1 does for the browser tests.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(message):
    """Skip the test for want of a checker, or fail it where the checkers are required."""
    if os.environ.get("REQUIRE_CHECKERS") == "1":
        pytest.fail(f"REQUIRE_CHECKERS=1 but {message}")
    pytest.skip(message)


def java_and_vnu():
    """Return the command that runs the Nu HTML Checker, or skip/fail saying what is missing."""
    java = os.environ.get("JAVA") or shutil.which("java")
    if not java:
        missing("no Java found for the Nu HTML Checker (install Debian's default-jre-headless, or set JAVA)")
    if not VNU_JAR.exists():
        missing(f"no {VNU_JAR.relative_to(ROOT)} (make install-dev installs it with npm ci)")
    # A short run: the quick compiler alone and the serial collector start it in a third of the time.
    return [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR)]


def soffice():
    """Return LibreOffice's soffice binary, or skip/fail saying it is missing."""
    path = os.environ.get("SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        missing("no LibreOffice found (install Debian's libreoffice-calc-nogui and libreoffice-writer-nogui)")
    return path


def check_html(documents, tmp_path):
    """Run the Nu HTML Checker once over {name: html}; return {name: [error messages]} for those with errors."""
    command = java_and_vnu()
    files = {}
    for index, (name, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{index:03d}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path.resolve())] = name
    result = subprocess.run(  # noqa: S603  (our own command line, no shell)
        [*command, "--errors-only", "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        url = message.get("url", "")
        name = files.get(url.removeprefix("file:"), url)
        extract = " ".join(message.get("extract", "").split())[:100]
        report.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']} [{extract}]")
    return report


def as_document(fragment, title="Fragment"):
    """Wrap an htmx fragment in the least document the checker accepts, to check the fragment itself."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body>{fragment}</body></html>"
    )
