"""The kb command: exit codes, formats, templates that validate once filled in, schemas."""

import json
import re

import pytest

from generator.kinds import KINDS
from generator.kinds.base import sample_value
from helpers import cli_project, entry_text, registries, run_kb, write

def fill(text: str, kind_id: str) -> str:
    """The template with every placeholder replaced by the kind's own sample value (Kind.sample,
    against the test registries); a year by the year of the date the template wrote."""
    kind = KINDS[kind_id]
    data, _ = kind.sample(registries())
    today_year = re.search(r"^(?:start_)?date: (\d{4})", text, re.M)

    def value(path: str):
        v = data
        for key in path.split("."):
            v = v[0] if isinstance(v, list) and v else v
            v = v.get(key) if isinstance(v, dict) else None
        v = v[0] if isinstance(v, list) and v else v
        return sample_value(kind.field(path), registries()) if v is None else v

    def repl(m):
        field = m.group(1)
        if field == "body":
            return "範例內容。"
        if field.rsplit(".", 1)[-1] == "year":
            return today_year.group(1)
        return json.dumps(str(value(field)), ensure_ascii=False)[1:-1]  # inside the template's quotes

    return re.sub(r"<請填寫 Fill in: ([a-z_.]+)[^>]*>", repl, text)


@pytest.fixture
def project(tmp_path):
    return cli_project(tmp_path)


run = run_kb


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_template_validates_once_filled(project, capsys, kind):
    code, out, _ = run(capsys, "new", kind, "my-entry", "--root", str(project))
    assert code == 0
    path = next((project / "content").rglob("my-entry.md"))
    # As written, the template must not validate: its placeholders are errors.
    code, out, _ = run(capsys, "validate", "--root", str(project), "--format", "parsable")
    assert code == 1 and "placeholder" in out
    path.write_text(fill(path.read_text(encoding="utf-8"), kind), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--root", str(project))
    assert code == 0, out


def test_new_bundle_and_usage_errors(project, capsys):
    assert run(capsys, "new", "outreach", "ev", "--bundle", "--root", str(project))[0] == 0
    assert (project / "content/outreach/ev/index.md").is_file()
    code, _, err = run(capsys, "new", "outreach", "ev", "--root", str(project))
    assert code == 2 and "already exists" in err
    assert run(capsys, "new", "poems", "x", "--root", str(project))[0] == 2
    assert run(capsys, "new", "tools", "Bad Slug", "--root", str(project))[0] == 2
    assert run(capsys, "new", "研討會報告", "ok-slug", "--root", str(project))[0] == 0


def test_validate_exit_codes_and_formats(project, capsys):
    write(project / "content", "tools/a.md", entry_text("tools"))
    assert run(capsys, "validate", "--root", str(project))[0] == 0
    write(project / "content", "tools/b.md", entry_text("tools", url="https://example.org/b").replace("cost: free", "cost: gratis"))
    code, out, _ = run(capsys, "validate", "--root", str(project), "--format", "parsable", "--lang", "en")
    assert code == 1
    line = [l for l in out.splitlines() if "tools/b.md" in l][0]
    assert re.fullmatch(r"content/tools/b\.md:\d+:7: \[error\] 'cost' does not accept 'gratis'.* \(value-choice\)", line)
    code, out, _ = run(capsys, "validate", "--root", str(project), "--format", "github")
    # The annotation's title is the message in Chinese; the code closes its text.
    assert re.search(r"^::error file=content/tools/b\.md,line=\d+,col=7,title=錯誤：「cost」不接受「gratis」::.*"
                     r"%0A'cost' does not accept 'gratis'.*\[value-choice\]$", out, re.M)
    code, out, _ = run(capsys, "validate", "--root", str(project))
    assert "修正方式" in out and "cost: gratis" in out and "^" in out
    assert run(capsys, "validate", "--root", str(project), "--format", "xml")[0] == 2


def test_github_format_is_automatic_under_actions(project, capsys, monkeypatch):
    write(project / "content", "tools/b.md", entry_text("tools", cost="gratis"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(capsys, "validate", "--root", str(project))
    assert code == 1 and out.startswith("::error file=content/tools/b.md")


def test_validate_only_named_paths(project, capsys):
    write(project / "content", "tools/good.md", entry_text("tools"))
    write(project / "content", "tools/bad.md", entry_text("tools", url="https://example.org/z", cost="gratis"))
    good = str(project / "content/tools/good.md")
    assert run(capsys, "validate", good, "--root", str(project))[0] == 0
    code, out, _ = run(capsys, "validate", str(project / "content/tools"), "--root", str(project), "--format", "parsable")
    assert code == 1 and "bad.md" in out
    assert run(capsys, "validate", str(project / "README.md"), "--root", str(project))[0] == 2
    assert run(capsys, "validate", str(project / "content/none.md"), "--root", str(project))[0] == 2


def test_schema_is_json_schema_of_the_kind(capsys):
    code, out, _ = run(capsys, "schema", "conference-report")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"title", "conference", "start_date", "region"} <= set(schema["required"])
    assert schema["properties"]["mode"]["enum"] == ["in-person", "virtual", "hybrid"]
    assert schema["additionalProperties"] is False
    assert run(capsys, "schema", "nonsense")[0] == 2


def test_unexpected_error_is_reported_without_traceback(project, capsys, monkeypatch):
    import generator.cli as cli

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(cli, "load_knowledge_base", boom)
    code, out, err = run(capsys, "validate", "--root", str(project))
    assert code == 1 and "simulated bug" in err and "Traceback" not in err


# -- global options before or after the subcommand ------------------------------------------

def test_global_options_work_before_and_after_the_subcommand(project, capsys, monkeypatch, tmp_path):
    write(project / "content", "tools/b.md", entry_text("tools", cost="gratis"))
    monkeypatch.chdir(tmp_path.parent)  # not inside the project: only --root can find it
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    root = str(project)
    orders = [
        ["--root", root, "--lang", "en", "--format", "parsable", "validate"],
        ["validate", "--root", root, "--lang", "en", "--format", "parsable"],
        ["--root", root, "validate", "--lang", "en", "--format", "parsable"],
        ["--lang", "en", "--format", "parsable", "validate", "--root", root],
    ]
    for argv in orders:
        code, out, err = run(capsys, *argv)
        assert code == 1, (argv, err)
        assert re.fullmatch(r"content/tools/b\.md:\d+:7: \[error\] 'cost' does not accept 'gratis'.* \(value-choice\)\n",
                            out), argv
    # After the subcommand wins over before it.
    code, out, _ = run(capsys, "--lang", "en", "validate", "--root", root, "--lang", "zh-TW", "--format", "parsable")
    assert "不接受" in out
    code, out, _ = run(capsys, "--root", "/nonexistent", "validate", "--root", root, "--format", "github")
    assert code == 1 and out.startswith("::error file=content/tools/b.md")
    code, _, _ = run(capsys, "--root", root, "new", "tools", "from-before")
    assert code == 0 and (project / "content/tools/from-before.md").is_file()


# -- nothing from the input reaches the output raw ------------------------------------------

# What would act rather than show, in a terminal, an editor or GitHub's log (tab included:
# the formats never print one of their own).
_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                  "\ud800-\udfff\ufffe\uffff]")


def _yaml_quoted(s: str, escape_all: bool) -> str:
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif escape_all and (o < 0x20 or o >= 0x7F):
            out.append(f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def test_naughty_strings_never_reach_any_format_raw(project, capsys, monkeypatch):
    from attack_corpus import blns

    naughty = blns()
    content = project / "content"
    for i, s in enumerate(naughty):
        for escape_all in (True, False):  # as YAML escapes, and as raw characters (the source line shows them)
            body = entry_text("tools", url=f"https://example.org/{i}-{escape_all}")
            extra = f"{_yaml_quoted(s, escape_all)}: x\ncost: {_yaml_quoted(s, escape_all)}\n"
            text = body.replace("cost: free\n", extra)
            write(content, f"tools/n{i}-{int(escape_all)}.md", text)
        name = s.replace("/", "").replace("\x00", "")[:60]
        if name and name not in (".", "..") and not name.startswith((".", "_")):
            try:
                write(content, f"tools/{name}.md", "")
            except OSError:
                pass
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    outputs = {}
    for fmt in ("parsable", "github", "text"):
        code, out, err = run(capsys, "validate", "--root", str(project), "--lang", "en", "--format", fmt)
        assert code == 1 and "internal error" not in err, err[-2000:]
        raw = _RAW.search(out)
        assert raw is None, (fmt, repr(out[max(0, raw.start() - 80):raw.end() + 20]))
        outputs[fmt] = out.rstrip("\n").split("\n")
    # One problem, one line: no input split an annotation or a parsable line.
    assert len(outputs["github"]) == len(outputs["parsable"]) > 2 * len(naughty)
    assert all(line.startswith(("::error file=", "::warning file=")) for line in outputs["github"])
    assert all(re.fullmatch(r"content/tools/.*\.md:\d+:\d+: \[(error|warning)\] .* \([a-z0-9-]+\)", line)
               for line in outputs["parsable"])
    # The strings are still there, visibly.
    assert r"Roses are \x1b[0;31mred\x1b[0m" in "\n".join(outputs["parsable"])
    assert r"\u202btest\u202b" in "\n".join(outputs["text"])


def test_github_annotation_fields_are_escaped():
    from generator.core.problems import problem
    from generator.validation.reporting import format_github

    p = problem("content/tools/a,b:%\u2028\r\n.md", 3, 7, "key-unknown", field="k", key="x%\r\ny\u2029z\x1b\u202e")
    line = format_github([p], "en")
    # GitHub's escapes (%, and in properties : and ,); a line break from the input is shown as
    # it is written (\x0a), not turned into one in the annotation; the message's own is %0A.
    assert "\n" not in line and "\r" not in line
    # The title is the message (its : escaped as a property), the text its hint, then the other language.
    assert line.startswith(r"::error file=content/tools/a%2Cb%3A%25\u2028\x0d\x0a.md,line=3,col=7,"
                           r"title=error%3A unknown key 'x%25\x0d\x0ay\u2029z\x1b\u202e'::how to fix: check the spelling, "
                           r"or list this kind's keys with `kb schema KIND`.%0A不認得的欄位「x%25\x0d\x0ay\u2029z\x1b\u202e」")
    assert line.endswith("%0A[key-unknown]")


def test_a_file_in_the_editors_media_folder_is_named_with_where_it_belongs(project, capsys):
    """content/uploads/ is the web editor's media library (Decap needs one): nothing there is
    published, so each file is refused by name, and a picture's bytes are never printed as its line."""
    write(project / "content", "uploads/繪本週 現場.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, out, _ = run(capsys, "validate", "--root", str(project))
    assert code == 1
    assert "content/uploads/繪本週 現場.png:1:1: 錯誤 [media-folder-file]" in out
    assert "kind-unknown" not in out and "PNG" not in out and " | " not in out


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_commented_default_is_valid_once_uncommented(project, capsys, kind):
    """`kb new` writes each optional field with a default as a comment (`# featured: false`):
    taking the # away must leave valid YAML of the right type (it once wrote `False`)."""
    assert run(capsys, "new", kind, "x", "--root", str(project))[0] == 0
    path = next((project / "content").rglob("x.md"))
    text = fill(path.read_text(encoding="utf-8"), kind)
    defaults = [f for f in KINDS[kind].schema.fields if f.default is not None and not f.required]
    for f in defaults:
        text = re.sub(rf"^# ({re.escape(f.name)}: )", r"\1", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--root", str(project))
    assert code == 0, out


@pytest.mark.parametrize("command", ["build", "serve"])
def test_lang_and_format_reach_the_engines_process(project, capsys, monkeypatch, command):
    """The hook words the build's problems in the engine's process, from KB_LANG and KB_FORMAT:
    `kb build --lang en` once left them in Chinese, since only the environment reached it."""
    import generator.cli as cli

    seen = {}

    def call(cmd, cwd=None, env=None):
        seen.update(env)
        return 0

    monkeypatch.setattr(cli.subprocess, "call", call)
    monkeypatch.delenv("KB_LANG", raising=False)
    run(capsys, command, "--root", str(project), "--lang", "en", *(["--format", "parsable"] if command == "build" else []))
    assert seen["KB_LANG"] == "en"
    if command == "build":
        assert seen["KB_FORMAT"] == "parsable"
    seen.clear()
    monkeypatch.setenv("KB_LANG", "en")
    run(capsys, command, "--root", str(project), "--lang", "zh-TW")
    assert seen["KB_LANG"] == "zh-TW"  # the option wins over the environment


# The generator's distribution, as installed (it happens to share the sample site's name).
DISTRIBUTION = __import__("importlib.metadata").metadata.packages_distributions()["generator"][0]


def test_version_names_every_component_for_a_bug_report(capsys):
    code, out, _ = run_kb(capsys, "--version")
    lines = out.splitlines()
    assert code == 0 and [line.split()[0] for line in lines] == [DISTRIBUTION, "Python", "MkDocs", "ProperDocs", "Material"]
    assert all(any(ch.isdigit() for ch in line) for line in lines)


def test_python_m_generator_is_the_kb_command():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith(f"{DISTRIBUTION} ")
