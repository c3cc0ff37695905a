"""The locks with hashes the workflows install from (requirements/site.txt, requirements/test.txt;
README: Locked installs) agree with what they are made from, without the network: every package
pinned in constraints.txt at the version pinned there, with at least one hash; every requirement of
pyproject.toml (and of what it brings in, read from the installed packages' metadata, for Linux and
Windows) in the lock at a version it accepts. A lock left behind by a change to pyproject.toml or
constraints.txt (by hand or by Dependabot) fails here until `make lock` is run."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"site": (ROOT / "requirements/site.txt", ()), "test": (ROOT / "requirements/test.txt", ("test",))}
# The platforms and Pythons the locks are for (--universal; pymdown-extensions needs 3.11.5).
ENVIRONMENTS = [
    {"sys_platform": platform, "platform_system": system, "os_name": os_name, "python_version": version,
     "python_full_version": full, "implementation_name": "cpython", "platform_python_implementation": "CPython"}
    for platform, system, os_name in (("linux", "Linux", "posix"), ("win32", "Windows", "nt"))
    for version, full in (("3.11", "3.11.5"), ("3.15", "3.15.0"))
]
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def parse_lock(text: str) -> dict[str, dict]:
    """name -> {version, hashes, marker} of a lock as uv pip compile writes it."""
    out: dict[str, dict] = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            m = _ENTRY.match(line)
            assert m, f"not a pinned requirement: {line!r}"
            name = canonicalize_name(m.group(1))
            assert name not in out, f"{name} twice"
            current = out[name] = {"version": m.group(2), "hashes": [], "marker": m.group(3)}
        else:
            h = re.fullmatch(r"\s+--hash=(sha256:[0-9a-f]{64})\s*\\?", line)
            assert h and current is not None, f"not a hash: {line!r}"
            current["hashes"].append(h.group(1))
    return out


def constraints(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            [spec] = req.specifier
            assert spec.operator == "==", line
            pins[canonicalize_name(req.name)] = spec.version
    return pins


def distribution() -> str:
    """The generator's distribution, as pyproject.toml names it."""
    return canonicalize_name(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"])


def direct_requirements(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    build = [line for line in (ROOT / "requirements/build.in").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    listed = [*project["dependencies"], *build, *(r for e in extras for r in project["optional-dependencies"][e])]
    return [Requirement(r) for r in listed]


def applies(req: Requirement, extras: tuple[str, ...] = ("",)) -> bool:
    """Whether a requirement is needed on any of the platforms and Pythons the locks are for."""
    if req.marker is None:
        return True
    return any(req.marker.evaluate({**default_environment(), **env, "extra": extra})
               for env in ENVIRONMENTS for extra in extras)


def missing(lock: dict[str, dict], extras: tuple[str, ...]) -> list[str]:
    """What the lock lacks or pins at a version a requirement refuses: pyproject's requirements,
    then theirs, read from the metadata of each locked package installed here at the locked version."""
    problems = []
    seen: set[str] = set()
    todo = [r for r in direct_requirements(extras) if applies(r)]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        entry = lock.get(name)
        if entry is None:
            problems.append(f"{req} is not in the lock")
            continue
        if not req.specifier.contains(entry["version"], prereleases=True):
            problems.append(f"{req} refuses the locked {name}=={entry['version']}")
        key = name + "[" + ",".join(sorted(req.extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # not installed here (a Windows-only package): its name and version are checked above
        if dist.version != entry["version"]:
            continue  # this environment is older or newer than the lock: the pins are compared with constraints.txt
        for text in dist.requires or []:
            sub = Requirement(text)
            if applies(sub, ("", *sorted(req.extras))):
                todo.append(sub)
    return problems


@pytest.mark.parametrize("which", sorted(LOCKS))
def test_the_lock_is_current_with_pyproject_and_constraints(which):
    path, extras = LOCKS[which]
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[1]
    for flag in ("uv pip compile", "--universal", "--generate-hashes", "-c constraints.txt", "pyproject.toml",
                 "requirements/build.in", f"-o {path.relative_to(ROOT).as_posix()}"):
        assert flag in header, f"{path.name} was not made by `make lock`: {header}"
    assert ("--extra test" in header) == ("test" in extras)
    lock = parse_lock(text)
    pins = constraints((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    for name, entry in lock.items():
        assert entry["hashes"], f"{name} has no hash: pip --require-hashes would refuse the lock"
        assert pins.get(name) == entry["version"], (
            f"{path.name} pins {name}=={entry['version']}, constraints.txt {pins.get(name)}: run make lock")
    assert missing(lock, extras) == []
    assert {"setuptools", "tzdata", "colorama"} <= set(lock)  # what builds the generator; what Windows needs
    assert distribution() not in lock  # the generator itself: installed alone, after the lock


def test_the_check_finds_a_stale_lock():
    """What a stale lock looks like to the checks above: a pin moved in constraints.txt alone, a
    requirement added to pyproject.toml, a floor raised past the locked version."""
    path, extras = LOCKS["site"]
    lock = parse_lock(path.read_text(encoding="utf-8"))
    assert missing(lock, extras) == []
    without = {k: v for k, v in lock.items() if k != "markdown"}
    assert "markdown<4,>=3.6 is not in the lock" in missing(without, extras)  # pyproject's, and its users'
    older = {**lock, "jinja2": {**lock["jinja2"], "version": "3.1.5"}}
    assert any("jinja2" in p and "refuses" in p for p in missing(older, extras))
    no_mergedeep = {k: v for k, v in lock.items() if k != "mergedeep"}  # mkdocs' own requirement
    assert any(p.startswith("mergedeep") for p in missing(no_mergedeep, extras))
    with pytest.raises(AssertionError, match="not a hash"):
        parse_lock("nh3==0.3.8 \\\n    --hash=md5:abc\n")


def pip_installs(text: str) -> list[str]:
    """Every pip install command of a workflow or Makefile, as written."""
    return [line.strip() for line in text.splitlines()
            if re.search(r"\bpip install\b", line) and not line.lstrip().startswith("#")]


def test_every_workflow_installs_from_a_lock_with_hashes():
    """A workflow installs packages only from a lock with --require-hashes, and the generator itself
    (the one thing not in it) with --no-deps, built by the locked setuptools (--no-build-isolation);
    then pip check. The test job does the same through the Makefile's LOCK."""
    seen = 0
    for path in sorted((ROOT / ".github/workflows").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for line in pip_installs(text):
            seen += 1
            assert line in ("python -m pip install --require-hashes -r requirements/site.txt",
                            "python -m pip install --no-deps --no-build-isolation -e ."), f"{path.name}: {line}"
        if pip_installs(text):
            assert text.count("--require-hashes") == text.count("--no-deps") == text.count("python -m pip check")
        for make in re.findall(r"\bmake (test\S*)([^\n]*)", text):
            assert "LOCK=requirements/test.txt" in make[1], f"{path.name}: make {make[0]} without the lock"
    assert seen >= 6
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in makefile
