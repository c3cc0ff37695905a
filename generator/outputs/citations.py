"""Suggested citations (APA style, zh-TW conventions for Chinese names), BibTeX, CSL-JSON
and the embedded metadata reference managers such as Zotero read from a page.

APA in Chinese (as taught in Taiwan's LIS courses, following APA 7): Chinese authors are
written in full, surname first, joined by 、; the year follows in full-width brackets and
the parts end with 。 — 王小明、李大華（2023）。題名［研討會報告］。網站名稱。URL.
Western authors: Surname, I. I., & Surname, I. (2023). Title [Conference report]. Site. URL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..kinds import CitationStyle
from ..model.siteinfo import SiteInfo
from ..validation.entry import Entry

CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
# Han characters only (no CJK punctuation): what a Chinese personal name is written with.
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
COMPOUND_SURNAMES = {"歐陽", "司馬", "諸葛", "上官", "東方", "皇甫", "令狐", "夏侯", "張簡", "范姜", "徐辜", "周黃",
                     "公孫", "慕容", "尉遲", "長孫", "宇文", "司徒", "端木", "南宮"}


@dataclass(frozen=True)
class Name:
    family: str = ""
    given: str = ""
    literal: str = ""  # a group (知識庫編輯小組) or a name that cannot be split

    @property
    def cjk(self) -> bool:
        return bool(CJK_RE.search(self.literal or self.family + self.given))

    def csl(self) -> dict:
        if self.literal:
            return {"literal": self.literal}
        return {"family": self.family, "given": self.given}

    def bibtex(self) -> str:
        if self.literal or self.cjk or not (self.family and self.given):
            return "{" + _bib_escape(self.literal or self.family + self.given) + "}"
        return f"{_bib_name_part(self.family)}, {_bib_name_part(self.given)}"

    def apa(self) -> str:
        if self.literal:
            return self.literal
        if self.cjk:
            return self.family + self.given
        initials = " ".join(_initial(part) for part in re.split(r"\s+", self.given) if part)
        return f"{self.family}, {initials}" if initials else self.family


def _initial(given: str) -> str:
    if given.endswith(".") and len(given) <= 3 and given[0].isalnum():
        return given
    firsts = (next((c for c in p if c.isalnum()), "") for p in given.split("-"))
    return "-".join(c + "." for c in firsts if c)


_BRACKETED_RE = re.compile(r"[（(][^）)]*[）)]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    """Text fit for any output: UTF-16 surrogates written as YAML escapes paired up or, when
    alone, replaced (a lone one cannot be written as UTF-8), and control characters dropped."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROL_RE.sub("", text)


def _has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def parse_name(raw: str) -> Name:
    """A contributor's name as a person (family/given) or a literal group name.

    Total: any text gives a name and nothing raises. What cannot be split into a family and
    a given name (a group, one word, an emoji, text without letters) is kept whole."""
    text = " ".join(_clean(str(raw)).split())
    name = _BRACKETED_RE.sub("", text).strip()  # 王小明（國立公共資訊圖書館） -> 王小明
    if not _has_letters(name):  # "(範例)": the brackets held all there is
        inner = " ".join(_BRACKETED_RE.sub(lambda m: m.group(0)[1:-1], text).split())
        return Name(literal=inner if _has_letters(inner) else text)
    if CJK_RE.search(name):
        compact = "".join(name.split())
        if not 2 <= len(compact) <= 4 or not all(HAN_RE.match(ch) for ch in compact):
            return Name(literal=name)
        cut = 2 if compact[:2] in COMPOUND_SURNAMES and len(compact) >= 3 else 1
        return Name(family=compact[:cut], given=compact[cut:])
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        if _has_letters(family) and _has_letters(given):
            return Name(family=family, given=given)
        return Name(literal=family if _has_letters(family) else given)
    parts = name.split()
    if len(parts) == 1 or not _has_letters(parts[-1]) or not _has_letters(" ".join(parts[:-1])):
        return Name(literal=name)
    return Name(family=parts[-1], given=" ".join(parts[:-1]))


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "%": r"\%", "#": r"\#", "&": r"\&", "$": r"\$", "_": r"\_",
                "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib_escape(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, braces that pair kept as
    escaped pairs, and a brace without its partner written as a command, so that every field
    stays balanced (BibTeX counts braces whatever precedes them)."""
    text = _clean(text)
    paired: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "{":
            opened.append(i)
        elif ch == "}" and opened:
            paired.update((opened.pop(), i))
    out = []
    for i, ch in enumerate(text):
        if ch in "{}":
            out.append("\\" + ch if i in paired else (r"\textbraceleft{}" if ch == "{" else r"\textbraceright{}"))
        else:
            out.append(_BIB_SPECIAL.get(ch, ch))
    return "".join(out)


_BIB_AND_RE = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _bib_name_part(text: str) -> str:
    """A family or given name: in braces when BibTeX would otherwise read " and " in it as the
    start of another author, or a comma as another part of the name."""
    escaped = _bib_escape(text)
    return "{" + escaped + "}" if _BIB_AND_RE.search(text) or "," in text else escaped


class Citation:
    """Everything a citable entry offers: the suggested text and the machine-readable forms."""

    def __init__(self, e: Entry, site: SiteInfo, registries, publisher: str = ""):
        self.e = e
        self.site = site
        self.regs = registries
        self.names = [n for n in (parse_name(a) for a in e.data["authors"]) if n.literal or n.family]
        self.url = site.absolute(e.url) if site.site_url else ""
        self.zh = bool(CJK_RE.search(e.title)) or e.data.get("language", "zh-TW").startswith("zh")
        self.style = e.kind.citation or CitationStyle("", "")
        self.genre = self.style.genre_zh if self.zh else self.style.genre_en
        self.number = self.style.number(e.data)
        inst = e.data.get("institution") or (e.data.get("institutions") or [None])[0]
        self.institution = registries["institutions"].label(inst) if inst else ""
        self.publisher = publisher or site.site_name
        if not self.names:  # no author to name: the knowledge base is the author, as for a group
            self.names = [Name(literal=_clean(self.publisher))]

    @property
    def key(self) -> str:
        return f"{self.e.slug}-{self.e.date.year}"

    def apa(self) -> str:
        return _clean(self._apa())

    def _apa(self) -> str:
        e, genre = self.e, self.genre
        year = e.date.year
        if self.zh:
            authors = "、".join(n.apa() for n in self.names)
            text = f"{authors}（{year}）。{e.title}［{genre}］。{self.publisher}。"
        else:
            parts = [n.apa() for n in self.names]
            if len(parts) == 1:
                authors = parts[0]
            elif len(parts) == 2:
                authors = f"{parts[0]}, & {parts[1]}"
            else:
                authors = ", ".join(parts[:-1]) + f", & {parts[-1]}"
            if not authors.endswith("."):
                authors += "."
            text = f"{authors} ({year}). {e.title} [{genre}]. {self.publisher}."
        if not self.url:
            return text
        return text + self.url if self.zh else f"{text} {self.url}"

    def csl(self) -> dict:
        e, d = self.e, self.e.data
        item = {
            "id": self.key,
            "type": "report" if self.style.report else "document",
            "title": e.title,
            "author": [n.csl() for n in self.names],
            "issued": {"date-parts": [[e.date.year, e.date.month, e.date.day]]},
            "genre": self.genre,
            "publisher": self.publisher,
            "abstract": d["summary"],
            "language": d.get("language", "zh-TW"),
            "keyword": ", ".join(self.regs["tags"].label(t) for t in d.get("tags", [])),
        }
        if self.url:
            item["URL"] = self.url
        if self.style.event is not None:
            item.update(self.style.event(d, self.regs))
        if self.style.report:
            if self.institution:
                item["authority"] = self.institution
            if self.number:
                item["number"] = self.number
        return item

    def csl_json(self) -> str:
        return _clean(json.dumps([self.csl()], ensure_ascii=False, indent=2)) + "\n"

    def bibtex(self) -> str:
        e, d = self.e, self.e.data
        entry_type = "techreport" if self.style.report else "misc"
        fields = [
            ("author", " and ".join(n.bibtex() for n in self.names), False),
            ("title", e.title, True),
            ("year", str(e.date.year), True),
            ("month", str(e.date.month), True),
        ]
        if entry_type == "techreport":
            fields.append(("institution", self.institution or self.publisher, True))
            fields.append(("type", self.genre, True))
            if self.number:
                fields.append(("number", self.number, True))
        else:
            fields.append(("howpublished", self.publisher, True))
            fields.append(("note", self.genre, True))
        if self.url:
            fields.append(("url", self.url, False))
        fields.append(("abstract", d["summary"], True))
        fields.append(("langid", d.get("language", "zh-TW"), True))
        lines = [f"@{entry_type}{{{self.key},"]
        for name, value, escape in fields:
            lines.append(f"  {name} = {{{_bib_escape(value) if escape else value}}},")
        lines.append("}")
        return _clean("\n".join(lines)) + "\n"

    def meta_tags(self, pdf_url: str = "") -> list[tuple[str, str]]:
        """Highwire Press tags (Zotero's embedded-metadata translator reads these) and Dublin Core."""
        e, d = self.e, self.e.data
        tags: list[tuple[str, str]] = [("citation_title", e.title)]
        tags += [("citation_author", n.literal or (f"{n.family}{n.given}" if n.cjk else f"{n.family}, {n.given}"))
                 for n in self.names]
        tags.append(("citation_publication_date", e.date.strftime("%Y/%m/%d")))
        tags.append(("citation_language", d.get("language", "zh-TW")))
        tags.append(("citation_publisher", self.publisher))
        if self.style.report:
            tags.append(("citation_technical_report_institution", self.institution or self.publisher))
            if self.number:
                tags.append(("citation_technical_report_number", self.number))
        if d.get("tags"):
            tags.append(("citation_keywords", "; ".join(self.regs["tags"].label(t) for t in d["tags"])))
        if self.url:
            tags.append(("citation_public_url", self.url))
        if pdf_url:
            tags.append(("citation_pdf_url", pdf_url))
        tags += [("DC.title", e.title), ("DC.date", e.date.isoformat()), ("DC.language", d.get("language", "zh-TW")),
                 ("DC.type", "Text"), ("DC.publisher", self.publisher)]
        tags += [("DC.creator", n.apa()) for n in self.names]
        return [(name, _clean(value)) for name, value in tags]
