"""YAML mistakes are reported in the contributor's words, on the line that holds them
(generator.source.yamlhints, called by generator.source.frontmatter)."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.knowledge.indexing import load_knowledge_base
from generator.source import frontmatter
from generator.source.frontmatter import compose_yaml
from generator.source.positions import Located
from generator.source.yamlhints import diagnose, quoted, reason_zh
from generator.validation.messages import render
from helpers import entry_text, new_content, write
from test_frontmatter import only, parse

# Every composer the front matter may go through: LibYAML whole, LibYAML event by event, PyYAML.
COMPOSERS = {
    "libyaml": lambda: (frontmatter._plain_enough, frontmatter._CPARSER),
    "events": lambda: (lambda text: False, frontmatter._CPARSER),
    "pyyaml": lambda: (frontmatter._plain_enough, None),
}


@pytest.fixture(params=sorted(COMPOSERS))
def composer(request, monkeypatch):
    plain, cparser = COMPOSERS[request.param]()
    monkeypatch.setattr(frontmatter, "_plain_enough", plain)
    monkeypatch.setattr(frontmatter, "_CPARSER", cparser)
    return request.param


HEAD = "---\ntitle: 2023 ALA 年會心得\n"  # line 2; the mistake is on line 3 unless said
TAIL = "cost: free\n---\n\n## 介紹\n"

# The mistakes a person pasting from Word makes: the line as typed -> (line, column, code, fixed line).
MISTAKES = {
    "full-width colon": ("city：華盛頓特區\n", (3, 5, "yaml-fullwidth-colon", "city: 華盛頓特區")),
    "no space after the colon": ("summary:一段摘要\n", (3, 8, "yaml-colon-space", "summary: 一段摘要")),
    "full-width space after the colon": ("summary:\u3000一段摘要\n", (3, 9, "yaml-fullwidth-space", "summary: 一段摘要")),
    "': ' inside a value": ("summary: 主題: 多元文化\n", (3, 12, "yaml-value-colon", 'summary: "主題: 多元文化"')),
    "curly quotes": ("summary: “主題: 多元文化”\n", (3, 10, "yaml-smart-quote", 'summary: "主題: 多元文化"')),
    "corner brackets as quotes": ("summary: 「主題: 多元」\n", (3, 10, "yaml-smart-quote", 'summary: "「主題: 多元」"')),
    "value starting with [": ("summary: [草稿] 摘要\n", (3, 10, "yaml-indicator", 'summary: "[草稿] 摘要"')),
    "value starting with @": ("recommended_by: @王小明\n", (3, 17, "yaml-indicator", 'recommended_by: "@王小明"')),
    "value starting with `": ("summary: `kb` 指令\n", (3, 10, "yaml-indicator", 'summary: "`kb` 指令"')),
    "value starting with %": ("summary: %50 折扣\n", (3, 10, "yaml-indicator", 'summary: "%50 折扣"')),
    "value starting with |": ("summary: | 摘要\n", (3, 10, "yaml-indicator", 'summary: "| 摘要"')),
    "value starting with *": ("summary: *重要* 摘要\n", (3, 10, "yaml-indicator", 'summary: "*重要* 摘要"')),
    "quote closed too early": ('summary: "IFLA" 年會\n', (3, 10, "yaml-quoted-part", "summary: '\"IFLA\" 年會'")),
    "apostrophe in single quotes": ("summary: 'It's'\n", (3, 10, "yaml-quoted-part", 'summary: "It\'s"')),
    "quote never closed": ('summary: "一段摘要\n', (3, 10, "yaml-quote-unclosed", 'summary: "一段摘要"')),
    "list never closed": ("tags: [多元文化\n", (3, 7, "yaml-bracket-unclosed", "tags: [多元文化]")),
    "full-width comma in a list": ("tags: [多元文化，館際合作]\n", (3, 12, "yaml-fullwidth-comma", "tags: [多元文化, 館際合作]")),
    "item indented 3 spaces": ("tags:\n  - 多元文化\n   - 館際合作\n", (5, 4, "yaml-list-indent", "  - 館際合作")),
    "item less indented than its sibling": ("tags:\n  - 多元文化\n- 館際合作\n", (5, 1, "yaml-list-indent", "  - 館際合作")),
    "Word bullet •": ("tags:\n• 多元文化\n• 館際合作\n", (4, 1, "yaml-bullet", "  - 多元文化")),
    "Word bullet · indented": ("tags:\n  · 多元文化\n", (4, 3, "yaml-bullet", "  - 多元文化")),
    "Word bullet ‧ in a list": ("tags:\n  - 多元文化\n  ‧ 館際合作\n", (5, 3, "yaml-bullet", "  - 館際合作")),
    "-item without a space": ("tags:\n  - 多元文化\n  -館際合作\n", (5, 3, "yaml-dash-space", "  - 館際合作")),
    "-item first": ("tags:\n-多元文化\n", (4, 1, "yaml-dash-space", "  - 多元文化")),
    "key indented": ("summary: 摘要\n  purpose: 查詢\n", (4, 3, "yaml-key-indent", "purpose: 查詢")),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_named_on_its_own_line_with_the_fix(name, composer):
    typed, (line, column, code, fixed) = MISTAKES[name]
    src = parse(HEAD + typed + TAIL)
    assert only(src) == [(line, column, code)], composer
    assert src.problems[0].args["example"] == fixed


def test_the_line_reported_is_the_mistake_not_the_next_one():
    """PyYAML blames the line after a full-width colon, a bullet or `-item` (it read the two
    lines as one value); the mistake is on the line before."""
    for typed in ("title：研討會心得\nsummary: 摘要\n", "tags:\n• 多元文化\nsummary: 摘要\n",
                  "tags:\n-多元文化\nsummary: 摘要\n", "summary:摘要\ncost: free\n"):
        text = "---\n" + typed + "---\n"
        node, problems = compose_yaml(typed, Located("e.md", 2))
        with pytest.raises(yaml.YAMLError) as raised:
            yaml.safe_load(typed)
        parser_line = raised.value.problem_mark.line + 2
        mistake = next(i for i, line in enumerate(text.split("\n"), 1) if any(c in line for c in "：•") or
                       line.startswith(("-多", "summary:摘")))
        assert node is None and [p.line for p in problems] == [mistake] and parser_line > mistake


def test_the_chinese_message_names_the_character_and_shows_the_corrected_line():
    cases = {
        "city：華盛頓特區\n": ("：", "city: 華盛頓特區"),
        "tags:\n  • 多元文化\n": ("•", "- 多元文化"),
        "tags: [多元文化，館際合作]\n": ("，", "[多元文化, 館際合作]"),
        "summary: “主題: 多元”\n": ("“", 'summary: "主題: 多元"'),
        "summary: 主題: 多元\n": ("「: 」", 'summary: "主題: 多元"'),
        "tags:\n  -多元文化\n": ("-多元文化", "  - 多元文化"),
        "summary:摘要\n": ("摘", "summary: 摘要"),
        "summary: @館員\n": ("@", 'summary: "@館員"'),
    }
    for typed, (char, fixed) in cases.items():
        p = parse("---\n" + typed + "---\n").problems[0]
        zh, zh_hint = render(p.code, p.args, "zh-TW")
        en, en_hint = render(p.code, p.args, "en")
        assert char in zh, (typed, zh)
        assert fixed in zh_hint and fixed in en_hint, (typed, zh_hint)
        assert all("\u4e00" <= c <= "\u9fff" for c in zh if c.isalpha() and c not in p.args.get("key", "")
                   and c not in typed) or "YAML" in zh
        assert zh != en


VALID = [
    "title: 研討會：心得\nsummary: 報告。時間 10:30，地點 A 館\n",  # full-width colon and comma inside values
    "url: https://example.org/a:b\ntags: [a, b, c]\nauthors: ['王小明', \"李大華\"]\n",
    "title: \"IFLA: 2023 年會\"\nsummary: '他說: \"好\"'\n",
    "title: 「研討會」心得\nsummary: “好用”的工具\n",  # typographic quotes as text
    "summary: 很長的摘要\n  接續的一行\n  - 不是項目，是文字\ncost: free\n",  # a value's own next lines
    "tags:\n  - 多元文化\n  - 館際合作\naudience:\n- librarians\n- researchers\n",
    "contact:\n  email: a@b.org\n  phone: 02-1234\nbudget: -5\nnote: -x\n",
    "tags: [館際合作，資源分享]\n".replace("[館際合作，資源分享]", "['館際合作，資源分享']"),  # quoted on purpose
    "title: C# 入門\nsummary: 50% 折扣\n",  # "#" after a space starts a comment: see below
]


@pytest.mark.parametrize("typed", VALID)
def test_a_correct_front_matter_is_never_diagnosed(typed, composer):
    src = parse("---\n" + typed + "---\n")
    assert src.problems == [] and src.front_matter is not None


def test_a_comment_after_a_value_is_only_a_warning(composer):
    """`title: 第 #3 期` is YAML for 「第」: the rest would vanish without a word. A warning on the
    "#"; the front matter is still used."""
    src = parse("---\ntitle: C# 入門 # 註解\nsummary: 50% 折扣\n---\n")
    assert [(p.code, p.line, p.column, p.level.value) for p in src.problems] == [
        ("yaml-comment-in-value", 2, 14, "warning")]
    assert src.front_matter is not None


# (Not "，": YAML writes `[a，b]` unquoted, a list a person rarely means as one item.)
_TEXT = st.text(alphabet="abc 館際合作：:,「」“”'\"#[]{}!&*?|>%@`\\•·.0123456789", max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
                       st.one_of(_TEXT, st.lists(_TEXT, max_size=4), st.dictionaries(
                           st.from_regex(r"[a-z]{1,5}", fullmatch=True), _TEXT, max_size=3)),
                       min_size=1, max_size=6),
       st.booleans())
def test_what_yaml_writes_is_never_diagnosed(data, flow):
    """Front matter written by YAML itself (quoting whatever needs it, long values folded on
    several lines) is correct: no hint may fire on it."""
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow or None, width=40)
    node, problems = compose_yaml(text, Located("e.md", 2))
    assert problems == [] and node is not None, text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" -•:：，,[]{}\"'“”「」#@`|>abc館\u3000", max_size=20), max_size=12),
       st.integers(0, 400))
def test_diagnosis_never_raises(lines, offset):
    text = "\n".join(lines) + "\n"
    for problem in ("mapping values are not allowed", "found unexpected end of stream", "expected ',' or ']'"):
        hint = diagnose(text, min(offset, len(text)), problem, min(offset // 2, len(text)))
        assert hint is None or 0 <= hint[0] <= len(text)
    compose_yaml(text, Located("e.md", 2))  # never raises


def test_anything_else_is_still_reported_in_chinese():
    src = parse('---\ntitle: a\nsummary: "C:\\Users\\館員"\n---\n')
    (p,) = src.problems
    assert p.code == "yaml-syntax" and "hexdecimal" in p.args["detail"]
    zh, _ = render(p.code, p.args, "zh-TW")
    assert "反斜線" in zh and "hexdecimal" not in zh
    assert "hexdecimal" in render(p.code, p.args, "en")[0]
    assert reason_zh("mapping values are not allowed here") != reason_zh("")


def test_misread_lists_get_one_message_not_a_second_about_the_value(tmp_path):
    """`tags:\\n  - a\\n   - b` is valid YAML for one tag "a - b": the unknown-tag error it
    used to get misled; now the indentation is the one problem."""
    content = new_content(tmp_path)
    text = entry_text("tools").replace("- resource-sharing\n", "  - resource-sharing\n   - open-access\n")
    write(content, "tools/t.md", text)
    kb = load_knowledge_base(content, "content")
    line = text.split("\n").index("   - open-access") + 1
    assert [(p.line, p.column, p.code) for p in kb.problems] == [(line, 4, "yaml-list-indent")]


def test_quoted_picks_the_quotes_a_person_would():
    assert quoted("主題: 多元") == '"主題: 多元"'
    assert quoted('"IFLA" 年會') == "'\"IFLA\" 年會'"
    assert quoted("It's \"x\"") == '"It\'s \\"x\\""'
    assert yaml.safe_load("v: " + quoted("It's \"x\" C:\\a")) == {"v": "It's \"x\" C:\\a"}


def test_a_bullet_between_list_items_and_one_with_a_tab(composer):
    """Tried as a librarian pasting from Word: a bullet at the left edge between two `  - `
    items (the parser only stops two lines later), and Word's bullet followed by a tab (the
    corrected line must not show the tab as \\x09)."""
    src = parse("---\ntags:\n  - a\n• 多元文化\n  - b\nauthors: [王小明]\n---\n")
    assert [(p.code, p.line, p.column) for p in src.problems] == [("yaml-bullet", 4, 1)]
    src = parse("---\ntags:\n  - a\n  •\t國際交流\n---\n")
    [p] = src.problems
    assert p.code == "yaml-bullet" and p.args["example"] == "  - 國際交流"
