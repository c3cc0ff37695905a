"""The web editor's front matter reader and writer (generator/data/admin/kb-admin.js), run in
Node on the real files: what it reads and writes back is what kb reads (issue #16)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import editor
from generator.indexing import load_knowledge_base

ROOT = Path(__file__).resolve().parents[1]
YAML_DIST = ROOT / "node_modules" / "yaml" / "browser" / "dist" / "index.js"

pytestmark = pytest.mark.skipif(not YAML_DIST.is_file() or not shutil.which("node"),
                                reason="npm ci installs yaml (make test does)")

HARNESS = """
globalThis.window = { CMS: { registerCustomFormat(n, e, f) { globalThis.fmt = f; },
  registerEventListener(l) { globalThis.preSave = l.handler; }, registerWidget() {}, registerPreviewStyle() {},
  registerPreviewTemplate() {}, init() {} }, createClass: (x) => x, h: () => null };
await import(process.argv[2]);
const fs = await import("fs");
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


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("admin")
    script = editor.admin_script(ROOT / "content").replace("./yaml/index.js", YAML_DIST.as_uri())
    (folder / "kb-admin.mjs").write_text(script, encoding="utf-8")
    (folder / "harness.mjs").write_text(HARNESS, encoding="utf-8")

    def run(jobs):
        done = subprocess.run(["node", str(folder / "harness.mjs"), (folder / "kb-admin.mjs").as_uri()],
                              input=json.dumps(jobs), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
    return run


def _load(tmp_path: Path, files: dict[str, str], everything: bool = False):
    """kb's reading of ``files`` written into a copy of the registries (or of all of content/)."""
    shutil.copytree(ROOT / "content" / ("" if everything else "registries"),
                    tmp_path / "content" / ("" if everything else "registries"))
    for rel, text in files.items():
        p = tmp_path / "content" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return load_knowledge_base(tmp_path / "content", display_prefix="content")


def test_every_sample_entry_is_read_and_written_back_as_kb_reads_it(run, tmp_path):
    paths = sorted(p for p in (ROOT / "content").rglob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    results = run([[t, None] for t in texts])
    assert all("error" not in r for r in results), [r for r in results if "error" in r][:1]
    before = load_knowledge_base(ROOT / "content", display_prefix="content")
    rels = [str(p.relative_to(ROOT / "content")) for p in paths]
    after = _load(tmp_path, {rel: r["file"] for rel, r in zip(rels, results)}, everything=True)
    for p in after.problems:
        assert p.level.value != "error", (p.path, p.line, p.code, p.args)
    old = {e.rel: e for e in before.entries}
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
