"""A non-editable install (``pip install .``) must carry the bundled stories and the schema inside the package,
and a wheel installed into a fresh venv must play a bundled story by name (offline: its dependencies are
repacked from this venv's installed distributions into a local wheelhouse)."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("crossroads-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_bundled_stories(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for story in (ROOT / "story").glob("*/story.yaml"):
        for file in story.parent.glob("*.yaml"):
            assert f"game/_bundled_stories/{story.parent.name}/{file.name}" in names


def test_wheel_has_console_script(wheel: zipfile.ZipFile) -> None:
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "crossroads = game.cli:main" in wheel.read(entry_points).decode()


def test_installed_layout_finds_bundled_stories(tmp_path: Path, wheel: zipfile.ZipFile) -> None:
    wheel.extractall(tmp_path)
    code = "from game.paths import bundled_stories; print('\\n'.join(str(p) for p in bundled_stories()))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        check=True,
    )
    lines = result.stdout.split()
    assert lines and all("_bundled_stories" in line for line in lines)
    assert any(line.endswith("tutorial/story.yaml") for line in lines)


# ---------------------------------------------------------------------------------------------- a fresh install


def _needed(name: str, extras: frozenset[str] = frozenset(), seen: dict[str, set[str]] | None = None) -> dict:
    """The installed distributions ``name`` (with ``extras``) needs here, itself included: {normalised name: extras}.

    Environment markers are evaluated for this interpreter (``async-timeout; python_version < "3.11"`` is skipped).
    """
    from packaging.requirements import Requirement

    seen = {} if seen is None else seen
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen and extras <= seen[key]:
        return seen
    seen.setdefault(key, set()).update(extras)
    for line in metadata.distribution(name).requires or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is not None and not any(marker.evaluate({"extra": extra}) for extra in (extras | {""})):
            continue
        _needed(requirement.name, frozenset(requirement.extras), seen)
    return seen


def _repack(name: str, wheelhouse: Path) -> None:
    """A wheel of the installed distribution ``name``, made from its installed files (no network needed)."""
    dist = metadata.distribution(name)
    stem = f"{re.sub(r'[-_.]+', '_', dist.metadata['Name'])}-{dist.version}"
    info = f"{stem}.dist-info"
    records = []
    with zipfile.ZipFile(wheelhouse / f"{stem}-py3-none-any.whl", "w", zipfile.ZIP_DEFLATED) as whl:
        for file in dist.files or []:
            parts = Path(str(file)).parts
            if parts[0] == ".." or "__pycache__" in parts or parts[-1] in ("RECORD", "INSTALLER", "REQUESTED"):
                continue
            if parts[-1] == "direct_url.json":
                continue
            data = Path(dist.locate_file(file)).read_bytes()
            target = "/".join((info, *parts[1:])) if parts[0].endswith(".dist-info") else "/".join(parts)
            whl.writestr(target, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{target},sha256={digest},{len(data)}")
        if f"{info}/WHEEL" not in whl.namelist():
            whl.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
            records.append(f"{info}/WHEEL,,")
        whl.writestr(f"{info}/RECORD", "\n".join([*records, f"{info}/RECORD,,"]) + "\n")


def test_play_tutorial_from_a_wheel_in_a_fresh_venv(tmp_path: Path, wheel: zipfile.ZipFile) -> None:
    """``pip install`` the wheel into a new venv (its dependencies from a local wheelhouse) and play by name."""
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    for name in _needed("crossroads"):
        if name != "crossroads":
            _repack(name, wheelhouse)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    install = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check"]
    result = subprocess.run(
        [*install, "--find-links", str(wheelhouse), str(wheel.filename)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    home = tmp_path / "home"
    work = tmp_path / "elsewhere"  # not the repository: the stories must come from the installed package
    work.mkdir()
    env = {"PATH": str(bin_dir), "CROSSROADS_HOME": str(home), "HOME": str(home), "LANG": "C.UTF-8"}

    def crossroads(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "crossroads"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=work,
            env=env,
            timeout=120,
        )

    played = crossroads("play", "tutorial", "--plain", "--lang", "en", stdin="1\n1\n")
    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith("The Prize Message")
    assert "Traceback" not in played.stderr
    checked = crossroads("check", "class-monitor")
    assert checked.returncode == 0, checked.stderr
    made = crossroads("new", "mine")
    assert made.returncode == 0, made.stderr
    modeline = (work / "mine" / "story.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert (work / "mine" / modeline.split("=", 1)[1]).is_file()
    listed = crossroads("list", "--lang", "en")
    assert listed.returncode == 0 and "tutorial" in listed.stdout and "mine" in listed.stdout
