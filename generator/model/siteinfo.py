"""The site's identity and where it and its sources live: its name and description in both
languages, absolute URLs for feeds, social cards and edit links, its repository.

The identity is the engine's configuration (``mkdocs.yml``: ``site_name``, ``site_description``,
``site_url``, ``repo_url``, ``edit_uri``), where MkDocs users write it and the engine reads it,
plus what kb.yml adds (``site: name_en, description_en, domain``). :func:`site_info` makes the
one value every output reads; :func:`engine_config` reads mkdocs.yml without an engine (for
``kb`` commands that do not build).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


ENGINE_CONFIG = "mkdocs.yml"
# Where the generator itself lives: what a site installs and upgrades from, and where kb.yml is documented.
GENERATOR_HOME = "https://github.com/library-kb/library-kb"
# The deeds of the content licences a site may choose (kb.yml license: content; vocabulary "license").
LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/deed.zh-hant",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.zh-hant",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/deed.zh-hant",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.zh-hant",
}
GITHUB_REPO_RE = re.compile(r"^https://github\.com/([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class SiteInfo:
    site_url: str = ""  # e.g. https://example.github.io/kb/
    site_name: str = ""
    repo_url: str = ""  # e.g. https://github.com/example/kb
    branch: str = "main"
    description: str = ""
    name_en: str = ""
    description_en: str = ""
    intro: str = ""  # the home page's introduction (kb.yml site: intro), else the description
    intro_en: str = ""
    content_license: str = "CC-BY-4.0"
    content_path: str = "content"  # the content folder, relative to the repository root
    today: dt.date | None = None  # for tests; defaults to today in Taipei

    def absolute(self, path: str) -> str:
        """Absolute URL of a site path (directory URLs, no leading slash)."""
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return base + quote(path) if self.site_url else path

    def edit_url(self, rel: str) -> str:
        return f"{self.repo_url.rstrip('/')}/edit/{self.branch}/{self.content_path}/{rel}" if self.repo_url else ""

    def history_url(self, rel: str) -> str:
        return f"{self.repo_url.rstrip('/')}/commits/{self.branch}/{self.content_path}/{rel}" if self.repo_url else ""

    def now_date(self) -> dt.date:
        return self.today or dt.datetime.now(TAIPEI).date()

    def licence(self) -> tuple[str, str, str]:
        """The content's licence: (zh-TW name, English name, the deed's address or "")."""
        from .vocab import LICENSE

        return (LICENSE.label(self.content_license, "zh-TW"), LICENSE.label(self.content_license, "en"),
                LICENSE_URLS.get(self.content_license, ""))

    def licence_grant(self) -> tuple[str, str]:
        """What a contributor grants, said where they contribute (forms, guide): (zh-TW, English)."""
        zh, en, url = self.licence()
        if self.content_license == "all-rights-reserved":
            return (f"送出的內容由{self.site_name or '本站'}保留所有權利，僅在本站發布。",
                    "What you submit is published on this site only, all rights reserved.")
        where = f"（{url}）" if url else ""
        return (f"送出即表示您同意以「{zh}」{where}授權，讓任何人在註明作者的條件下使用您寫的內容；"
                "請只放您有權分享的文字與圖片。",
                f"By submitting you license what you wrote under {en}{f' ({url})' if url else ''}: anyone may reuse it "
                "with credit to you. Only include text and pictures you have the right to share.")

    @property
    def repository(self) -> str | None:
        """The GitHub repository as owner/name, from repo_url; None for another host or none."""
        return github_repository(self.repo_url)


def content_licence_html(site: SiteInfo) -> str:
    """The footer's line on the content's licence, as HTML (the theme prints it as it is): every
    value escaped, the deed linked."""
    from markupsafe import escape

    zh, en, url = site.licence()
    name = f'<a href="{escape(url)}" rel="license">{escape(zh)}</a>' if url else str(escape(zh))
    if site.content_license == "all-rights-reserved":
        return f"內容著作權所有，未經同意請勿轉載。 / Content: {escape(en)}."
    return f"內容由貢獻者以{name}授權，除非條目另有註明。 / Content licensed under {escape(en)} unless an entry says otherwise."


def english_licence_html(site: SiteInfo) -> str:
    """The footer's line on the content's licence on the English site."""
    from markupsafe import escape

    _, en, url = site.licence()
    if site.content_license == "all-rights-reserved":
        return f"Content: {escape(en)}."
    name = f'<a href="{escape(url)}" rel="license">{escape(en)}</a>' if url else str(escape(en))
    return f"Content licensed under {name} unless an entry says otherwise."


def github_repository(repo_url: str | None) -> str | None:
    m = GITHUB_REPO_RE.match((repo_url or "").strip())
    return m.group(1) if m else None


def site_info(config: dict[str, Any], settings: Any = None, today: dt.date | None = None) -> SiteInfo:
    """The site's identity from the engine's configuration (values as MkDocs has them) and kb.yml."""
    edit_uri = str(config.get("edit_uri") or "").strip("/")  # e.g. edit/main/content
    parts = edit_uri.split("/")
    branch = parts[1] if len(parts) >= 2 and parts[0] in ("edit", "blob") else "main"
    content_path = "/".join(parts[2:]) if len(parts) > 2 else "content"
    site = SiteInfo(site_url=str(config.get("site_url") or ""), site_name=str(config.get("site_name") or ""),
                    repo_url=str(config.get("repo_url") or ""), branch=branch, content_path=content_path,
                    description=str(config.get("site_description") or ""), today=today)
    return with_settings(site, settings) if settings is not None else site


def with_settings(site: SiteInfo, settings: Any) -> SiteInfo:
    """The identity with what kb.yml adds (Settings from generator.model.settings)."""
    return dataclasses.replace(site, name_en=settings.site_name_en or "", description_en=settings.site_description_en or "",
                               intro=settings.site_intro or "", intro_en=settings.site_intro_en or "",
                               content_license=settings.content_license)


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: tags for the engine (!!python/name:…, !ENV, !relative) read as None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def engine_config(root: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as data ({} when it is missing or unreadable: the engine says why)."""
    path = Path(root) / ENGINE_CONFIG
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def repository_of(root: Path) -> str | None:
    """The project's GitHub repository (owner/name) from mkdocs.yml's repo_url."""
    return github_repository(engine_config(root).get("repo_url"))


def generated_at() -> str:
    """The build's time, for exports: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), TAIPEI) if epoch and epoch.isdigit() else dt.datetime.now(TAIPEI)
    return when.isoformat(timespec="seconds")


def date_from_env(name: str = "KB_TODAY") -> dt.date | None:
    """The build's date from the environment (KB_TODAY=2024-03-01): rebuild the site as it
    looked on a day, or test expiry with a fixed date. Unset: today in Taipei."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}：日期格式應為 YYYY-MM-DD / must be a date, YYYY-MM-DD") from None
