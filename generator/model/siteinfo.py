"""Where the site and its sources live: absolute URLs for feeds, social cards and edit links."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


@dataclass(frozen=True)
class SiteInfo:
    site_url: str = ""  # e.g. https://library-kb.github.io/library-kb/
    site_name: str = "圖書館員知識庫"
    repo_url: str = ""  # e.g. https://github.com/library-kb/library-kb
    branch: str = "main"
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
