"""Controlled vocabularies: lists of values with zh-TW and English labels.

The values every site starts with are data, ``generator/data/vocabularies.yml``. A site adds
values or relabels them in its ``kb.yml`` (``vocabularies:``, validated in
:mod:`generator.model.settings`); :func:`use_site_terms` applies them when the site is opened,
so that validation, messages, forms, the web editor and the facets all follow. No value is ever
taken away (entries and the kinds' checks rely on them), and ``visibility`` is not a site's to change.

Contributors may write the id (``hybrid``) or either label (``混合``,
``Hybrid``); the entry keeps the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Term:
    id: str
    zh: str
    en: str


class Vocabulary:
    def __init__(self, name: str, terms: list[tuple[str, str, str]]):
        self.name = name
        self.defaults = tuple(Term(*t) for t in terms)
        self._use(list(self.defaults))

    def _use(self, terms: list[Term]) -> None:
        self.terms = terms
        self._by_name: dict[str, str] = {}
        for t in self.terms:
            for n in (t.id, t.zh, t.en):
                self._by_name.setdefault(n.casefold(), t.id)
        self._by_id = {t.id: t for t in self.terms}

    def with_site_terms(self, terms: dict[str, tuple[str, str]]) -> None:
        """The defaults, relabelled where ``terms`` names a default's id, then the site's new
        values in the order given (``terms``: id -> (zh, en))."""
        out = [Term(t.id, *terms[t.id]) if t.id in terms else t for t in self.defaults]
        known = {t.id for t in self.defaults}
        out += [Term(i, zh, en) for i, (zh, en) in terms.items() if i not in known]
        self._use(out)

    def ids(self) -> list[str]:
        return [t.id for t in self.terms]

    def all_names(self) -> list[str]:
        return [n for t in self.terms for n in (t.id, t.zh, t.en)]

    def resolve(self, value: str) -> str | None:
        return self._by_name.get(value.strip().casefold())

    def label(self, term_id: str, lang: str = "zh-TW") -> str:
        t = self._by_id.get(term_id)
        if t is None:
            return term_id
        return t.zh if lang.startswith("zh") else t.en

    def __contains__(self, term_id: str) -> bool:
        return term_id in self._by_id


_DATA = Path(__file__).resolve().parents[1] / "data" / "vocabularies.yml"
# The generator's own file, read when any command starts: with LibYAML where PyYAML has it
# (PyYAML's own parser took 15 ms of every start, kb validate's included).
_TERMS: dict[str, list[list[str]]] = yaml.load(_DATA.read_text(encoding="utf-8"),
                                               Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
VOCABULARIES: dict[str, Vocabulary] = {name: Vocabulary(name, [(str(i), zh, en) for i, zh, en in terms])
                                       for name, terms in _TERMS.items()}
# Vocabularies a site may not change: what the generator itself decides by.
FIXED = frozenset({"visibility"})

VISIBILITY = VOCABULARIES["visibility"]
LANGUAGE = VOCABULARIES["language"]
REGION = VOCABULARIES["region"]
MODE = VOCABULARIES["mode"]
PRESENTATION_TYPE = VOCABULARIES["presentation"]
COST = VOCABULARIES["cost"]
TOOL_CATEGORY = VOCABULARIES["tool-category"]
AUDIENCE = VOCABULARIES["audience"]
PROGRAM_TYPE = VOCABULARIES["program-type"]
CURRENCY = VOCABULARIES["currency"]
BUDGET_BRACKET = VOCABULARIES["budget-bracket"]
MARKETING = VOCABULARIES["marketing"]
ATTACHMENT_TYPE = VOCABULARIES["attachment-type"]
ACRL_FRAME = VOCABULARIES["acrl-frame"]
LICENSE = VOCABULARIES["license"]
ORG_TYPE = VOCABULARIES["organization-type"]
INSTITUTION_TYPE = VOCABULARIES["institution-type"]
JOB_DIRECTION = VOCABULARIES["job-direction"]
EMPLOYMENT_TYPE = VOCABULARIES["employment-type"]
OFFER_TYPE = VOCABULARIES["offer-type"]
ITEM_CATEGORY = VOCABULARIES["item-category"]
CONDITION = VOCABULARIES["condition"]
OFFER_STATUS = VOCABULARIES["offer-status"]
PARTNERSHIP_STATUS = VOCABULARIES["partnership-status"]
AGREEMENT = VOCABULARIES["agreement"]


def use_site_terms(site_terms: dict[str, dict[str, tuple[str, str]]]) -> None:
    """Every vocabulary as the site has it: the defaults, then the site's own values and labels
    (vocabulary name -> id -> (zh, en)); a vocabulary the site does not name is the default."""
    for name, vocabulary in VOCABULARIES.items():
        vocabulary.with_site_terms(site_terms.get(name, {}))


# An entry's language (the vocabulary "language") as BCP 47, with the script for Chinese.
LANGUAGE_TAGS = {"zh-TW": "zh-Hant", "zh-CN": "zh-Hans"}


def text_language(e) -> str:
    """The BCP 47 tag of the language an entry is written in (pages' lang, JSON-LD's inLanguage)."""
    code = e.data.get("language", "zh-TW")
    return LANGUAGE_TAGS.get(code, code)
