"""The web editor's front matter reader and writer (generator/data/admin/kb-admin.js), run in
Node on the real files: what it reads and writes back is what kb reads (issue #16)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.contribute.editor import admin as editor
from generator.knowledge.indexing import load_knowledge_base
from helpers import ENTRIES, REGISTRIES, entry_file, example_content, full_sample, new_content

ROOT = Path(__file__).resolve().parents[1]
YAML_DIST = ROOT / "node_modules" / "yaml" / "browser" / "dist" / "index.js"

pytestmark = pytest.mark.skipif(not YAML_DIST.is_file() or not shutil.which("node"),
                                reason="npm ci installs yaml (make test does)")

# kb-admin.js in Node: Decap's registry stubbed, and kb-rules.json (beside it) read as the
# browser fetches it.
PRELUDE = """
import fs from "fs";
globalThis.fetch = async (url) => ({ ok: true, status: 200,
  json: async () => JSON.parse(fs.readFileSync(new URL(String(url)), "utf8")) });
globalThis.window = { CMS: { registerCustomFormat(n, e, f) { globalThis.fmt = f; },
  registerEventListener(l) { if (l.name === "preSave") globalThis.preSave = l.handler; }, registerWidget() {},
  registerPreviewStyle() {}, registerPreviewTemplate() {}, init() {} }, createClass: (x) => x, h: () => null };
"""
HARNESS = PRELUDE + """
await import(process.argv[2]);
const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
const out = jobs.map(([text, changes]) => {
  try {
    const data = fmt.fromFile(text);
    Object.assign(data, changes || {});
    return { data, file: fmt.toFile(data, Object.keys(data)) };
  } catch (e) { return { error: String(e) }; }
});
process.stdout.write(JSON.stringify(out));
"""


def admin_module(folder: Path, content: Path | None = None) -> Path:
    """kb-admin.js as the build writes it, with kb-rules.json beside it, importable by Node
    (the rules from the registries of ``content``, else of a test site)."""
    from generator.contribute.editor import cms
    from generator.model.registries import load_registries

    content = content or new_content(folder / "site")
    script = editor.admin_script(content).replace("./yaml/index.js", YAML_DIST.as_uri())
    (folder / "kb-admin.mjs").write_text(script, encoding="utf-8")
    registries, _ = load_registries(content)
    (folder / editor.RULES_FILE).write_text(cms.dump_rules(registries), encoding="utf-8")
    return folder / "kb-admin.mjs"


def node(folder: Path, harness: str, module: Path, jobs):
    (folder / "harness.mjs").write_text(harness, encoding="utf-8")
    done = subprocess.run(["node", str(folder / "harness.mjs"), module.as_uri()],
                          input=json.dumps(jobs), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("admin")
    module = admin_module(folder)
    return lambda jobs: node(folder, HARNESS, module, jobs)


def _load(tmp_path: Path, files: dict[str, str], everything: bool = False):
    """kb's reading of ``files`` written into a test site (with the tests' entries: ``everything``)."""
    if everything:
        example_content(tmp_path)
    else:
        new_content(tmp_path)
    for rel, text in files.items():
        p = tmp_path / "content" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return load_knowledge_base(tmp_path / "content", display_prefix="content")


@pytest.mark.parametrize("source", ["entries", "full-samples"])
def test_every_entry_is_read_and_written_back_as_kb_reads_it(run, tmp_path, source):
    """The tests' entries (one of every kind at least), and every kind's full sample (each
    field it declares, in a site of their own), through the editor's reader and writer."""
    from generator.kinds import KINDS_BY_FOLDER

    if source == "entries":
        site = example_content(tmp_path / "source", every_kind=True)
    else:
        site = new_content(tmp_path / "source")
        for folder in KINDS_BY_FOLDER:
            (site / folder / "full-sample.md").write_text(entry_file(*full_sample(folder)), encoding="utf-8")
    paths = sorted(p for p in site.rglob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    results = run([[t, None] for t in texts])
    assert all("error" not in r for r in results), [r for r in results if "error" in r][:1]
    before = load_knowledge_base(site, display_prefix="content")
    assert not [p for p in before.problems if p.level.value == "error"]
    rels = [str(p.relative_to(site)) for p in paths]
    after = _load(tmp_path, {rel: r["file"] for rel, r in zip(rels, results)}, everything=source == "entries")
    for p in after.problems:
        assert p.level.value != "error", (p.path, p.line, p.code, p.args)
    old = {e.rel: e for e in before.entries}
    assert len(after.entries) == len(old)
    for e in after.entries:
        assert e.data == old[e.rel].data, e.rel
        assert e.body.strip() == old[e.rel].body.strip(), e.rel


FM = "---\ntitle: 電話測試\ndate: 2024-05-01\nsummary: 測試。\ntags: [outreach]\nauthors: [王小明]\n"


def test_what_kb_reads_as_text_stays_text_and_numbers_stay_numbers(run):
    text = FM + "contact:\n  name: 推廣組\n  phone: 0912345678\n  consent: yes\nattendance: 0120\n---\n本文。\n"
    [r] = run([[text, None]])
    assert r["data"]["contact"] == {"name": "推廣組", "phone": "0912345678", "consent": True}
    assert r["data"]["attendance"] == 120 and r["data"]["date"] == "2024-05-01"
    assert 'phone: "0912345678"' in r["file"] and "date: 2024-05-01\n" in r["file"]


def test_what_the_form_empties_is_left_out_at_every_level(run):
    changes = {"staff": "", "summary": "測試。", "related": [], "budget": {"amount": "", "currency": ""},
               "contact": {"consent": False, "name": ""}, "partners": ["", "高雄市立圖書館"]}
    [r] = run([[FM + "---\n本文。\n", changes]])
    assert "staff" not in r["file"] and "related" not in r["file"] and "budget" not in r["file"]
    assert "contact" not in r["file"], "an object left with only a switch that is off"
    assert "partners:\n  - 高雄市立圖書館\n" in r["file"]


@pytest.mark.parametrize("value", ["=", "<<", "yes", "12:30", "2024-01-01", "0x1F", "- 清單", "#註解", "a: b"])
def test_values_yaml_1_1_would_misread_are_quoted(run, tmp_path, value):
    [r] = run([[FM + "---\n本文。\n", {"summary": value}]])
    kb = _load(tmp_path, {"guides/t.md": r["file"]})
    assert not [p for p in kb.problems if p.level.value == "error"], [(p.code, p.args) for p in kb.problems]
    assert kb.entries[0].data["summary"] == value


def test_line_breaks_yaml_1_1_sees_and_tabs_do_not_reach_the_file(run, tmp_path):
    [r] = run([[FM + "---\n本文。\n", {"summary": "一\u2028二\t三\u0085四"}]])
    kb = _load(tmp_path, {"guides/t.md": r["file"]})
    assert not [p for p in kb.problems if p.level.value == "error"], [(p.code, p.args) for p in kb.problems]
    assert kb.entries[0].data["summary"] == "一 二 三 四"


def test_front_matter_is_found_as_kb_finds_it(run):
    variants = ["\ufeff" + FM + "---\n本文。\n", "\n\n" + FM + "---\n本文。\n", FM + "...\n本文。\n",
                (FM + "---\n本文。\n").replace("\n", "\r\n")]
    for r in run([[v, None] for v in variants]):
        assert r["data"]["title"] == "電話測試" and r["data"]["body"].strip() == "本文。", r


def test_a_hard_line_break_from_rich_text_is_written_as_two_spaces(run):
    body = "第一行\\\n第二行\n\n```\n程式\\\n```\n跳脫的反斜線\\\\\n"
    [r] = run([[FM + "---\n本文。\n", {"body": body}]])
    assert "第一行  \n第二行" in r["file"] and "程式\\\n```" in r["file"] and "跳脫的反斜線\\\\\n" in r["file"]


# Valid registry ids (registries.ID_RE) that YAML 1.2, which Decap reads config.yml with, reads
# as numbers: 1e3 as 1000, 0o17 as 15. PyYAML (1.1) writes 1e3, 0o17, 1e-3 and 12E1 without
# quotes (text to YAML 1.1); 0x1F and 0017 are numbers to YAML 1.1 too.
ODD_IDS = ["1e3", "0o17", "0x1F", "1e-3", "0017", "12E1"]
DECAP_YAML = [p for p in (ROOT / "node_modules" / "decap-cms-core" / "node_modules" / "yaml",  # Decap's own
                          ROOT / "node_modules" / "yaml") if (p / "package.json").is_file()]
PARSE_CONFIG = """
import { createRequire } from "module";
import fs from "fs";
const yaml = createRequire(import.meta.url)(process.argv[2]);
// as decap-cms-core/src/actions/config.ts reads config.yml
const cfg = yaml.parse(fs.readFileSync(0, "utf8"), { maxAliasCount: -1, prettyErrors: true, merge: true });
process.stdout.write(JSON.stringify(cfg));
"""


@pytest.fixture
def odd_content(tmp_path):
    """content/registries/ with tags and institutions whose ids YAML 1.2 reads as numbers."""
    reg = tmp_path / "content" / "registries"
    shutil.copytree(REGISTRIES, reg)
    with (reg / "tags.yml").open("a", encoding="utf-8") as f:
        f.writelines(f'"{i}": {{zh: 標籤{i}, en: Tag {i}}}\n' for i in ODD_IDS)
    with (reg / "institutions.yml").open("a", encoding="utf-8") as f:
        f.writelines(f'"{i}":\n  name_zh: 機構{i}\n  name_en: Institution {i}\n  type: academic\n  city: 高雄市\n'
                     for i in ODD_IDS)
    return tmp_path / "content"


def _odd_kb(content: Path, files: dict[str, str]):
    for rel, text in files.items():
        p = content / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    kb = load_knowledge_base(content, display_prefix="content")
    assert not [p for p in kb.problems if p.level.value == "error"], [(p.path, p.code, p.args) for p in kb.problems]
    return {e.rel: e.data for e in kb.entries}


def test_registry_ids_yaml_1_2_reads_as_numbers_stay_text_from_the_form_to_the_file(run, odd_content, tmp_path):
    """The form's options (config.yml, read by Decap as YAML 1.2) hold the ids as text, and what
    the form stores from them is written so that kb reads the same ids."""
    from generator.contribute.editor import cms
    from generator.model.registries import load_registries

    assert DECAP_YAML, "npm ci installs yaml"
    registries, problems = load_registries(odd_content)
    assert not problems, [(p.code, p.args) for p in problems]
    text = cms.dump(cms.config(registries, cms.Backend(local_url=cms.LOCAL_BACKEND_URL)))
    (tmp_path / "parse.mjs").write_text(PARSE_CONFIG, encoding="utf-8")
    for module in DECAP_YAML:
        done = subprocess.run(["node", str(tmp_path / "parse.mjs"), str(module)], input=text, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        cols = {c["name"]: {f["name"]: f for f in c["fields"]} for c in json.loads(done.stdout)["collections"]}
        tags = [o["value"] for o in cols["guide"]["tags"]["options"]]
        assert tags[-len(ODD_IDS):] == ODD_IDS, (module, tags[-len(ODD_IDS):])
        expert = {f["name"]: f for f in cols["answer"]["expert"]["fields"]}
        assert [o["value"] for o in expert["institution"]["options"]][-len(ODD_IDS):] == ODD_IDS, module
    # What the multi-select stores (the options' values, as Decap read them) reaches the file as text.
    [r] = run([[FM + "---\n本文。\n", {"tags": tags[-len(ODD_IDS):], "institution": "0o17"}]])
    data = _odd_kb(odd_content, {"guides/t.md": r["file"]})["guides/t.md"]
    assert data["tags"] == ODD_IDS and data["institution"] == "0o17"


def test_registry_ids_in_a_file_are_read_as_text_in_lists_and_objects(run, odd_content):
    """A hand-written file with such ids (in a flow list, a block list and an object) is read by
    the editor as text and written back as kb reads it."""
    text = (ENTRIES / "answers" / "borrow-return-after-system-change.md").read_text(encoding="utf-8")
    text = text.replace("tags: [interlibrary-cooperation, resource-sharing, library-management]",
                        'tags: [1e3, 0o17, "0x1F", 1e-3]', 1)
    text = text.replace("  name: 黃志明\n", "  name: 黃志明\n  institution: 12E1\n", 1)
    text = text.replace("related: [outreach/slrsc-interlibrary-borrow-return, ideas/alliance-borrowing-reach]\n",
                        "institution: 0o17\n", 1)
    assert "12E1" in text and "related" not in text
    before = _odd_kb(odd_content, {"answers/a.md": text})["answers/a.md"]
    assert before["tags"] == ["1e3", "0o17", "0x1F", "1e-3"] and before["expert"]["institution"] == "12E1"
    [r] = run([[text, None]])
    assert r["data"]["tags"] == before["tags"] and r["data"]["expert"]["institution"] == "12E1"
    assert r["data"]["institution"] == "0o17"
    after = _odd_kb(odd_content, {"answers/a.md": r["file"]})["answers/a.md"]
    assert after == before


SLUG_HARNESS = PRELUDE + """
const m = await import(process.argv[2]);
const slugs = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(slugs.map((slug) => m.slugProblem(slug, "guide") || "ok")));
"""


def test_the_editor_refuses_a_windows_device_name_as_a_new_entrys_slug(tmp_path):
    slugs = ["aux", "con", "nul", "prn", "com1", "lpt9", "aux-guide", "com10", "Aux"]
    said = dict(zip(slugs, node(tmp_path, SLUG_HARNESS, admin_module(tmp_path), slugs)))
    for slug in slugs[:6]:
        assert "Windows" in said[slug] and f"「{slug}」" in said[slug], (slug, said[slug])
        assert said[slug].index("Windows（") < said[slug].index(" / "), "Chinese first"
    assert said["aux-guide"] == said["com10"] == "ok"
    assert "小寫英文字母" in said["Aux"]


# -- dates and numbers as typed, and kb validate's rules in the form (issue #24) ----------------

TYPED_HARNESS = PRELUDE + """
const m = await import(process.argv[2]);
const [dates, numbers] = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify([dates.map((d) => m.readDate(d)), numbers.map(([n, o]) => m.readNumber(n, o))]));
"""

# The trial's forms and the issue form's table (generator/model/typed_values.py), and their neighbours.
DATES = ["2026-10-05", "2026/10/5", "2026-10-5", "2026.10.5", "115/10/5", "115年10月5日", "2026年10月5日",
         "２０２６／１０／５", "民國99年1月2日", "中華民國115年10月5日", "西元2026年10月5日", "2026/10/5（一）",
         "2026/10/5(週一)", "2026/10/5 星期一", " 2026/10/11 ", "115/10/11", "20261005", "2026 / 10 / 5", "2026年10月5號",
         "2026/2/30", "2026/13/1", "1905-02-02", "1901/2/2", "38/1/1", "26/10/5", "5/10/2026", "15/10/2026",
         "5/5/2026", "2026/10/5（二）", "明天", "民國30年1月1日", "2026-10/5", "民國2026/10/5", "西元115/10/5",
         "2024/2/29", "2023/2/29", "0/0/0", "2026年10月"]
UNITS = {"attendance": ["人", "人次", "位"], "amount": ["NT$", "新臺幣", "元"], "none": []}
NUMBERS = [(text, units, integer) for units, integer in (("attendance", True), ("amount", False), ("none", True))
           for text in ("412", "1,412", "１，４１２", "0", " 30000 ", "約400人", "400人", "400 人", "~400", "400以上", "400+",
                        "300-400", "四百", "1,23", "1.5", "NT$18,000", "18000元", "1.8萬", "400本", "412.", "400 412",
                        "400左右", "400多", "-3", "+5", "1e3", "12,345,678")]


def test_dates_and_numbers_are_read_as_the_issue_form_reads_them(tmp_path):
    """The kb-date and kb-number boxes read what a librarian types exactly as the issue form
    does (generator/model/typed_values.py): the same value stored, the same notice, the same refusal
    (Decap's widgets stored 1905-02-02 for 2026/10/5 and 400 for 約400人, in silence)."""
    from generator.model.typed_values import parse_date_text, parse_number_text

    numbers = [[text, {"int": integer, "units": UNITS[units]}] for text, units, integer in NUMBERS]
    read_dates, read_numbers = node(tmp_path, TYPED_HARNESS, admin_module(tmp_path), [DATES, numbers])

    def code(note):
        return note.code if note is not None else None

    for text, js in zip(DATES, read_dates):
        value, note, problem = parse_date_text(text)
        expected = (value.isoformat() if value else None, code(note), code(problem))
        got = (js.get("stored"), (js.get("notice") or {}).get("code"), (js.get("problem") or {}).get("code"))
        assert got == expected, (text, got, expected)
    for (text, units, integer), js in zip(NUMBERS, read_numbers):
        value, note, problem = parse_number_text(text, integer=integer, units=tuple(UNITS[units]))
        if not text.strip():
            continue
        got = (js.get("stored"), (js.get("notice") or {}).get("code"), (js.get("problem") or {}).get("code"))
        assert got == (value, code(note), code(problem)), (text, units, got, (value, code(note), code(problem)))
    by_text = dict(zip(DATES, read_dates))
    for typed in ("2026/10/5", "2026-10-5", "2026.10.5", "115/10/5", "115年10月5日", "2026年10月5日"):
        assert by_text[typed]["stored"] == "2026-10-05", typed
    assert by_text["115/10/11"]["stored"] == by_text[" 2026/10/11 "]["stored"] == "2026-10-11"
    assert by_text["1905-02-02"]["problem"]["code"] == "date-implausible"
    attendance = {text: js for (text, units, _), js in zip(NUMBERS, read_numbers) if units == "attendance"}
    assert attendance["約400人"]["problem"]["code"] == "number-approximate"
    assert attendance["1,412"] == {"stored": 1412, "notice": {"code": "number-converted",
                                                              "params": {"value": "1,412", "stored": 1412}}}


CHECK_HARNESS = PRELUDE + """
const m = await import(process.argv[2]);
const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(jobs.map(([collection, text]) =>
  m.checkEntry(collection, fmt.fromFile(text), { isNew: false }))));
"""

OUTREACH = "outreach/nkust-book-swap-festival/index.md"
TOOL = "tools/ifla.md"
# (file, what is changed, the fields kb validate names): one mistake each.
MISTAKES = [
    (OUTREACH, lambda t: re.sub(r"contact:\n(?:  .*\n)+", "", t), {"contact"}),
    (OUTREACH, lambda t: re.sub(r"contact:\n(?:  .*\n)+", "contact:\n  name: 推廣組\n", t), {"contact"}),
    (OUTREACH, lambda t: t.replace("end_date: 2016-09-25", "end_date: 2016-09-05"), {"end_date"}),
    (OUTREACH, lambda t: t.replace("end_date: 2016-09-25", "end_date: 1905-02-02"), {"end_date"}),
    (OUTREACH, lambda t: t.replace("staff: 4", "staff: 約4人"), {"staff"}),
    (OUTREACH, lambda t: t.replace("staff: 4", "staff: 4.5"), {"staff"}),
    (OUTREACH, lambda t: t.replace("  email: library@nkust.example.edu.tw", "  email: wang.xiaoming@nkust.example.edu.tw"),
     {"contact.email"}),
    (OUTREACH, lambda t: t.replace("  email: library@nkust.example.edu.tw", "  phone: 0912-345-678"), {"contact.phone"}),
    (OUTREACH, lambda t: t.replace("  bracket: under-10k", "  amount: 3000"), {"budget.currency"}),
    (OUTREACH, lambda t: t.replace("budget:\n  bracket: under-10k\n", "budget:\n  source: 教育部計畫\n"), {"budget"}),
    (OUTREACH, lambda t: t.replace("institution: nkust-lib", "institution: no-such-library"), {"institution"}),
    (OUTREACH, lambda t: t.replace("audience: [undergraduates, graduates]", "audience: []"), {"audience"}),
    (OUTREACH, lambda t: re.sub(r"(## 活動規劃\n)[\s\S]*?(\n## )", r"\1\n\2", t), {"body"}),
    (OUTREACH, lambda t: re.sub(r"(## 活動規劃\n)[\s\S]*?(\n## )", r"\1\n<請填寫 Fill in: body 規劃 Plan>\n\2", t), {"body"}),
    (OUTREACH, lambda t: t.replace("## 活動規劃", "## 活動"), {"body"}),
    (OUTREACH, lambda t: t.replace("title: 曬書祭二手書交換活動", "title: \"<請填寫 Fill in: title 標題>\""), {"title"}),
    (OUTREACH, lambda t: t.replace("title: 曬書祭二手書交換活動", "title: " + "很長" * 61), {"title"}),
    (OUTREACH, lambda t: t.replace("tags: [used-books, reading-promotion, academic-library]\n", ""), {"tags"}),
    (OUTREACH, lambda t: t.replace("date: 2024-01-20", "date: 2024-02-30"), {"date"}),
    (TOOL, lambda t: t.replace("url: https://www.ifla.org/", "url: www.ifla.org"), {"url"}),
    (TOOL, lambda t: t.replace("cost: free", "cost: cheap"), {"cost"}),
    (TOOL, lambda t: t.replace("checked: 2024-03-01", "checked: 2024/3/1"), {"checked"}),
    (TOOL, lambda t: t.replace("checked: 2024-03-01", "checked: 2024-03-01\nrelated: [Tools/IFLA]"), {"related[1]"}),
    (TOOL, lambda t: t, set()),
    (OUTREACH, lambda t: t, set()),
]


def test_the_form_refuses_what_kb_validate_refuses_at_the_same_field(tmp_path):
    """The form's checks (kb-admin.js with kb-rules.json) and kb validate (the editor's
    server-side check, generator/contribute/editor/checks.py) name the same fields for the same file."""
    from generator.contribute.editor.checks import Checker
    from generator.kinds import KINDS_BY_FOLDER

    example_content(tmp_path)
    checker = Checker(tmp_path)
    jobs, expected = [], []
    for rel, change, fields in MISTAKES:
        text = change((ENTRIES / rel).read_text(encoding="utf-8"))
        kind = KINDS_BY_FOLDER[rel.split("/")[0]]
        python = {p["path"] for p in checker.check(kind.id, f"content/{rel}", text)["problems"] if p["level"] == "error"}
        assert python == fields, (rel, fields, python)
        jobs.append([kind.id, text])
        expected.append(fields)
    folder = tmp_path / "node"
    folder.mkdir()
    results = node(folder, CHECK_HARNESS, admin_module(folder), jobs)
    for (rel, _, fields), problems in zip(MISTAKES, results):
        errors = [p for p in problems if p["level"] == "error"]
        assert {p["path"] for p in errors} == fields, (rel, fields, [(p["path"], p["code"], p["message"]) for p in errors])
        for p in errors:  # said in the contributor's words, by the box's label
            assert p["label"] and "contact.email" not in p["message"] and "加上一行" not in p["hint"], p
