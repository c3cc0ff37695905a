"""Helpers to write small knowledge bases for tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REGISTRIES = ROOT / "content" / "registries"

BODIES = {
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

VALID = {
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
    """An empty knowledge base with the project's registries."""
    content = tmp / "content"
    (content / "registries").mkdir(parents=True)
    for f in REGISTRIES.glob("*.yml"):
        shutil.copy(f, content / "registries" / f.name)
    for folder in VALID:
        (content / folder).mkdir()
    return content


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
