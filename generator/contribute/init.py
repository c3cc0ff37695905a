"""``kb init DIR``: a new knowledge base, ready to publish, with none of the sample's content.

It writes a repository that builds and passes its own checks with zero entries:

* ``mkdocs.yml``: the site's name, description, address and repository, then the engine's
  configuration the generator needs (theme, Markdown extensions, hooks), taken from the
  generator's own (everything below the identity lines of its ``mkdocs.yml``);
* ``kb.yml``: the English name and description, the kinds switched on, the content's licence;
* ``content/``: an empty folder per chosen kind and starter registries (a few tags; no
  institution or organization: those are the site's);
* the engine's files the generator owns (``hooks/kb_hooks.py``, ``overrides/``), which
  ``kb sync`` keeps current after an upgrade;
* the workflows (checks on every pull request, publishing on every merge, issue forms to pull
  requests, the pull request report, the weekly link check), installing the generator's
  dependencies from ``requirements-lock.txt`` (the generator's lock, every file checked against
  its hash; ``kb sync`` keeps it current) and then the generator from ``requirements.txt``, and
  Dependabot's configuration (which leaves the lock to ``kb sync``); the issue forms and snippets
  of the chosen kinds (``kb sync``);
* a README and a contributor guide for this site (its name, address, kinds, licence, and the
  GitHub settings to make, as a checklist), ``.devcontainer/``, ``.gitignore`` and a LICENSE
  for the content.

Nothing is overwritten: a folder that already holds any of these files is refused, naming them.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from urllib.parse import urlsplit
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..kinds import ALL_KINDS, Kind
from ..model.settings import load_settings
from ..model.siteinfo import GENERATOR_HOME, LICENSE_URLS, SiteInfo, github_repository
from ..model.vocab import LICENSE
from ..validation.catalogue_doc import END, START
from ..validation.messages import render
from . import snippets, sync
from .issues.forms import ENTRY_LABEL, FORMS_DIR
from .sync import ENGINE_FILES, SITE_LOCK, SOURCE

IDENTITY_KEYS = ("site_name", "site_description", "site_url", "repo_url", "repo_name", "edit_uri", "copyright")
WORKFLOWS = ("deploy.yml", "issue-entry.yml", "link-check.yml", "pr-report.yml", "pull-request.yml")
# The generator's workflows install from its lock, then the checkout itself; a site's from its copy
# of that lock, then the generator pinned in requirements.txt (a commit: what pip cannot hash, Git names
# by its content). setuptools, which builds the generator, is in the lock: --no-build-isolation.
GENERATOR_INSTALL = ("python -m pip install --require-hashes -r requirements/site.txt",
                     "python -m pip install --no-deps --no-build-isolation -e .")
SITE_INSTALL = (f"python -m pip install --require-hashes -r {SITE_LOCK.as_posix()}",
                "python -m pip install --no-deps --no-build-isolation -r requirements.txt",
                "python -m pip check")
UPSTREAM = GENERATOR_HOME  # where the generator itself lives
STARTER_TAGS = {
    "reading-promotion": ("閱讀推廣", "Reading promotion"),
    "information-literacy": ("資訊素養", "Information literacy"),
    "resource-sharing": ("資源共享", "Resource sharing"),
    "professional-development": ("專業成長", "Professional development"),
    "community": ("社區服務", "Community service"),
}


class InitError(Exception):
    """What is wrong with the request, in zh-TW and English."""


@dataclass(frozen=True)
class SiteRequest:
    name: str
    name_en: str
    description: str
    description_en: str
    url: str  # where the site is published, e.g. https://owner.github.io/name/
    repository: str  # owner/name on GitHub
    kinds: tuple[str, ...]
    branch: str = "main"
    content_license: str = "CC-BY-4.0"
    editor: bool = False
    domain: str | None = None  # GitHub Pages' custom domain, when the address is not on github.io


def check_request(req: SiteRequest) -> list[str]:
    """Every problem with the request, each in both languages; [] when it can be written."""
    out = []
    if not req.name.strip():
        out.append("網站名稱不能是空的 / the site's name is empty")
    for label, value in (("--name", req.name), ("--name-en", req.name_en), ("--description", req.description),
                         ("--description-en", req.description_en)):
        if any(ch in value for ch in '<>"&\n'):
            out.append(f"{label} 不能有 < > \" & 或換行（主題會把它原樣放進網頁） / {label} cannot hold < > \" & or a line "
                       "break (the theme puts it into pages as it is)")
    if len(set(req.kinds)) != len(req.kinds):
        out.append(f"種類重複了：{', '.join(req.kinds)} / a kind is named twice: {', '.join(req.kinds)}")
    if not re.match(r"^[A-Za-z0-9._/-]{1,100}$", req.branch) or ".." in req.branch:
        out.append(f"分支名稱不能用：{req.branch!r} / not a branch name: {req.branch!r}")
    if github_repository(f"https://github.com/{req.repository}") != req.repository:
        out.append(f"儲存庫要寫成「擁有者/名稱」，例如 hill-libraries/kb：{req.repository!r} / "
                   f"the repository is owner/name, e.g. hill-libraries/kb: {req.repository!r}")
    if not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", req.url):
        out.append(f"網址要以 https:// 開頭：{req.url!r} / the address starts with https://: {req.url!r}")
    unknown = [k for k in req.kinds if k not in ALL_KINDS]
    if unknown or not req.kinds:
        out.append(f"不認得的種類 {', '.join(unknown) or '（沒有選任何種類）'}；可用：{', '.join(ALL_KINDS)} / "
                   f"unknown kinds {', '.join(unknown) or '(none chosen)'}; the kinds are: {', '.join(ALL_KINDS)}")
    if req.content_license not in LICENSE:
        out.append(f"不認得的授權 {req.content_license}；可用：{', '.join(LICENSE.ids())} / "
                   f"unknown licence {req.content_license}; choose one of {', '.join(LICENSE.ids())}")
    if not out:  # kb.yml as it would be written passes its own checks (lengths, ids)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "kb.yml").write_text(_kb_yml(req), encoding="utf-8")
            _, problems = load_settings(Path(tmp))
        out += [f"kb.yml：{render(p.code, p.args, 'zh-TW')[0]} / {render(p.code, p.args, 'en')[0]}" for p in problems]
    return out


def files(req: SiteRequest) -> dict[str, str]:
    """Every text file of the new site (relative path -> text), the copied engine files aside."""
    kinds = [ALL_KINDS[k] for k in req.kinds]
    url = req.url if req.url.endswith("/") else req.url + "/"
    out = {
        "mkdocs.yml": _mkdocs_yml(req, url),
        "kb.yml": _kb_yml(req),
        "requirements.txt": _requirements(),
        SITE_LOCK.as_posix(): sync.site_lock() or "",
        "package.json": (SOURCE / "package.json").read_text(encoding="utf-8"),
        "package-lock.json": (SOURCE / "package-lock.json").read_text(encoding="utf-8"),
        ".gitignore": "/site/\n/.kb-cache/\n/.kb-build-*/\n/node_modules/\n__pycache__/\n.venv/\n",
        "LICENSE": _content_licence(req),
        "README.md": _readme(req, kinds, url),
        "CONTRIBUTING.md": _guide(req, kinds, url),
        ".devcontainer/devcontainer.json": _devcontainer(req),
        "content/registries/tags.yml": "# 標籤表 Tags: 代碼: {zh: 中文, en: English}。 Entries name a tag by its id or either label.\n"
                                       + "".join(f"{i}: {{zh: {zh}, en: {en}}}\n" for i, (zh, en) in STARTER_TAGS.items()),
        "content/registries/institutions.yml": "# 機構登錄表 Institutions: 代碼、name_zh、name_en、type（如 public、school、academic）。\n"
                                               "# 例如 For example:\n# hill-city-library:\n#   name_zh: 山丘市立圖書館\n#   name_en: Hill City Library\n"
                                               "#   type: public\n{}\n",
        "content/registries/organizations.yml": "# 組織與會議登錄表 Organizations and conference series: 代碼、name_zh、name_en、type、website。\n{}\n",
        **{f"content/{k.folder}/.gitkeep": "" for k in kinds},
        ".kb-cache/docs/.gitkeep": "",
    }
    for name in WORKFLOWS:
        out[f".github/workflows/{name}"] = _workflow(name, req)
    out[".github/dependabot.yml"] = _dependabot()
    return out


def write(target: Path, req: SiteRequest) -> list[str]:
    """Write the site into ``target`` (created if missing); the files written, in order."""
    problems = check_request(req)
    if problems:
        raise InitError("\n".join(problems))
    texts = files(req)
    engine = [p for p in (*ENGINE_FILES, sync.LOCK.as_posix()) if not (SOURCE / p).exists()]
    if engine:
        raise InitError(f"找不到產生器的引擎檔案 {', '.join(engine)}（{SOURCE}） / the generator's engine files are missing")
    synced = [(FORMS_DIR / f"{ALL_KINDS[k].folder}.yml").as_posix() for k in req.kinds]
    synced += [(FORMS_DIR / "config.yml").as_posix(), snippets.TARGET.as_posix()]
    existing = sorted(p for p in [*texts, *ENGINE_FILES, *synced] if (target / p).exists())
    if existing:
        raise InitError(f"{target} 已經有這些檔案，沒有覆寫任何東西：{', '.join(existing)} / "
                        f"{target} already holds these files; nothing was overwritten: {', '.join(existing)}")
    written = []
    for rel, text in texts.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(rel)
    for rel in ENGINE_FILES:
        source = SOURCE / rel
        if source.is_dir():
            shutil.copytree(source, target / rel, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / rel)
        written.append(rel)
    from ..knowledge.project import open_project

    open_project(target)  # the new site's kinds for what sync writes
    planned = sync.changes(target)
    sync.apply(target, planned)
    written += [c.path.as_posix() for c in planned if not c.deletes]
    return written


def _mkdocs_yml(req: SiteRequest, url: str) -> str:
    """The generator's engine configuration under this site's identity."""
    source = (SOURCE / "mkdocs.yml").read_text(encoding="utf-8")
    lines = source.split("\n")
    first = next(i for i, line in enumerate(lines) if line.split(":", 1)[0] in IDENTITY_KEYS)
    last = max(i for i, line in enumerate(lines) if line.split(":", 1)[0] in IDENTITY_KEYS)
    head = [line for line in lines[:first] if line.startswith("#")]
    repo = req.repository.partition("/")[2]
    identity = {"site_name": req.name, "site_description": req.description, "site_url": url,
                "repo_url": f"https://github.com/{req.repository}", "repo_name": repo,
                "edit_uri": f"edit/{req.branch}/content/"}
    block = yaml.safe_dump(identity, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")
    return "\n".join([*head, block, *lines[last + 1:]])


def _kb_yml(req: SiteRequest) -> str:
    site = {k: v for k, v in (("name_en", req.name_en), ("description_en", req.description_en),
                              ("domain", req.domain or "")) if v.strip()}
    data = {**({"site": site} if site else {}), "license": {"content": req.content_license}, "kinds": list(req.kinds)}
    if req.editor:
        data["editor"] = {"enabled": True}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return ("# 本站的設定（README：kb.yml）。網站名稱、網址與儲存庫寫在 mkdocs.yml。\n"
            "# This site's settings (README: kb.yml); its name, address and repository are in mkdocs.yml.\n" + text)


def _setup_python() -> str:
    """The pinned setup-python step of the generator's own workflows."""
    text = (SOURCE / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    return next(line.strip() for line in text.split("\n") if "actions/setup-python@" in line)


def _requirements() -> str:
    """The generator pinned to the commit this site is made with (a tag once releases exist):
    an upstream change reaches the site when its owner upgrades, never in the middle of a pull request."""
    recorded = SOURCE / "COMMIT"  # the wheel's: the commit it was built from (setup.py)
    try:
        commit = recorded.read_text(encoding="utf-8").strip() if recorded.is_file() else subprocess.run(
            ["git", "-C", str(SOURCE), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    ref = commit if re.fullmatch(r"[0-9a-f]{40}", commit) else "main"
    return ("# The generator this site is built with, pinned (README: Upgrading the generator).\n"
            f"library-kb @ git+{UPSTREAM}@{ref}\n")
_RUNS_GENERATOR = re.compile(r"^(\s+)run: python3? -m (generator\.contribute\.\S+.*)$")


def _workflow(name: str, req: SiteRequest) -> str:
    """The generator's workflow as a site runs it: the generator installed from requirements.txt
    (the generator's repository runs it from its own checkout), and in the pull-request workflow
    the site's checks only (the generator's test suite is the generator's)."""
    text = (SOURCE / ".github" / "workflows" / name).read_text(encoding="utf-8")
    for ours, theirs in zip(GENERATOR_INSTALL, SITE_INSTALL):
        text = text.replace(ours, theirs)
    text = text.replace("branches: [main]", f"branches: [{req.branch}]")
    if name == "pull-request.yml":
        text = text.split("\n  test:\n", 1)[0].rstrip("\n") + "\n"
        text = text.replace("# the changed lines), run the tests, build the site strictly", "# the changed lines), check the generated files, build the site strictly")
    if name == "link-check.yml":  # the links of the site's own kinds that have address fields
        globs = " ".join(f'"content/{ALL_KINDS[k].folder}/**/*.md"' for k in req.kinds)
        text = text.replace('"content/tools/**/*.md"', globs)
    lines = text.split("\n")
    out: list[str] = []
    job_start = 0
    for line in lines:
        if re.match(r"^  [A-Za-z0-9_-]+:$", line):
            job_start = len(out)
        m = _RUNS_GENERATOR.match(line)
        if m and not any(SITE_INSTALL[0] in x for x in out[job_start:]):  # a job running the generator's modules: install it first
            indent = m.group(1)
            step = max(i for i in range(job_start, len(out)) if out[i].startswith("      - "))
            # Python and the generator in steps of their own: no secret of the step below is in
            # their environment while packages install
            setup = [] if any("actions/setup-python@" in x for x in out[job_start:]) else [
                f"      {_setup_python()}", "        with:", '          python-version: "3.11"']
            out[step:step] = [*setup, "      - name: Install the generator from the lock (every file checked against its hash)",
                              "        run: |", *(f"          {line}" for line in SITE_INSTALL)]
            out.append(f"{indent}run: python -m {m.group(2)}")
            continue
        out.append(line)
    return "\n".join(out)


def _dependabot() -> str:
    """The generator's Dependabot configuration (the generator pin in requirements.txt, the web
    editor's npm packages and the actions kept current), less the lock: the generator's, which
    kb sync brings with each version (a version Dependabot proposed there would fail kb sync --check)."""
    text = (SOURCE / ".github" / "dependabot.yml").read_text(encoding="utf-8")
    pip = "  - package-ecosystem: pip\n    directory: /\n"
    if pip not in text:
        raise InitError(f"產生器的 Dependabot 設定沒有 pip 的項目（{SOURCE}） / the generator's Dependabot configuration has no pip entry")
    return text.replace(pip, pip + "    exclude-paths:\n"
                        f"      - {SITE_LOCK.as_posix()} # the generator's lock: kb sync keeps it current\n", 1)


def _content_licence(req: SiteRequest) -> str:
    zh, en = LICENSE.label(req.content_license, "zh-TW"), LICENSE.label(req.content_license, "en")
    url = LICENSE_URLS.get(req.content_license, "").replace("/deed.zh-hant", "/legalcode")
    if req.content_license == "all-rights-reserved":
        return f"{req.name}的內容：著作權所有，未經同意請勿轉載。\nThe content of {req.name_en or req.name}: all rights reserved.\n"
    also = f"（{req.name_en}）" if req.name_en else ""
    return (f"{req.name}{also}的內容（content/ 中的條目與附件），除非條目另有註明，"
            f"以「{zh}」授權：{url}\n\n"
            f"The content of {req.name_en or req.name} (the entries and attachments in content/) is licensed "
            f"under {en} unless an entry says otherwise: {url}\n\n"
            "網站的程式（hooks/、overrides/）來自 library-kb，以 MIT 授權。\n"
            "The site's code (hooks/, overrides/) comes from library-kb under the MIT License.\n")


def _kind_list(kinds: list[Kind]) -> str:
    return "\n".join(f"| {k.zh} {k.en} | `content/{k.folder}/` | `kb new {k.id} 代稱` |" for k in kinds)


def _readme(req: SiteRequest, kinds: list[Kind], url: str) -> str:
    owner = req.repository.partition("/")[0]
    labels = " ".join([ENTRY_LABEL, *(k.folder for k in kinds)])
    english = f"{req.name_en}: {req.description_en}\n\n" if req.name_en and req.description_en else \
        f"{req.name_en or req.description_en}\n\n" if req.name_en or req.description_en else ""
    preview = "http://127.0.0.1:8000" + (urlsplit(url).path or "/")
    return f"""# {req.name}

{req.description}

{english}網站 Site: {url}

## 條目種類 · Kinds

| 種類 kind | 資料夾 folder | 新增 new |
|---|---|---|
{_kind_list(kinds)}

投稿方式見 [CONTRIBUTING.md](CONTRIBUTING.md)。 How to contribute: [CONTRIBUTING.md](CONTRIBUTING.md).

## 在自己的電腦上 · On your computer

```sh
python -m pip install -r requirements.txt
kb serve          # 預覽 preview: {preview}
kb check          # 發布前的檢查 every check CI runs: validate, generated files, strict build
```

## 發布前要在 GitHub 設定的事 · GitHub settings (once)

做的順序 / in this order (推送前先開 Pages，否則第一次發布會失敗，要到 Actions → Deploy → Run workflow 重跑 /
enable Pages before the first push, or re-run Actions → Deploy → Run workflow afterwards):

- [ ] Settings → Pages → Build and deployment → Source: **GitHub Actions**
      `gh api -X POST repos/{req.repository}/pages -f build_type=workflow`
      （網址會是 {url}；用自訂網域時，在 Settings → Pages 設定網域，kb.yml 的 `site:` 寫 `domain:`，mkdocs.yml 的 `site_url`
      改成 `https://網域/` / with a custom domain: set it in Settings → Pages, write it as `domain:` under `site:` in kb.yml,
      and `site_url: https://DOMAIN/` in mkdocs.yml）
- [ ] Settings → Actions → General → **Allow GitHub Actions to create and approve pull requests**
      （表單投稿要開拉取請求；每個工作流程只拿它需要的權限，預設權限維持唯讀即可 / the issue forms open pull requests;
      every job asks for its own permissions, so the default can stay read-only）:
      `gh api -X PUT repos/{req.repository}/actions/permissions/workflow -f default_workflow_permissions=read -F can_approve_pull_request_reviews=true`
      組織的儲存庫要先在組織的設定允許 / in an organization, allow it there first:
      `gh api -X PUT orgs/{owner}/actions/permissions/workflow -f default_workflow_permissions=read -F can_approve_pull_request_reviews=true`
- [ ] 每個種類一個標籤，表單投稿靠它辨識種類 / one label per kind, which the issue forms add:
      `for l in {labels}; do gh label create "$l" --repo {req.repository} --force; done`
- [ ] （建議）表單投稿開的拉取請求要觸發檢查，需要一個權杖；沒有時用工作流程自己的權杖，檢查要由維護者手動重跑 /
      (recommended) for the checks to run on pull requests the issue forms open, a fine-grained token with Contents,
      Pull requests and Issues (read and write) on this repository only, saved as the secret `KB_ENTRY_TOKEN`:
      `gh secret set KB_ENTRY_TOKEN --repo {req.repository}`
- [ ] 合併前一定要通過檢查 / no merge without the checks: Settings → Branches → a rule for `{req.branch}` requiring
      the status check **Validate and build** (`gh api -X PUT repos/{req.repository}/branches/{req.branch}/protection …`,
      or a ruleset in Settings → Rules)
- [ ] 網頁編輯器（選用，kb.yml `editor: enabled: true`）需要 GitHub 登入服務（OAuth），回呼網址是登入服務的 `/callback`；
      見 {UPSTREAM}#the-web-editor-decap-cms / the web editor (optional) needs a GitHub sign-in (OAuth) service: see there
- [ ] 條目討論（選用，kb.yml `discussion: enabled: true`，預設關閉）：Settings → General → Features 勾選 Discussions 並建立分類、
      在本儲存庫安裝 giscus App（https://github.com/apps/giscus）、從 https://giscus.app/zh-TW 複製 repo_id 與 category_id；
      見 {UPSTREAM}#discussion-of-entries-github-discussions-through-giscus / discussion of entries (optional, off by default):
      enable Discussions with a category, install the giscus app on this repository, copy the ids from giscus.app: see there
- [ ] GitHub 會暫停 60 天沒有活動的儲存庫的排程工作（每日重新發布、每週連結檢查）：收到通知時到 Actions 重新啟用 /
      GitHub pauses scheduled workflows after 60 days without activity: re-enable them in the Actions tab when told

`kb check` 在本機檢查能檢查的部分（內容、產生的檔案、嚴格建置）；網址與儲存庫是否一致在 GitHub Actions 中檢查。
改了 kb.yml 或 `content/registries/`（標籤、機構）之後，執行 `kb sync` 更新表單與片段再提交。
`kb check` checks what can be checked here (content, generated files, a strict build); the address and repository are
checked in GitHub Actions. After changing kb.yml or `content/registries/` (tags, institutions), run `kb sync` and commit:
the forms and snippets list their values.

## 升級產生器 · Upgrading the generator

```sh
python -m pip install -U -r requirements.txt
kb sync           # 更新表單、片段、引擎檔案與 requirements-lock.txt forms, snippets, the engine's files, the lock
kb check
```

GitHub Actions 先從 `requirements-lock.txt` 安裝產生器的相依套件（每個下載的檔案都要符合鎖定的雜湊值），再從
`requirements.txt` 安裝釘選的產生器本身。這個鎖定檔是產生器的，`kb sync` 讓它跟著安裝的版本，請勿手動修改；
Dependabot 不會動它。
GitHub Actions installs the generator's dependencies from `requirements-lock.txt` (every file it downloads must match
a locked hash), then the generator itself, pinned in `requirements.txt`. The lock is the generator's: `kb sync` brings
it with each version; do not edit it, and Dependabot leaves it alone.

內容授權見 [LICENSE](LICENSE)。 The content's licence: [LICENSE](LICENSE).
"""


def _guide(req: SiteRequest, kinds: list[Kind], url: str) -> str:
    grant = SiteInfo(site_name=req.name, content_license=req.content_license).licence_grant()
    return f"""# 投稿指南 · Contributing to {req.name}

## 中文

歡迎分享！{req.name}收錄這些種類的條目：{"、".join(k.zh for k in kinds)}。

- **用表單投稿（不用安裝任何東西）**：到 https://github.com/{req.repository}/issues/new/choose 選一種條目，
  填好表單送出；檢查通過後會自動開成拉取請求，維護者合併後就會出現在網站（{url}）上。
- **在 GitHub 網頁上編輯檔案**：在 `content/種類資料夾/` 按 Add file → Create new file，檔名用小寫英文、數字與連字號，
  以 `.md` 結尾；送出後檢查會在拉取請求中列出每個問題與修正方式。
- **在自己的電腦上**：`kb new 種類 代稱` 寫好一個範本（每個要填的地方都標著 `<請填寫 …>`），填好後 `kb validate` 檢查，
  `kb serve` 預覽。種類：{"、".join(f"`{k.id}`（{k.zh}）" for k in kinds)}。

授權：{grant[0]}

## English

Welcome! {req.name_en or req.name} gathers these kinds of entries: {", ".join(k.en for k in kinds)}.

- **Through a form (nothing to install)**: open https://github.com/{req.repository}/issues/new/choose,
  pick a kind and fill in the form; once it passes the checks it becomes a pull request, and after a
  maintainer merges it the entry appears on the site ({url}).
- **Editing a file on GitHub**: in `content/KIND FOLDER/`, Add file → Create new file, named with
  lower-case letters, digits and hyphens and ending in `.md`; the checks list every problem in the
  pull request with how to fix it.
- **On your computer**: `kb new KIND SLUG` writes a template (every place to fill in says `<請填寫 Fill in: …>`),
  `kb validate` checks it and `kb serve` previews the site. Kinds: {", ".join(f"`{k.id}`" for k in kinds)}.

Licence: {grant[1]}

<a id="problem-codes"></a>

## 問題代碼一覽 · Problem codes

{START}
{END}
"""


def _devcontainer(req: SiteRequest) -> str:
    ours = (SOURCE / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8")
    body = ours[ours.index("{"):]
    body = body.replace("python -m pip install --quiet -c constraints.txt -e .",
                        "python -m pip install --quiet -r requirements.txt")
    # the container's name is the site's (whatever the generator's own container is called)
    return re.sub(r'^(\s*"name":\s*)".*?"', lambda m: m.group(1) + json.dumps(req.name, ensure_ascii=False), body,
                  count=1, flags=re.M)
