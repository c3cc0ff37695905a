"""Arbitrary input never raises: the result is always an entry or problems, in bounded time."""

import time

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.frontmatter import decode_source
from generator.indexing import load_knowledge_base
from helpers import entry_text, new_content, write

# Characters that matter to YAML and Markdown, plus arbitrary text.
YAMLISH = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`\t\n ,?\\~0123<>/()\u3000館藏\ufeff\r\x00\x07")),
                  max_size=300)
ANY = st.one_of(YAMLISH, st.text(max_size=300))

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(data=st.binary(max_size=400))
def test_decoding_any_bytes(data):
    text, problems = decode_source(data, "e.md")
    assert (text is None) == bool(problems) or text is not None


@FAST
@given(fm=ANY, body=ANY)
def test_front_matter_and_body_never_raise(tmp_path_factory, fm, body):
    content = new_content(tmp_path_factory.mktemp("kb"))
    write(content, "tools/x.md", f"---\n{fm}\n---\n{body}")
    started = time.perf_counter()
    kb = load_knowledge_base(content, "content")
    assert time.perf_counter() - started < 5
    assert kb.entries or kb.problems


@FAST
@given(body=ANY)
def test_valid_front_matter_with_any_body(tmp_path_factory, body):
    content = new_content(tmp_path_factory.mktemp("kb"))
    write(content, "tools/x.md", entry_text("tools", body="## 介紹\n" + body))
    kb = load_knowledge_base(content, "content")
    assert len(kb.entries) + len({p.path for p in kb.problems}) >= 1


@FAST
@given(value=ANY)
def test_any_value_in_any_field(tmp_path_factory, value):
    content = new_content(tmp_path_factory.mktemp("kb"))
    for key in ("title", "cost", "checked", "tags", "audience"):
        text = entry_text("tools")
        lines = [l for l in text.split("\n") if not l.startswith(key + ":")]
        lines.insert(1, f"{key}: {value}")
        write(content, f"tools/{key}.md", "\n".join(lines))
    load_knowledge_base(content, "content")  # must not raise


PATHOLOGICAL = [
    "`" * 20000,
    "[" * 20000,
    "]" * 20000,
    "[](" * 7000,
    "![" * 10000 + "](" * 10000,
    "<" * 20000,
    "<a " * 7000,
    "*_" * 10000,
    "> " * 5000 + "x",
    "- " * 5000 + "x",
    "\n".join("    " * i + "- x" for i in range(500)),
    "[x](" + "(" * 10000,
    "{" * 20000,
]


def test_pathological_markdown_is_rejected_or_rendered_in_bounded_time(tmp_path):
    content = new_content(tmp_path)
    for i, body in enumerate(PATHOLOGICAL):
        write(content, f"tools/p{i}.md", entry_text("tools", url=f"https://example.org/{i}", body="## 介紹\n\n" + body))
    started = time.perf_counter()
    kb = load_knowledge_base(content, "content")
    assert time.perf_counter() - started < 20
    rejected = {p.path for p in kb.errors}
    assert "content/tools/p1.md" in rejected and "content/tools/p4.md" in rejected  # the quadratic ones
    for i, body in enumerate(PATHOLOGICAL):
        if f"content/tools/p{i}.md" in rejected:
            continue  # never rendered: the build stops at validation
        started = time.perf_counter()
        markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html", "admonition", "def_list", "toc"])
        assert time.perf_counter() - started < 10, body[:20]


def test_multiline_link_destination_is_checked(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/x.md", entry_text("tools", body="## 介紹\n\n[a](java\nscript:alert(1))\n"))
    kb = load_knowledge_base(content, "content")
    assert [p.code for p in kb.problems] == ["link-unsafe"]


def test_long_code_lines_are_not_mistaken_for_deep_nesting(tmp_path):
    content = new_content(tmp_path)
    code = "x = '" + "[" * 400 + "'" + " " * 200 + "# <script>"
    body = f"## 介紹\n\n```python\n{code}\n```\n\n行內 `{'[' * 400} <b>` 程式碼\n"
    write(content, "tools/x.md", entry_text("tools", body=body))
    assert load_knowledge_base(content, "content").problems == []


def test_deep_nesting_is_rejected(tmp_path):
    content = new_content(tmp_path)
    text = entry_text("tools", body="## 介紹\n\n" + "- " * 30 + "x\n")
    write(content, "tools/x.md", text)
    kb = load_knowledge_base(content, "content")
    assert [(p.line, p.code) for p in kb.problems] == [(text.split("\n").index("- " * 30 + "x") + 1, "body-too-deep")]
