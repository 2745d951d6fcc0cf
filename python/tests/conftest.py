"""Shared fixtures: the repository's own articles, the partygraph command, and `need`, which
skips a test whose tool is missing, or fails it when the CI variable is set."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "examples" / "articles"


def need(ok, why):
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI is set: nothing may be skipped)")
    pytest.skip(why)


@pytest.fixture(scope="session")
def articles():
    """(id, text) of every example article, sorted by ID."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(ARTICLES.glob("*.txt"))]


def _command():
    given = os.environ.get("PARTYGRAPH_BIN")
    if given:
        return given
    found = shutil.which("partygraph")
    if found:
        return found
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for profile in ("release", "debug"):
        p = target / profile / "partygraph"
        if p.is_file():
            return str(p)
    return None


@pytest.fixture(scope="session")
def cli():
    """Runs the partygraph command: cli(*args, cwd=...) -> (stdout bytes, stderr text, code)."""
    command = _command()
    need(command, "the partygraph command is not built (cargo build --release), on PATH or in PARTYGRAPH_BIN")

    def run(*args, cwd=None):
        p = subprocess.run([command, *map(str, args)], cwd=cwd, capture_output=True)
        return p.stdout, p.stderr.decode("utf-8"), p.returncode

    return run
