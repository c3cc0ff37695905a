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
    shutil.copytree(ROOT / "content" / "registries", reg)
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
    from generator import cms
    from generator.registries import load_registries

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
    text = (ROOT / "content" / "answers" / "borrow-return-after-system-change.md").read_text(encoding="utf-8")
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


SLUG_HARNESS = """
globalThis.window = { CMS: { registerCustomFormat() {}, registerEventListener(l) { globalThis.preSave = l.handler; },
  registerWidget() {}, registerPreviewStyle() {}, registerPreviewTemplate() {}, init() {} },
  createClass: (x) => x, h: () => null };
await import(process.argv[2]);
const fs = await import("fs");
const [lists, slugs] = JSON.parse(fs.readFileSync(0, "utf8"));
const data = (values) => ({ get: (k) => values[k], set: (k, v) => data({ ...values, [k]: v }) });
const out = slugs.map((slug) => {
  const values = { slug, ...Object.fromEntries(lists.map((name) => [name, ["x"]])) };
  const entry = { get: (k) => ({ data: data(values), collection: "guide", newRecord: true })[k] };
  try { preSave({ entry }); return "ok"; } catch (e) { return String(e.message); }
});
process.stdout.write(JSON.stringify(out));
"""


def test_the_editor_refuses_a_windows_device_name_as_a_new_entrys_slug(tmp_path):
    script = editor.admin_script(ROOT / "content").replace("./yaml/index.js", YAML_DIST.as_uri())
    (tmp_path / "kb-admin.mjs").write_text(script, encoding="utf-8")
    (tmp_path / "harness.mjs").write_text(SLUG_HARNESS, encoding="utf-8")
    lists = [name for name, _ in editor.required_lists()["guide"]]
    slugs = ["aux", "con", "nul", "prn", "com1", "lpt9", "aux-guide", "com10", "Aux"]
    done = subprocess.run(["node", str(tmp_path / "harness.mjs"), (tmp_path / "kb-admin.mjs").as_uri()],
                          input=json.dumps([lists, slugs]), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    said = dict(zip(slugs, json.loads(done.stdout)))
    for slug in slugs[:6]:
        assert "Windows" in said[slug] and f"「{slug}」" in said[slug], (slug, said[slug])
        assert said[slug].index("Windows（") < said[slug].index(" / "), "Chinese first"
    assert said["aux-guide"] == said["com10"] == "ok"
    assert "小寫英文字母" in said["Aux"]
