"""The engine step: `kb build --engine NAME`. The sample knowledge base built with ProperDocs (the
default) and with MkDocs gives the same files, byte for byte but the generator meta tag;
engines that are unknown, cannot build the site or are not installed get one clear message."""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from generator import engine as engines
from helpers import cli_project, entry_text, example_content, new_content, run_kb, write
from sitebuild import SITE_PATH, commit_all, write_config

GENERATOR_TAG = re.compile(rb'<meta name="generator" content="([^"]*)">')
FIXED = {"KB_TODAY": "2026-01-10", "SOURCE_DATE_EPOCH": "1790000000", "KB_LANG": "en"}


def kb(project: Path, *argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "generator.cli", "--root", str(project), *argv]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **FIXED, **(env or {})})


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The tests' knowledge base built once by each engine, in the same project."""
    project = tmp_path_factory.mktemp("engines")
    example_content(project)
    commit_all(project)
    write_config(project)
    built, seconds = {}, {}
    for name, argv in (("mkdocs", ["--engine", "mkdocs"]), ("properdocs", [])):  # properdocs: the default
        start = time.monotonic()
        result = kb(project, "build", "--strict", "--site-dir", f"site-{name}", *argv)
        seconds[name] = time.monotonic() - start
        assert result.returncode == 0, result.stdout + result.stderr
        title = engines.ENGINES[name].title
        assert f"(engine: {title})" in result.stdout
        built[name] = files(project / f"site-{name}")
    print("build seconds:", {k: round(v, 2) for k, v in seconds.items()})
    return built


def test_both_engines_build_the_same_files(sites):
    assert sites["mkdocs"].keys() == sites["properdocs"].keys()
    # Our steps ran under both (generate: entry pages; post-build: search, feeds, exports, citations).
    for rel in ("index.html", "tools/index.html", "search/meta.json", "feed.xml", "export/tools.json", "sitemap.xml"):
        assert rel in sites["properdocs"], rel
    assert any(r.endswith("citation.bib") for r in sites["properdocs"])


def test_every_file_is_identical_but_the_generator_tag(sites):
    mk, pd = sites["mkdocs"], sites["properdocs"]
    differ = [rel for rel in mk if mk[rel] != pd[rel]]
    assert differ and all(rel.endswith(".html") for rel in differ)  # search, feeds, exports: byte for byte
    normalise = lambda b: GENERATOR_TAG.sub(b'<meta name="generator" content="">', b)  # noqa: E731
    assert [rel for rel in differ if normalise(mk[rel]) != normalise(pd[rel])] == []
    # ... and that tag names each engine, once per page.
    tags = {name: {m for rel in differ for m in GENERATOR_TAG.findall(site[rel])} for name, site in sites.items()}
    assert len(tags["mkdocs"]) == 1 and next(iter(tags["mkdocs"])).startswith(b"mkdocs-1.6")
    assert len(tags["properdocs"]) == 1 and b"ProperDocs 1.6" in next(iter(tags["properdocs"]))
    assert all(len(GENERATOR_TAG.findall(mk[rel])) == 1 for rel in differ)


@pytest.fixture
def project(tmp_path):
    return cli_project(tmp_path)


run = run_kb


@pytest.mark.parametrize("command", ["build", "serve"])
def test_unknown_engine_is_a_usage_error(project, capsys, command):
    code, out, err = run(capsys, "--root", str(project), command, "--engine", "hugo")
    assert code == 2 and out == ""
    assert "不認得的建置引擎「hugo」" in err and "unknown engine 'hugo'; use one of: mkdocs, properdocs, zensical" in err
    assert not list(project.glob(".kb-build-*")) and not (project / "site").exists()


def test_engine_from_the_environment(project, capsys, monkeypatch):
    monkeypatch.setenv("KB_ENGINE", "no-such-engine")
    code, _, err = run(capsys, "--root", str(project), "build")
    assert code == 2 and "unknown engine 'no-such-engine'" in err and "KB_ENGINE" in err


@pytest.mark.parametrize("command", ["build", "serve"])
def test_engine_not_installed_says_how_to_install_it(project, capsys, monkeypatch, command):
    missing = dataclasses.replace(engines.ENGINES["properdocs"], module="kb_test_no_such_module")
    monkeypatch.setitem(engines.ENGINES, "properdocs", missing)
    code, out, err = run(capsys, "--root", str(project), command, "--engine", "properdocs")
    assert code == 2 and out == ""
    zh, en = err.strip().split("\n")
    assert zh.startswith("建置引擎 ProperDocs 尚未安裝") and "make setup" in zh
    assert en.startswith("the ProperDocs engine is not installed (Python package properdocs)")
    assert f"{sys.executable} -m pip install -c constraints.txt properdocs" in en
    assert not (project / "site").exists()


def test_zensical_says_what_it_is_missing(project, capsys):
    code, out, err = run(capsys, "--root", str(project), "build", "--engine", "zensical")
    assert code == 2 and out == ""
    zh, en = err.strip().split("\n")
    assert zh.startswith("Zensical 還不能建置本知識庫") and "hooks/kb_hooks.py" in zh
    assert "no plugin API" in en and "--engine properdocs" in en
    assert not list(project.glob(".kb-build-*"))


def test_installed_engines_are_found_without_importing_them():
    before = set(sys.modules)
    assert engines.engine_named(None).name == "properdocs"  # the default: the maintained fork
    assert engines.engine_named("MkDocs").name == "mkdocs"  # a dependency too
    assert not {m for m in set(sys.modules) - before if m.split(".")[0] in {"mkdocs", "properdocs", "material"}}


# -- the preview's dirty-build warning, in our words -----------------------------------------------

@pytest.mark.parametrize("name", ["mkdocs", "properdocs"])
def test_the_warning_we_rewrite_is_the_one_the_engine_logs(name):
    """The text matched is the engine's own (read from its source, not imported)."""
    package = Path(importlib.util.find_spec(name).origin).parent  # found, not imported
    source = (package / "commands" / "build.py").read_text(encoding="utf-8")
    assert f'"{engines.DIRTY_BUILD_WARNING}' in source and "log.warning(" in source
    assert engines.ENGINES[name].build_logger == f"{name}.commands.build"  # the module's logger


@pytest.mark.parametrize("name", ["mkdocs", "properdocs"])
def test_preview_notice_replaces_the_dirty_build_warning_once(name):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append((record.levelname, record.getMessage()))

    logger = logging.getLogger(engines.ENGINES[name].build_logger)
    handler = Keep()
    logger.addHandler(handler)
    notice = engines.install_preview_notice(engines.ENGINES[name])
    try:
        warning = (engines.DIRTY_BUILD_WARNING + ", this will likely lead to inaccurate navigation and other"
                   " links within your site. This option is designed for site development purposes only.")
        for _ in range(3):  # one per rebuild
            logger.warning(warning)
        logger.warning("Doc file 'x.md' contains a link %s", "'y.md'")
    finally:
        logger.removeFilter(notice)
        logger.removeHandler(handler)
    assert records == [("INFO", engines.PREVIEW_NOTICE), ("WARNING", "Doc file 'x.md' contains a link 'y.md'")]
    zh, en = engines.PREVIEW_NOTICE.split(" / ")
    assert "\n" not in engines.PREVIEW_NOTICE and "只重新產生" in zh and "exactly the pages the edit touches" in en


def test_kb_serve_says_it_in_our_words(tmp_path):
    """The real preview under the second engine: it serves, follows an edit, and its log has our
    line once and not the engine's warning."""
    content = new_content(tmp_path)
    for i in range(2):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具 {i}", url=f"https://example.org/{i}"))
    commit_all(tmp_path)
    write_config(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "kb"), "serve", "--engine", "properdocs",
                                 "--dev-addr", f"127.0.0.1:{port}"], cwd=tmp_path, stdout=log, stderr=log,
                                env={**os.environ, "KB_LANG": "en"}, start_new_session=True)
    base = f"http://127.0.0.1:{port}{SITE_PATH}"

    def shows(path, text, seconds):
        end = time.time() + seconds
        while time.time() < end:
            try:
                with urllib.request.urlopen(base + path, timeout=5) as r:
                    if text in r.read().decode("utf-8"):
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        return False

    try:
        assert shows("tools/t1/", "工具 1", 60), log_path.read_text()
        time.sleep(1.5)  # the watcher's first look at the folder
        write(content, "tools/t1.md", entry_text("tools", title="改過的工具", url="https://example.org/1"))
        assert shows("tools/t1/", "改過的工具", 30), log_path.read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    text = log_path.read_text()
    assert text.count(engines.PREVIEW_NOTICE) == 1, text
    assert "dirty" not in text.lower() and "Traceback" not in text
    assert "Material for MkDocs reaches end of life" not in text


UNCACHED_HOOK = '''
def on_env(env, config, files):
    env.cache.clear()  # Material's templates as they are: no navigation reused between pages
    return env
'''


def test_navigation_rendered_once_per_folder_is_the_navigation_material_renders(sites, tmp_path):
    """hooks/kb_hooks.py renders Material's navigation once per folder for pages it does not
    list; a build where every page renders its own gives the same files, byte for byte."""
    project = tmp_path / "uncached"
    example_content(project)
    commit_all(project)
    config = write_config(project)
    hook = tmp_path / "uncached_hook.py"
    hook.write_text(UNCACHED_HOOK, encoding="utf-8")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["hooks"] = [*data["hooks"], str(hook)]  # listed after ours, it runs after ours
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)], cwd=project,
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, **FIXED, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    uncached = files(project / "site")
    cached = sites["mkdocs"]
    assert uncached.keys() == cached.keys()
    assert [rel for rel in cached if cached[rel] != uncached[rel]] == []


def test_only_pages_the_navigation_does_not_list_share_it():
    from types import SimpleNamespace as NS

    from hooks.kb_hooks import _shared_nav_folder
    tools, tags = NS(url="tools/", ancestors=[]), NS(url="tags/", ancestors=[])
    nav = NS(pages=[NS(url=""), tools, tags])
    assert _shared_nav_folder(NS(url="tools/koha/", ancestors=[]), nav) == "tools/"
    assert _shared_nav_folder(NS(url="tools/page/2/", ancestors=[]), nav) == "tools/page/"
    assert _shared_nav_folder(tools, nav) is None  # listed: its own item is active
    assert _shared_nav_folder(NS(url="", ancestors=[]), nav) is None  # the home page
    assert _shared_nav_folder(NS(url="stats/", ancestors=[NS()]), nav) is None  # inside a listed section
    assert _shared_nav_folder(NS(url="tags/x/", ancestors=[]), NS(pages=[NS(url="tags/x/y/")])) is None
