"""A synthetic knowledge base of N entries, valid against the real schemas, with a Git history.

    .venv/bin/python benchmarks/synth.py OUT_DIR --entries 1000 [--seed 1] [--no-git]

Entries cover every kind, in proportions like a working knowledge base's (a quarter
conference reports; tools, outreach and lesson plans next; one in twenty of each of the
other kinds, with some job postings and offers already closed); text is zh-TW prose assembled from a
library vocabulary (so words such as 館藏, 推廣, 資訊素養, 國家圖書館 or
"Koha 系統" fall mid-sentence), tags come from the real vocabulary, and the
history has several authors over several years. Deterministic for a seed.
A kind this module has no values for (a kind added since) gets its own sample
(``Kind.sample()``) with the same title, dates, tags and prose, one entry in each cycle.
The project is a copy of this repository's mkdocs.yml, hooks, overrides and
registries (or the registries folder given) around the synthetic content/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from generator.kinds import KINDS_BY_FOLDER
from generator.model.fields import Text
from generator.model.registries import Registries, Registry

ROOT = Path(__file__).resolve().parents[1]

SUBJECTS = ["本館", "我們的團隊", "參與的館員", "合作學校", "推廣服務組", "讀者服務組", "資訊組同仁", "志工團隊",
            "南區聯盟成員館", "講者", "與會者", "國家圖書館", "市立圖書館", "大學圖書館", "學校圖書館"]
VERBS = ["整理了", "分享了", "討論了", "規劃了", "推動了", "檢討了", "評估了", "介紹了", "建立了", "改善了", "比較了"]
OBJECTS = ["館藏發展政策", "館際合作流程", "資訊素養課程", "閱讀推廣活動", "電子書平台", "二手書交換", "姐妹館交流",
           "Koha 系統", "開放取用資源", "讀者滿意度調查", "空間改造計畫", "新住民服務", "樂齡學習活動",
           "數位典藏", "資料庫檢索教學", "社群媒體經營", "館員專業成長", "國際研討會心得", "少子化因應策略",
           "書目資料品質", "虛擬借書證", "代借代還服務", "學術倫理講座", "永續發展目標", "人工智慧工具"]
CONNECT = ["，並且", "，同時", "；此外", "，因此", "，但是", "，讓"]
TAILS = ["讀者的回饋相當正面。", "未來將持續改進。", "執行成果超出預期。", "經費仍是最大的挑戰。",
         "值得其他圖書館參考。", "需要更多人力支援。", "參與人數逐年成長。", "建議擴大辦理。"]
CITIES = [("臺北市", "臺灣", "asia"), ("高雄市", "臺灣", "asia"), ("東京", "日本", "asia"), ("新加坡", "新加坡", "asia"),
          ("華盛頓特區", "美國", "north-america"), ("芝加哥", "美國", "north-america"), ("鹿特丹", "荷蘭", "europe"),
          ("都柏林", "愛爾蘭", "europe"), ("雪梨", "澳洲", "oceania"), ("開普敦", "南非", "africa")]
AUTHORS = [("王小明", "wang@example.org"), ("李大華", "lee@example.org"), ("陳美玲", "chen@example.org"),
           ("林志明", "lin@example.org"), ("張淑芬", "chang@example.org"), ("黃建國", "huang@example.org"),
           ("吳佩珊", "wu@example.org"), ("劉家豪", "liu@example.org")]
# One cycle of entries: the kinds' shares of the corpus (20 for the kinds below), then one of
# each kind registered that this module does not know; a kind no longer registered is left out.
_SHARES = (["conference-reports"] * 5 + ["tools"] * 3 + ["outreach"] * 3 + ["lesson-plans"] * 3
           + ["ideas", "answers", "guides", "jobs", "exchange", "sister-libraries"])
KIND_FOLDERS = ([f for f in _SHARES if f in KINDS_BY_FOLDER]
                + [f for f in KINDS_BY_FOLDER if f not in _SHARES])
_SECTIONS = {
    "conference-reports": ["目的", "過程", "心得", "建議"],
    "tools": ["介紹", "使用心得"],
    "outreach": ["活動規劃", "活動成果", "檢討與建議"],
    "lesson-plans": ["教學活動", "評量"],
    "ideas": ["問題背景", "做法", "成果"],
    "answers": ["回答", "延伸資源"],
    "guides": ["步驟", "注意事項"],
    "jobs": ["工作內容", "福利"],
    "exchange": ["物品清單", "交接方式"],
    "sister-libraries": ["合作緣起", "交流紀錄"],
}
# The body's headings by kind folder; a kind not above: its required sections.
SECTIONS = {folder: _SECTIONS.get(folder) or [s.zh for s in kind.sections] or ["內容"]
            for folder, kind in KINDS_BY_FOLDER.items()}
POSITIONS = ["約用館員", "編目館員", "參考館員", "系統館員", "兒童服務館員", "數位典藏助理", "專案助理"]
PARTNERS = [("Example Public Library", "美國"), ("Sample City Library", "日本"), ("Demo University Library", "德國"),
            ("Model County Library", "加拿大"), ("Test State Library", "澳洲")]


class _NoAliases(yaml.SafeDumper):
    """Write every value out: the knowledge base refuses YAML anchors and aliases."""

    def ignore_aliases(self, data):
        return True


def sentence(r: random.Random) -> str:
    s = f"{r.choice(SUBJECTS)}{r.choice(VERBS)}{r.choice(OBJECTS)}"
    if r.random() < 0.6:
        s += f"{r.choice(CONNECT)}{r.choice(SUBJECTS)}{r.choice(VERBS)}{r.choice(OBJECTS)}"
    return s + "，" + r.choice(TAILS)


def paragraph(r: random.Random, n: int) -> str:
    return "".join(sentence(r) for _ in range(n))


def entry(r: random.Random, folder: str, i: int, registries: dict) -> tuple[str, dict, str]:
    tags = r.sample(sorted(registries["tags"]), k=r.randint(2, 4))
    orgs = sorted(registries["organizations"])
    insts = sorted(registries["institutions"])
    written = dt.date(2016, 1, 1) + dt.timedelta(days=r.randint(0, 3500))
    obj = r.choice(OBJECTS)
    base = {"title": f"{obj}的實務經驗 第 {i} 號", "date": written, "summary": sentence(r),
            "tags": tags, "authors": [r.choice(AUTHORS)[0]]}
    if folder == "conference-reports":
        city, country, region = r.choice(CITIES)
        start = written - dt.timedelta(days=r.randint(20, 90))
        fm = {**base, "conference": r.choice(orgs), "year": start.year, "start_date": start,
              "end_date": start + dt.timedelta(days=r.randint(0, 5)), "city": city, "country": country,
              "region": region, "mode": r.choice(["in-person", "virtual", "hybrid"]), "institutions": [r.choice(insts)]}
    elif folder == "tools":
        fm = {**base, "url": f"https://tools.example.org/{i}", "purpose": sentence(r), "category": "database",
              "recommended_by": r.choice(AUTHORS)[0], "cost": r.choice(["free", "freemium", "paid"]),
              "interface_languages": ["zh-TW"], "audience": [r.choice(["librarians", "undergraduates", "general-public"])],
              "checked": written}
    elif folder == "outreach":
        start = written - dt.timedelta(days=r.randint(10, 60))
        fm = {**base, "institution": r.choice(insts), "start_date": start, "end_date": start + dt.timedelta(days=2),
              "audience": r.sample(["children", "teens", "adults", "seniors", "families"], 2),
              "program_type": r.choice(["reading-promotion", "exhibition", "workshop", "lecture", "book-exchange"]),
              "attendance": r.randint(10, 800), "contact": {"email": "service@library.example.org"}}
    elif folder == "lesson-plans":
        fm = {**base, "audience": [r.choice(["elementary", "secondary", "undergraduates", "graduates"])],
              "discipline": r.choice(["通識教育", "醫學", "資訊工程", "社會科學"]), "duration_minutes": r.choice([45, 50, 100]),
              "outcomes": [sentence(r), sentence(r)], "frames": ["exploration"]}
    elif folder == "ideas":
        fm = {**base, "problem": sentence(r), "idea": sentence(r), "year": written.year, "institutions": [r.choice(insts)]}
    elif folder == "answers":
        fm = {**base, "question": f"如何推動{obj}？", "expert": {"name": r.choice(AUTHORS)[0], "title": "館長"}}
    elif folder == "guides":
        fm = base
    elif folder == "jobs":
        # Posted over the years and open for six weeks: most are archived, the latest are open.
        fm = {**base, "direction": "offered", "position": r.choice(POSITIONS), "employer": "範例大學圖書館",
              "employment_type": r.choice(["full-time", "part-time", "contract", "temporary"]),
              "location": r.choice(CITIES[:2])[0], "requirements": ["圖書資訊學系所畢業", "熟悉 Koha 系統"],
              "how_to_apply": "請將履歷寄到 jobs@library.example.org。", "closing_date": written + dt.timedelta(days=42)}
    elif folder == "exchange":
        offer = r.choice(["give", "exchange", "sell", "wanted"])
        fm = {**base, "institution": r.choice(insts), "offer_type": offer,
              "category": r.choice(["books", "periodicals", "av-media", "equipment", "furniture", "supplies"]),
              "quantity": r.randint(1, 300), "unit": "件", "location": r.choice(CITIES[:2])[0],
              "expires": written + dt.timedelta(days=r.choice([30, 90, 365])),
              "contact": {"email": "service@library.example.org"}}
        if offer != "wanted":
            fm["condition"] = r.choice(["new", "good", "fair", "worn"])
        if offer == "sell":
            fm["price"] = r.randint(100, 5000)
        if r.random() < 0.2:
            fm["status"] = "taken"
    elif folder == "sister-libraries":
        name, country = r.choice(PARTNERS)
        since = written.year - r.randint(0, 8)
        fm = {**base, "institution": r.choice(insts), "partners": [{"name": name, "country": country}], "since": since,
              "activities": [{"year": since + k, "activity": sentence(r)} for k in range(r.randint(1, 3))],
              "contact": {"email": "intl@library.example.org"}}
    else:  # a kind added since: its own sample, with this corpus's title, dates, tags and authors
        data, _ = KINDS_BY_FOLDER[folder].sample(_as_registries(registries), today=written)
        fm = {**data, **base}
    body = "\n\n".join(f"## {h}\n\n{paragraph(r, r.randint(3, 8))}" for h in SECTIONS[folder])
    return f"{folder}/synthetic-{i:05d}.md", fm, body + "\n"


def _values(fm: dict, path: str) -> tuple:
    """The values at a dotted path (inside objects and lists of objects), as a hashable tuple."""
    found = [fm]
    for key in path.split("."):
        found = [x for v in found for x in (v if isinstance(v, list) else [v])]
        found = [v.get(key) for v in found if isinstance(v, dict)]
    return tuple(str(x) for v in found for x in (v if isinstance(v, list) else [v]) if x is not None)


def _claims(kind, fm: dict) -> list[tuple]:
    """What no two entries of a kind may share: each unique URL, and the identity as a whole
    (the knowledge base warns of two entries with the same identity as one entered twice)."""
    out = [(name, _values(fm, name)) for name in kind.unique]
    if kind.identity:
        out.append(tuple(_values(fm, path) for path in kind.identity))
    return out


def _distinct(kind, fm: dict, i: int) -> dict:
    """An entry that would be taken for another made its own: its unique URLs, and the first
    free-text field of the kind's identity, end with ``i``."""
    for name in kind.unique:
        if isinstance(fm.get(name), str):
            fm[name] = f"{fm[name].rstrip('/')}/synthetic-{i}"
    for path in kind.identity:
        if not isinstance(kind.field(path).type, Text):
            continue
        *outer, name = path.split(".")
        holder = fm
        for key in outer:
            holder = holder.get(key) if isinstance(holder, dict) else None
            holder = holder[0] if isinstance(holder, list) and holder else holder
        if isinstance(holder, dict) and isinstance(holder.get(name), str):
            limit = kind.field(path).type.max_length or 200
            holder[name] = f"{holder[name][:limit - 8]} {i}"
            break
    return fm


def _as_registries(raw: dict) -> Registries:
    """The registries read as YAML (name: {id: values}) as Kind.sample takes them."""
    return Registries({name: Registry(name, f"registries/{name}.yml", items=dict(items or {}))
                       for name, items in raw.items()})


def git(path: Path, *args: str, env=None) -> None:
    subprocess.run(["git", *args], cwd=path, check=True, capture_output=True, env={**os.environ, **(env or {})})


def make(out: Path, entries: int, seed: int = 1, with_git: bool = True, registries_dir: Path | None = None) -> Path:
    """The project in ``out``; ``registries_dir``: the folder of the registries to use (default:
    this repository's content/registries/)."""
    r = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    content = out / "content"
    shutil.copytree(registries_dir or ROOT / "content" / "registries", content / "registries")
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, out / name)
    for d in ("hooks", "overrides"):
        shutil.copytree(ROOT / d, out / d, ignore=shutil.ignore_patterns("__pycache__"))
    registries = {name: yaml.safe_load((content / "registries" / f"{name}.yml").read_text(encoding="utf-8"))
                  for name in ("tags", "organizations", "institutions")}
    files = []
    claimed: set = set()
    for i in range(entries):
        folder = KIND_FOLDERS[i % len(KIND_FOLDERS)]
        rel, fm, body = entry(r, folder, i, registries)
        kind = KINDS_BY_FOLDER[folder]
        if any((folder, c) in claimed for c in _claims(kind, fm)):  # a sample's values, or a chance draw
            fm = _distinct(kind, fm, i)
        claimed.update((folder, c) for c in _claims(kind, fm))
        p = content / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("---\n" + yaml.dump(fm, Dumper=_NoAliases, allow_unicode=True, sort_keys=False) + "---\n\n" + body,
                     encoding="utf-8")
        files.append((fm["date"], rel))
    if with_git:
        git(out, "init", "-q", "-b", "main")
        git(out, "config", "user.email", "synth@example.org")
        git(out, "config", "user.name", "synth")
        (out / ".gitignore").write_text("site/\n.kb-cache/\n")
        git(out, "add", ".gitignore", "mkdocs.yml", "hooks", "overrides", "content/registries")
        git(out, "commit", "-q", "-m", "setup", env={"GIT_AUTHOR_DATE": "2016-01-01T09:00:00+08:00",
                                                      "GIT_COMMITTER_DATE": "2016-01-01T09:00:00+08:00"})
        files.sort()
        batch = max(1, len(files) // 200)
        for start in range(0, len(files), batch):
            chunk = files[start:start + batch]
            name, email = r.choice(AUTHORS)
            stamp = f"{chunk[-1][0].isoformat()}T10:00:00+08:00"
            git(out, "add", *[f"content/{rel}" for _, rel in chunk])
            git(out, "commit", "-q", "-m", f"add {len(chunk)} entries", f"--author={name} <{email}>",
                env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-git", action="store_true")
    args = ap.parse_args()
    make(args.out, args.entries, args.seed, not args.no_git)
    print(f"{args.entries} entries in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
