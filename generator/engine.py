"""The engine: the program that renders the generated Markdown pages into the HTML site.

``kb build`` is three steps, and the engine is only the middle one:

1. **generate**: ``generator`` validates ``content/``, writes the pages and attachments of
   public entries, and nothing else, into the engine's folder (``.kb-cache/docs``, see
   ``docsdir.py``), and the outputs that need no engine (search index, feeds, exports,
   citation files);
2. **render**: the engine turns those pages into HTML with the theme (Material for MkDocs);
   our hook cleans each entry's rendered body as it goes (``sanitize``);
3. **post-build**: every built page is scanned (``sitecheck``); a finding fails the build.

``kb build --offline`` runs the same steps with :data:`OFFLINE_ENV` set: the hook turns off
the engine's directory URLs (``use_directory_urls``, as Material's offline plugin does) and
has the generator link to files too (``site/urls.py``) and write the search index as scripts
as well (``search/``), so that the built folder works when opened from disk (``file://``).

Our parts run inside the engine's process through ``hooks/kb_hooks.py``, so an engine must
load MkDocs hooks (``hooks:`` in mkdocs.yml). This module describes each
engine we know, finds it in the current interpreter (the virtual environment ``kb`` runs
in) and gives the command lines ``kb build`` and ``kb serve`` run. It never imports an
engine: the engine always runs as a subprocess.

Run as ``python -m generator.engine NAME ARGS...`` it *is* that subprocess: it quiets
the engine's warning about ``serve --dirty`` (see :class:`PreviewNotice`), has ``serve`` show a
page listing the problems when a build fails (:mod:`generator.site.serveproblems`), then hands
over to the engine's own command line, as ``python -m MODULE ARGS...`` would.
"""

from __future__ import annotations

import importlib.util
import logging
import runpy
import sys
from dataclasses import dataclass
from pathlib import Path

# ProperDocs, the maintained fork of MkDocs 1.6 (MkDocs has had no release since 2024-08); it
# builds the sample site as MkDocs does, file for file apart from the generator's tag (tests/test_engine.py).
DEFAULT_ENGINE = "properdocs"
# "1": build a copy that works opened from disk (kb build --offline); read by hooks/kb_hooks.py.
OFFLINE_ENV = "KB_OFFLINE"


@dataclass(frozen=True)
class Engine:
    name: str  # as given to --engine and KB_ENGINE
    title: str  # as people write it
    module: str  # run as `python -m MODULE` in the interpreter kb runs in
    distribution: str  # the package pip installs
    extra: str | None = None  # the project's extra that installs it (pyproject.toml)
    config_file: str = "mkdocs.yml"  # the configuration it is given with -f
    # Why this engine cannot build the knowledge base (zh-TW, English); None when it can.
    unable: tuple[str, str] | None = None

    @property
    def build_logger(self) -> str:
        """The logger that warns about dirty builds (the engine's build command's)."""
        return f"{self.module}.commands.build"

    def installed(self) -> bool:
        """Whether the engine can be run by this interpreter (found, not imported)."""
        try:
            return importlib.util.find_spec(self.module) is not None
        except (ImportError, ValueError):
            return False

    def install_hint(self) -> str:
        target = f"-e '.[{self.extra}]'" if self.extra else self.distribution
        return f"{sys.executable} -m pip install -c constraints.txt {target}"

    def build_command(self, config: Path, site_dir: Path, *, strict: bool = False) -> list[str]:
        argv = ["build", "-f", str(config), "--site-dir", str(site_dir)] + (["--strict"] if strict else [])
        return [sys.executable, "-m", self.module, *argv]

    def serve_command(self, config: Path, dev_addr: str) -> list[str]:
        # --dirty: only the pages our hook wrote again are rendered again (hooks/kb_hooks.py).
        # Through this module, which puts the engine's dirty-build warning in our words.
        argv = ["serve", "--dirty", "--dev-addr", dev_addr, "-f", str(config)]
        return [sys.executable, "-m", "generator.engine", self.name, *argv]

    def environment(self, base: dict[str, str]) -> dict[str, str]:
        """The subprocess's environment: messages in zh-TW unless asked otherwise, no end-of-life
        banner from Material on every run (the README says what to do about it), and output that
        never crashes on a character its code page lacks (as kb's own: cli.tolerant_streams)."""
        return {"NO_MKDOCS_2_WARNING": "1", **base, "KB_LANG": base.get("KB_LANG", "zh-TW"),
                "PYTHONIOENCODING": tolerant_io_encoding(base.get("PYTHONIOENCODING"))}


def tolerant_io_encoding(value: str | None) -> str:
    """PYTHONIOENCODING for a child Python: the encoding it names (none: the child's default), and
    backslashreplace unless it names an error handler of its own."""
    encoding, _, errors = (value or "").partition(":")
    return f"{encoding}:{errors or 'backslashreplace'}"


ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        Engine("mkdocs", "MkDocs", module="mkdocs", distribution="mkdocs"),
        # The maintained fork of MkDocs 1.6: it reads mkdocs.yml when given with -f, loads
        # `hooks:`, Material (a `mkdocs.themes` entry point) and `mkdocs.plugins`, and maps
        # every `import mkdocs.*` of a hook or theme to its own modules.
        Engine("properdocs", "ProperDocs", module="properdocs", distribution="properdocs"),
        # Material's announced successor: it reads mkdocs.yml but runs no hooks (it has no plugin
        # API yet), so it refuses with what is missing whether it is installed or not.
        Engine("zensical", "Zensical", module="zensical", distribution="zensical", unable=(
            "Zensical 還不能建置本知識庫：它目前沒有外掛介面，不執行 mkdocs.yml 的 hooks（hooks/kb_hooks.py），"
            "因此不會產生頁面（只有公開條目）、不會清理條目內文，也不會寫入搜尋索引、訊息來源（feed）、"
            "匯出檔與引用檔，更不會掃描建好的網站。請改用 --engine properdocs（預設）或 --engine mkdocs；"
            "等 Zensical 提供外掛介面後再試。",
            "Zensical cannot build this knowledge base yet: it has no plugin API and does not run the "
            "hooks of mkdocs.yml (hooks/kb_hooks.py), so nothing would generate the pages (public entries "
            "only), clean entry bodies, write the search index, feeds, exports and citation files, or scan "
            "the built site. Use --engine properdocs (the default) or --engine mkdocs; try Zensical again "
            "once it has a plugin API.")),
    )
}


class EngineError(Exception):
    """An engine that does not exist, cannot build the site or is not installed: a bilingual
    message saying what to do (a usage error, exit code 2)."""


def engine_named(name: str | None) -> Engine:
    """The engine called ``name`` (None: the default), ready to run, or EngineError."""
    key = (name or DEFAULT_ENGINE).strip().lower()
    engine = ENGINES.get(key)
    names = ", ".join(ENGINES)
    if engine is None:
        raise EngineError(f"不認得的建置引擎「{name}」；可用：{names}（也可用環境變數 KB_ENGINE 設定）。\n"
                          f"unknown engine '{name}'; use one of: {names} (or set KB_ENGINE).")
    if engine.unable:
        zh, en = engine.unable
        raise EngineError(f"{zh}\n{en}")
    if not engine.installed():
        hint = engine.install_hint()
        raise EngineError(f"建置引擎 {engine.title} 尚未安裝（Python 套件 {engine.distribution}）。"
                          f"請在專案資料夾執行：{hint}（make setup 也會安裝）。\n"
                          f"the {engine.title} engine is not installed (Python package {engine.distribution}); "
                          f"in the project folder run: {hint} (make setup installs it too).")
    return engine


# -- the engine's process ------------------------------------------------------------------

DIRTY_BUILD_WARNING = "A 'dirty' build is being performed"
PREVIEW_NOTICE = (
    "預覽：存檔後只重新產生並轉譯這次編輯影響到的頁面（條目頁、首頁、它所在的列表與分類頁、貢獻者頁），"
    "其他頁面保持不變；其他條目的相關連結、搜尋索引、訊息來源與統計在重新啟動 kb serve 後更新。"
    " / Preview: after a save exactly the pages the edit touches are generated and rendered again (the entry, "
    "home, the listings and facet pages it appears on, its contributors); other entries' related lists, "
    "search, feeds and statistics catch up when kb serve restarts."
)


class PreviewNotice(logging.Filter):
    """MkDocs warns on every build of ``serve --dirty`` that navigation and links may be
    inaccurate. Under ``kb serve`` it is not true: the navigation is fixed, and our hook
    regenerates every page an edit can change and hands the engine exactly those. The first
    warning becomes one line in our words (at INFO); the later ones are dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(DIRTY_BUILD_WARNING):
            return True
        if self.shown:
            return False
        self.shown = True
        record.msg, record.args = PREVIEW_NOTICE, ()
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


def install_preview_notice(engine: Engine) -> PreviewNotice:
    notice = PreviewNotice()
    logging.getLogger(engine.build_logger).addFilter(notice)
    return notice


def run_engine(argv: list[str]) -> None:
    """``python -m generator.engine NAME ARGS...``: the engine's command line, as
    ``python -m MODULE ARGS...`` runs it, with the preview notice in place."""
    if not argv or argv[0] not in ENGINES:
        sys.exit(f"usage: python -m generator.engine {{{','.join(ENGINES)}}} ARGS...")
    engine = ENGINES[argv[0]]
    install_preview_notice(engine)
    from .site import serveproblems

    if serveproblems.wanted(argv[1:]):  # a failed build shows its problems, never a stuck preview
        serveproblems.install(engine.module)
    sys.argv = [engine.module, *argv[1:]]  # argv[0] becomes the module's path, as with -m
    runpy.run_module(engine.module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":  # pragma: no cover - run by kb serve
    run_engine(sys.argv[1:])
