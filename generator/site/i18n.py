"""The reader's languages: the site in Traditional Chinese at the root and, unless a site turns
it off (kb.yml ``site: english: false``), the same site in English under ``en/``.

Every interface string a reader sees (navigation, headings, labels, notices, the search page,
feeds' titles, the 404 page) is one entry of one bilingual catalogue,
``generator/data/interface.yml`` (key: [zh-TW, en]); a page's view and template ask its
:class:`Language` for them (``t("key")``). What the model already says in both languages (a
kind's, a field's or a vocabulary value's name) is chosen with :meth:`Language.pick`.

Entries are written in Chinese (or in the language their ``language`` says); each may add
``title_en`` and ``summary_en``. An English page shows them, and where an entry has none, its
own title and summary marked with their language (``lang="zh-Hant"``) and a note saying in
which language the entry is written (:meth:`Language.entry_text`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from markupsafe import Markup

from ..core import escape
from ..model.vocab import text_language


@cache
def catalogue() -> dict[str, tuple[str, str]]:
    """key -> (zh-TW, en), read once."""
    text = resources.files("generator").joinpath("data/interface.yml").read_text("utf-8")
    raw = yaml.safe_load(text) or {}
    out: dict[str, tuple[str, str]] = {}
    for key, pair in raw.items():
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) and s for s in pair)):
            raise ValueError(f"interface.yml: {key}: expected [zh-TW, en], two non-empty strings")
        out[str(key)] = (pair[0], pair[1])
    return out


@dataclass(frozen=True)
class Language:
    code: str  # the build's name for it: zh-TW, en
    prefix: str  # where its pages are, from the site's root: "" or "en/"
    html: str  # its BCP 47 tag in pages (lang, hreflang)
    index: int  # its column in the catalogue

    @property
    def english(self) -> bool:
        return self.code == "en"

    def t(self, key: str, **values: Any) -> str:
        """The catalogue's string for ``key`` in this language, with ``{name}`` filled in."""
        text = catalogue()[key][self.index]
        return text.format(**values) if values else text

    def pick(self, zh: str, en: str) -> str:
        """A value the model gives in both languages; English falls back to the Chinese."""
        return (en or zh) if self.english else zh

    def name(self, thing) -> str:
        """The name of a kind, field, facet or section (``zh`` and ``en`` attributes)."""
        return self.pick(thing.zh, getattr(thing, "en", "") or "")

    def entry_text(self, e, key: str) -> tuple[str, str]:
        """An entry's title or summary for a page of this language: (text, the BCP 47 tag of
        its language when that is not the page's, else ""). English pages show
        ``title_en``/``summary_en`` when the entry has them, else the entry's own."""
        if self.english:
            english = e.data.get(f"{key}_en")
            if english:
                return english, ""
            tag = text_language(e)
            return e.data[key], "" if tag == "en" else tag
        return e.data[key], ""

    def entry_html(self, e, key: str) -> Markup:
        """:meth:`entry_text` as escaped markup, marked with its language where it is not the page's."""
        text, tag = self.entry_text(e, key)
        return Markup(f'<span lang="{escape.text(tag)}">{escape.text(text)}</span>' if tag else escape.text(text))

    def other(self) -> Language:
        return EN if self.code == ZH.code else ZH


ZH = Language("zh-TW", "", "zh-Hant", 0)
EN = Language("en", "en/", "en", 1)
LANGUAGES = (ZH, EN)


def language(code: str) -> Language:
    return EN if code == "en" else ZH


# The catalogue's strings the theme's own templates print (overrides/: the header's search
# form, the language switch, the 404 page), handed to them once per build (config.extra.kb).
ENGINE_STRINGS = ("search-label", "nav-search", "not-found", "not-found-text", "nav-home", "language-switch",
                  "language-switch-label")


def engine_strings() -> dict[str, dict[str, str]]:
    """lang tag (zh-Hant, en) -> key -> string, for the theme's templates."""
    return {lang.html: {key: lang.t(key) for key in ENGINE_STRINGS} for lang in LANGUAGES}


def languages(settings) -> tuple[Language, ...]:
    """The site's languages: Chinese, and English unless kb.yml says ``site: english: false``."""
    return LANGUAGES if getattr(settings, "english", True) else (ZH,)
