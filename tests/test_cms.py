"""The web editor's configuration is written from the kinds and registries, and everything
its widgets can store is accepted by ``kb validate`` (issue #16)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.contribute.editor import cms
from generator.kinds import KINDS
from generator.model.fields import Choice, Date, ListOf, Object, Ref
from generator.model.registries import load_registries
from generator.validation.loading import SLUG_RE
from tests.helpers import REGISTRIES, entry_text, new_content, run_kb, write

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def registries():
    regs, problems = load_registries(REGISTRIES.parent)  # tests/data/registries
    assert not problems
    return regs


@pytest.fixture(scope="module")
def config(registries):
    text = cms.dump(cms.config(registries, cms.Backend(local_url=cms.LOCAL_BACKEND_URL)))
    return yaml.safe_load(text)


def _by_name(fields):
    return {f["name"]: f for f in fields}


def test_one_collection_per_kind_in_its_folder_as_bundles(config):
    cols = {c["name"]: c for c in config["collections"]}
    assert list(cols) == list(KINDS)
    for kind in KINDS.values():
        c = cols[kind.id]
        assert c["folder"] == f"content/{kind.folder}"
        assert c["format"] == "kb-frontmatter" and c["extension"] == "md"
        assert c["path"] == "{{slug}}/index" and c["media_folder"] == "" and c["public_folder"] == ""
        assert c["slug"] == "{{fields.slug}}"
        assert kind.zh in c["label"] and c["create"] is True and c["delete"] is False
    assert config["locale"] == "zh_Hant"


def test_every_schema_field_is_in_the_form_with_its_requiredness(config):
    cols = {c["name"]: c for c in config["collections"]}
    for kind in KINDS.values():
        fields = _by_name(cols[kind.id]["fields"])
        assert [f["name"] for f in cols[kind.id]["fields"][:2]] == ["kb_checks", "slug"], \
            "the checks' summary, then the slug first"
        assert list(fields)[-1] == "body"
        for f in kind.schema.fields:
            w = fields[f.name]
            assert w["required"] == bool(f.required), (kind.id, f.name)
            assert f.zh in w["label"]
            if isinstance(f.type, Object):
                inner = _by_name(w["fields"])
                for sf in f.type.fields:
                    assert inner[sf.name]["required"] == bool(sf.required and f.required), (kind.id, f.name, sf.name)


def test_selects_offer_exactly_the_vocabularies_and_registries(config, registries):
    cols = {c["name"]: c for c in config["collections"]}
    for kind in KINDS.values():
        fields = _by_name(cols[kind.id]["fields"])
        for f in kind.schema.fields:
            t = f.type.item if isinstance(f.type, ListOf) else f.type
            w = fields[f.name]
            if isinstance(t, Choice):
                assert [o["value"] for o in w["options"]] == t.vocabulary.ids(), (kind.id, f.name)
            elif isinstance(t, Ref):
                assert [o["value"] for o in w["options"]] == list(registries.get(t.registry).items)
            else:
                continue
            assert w["widget"] == cms.SELECT
            assert w.get("multiple", False) == isinstance(f.type, ListOf)
            # zh-TW label first, the id last (unless the label is the id: LINE, not LINE (line))
            assert all(re.search(r"\(" + re.escape(o["value"]) + r"\)$", o["label"]) or
                       o["label"].casefold() == o["value"].casefold() for o in w["options"])
            # a label says each of its languages once (LINE, not LINE LINE)
            assert not [o["label"] for o in w["options"] if re.match(r"^(.+) \1(?: \(|$)", o["label"], re.I)]
    tags = _by_name(cols["tool"]["fields"])["tags"]
    assert tags["multiple"] and tags["min"] == 1
    marketing = _by_name(cols["outreach"]["fields"])["marketing"]
    assert {"label": "LINE", "value": "line"} in marketing["options"], "LINE, not LINE LINE (line)"
    assert any(o["label"].startswith("資訊素養") for o in tags["options"])


def test_dates_and_numbers_are_our_typed_boxes(config):
    """Decap's date picker stored 1905-02-02 for 2026/10/5, its number box 400 for 約400人:
    every date and number of every kind is kb-admin.js's box instead (issue #24)."""
    from generator.model.fields import Date as DateType, Integer, Number

    cols = {c["name"]: c for c in config["collections"]}
    for kind in KINDS.values():
        widgets = {w["name"]: w for w in _walk(cols[kind.id]["fields"])}
        for f in _schema_walk(kind.schema.fields):
            t = f.type.item if isinstance(f.type, ListOf) else f.type
            if isinstance(t, DateType):
                assert widgets[f.name]["widget"] == "kb-date", (kind.id, f.name)
            elif isinstance(t, (Integer, Number)):
                w = widgets[f.name]
                assert w["widget"] == "kb-number" and w["value_type"] == ("int" if isinstance(t, Integer) else "float")
    assert not [w for c in config["collections"] for w in _walk(c["fields"]) if w.get("widget") in ("datetime", "number")]


def _schema_walk(fields):
    for f in fields:
        yield f
        t = f.type.item if isinstance(f.type, ListOf) else f.type
        if isinstance(t, Object):
            yield from _schema_walk(t.fields)


def test_the_body_starts_with_the_required_section_headings(config):
    """Each heading with the template's placeholder under it, a paragraph of its own: the place
    to click and write, which kb validate refuses if it is left (issue #24)."""
    from generator.model.fieldbase import body_placeholder

    cols = {c["name"]: c for c in config["collections"]}
    for kind in KINDS.values():
        body = _by_name(cols[kind.id]["fields"])["body"]
        assert body["widget"] == "markdown" and body["sanitize_preview"] is True
        headings = re.findall(r"^## (.+)$", body["default"], re.M)
        assert headings == [f"{s.zh} {s.en}" for s in kind.sections]
        for s in kind.sections:
            assert f"## {s.zh} {s.en}\n\n{body_placeholder(s.zh, s.en)}\n" in body["default"]


def test_visibility_consent_and_curation(config):
    tool = _by_name({c["name"]: c for c in config["collections"]}["tool"]["fields"])
    vis = tool["visibility"]
    assert vis["widget"] == cms.SELECT and {o["value"] for o in vis["options"]} == {"public", "internal"}
    assert vis["default"] == "public" and "internal" in vis["hint"]
    assert tool["featured"]["widget"] == "hidden"
    outreach = _by_name({c["name"]: c for c in config["collections"]}["outreach"]["fields"])
    consent = _by_name(outreach["contact"]["fields"])["consent"]
    assert consent["widget"] == "boolean" and consent["default"] is False
    # The slug's widget checks kb validate's own pattern (one message, not Decap's beside it).
    from generator.contribute.editor.admin import admin_script

    assert tool["slug"]["widget"] == "kb-slug" and "pattern" not in tool["slug"]
    assert f"new RegExp({json.dumps(SLUG_RE.pattern)})" in admin_script()


def test_github_backend_for_the_published_site(registries):
    cfg = cms.config(registries, cms.Backend(repo="taiwan-libraries/kb", base_url="https://auth.example.org"))
    assert cfg["backend"]["name"] == "github" and cfg["backend"]["open_authoring"] is True
    assert cfg["backend"]["repo"] == "taiwan-libraries/kb" and cfg["backend"]["base_url"] == "https://auth.example.org"
    assert cfg["publish_mode"] == "editorial_workflow" and "local_backend" not in cfg


def _walk(fields):
    for w in fields:
        yield w
        yield from _walk(w.get("fields", []))
        if "field" in w:
            yield from _walk([w["field"]])


# -- what the widgets store, validated -------------------------------------------------------

def _value(w, kind, name):
    """A value as the widget stores it (the type Decap writes, within the widget's limits)."""
    widget = w["widget"]
    pattern = (w.get("pattern") or [None])[0]
    if widget == cms.SELECT:
        values = [o["value"] for o in w["options"]]
        return values[:2] if w.get("multiple") else values[-1]
    if widget == "kb-date":
        return "2024-05-01"
    if widget == "kb-number":
        if name == "year":  # checked against the dates (cross-field, not the widget's business)
            return 2024
        return int(w.get("min", 0)) + 3 if w["value_type"] == "int" else 2.5
    if widget == "boolean":
        return True
    if widget == "file":
        return "poster.png"
    if widget == "object":
        return {sw["name"]: _value(sw, kind, sw["name"]) for sw in w["fields"] if sw["widget"] != "hidden"}
    if widget == "list":
        if "fields" in w:
            return [{sw["name"]: _value(sw, kind, sw["name"]) for sw in w["fields"]}]
        return [_value(w["field"], kind, name)]
    if pattern == cms.URL_PATTERN:
        return f"https://example.org/{kind}/{name}"
    if pattern == cms.EMAIL_PATTERN:
        return "service@library.example.org"
    if pattern == cms.ENTRY_REF_PATTERN:
        return "tools/a-tool"  # written by the test
    return f"{name} 的內容"


def test_what_every_widget_stores_is_accepted_by_kb_validate(tmp_path, config, capsys):
    """Every field of every kind filled as its widget stores it, and also only the required
    ones: kb validate accepts each file."""
    content = new_content(tmp_path)
    write(content, "tools/a-tool.md", entry_text("tools", url="https://example.org/a-tool"))
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    png = DATA / "poster.png"
    for c in config["collections"]:
        folder = tmp_path / c["folder"]
        for variant, keep in (("full", lambda w: True), ("required", lambda w: w["required"])):
            data = {w["name"]: _value(w, c["name"], w["name"]) for w in c["fields"]
                    if w["widget"] not in ("hidden", "kb-checks") and w["name"] != "body" and keep(w)}
            data["slug"] = f"from-the-editor-{variant}"
            for key in ("url",):  # a kind's unique URL field: one per entry
                if isinstance(data.get(key), str):
                    data[key] += f"/{variant}"
            body = _by_name(c["fields"])["body"]["default"] or "內容。\n"
            body = re.sub(r"^<請填寫 .+>$", "這一段的內容。", body, flags=re.M)
            entry = folder / data["slug"] / "index.md"
            entry.parent.mkdir(parents=True)
            # Decap's YAML writer leaves dates unquoted, as PyYAML does with strings like these.
            entry.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body,
                             encoding="utf-8")
            if "attachments" in data:
                shutil.copyfile(png, entry.parent / "poster.png")
    code, out, err = run_kb(capsys, "--root", str(tmp_path), "--lang", "en", "validate", "--format", "parsable")
    errors = [line for line in out.splitlines() if ": [error] " in line]
    assert code == 0, out + err
    assert not errors


def test_kb_cms_config_writes_the_file_and_needs_a_repo_for_github(tmp_path, capsys):
    new_content(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    code, out, err = run_kb(capsys, "--root", str(tmp_path), "cms-config")
    assert code == 2 and "editor" in err and "--local" in err
    (tmp_path / "kb.yml").write_text("editor:\n  enabled: true\n  repo: taiwan-libraries/kb\n", encoding="utf-8")
    out_file = tmp_path / "config.yml"
    code, out, err = run_kb(capsys, "--root", str(tmp_path), "cms-config", "-o", str(out_file))
    assert code == 0, err
    cfg = yaml.safe_load(out_file.read_text(encoding="utf-8"))
    assert cfg["backend"]["repo"] == "taiwan-libraries/kb" and len(cfg["collections"]) == len(KINDS)
    code, out, err = run_kb(capsys, "--root", str(tmp_path), "cms-config", "--local")
    assert code == 0 and yaml.safe_load(out)["backend"]["name"] == "proxy"


def test_turning_the_editor_on_without_a_repository_is_an_error_in_kb_yml(tmp_path, capsys):
    new_content(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "kb.yml").write_text("# 網頁編輯器\neditor:\n  enabled: true\n", encoding="utf-8")
    code, out, err = run_kb(capsys, "--root", str(tmp_path), "--lang", "en", "validate", "--format", "parsable")
    assert code == 1 and re.search(r"^kb\.yml:2:1: \[error\] .* \(editor-repo-missing\)$", out + err, re.M)


def test_slug_in_the_front_matter_must_be_the_file_name(tmp_path, capsys):
    from tests.helpers import cli_project, entry_text, write

    project = cli_project(tmp_path)
    write(project / "content", "tools/zotero.md", entry_text("tools", slug="zotero"))
    write(project / "content", "tools/endnote.md", entry_text("tools", slug="zotero-2", title="EndNote"))
    code, out, err = run_kb(capsys, "--root", str(project), "--lang", "en", "validate", "--format", "parsable")
    assert code == 1
    assert "tools/endnote.md" in out and "slug-mismatch" in out
    assert "tools/zotero.md" not in out


def test_an_unlikely_year_is_refused(tmp_path, capsys):
    """A date picker slip (1905 for 2024) passes every type check: kb validate refuses it (#24)."""
    from tests.helpers import cli_project, entry_text, write

    project = cli_project(tmp_path)
    write(project / "content", "tools/zotero.md", entry_text("tools", date="1905-03-10"))
    code, out, err = run_kb(capsys, "--root", str(project), "--lang", "en", "validate", "--format", "parsable")
    assert code == 1, out
    assert re.search(r"^content/tools/zotero\.md:3:\d+: \[error\] .* \(date-implausible\)$", out, re.M), out


def test_the_pull_request_report_tells_web_editor_users_where_to_fix(tmp_path):
    from generator.core.problems import problem
    from generator.validation.reporting import format_markdown

    report = format_markdown([problem("content/tools/x.md", 3, 1, "key-missing", key="authors")])
    assert "網頁編輯器" in report and "作業流程" in report and "web editor" in report
    assert "網頁編輯器" not in format_markdown([])


def test_a_library_mailbox_named_after_its_service_is_not_personal():
    from generator.kinds.base import is_role_address

    assert is_role_address("reading@ksml.example.tw") and is_role_address("kids-library@city.example.tw")
    assert not is_role_address("wang.xiaoming@ksml.example.tw")


@pytest.mark.parametrize("value", ["service@library.example.org", "service@library.example.org。", "a@b..c",
                                   "王@圖書館.tw", "a@b_c.org", "ref.desk+kb@lib.example.tw", "x@y"])
def test_the_forms_e_mail_check_is_kb_validates(value):
    from generator.model.scalarfields import EMAIL_RE

    assert bool(re.match(cms.EMAIL_PATTERN, value)) == bool(EMAIL_RE.match(value.strip()))


@pytest.mark.parametrize("value, ok", [("https://www.ifla.org/", True), ("http://a.tw/x?y=1", True),
                                       ("https:///path", False), ("ftp://a.tw", False), ("https://a b", False)])
def test_the_forms_url_check_wants_a_host(value, ok):
    assert bool(re.match(cms.URL_PATTERN, value)) == ok


def test_there_is_no_shared_media_folder_kb_validate_does_not_check(config, tmp_path):
    """Every file the editor uploads or shows belongs to an entry (media_folder "": beside its
    index.md, checked as its attachments). Decap still requires a top-level media folder (its
    header's media library, hidden by kb-admin.css): it is inside content/, where kb validate
    refuses any file, so nothing can be kept there unread (issue #23: uploads/ was read by no
    check, and Decap showed its SVGs on the editor's origin)."""
    from generator.knowledge.indexing import load_knowledge_base
    from tests.helpers import new_content, write

    assert config["media_folder"] == cms.SHARED_MEDIA and cms.SHARED_MEDIA.startswith("content/")
    assert all(c["media_folder"] == "" and c["public_folder"] == "" for c in config["collections"])
    for c in config["collections"]:
        for f in c["fields"]:
            for inner in [f, *f.get("fields", []), *([f["field"]] if "field" in f else [])]:
                if inner.get("widget") in ("file", "image"):
                    assert inner["media_folder"] == "", (c["name"], inner["name"])
    content = new_content(tmp_path)
    folder = cms.SHARED_MEDIA.removeprefix("content/")
    write(content, f"{folder}/poster.png", (Path(__file__).parent / "data" / "poster.png").read_bytes())
    write(content, f"{folder}/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    kb = load_knowledge_base(content, display_prefix="content")
    errors = [(p.path, p.code) for p in kb.problems if p.level.value == "error"]
    assert sorted(errors) == [(f"{cms.SHARED_MEDIA}/evil.svg", "media-folder-file"),
                              (f"{cms.SHARED_MEDIA}/poster.png", "media-folder-file")], errors
    css = (Path(cms.__file__).parents[2] / "data" / "admin" / "kb-admin.css").read_text(encoding="utf-8")
    assert 'button[class*="-AppHeaderButton"] { display: none !important; }' in css


# -- what the form checks before a save (kb-rules.json, issue #24) -----------------------------

def test_the_rules_the_form_applies_are_the_schemas(registries):
    """Every field of every kind, with its requiredness, type and limits; required groups (a
    contact's e-mail or phone) and the order of dates; every problem the form reports worded."""
    from generator.model.fields import Text

    rules = json.loads(cms.dump_rules(registries))
    assert set(rules["kinds"]) == set(KINDS)
    for kind in KINDS.values():
        spec = rules["kinds"][kind.id]
        by_name = {f["name"]: f for f in spec["fields"]}
        for f in kind.schema.fields:
            if f.name in cms.HIDDEN:
                continue
            assert by_name[f.name]["required"] == bool(f.required), (kind.id, f.name)
            assert by_name[f.name]["label"] == f.zh, (kind.id, f.name)
            if isinstance(f.type, Text) and f.type.max_length:
                assert by_name[f.name]["max_length"] == f.type.max_length
        assert [s["zh"] for s in spec["sections"]] == [s.zh for s in kind.sections]
    outreach = {f["name"]: f for f in rules["kinds"]["outreach"]["fields"]}
    assert outreach["contact"]["required"] and outreach["contact"]["one_of"] == ["email", "phone"]
    assert outreach["budget"]["one_of"] == ["amount", "bracket"] or not outreach["budget"]["one_of"]
    assert outreach["attendance"] == {**outreach["attendance"], "type": "int", "min": 0}
    assert {"type": "date_order", "start": "start_date", "end": "end_date"} in rules["kinds"]["outreach"]["checks"]
    assert {"type": "personal_contact", "email": "email", "phone": "phone", "consent": "consent"} in \
        outreach["contact"]["checks"]
    for code in cms.FORM_CODES:
        zh, zh_hint, en, en_hint = rules["words"][code]
        assert zh and en and "加上一行" not in zh_hint and "add a line" not in en_hint, code
    assert rules["plausible_from"] == 1950


def test_a_contact_is_required_and_says_which_boxes(config):
    """聯絡方式 is required, and its e-mail and phone say that one of them is (each said 「(選填)」,
    and an empty contact was saved)."""
    outreach = _by_name({c["name"]: c for c in config["collections"]}["outreach"]["fields"])
    contact = outreach["contact"]
    assert contact["required"] is True and "至少要填一項" in contact["hint"]
    inner = _by_name(contact["fields"])
    assert all("至少要填一項" in inner[n]["hint"] for n in ("email", "phone"))
    assert "至少要填一項" not in inner["name"].get("hint", "")
