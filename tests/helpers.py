"""Helpers to write small knowledge bases for tests.

The tests build their own sites and never read the project's ``content/`` (the sample
knowledge base, which a community replaces with its own): registries come from
``tests/data/registries/``, realistic entries from ``tests/data/entries/`` (both the tests' own,
first copied from the sample), and an entry of a kind no table here knows from
:meth:`generator.kinds.base.Kind.sample`, so that adding a kind needs no test edit.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
REGISTRIES = DATA / "registries"  # the test sites' registries (tags, institutions, organizations)
ENTRIES = DATA / "entries"  # the test sites' entries, by kind folder, as in a site's content/

_BODIES = {
    "conference-reports": "## 目的\n\n說明目的。\n\n## 過程\n\n參加了館藏發展的場次。\n\n## 心得\n\n收穫很多。\n\n## 建議\n\n持續參與。\n",
    "tools": "## 介紹\n\n好用的工具。\n",
    "outreach": "## 活動規劃\n\n規劃內容。\n\n## 活動成果\n\n成果豐碩。\n\n## 檢討與建議\n\n下次提早宣傳。\n",
    "lesson-plans": "## 教學活動\n\n分組練習。\n\n## 評量\n\n學習單。\n",
    "ideas": "## 做法\n\n改用共用表單。\n\n## 成果\n\n處理時間減半。\n",
    "answers": "先從館內的國際交流經驗盤點起。\n",
    "guides": "## 步驟\n\n先盤點需求。\n",
    "jobs": "## 工作內容\n\n參考諮詢與利用教育。\n",
    "exchange": "## 物品清單\n\n複本期刊。\n",
    "sister-libraries": "## 合作緣起\n\n在研討會認識。\n",
}

BASE = {"date": dt.date(2024, 1, 10), "summary": "一段摘要。", "tags": ["resource-sharing"], "authors": ["王小明"]}

_VALID = {
    "conference-reports": {
        "conference": "ALA", "year": 2022, "start_date": dt.date(2022, 6, 22), "end_date": dt.date(2022, 6, 28),
        "city": "華盛頓特區", "country": "美國", "region": "north-america", "mode": "virtual", "institutions": ["nlpi"],
    },
    "tools": {
        "url": "https://example.org/tool", "purpose": "查詢資料。", "category": "database", "recommended_by": "王小明",
        "cost": "free", "interface_languages": ["zh-TW"], "audience": ["librarians"], "checked": dt.date(2024, 1, 1),
    },
    "outreach": {
        "institution": "nlpi", "start_date": dt.date(2023, 5, 1), "end_date": dt.date(2023, 5, 2),
        "audience": ["children"], "program_type": "storytelling",
        "contact": {"email": "service@library.example.org"},
    },
    "lesson-plans": {
        "audience": ["undergraduates"], "discipline": "通識", "duration_minutes": 50, "outcomes": ["能檢索資料庫"],
    },
    "ideas": {"problem": "館際借書流程冗長。", "idea": "改用共用線上表單。", "year": 2016, "institutions": ["nlpi"]},
    "answers": {"question": "如何找到姐妹館？", "expert": {"name": "林怡君", "title": "館長"}},
    "guides": {},
    "jobs": {
        "direction": "offered", "position": "約用館員", "employer": "範例大學圖書館", "employment_type": "contract",
        "location": "高雄市", "requirements": ["圖資系所畢業"], "how_to_apply": "寄履歷到 jobs@library.example.org。",
        "closing_date": dt.date(2024, 2, 29),
    },
    "exchange": {
        "institution": "nlpi", "offer_type": "give", "category": "periodicals", "quantity": 40, "unit": "冊",
        "condition": "good", "location": "臺中市", "expires": dt.date(2024, 3, 31),
        "contact": {"email": "service@library.example.org"},
    },
    "sister-libraries": {
        "institution": "nlpi", "partners": [{"name": "Example Public Library", "country": "美國"}], "since": 2019,
        "activities": [{"year": 2020, "activity": "互贈館藏"}], "contact": {"email": "intl@library.example.org"},
    },
}


@functools.cache
def registries():
    """The test sites' registries, loaded (as :func:`new_content` writes them)."""
    from generator.model.registries import load_registries

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(REGISTRIES, content / "registries")
        regs, problems = load_registries(content)
    assert not problems, problems
    return regs


def kind_sample(folder: str) -> tuple[dict, str]:
    """The kind's own sample entry (front matter, body) against the test registries."""
    from generator.kinds import KINDS_BY_FOLDER

    return KINDS_BY_FOLDER[folder].sample(registries())


class _ByKind(Mapping):
    """Per kind folder: the explicit values tests rely on, else the kind's own sample
    (:meth:`Kind.sample`); it holds every kind registered when it is read."""

    def __init__(self, table: dict, of_sample):
        self._table, self._of_sample = table, of_sample

    def __getitem__(self, folder: str):
        if folder in self._table:
            return self._table[folder]
        from generator.kinds import KINDS_BY_FOLDER

        if folder not in KINDS_BY_FOLDER:
            raise KeyError(folder)
        return self._of_sample(*kind_sample(folder))

    def __iter__(self) -> Iterator[str]:
        from generator.kinds import KINDS_BY_FOLDER

        return iter(list(KINDS_BY_FOLDER))

    def __len__(self) -> int:
        from generator.kinds import KINDS_BY_FOLDER

        return len(KINDS_BY_FOLDER)


# The kind's own fields (the fields every entry has come from BASE), and its body.
VALID: Mapping[str, dict] = _ByKind(_VALID, lambda data, body: {k: v for k, v in data.items() if k not in BASE
                                                                  and k != "title"})
BODIES: Mapping[str, str] = _ByKind(_BODIES, lambda data, body: body)


def front_matter(folder: str, **overrides) -> dict:
    data = {"title": _title(folder, overrides), **BASE, **VALID[folder]}
    for k, v in overrides.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    return data


def _title(folder: str, overrides: dict, body: str | None = None) -> str:
    """The default title: entries written with different values get different titles (the
    same title twice in a kind is warned of, as a likely duplicate), the same values the same."""
    if not overrides and body is None:
        return f"測試條目 {folder}"
    digest = hashlib.sha1(repr((sorted(overrides.items()), body)).encode("utf-8", "surrogatepass")).hexdigest()
    return f"測試條目 {folder} {digest[:8]}"


def entry_text(folder: str, body: str | None = None, **overrides) -> str:
    if "title" not in overrides:
        overrides["title"] = _title(folder, dict(overrides), body)
    fm = yaml.safe_dump(front_matter(folder, **overrides), allow_unicode=True, sort_keys=False)
    return f"---\n{fm}---\n\n{BODIES[folder] if body is None else body}"


def new_content(tmp: Path) -> Path:
    """An empty knowledge base with the test registries, a folder for every kind."""
    content = tmp / "content"
    (content / "registries").mkdir(parents=True)
    for f in REGISTRIES.glob("*.yml"):
        shutil.copy(f, content / "registries" / f.name)
    for folder in VALID:
        (content / folder).mkdir()
    return content


def example_content(tmp: Path, *, every_kind: bool = False, files: dict[str, str | bytes] | None = None) -> Path:
    """A knowledge base of the tests' own: the registries and entries of ``tests/data/``, then
    ``files`` (relative path: text or bytes). ``every_kind``: a kind with no entry there gets
    its full sample (:func:`full_sample`) as ``<folder>/<folder>-sample.md``."""
    content = new_content(tmp)
    shutil.copytree(ENTRIES, content, dirs_exist_ok=True)
    if every_kind:
        from generator.kinds import KINDS_BY_FOLDER

        for folder in KINDS_BY_FOLDER:
            if not any(p.suffix == ".md" for p in (content / folder).rglob("*")):
                data, body = full_sample(folder)
                write(content, f"{folder}/{folder}-sample.md", entry_file(data, body))
    for rel, text in (files or {}).items():
        write(content, rel, text)
    return content


def entry_file(data: dict, body: str) -> str:
    """An entry's file: ``data`` as YAML front matter, then ``body``."""
    return f"---\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}---\n\n{body}"


# Optional fields a lone entry cannot fill: another entry, a file beside it.
_NOT_ALONE = ("related", "attachments")


@functools.cache
def _full_sample(folder: str) -> tuple[str, str]:
    from generator.kinds import KINDS_BY_FOLDER
    from generator.kinds.base import sample_value
    from generator.knowledge.indexing import load_knowledge_base

    kind = KINDS_BY_FOLDER[folder]
    data, body = kind.sample(registries())
    with tempfile.TemporaryDirectory() as tmp:
        content = new_content(Path(tmp))
        path = content / folder / "x.md"
        for f in kind.schema.fields:
            if f.name in data or f.name in _NOT_ALONE:
                continue
            trial = {**data, f.name: sample_value(f, registries())}
            path.write_text(entry_file(trial, body), encoding="utf-8")
            if not load_knowledge_base(content, today=dt.date(2024, 6, 1)).problems:
                data = trial
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False), body


def full_sample(folder: str) -> tuple[dict, str]:
    """The kind's sample with every optional field it declares that keeps it valid, each from
    its example (or a plain value of its type): (front matter, body)."""
    text, body = _full_sample(folder)
    return yaml.safe_load(text), body


def write(content: Path, rel: str, text: str | bytes) -> Path:
    p = content / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def codes(problems) -> list[tuple[str, int, int, str]]:
    return [(p.path, p.line, p.column, p.code) for p in problems]


def cli_project(tmp: Path) -> Path:
    """A project the kb command finds: content/ with its registries, and a mkdocs.yml."""
    new_content(tmp)
    (tmp / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    return tmp


def run_kb(capsys, *argv: str) -> tuple[int, str, str]:
    """kb run in this process: (exit code, stdout, stderr)."""
    from generator.cli import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err
