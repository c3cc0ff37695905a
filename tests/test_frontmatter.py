"""Front matter: what YAML would silently change is refused, with exact positions."""


from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import ScalarNode, SequenceNode

from generator.source.frontmatter import MAX_DEPTH, SourceFile, compose_yaml, decode_source, split_front_matter
from generator.source.positions import Located


def parse(text: str) -> SourceFile:
    src = SourceFile(path="e.md", text=text)
    split_front_matter(src)
    return src


def only(src: SourceFile):
    return [(p.line, p.column, p.code) for p in src.problems]


def test_clean_front_matter_has_body_position():
    src = parse("---\ntitle: 測試\n---\n\n## 目的\n")
    assert src.problems == []
    assert src.front_matter is not None
    assert src.body_line == 4
    assert src.loc.pos(src.front_matter.value[0][0]) == (2, 1)


def test_bom_and_crlf_parse_like_their_clean_twin():
    clean = "---\ntitle: 測試\nsummary: 摘要\n---\n本文\n"
    twin, problems = decode_source(("\ufeff" + clean.replace("\n", "\r\n")).encode("utf-8"), "e.md")
    assert problems == []
    assert twin == clean
    a, b = parse(clean), parse(twin)
    assert [(k.value, v.value) for k, v in a.front_matter.value] == [(k.value, v.value) for k, v in b.front_matter.value]
    assert (a.body, a.body_line) == (b.body, b.body_line)


def test_missing_and_unclosed_front_matter():
    assert only(parse("# 標題\n內文\n")) == [(1, 1, "fm-missing")]
    assert only(parse("---\ntitle: x\n\n內文\n")) == [(1, 1, "fm-unclosed")]
    assert only(parse("")) == [(1, 1, "file-empty")]
    assert only(parse("---\n---\nbody")) == [(1, 1, "fm-empty")]


def test_duplicate_keys_name_the_second_and_the_first_line():
    src = parse("---\ntitle: a\nsummary: b\ntitle: c\n---\n")
    assert only(src) == [(4, 1, "yaml-duplicate-key")]
    assert src.problems[0].args == {"key": "title", "first": 2}


def test_every_repeat_of_a_key_names_the_line_of_the_first():
    src = parse("---\ntitle: a\nsummary: b\ntitle: c\ntitle: d\n---\n")
    assert [(p.line, p.code, p.args["first"]) for p in src.problems] == [
        (4, "yaml-duplicate-key", 2), (5, "yaml-duplicate-key", 2)]


def test_the_c_loader_has_no_path_resolvers_to_skip():
    # FastCLoader skips PyYAML's path-resolver calls for every node: only right while there are none.
    from generator.source.yamlcompose import FastCLoader

    if FastCLoader is not None:
        assert not FastCLoader.yaml_path_resolvers
        loader = FastCLoader("a: [1, {b: c}]\n")
        try:
            assert [k.value for k, _ in loader.get_single_node().value] == ["a"]
        finally:
            loader.dispose()


def test_nested_duplicate_key():
    src = parse("---\ncontact:\n  email: a@b.org\n  email: c@d.org\n---\n")
    assert only(src) == [(4, 3, "yaml-duplicate-key")]


def test_anchors_and_aliases_are_refused_before_expansion():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n---\n"
    assert only(parse(bomb)) == [(2, 4, "yaml-alias")]
    assert only(parse("---\ntitle: *x\n---\n"))[0][2] == "yaml-alias"


def test_tab_indentation_is_its_own_error():
    assert only(parse("---\ncontact:\n\temail: a@b.org\n---\n")) == [(3, 1, "yaml-tab")]


def test_syntax_error_position():
    src = parse("---\ntitle: a\nsummary: [unclosed\n---\n")
    assert only(src) == [(3, 10, "yaml-bracket-unclosed")]  # at the "[", not where the parser gave up
    src = parse('---\ntitle: a\nsummary: "C:\\Users"\n---\n')  # no known cause: the parser's words
    assert [p.code for p in src.problems] == ["yaml-syntax"] and src.problems[0].line == 3


def test_deep_nesting_is_refused_not_a_recursion_error():
    deep = "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    src = parse(deep)
    assert [p.code for p in src.problems] == ["yaml-too-deep"]
    nested = "---\n" + "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "---\n"
    assert [p.code for p in parse(nested).problems] == ["yaml-too-deep"]


def test_not_a_mapping():
    assert only(parse("---\n- a\n- b\n---\n")) == [(2, 1, "yaml-not-mapping")]


def test_invalid_utf8_position_and_binary():
    text, problems = decode_source("---\ntitle: 好\n".encode() + b"summary: \xff\xfe\n---\n", "e.md")
    assert text is None
    assert [(p.line, p.column, p.code) for p in problems] == [(3, 10, "file-encoding")]
    _, problems = decode_source(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "e.md")
    assert [p.code for p in problems] == ["file-binary"]


def test_front_matter_size_limit():
    big = "---\ntitle: " + "長" * 40000 + "\n---\n"
    assert [p.code for p in parse(big).problems] == ["fm-too-large"]


def test_compose_never_raises_on_garbage():
    for garbage in ["{", "]", ": :", "? ? ?", "%YAML 9.9\n---", "!!python/object:os.system x", "a: !!binary 'x'",
                    "\x00", "- - - - [", "'unterminated"]:
        node, problems = compose_yaml(garbage, Located("e.md", 2))
        assert node is None or isinstance(problems, list)


def test_control_character_position():
    src = parse("---\ntitle: ab\x07c\n---\n")
    assert only(src) == [(2, 10, "yaml-control-char")]


def test_fast_resolver_types_plain_scalars_as_pyyaml_does():
    """The shortcut resolver must give exactly PyYAML's YAML 1.1 tags, so that fields see
    the same node tags whichever path composed them."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from generator.source.frontmatter import _RESOLVER, _fast_resolve

    words = ["yes", "Yes", "YES", "y", "Y", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
             "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "", "title", "offered",
             "Ontario", "yEs", "nULL", "ok", "2020-01-01", "2020-01-01 10:00", "1.5", "12", "0x1F", "-1", "<<",
             "=", ".inf", ".NaN", "1_000", "0o17", "+12", "~x", "Nothing", "Trueish", "臺北", "é", "Ñandú"]
    for _ in range(2):  # asked again: the tags it keeps for values that could be typed are the same
        for word in words:
            for implicit in ((True, False), (False, True), (False, False)):
                assert _fast_resolve(_RESOLVER, ScalarNode, word, implicit) == _RESOLVER.resolve(ScalarNode, word, implicit), word
    from generator.source.yamlcompose import FastCLoader

    # The tags it keeps are PyYAML's default resolvers' answers: right for every loader that has those.
    if FastCLoader is not None:
        assert FastCLoader.yaml_implicit_resolvers == type(_RESOLVER).yaml_implicit_resolvers
    for kind in (SequenceNode, MappingNode):
        for implicit in (True, False):
            assert _fast_resolve(_RESOLVER, kind, None, implicit) == _RESOLVER.resolve(kind, None, implicit)


# -- nesting: bounded before any recursive composer runs ------------------------------------

def _deep_block(n: int) -> str:  # key:\n key:\n  key: ... (one space per level: stays under 64 KB)
    return "".join(" " * i + f"k{i}:\n" for i in range(n)) + " " * n + "x\n"


def _deep_lines(n: int) -> str:  # -\n  -\n    - ...
    return "".join("  " * i + "-\n" for i in range(n)) + "  " * n + "x\n"


def _first_too_deep(style: str, n: int) -> tuple[int, int]:
    """Where the collection at level MAX_DEPTH + 1 starts, as an editor counts (front matter from line 2)."""
    if style == "block":  # the root mapping is level 1: the mapping under k19 (line of k20) is level 21
        return 2 + MAX_DEPTH, MAX_DEPTH + 1
    if style in ("compact", "question"):  # the 21st indicator
        return 2, 2 * MAX_DEPTH + 1
    return 2 + MAX_DEPTH, 2 * MAX_DEPTH + 1  # lines: the 21st "-"


STYLES = {"block": _deep_block, "compact": lambda n: "- " * n + "x\n", "question": lambda n: "? " * n + "x\n",
          "lines": _deep_lines}


def test_nesting_deeper_than_the_limit_is_refused_in_every_style_at_its_position():
    for style, make in STYLES.items():
        for n in (MAX_DEPTH + 1, 25, 100, 1000):
            text = make(n)
            if len(text.encode()) > 60 * 1024:
                continue  # refused as too large before nesting counts
            assert only(parse("---\n" + text + "---\n")) == [(*_first_too_deep(style, n), "yaml-too-deep")], (style, n)
        assert "yaml-too-deep" not in [c for *_, c in only(parse("---\n" + make(MAX_DEPTH - 1) + "---\n"))], style


def test_nesting_composed_in_c_is_checked_too():
    """Depth LibYAML's C composer may build whole (no indentation of 40, no run of 10
    compact indicators) is checked after it, at the same position the event-by-event
    composer gives."""
    from generator.source import frontmatter

    lines = ["a:"] + ["  " * i + f"- b{i}:" for i in range(12)] + ["  " * 12 + "- " * 9 + "x"]
    text = "\n".join(lines) + "\n"
    assert frontmatter._plain_enough(text)
    c_path = compose_yaml(text, Located("e.md", 2))
    assert [(p.line, p.column, p.code) for p in c_path[1]] == [(12, 21, "yaml-too-deep")] and c_path[0] is None
    original = frontmatter._plain_enough
    frontmatter._plain_enough = lambda t: False
    try:
        events = compose_yaml(text, Located("e.md", 2))
    finally:
        frontmatter._plain_enough = original
    assert [(p.line, p.column, p.code) for p in events[1]] == [(12, 21, "yaml-too-deep")]


_FIFTY_KB = r"""
import sys
sys.path.insert(0, {tests!r})
from test_frontmatter import only, parse
for unit in ("- ", "? ", "-  ", "? - "):
    print(only(parse("---\n" + unit * (50_000 // len(unit)) + "x\n---\n")))
print(only(parse("---\n--- " + "- " * 25_000 + "x\n---\n")))
"""


def test_fifty_kilobytes_of_nesting_on_one_line_is_refused_not_a_crash():
    """25,000 levels: LibYAML's recursive C composer overflowed the stack (a segmentation
    fault, so this runs in a process of its own)."""
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "-c", _FIFTY_KB.format(tests=str(Path(__file__).resolve().parent))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-300:])
    assert done.stdout.splitlines() == [  # at the 21st indicator
        "[(2, 41, 'yaml-too-deep')]", "[(2, 41, 'yaml-too-deep')]", "[(2, 61, 'yaml-too-deep')]",
        "[(2, 41, 'yaml-too-deep')]", "[(2, 5, 'yaml-syntax')]"]  # LibYAML refuses "--- - - …" itself


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 45), st.text(alphabet="-? :", max_size=24),
                          st.sampled_from(["", "a:", "x", "[x]", "- a:", "? ", "[[", "{a: "])), max_size=40))
def test_what_the_c_composer_may_compose_cannot_nest_deep(lines):
    """The bound _plain_enough promises: whatever it lets LibYAML compose whole nests at most
    about a hundred levels (so the C recursion is safe; _check_keys then applies MAX_DEPTH)."""
    import yaml

    from generator.source import frontmatter

    text = "".join(" " * indent + prefix + tail + "\n" for indent, prefix, tail in lines)
    if not frontmatter._plain_enough(text):
        return
    try:
        node = yaml.CSafeLoader(text).get_single_node()
    except yaml.YAMLError:
        return
    deepest, stack = 0, [(node, 1)] if node is not None else []
    while stack:
        n, d = stack.pop()
        if isinstance(n, ScalarNode):
            continue
        deepest = max(deepest, d)
        children = n.value if isinstance(n, SequenceNode) else [c for kv in n.value for c in kv]
        stack.extend((c, d + 1) for c in children)
    assert deepest <= 120


# -- positions: lines as an editor counts them ---------------------------------------------------

def test_unicode_line_separators_do_not_shift_positions():
    """YAML counts U+2028, U+2029 and U+0085 as line breaks; an editor (and we) do not. All three
    composers: LibYAML whole, LibYAML event by event, and PyYAML's own (no LibYAML)."""
    from generator.source import frontmatter

    for sep in ("\u2028", "\u2029", "\x85"):
        text = f'---\ntitle: "前{sep}後"\nsummary: "a{sep}b{sep}c"\nc: 1\nc: 2\n  bad: [\n---\n'
        original = frontmatter._plain_enough, frontmatter._CPARSER
        try:
            for plain, cparser in ((original[0], original[1]), (lambda t: False, original[1]), (original[0], None)):
                frontmatter._plain_enough, frontmatter._CPARSER = plain, cparser
                assert only(parse(text)) == [(6, 3, "yaml-key-indent")], (repr(sep), cparser)  # as without sep
                ok = parse(f'---\ntitle: "前{sep}後"\nsummary: "a{sep}b{sep}館館"\nc: 1\nc: 2\n---\n')
                assert only(ok) == [(5, 1, "yaml-duplicate-key")], (repr(sep), cparser)
                assert ok.problems[0].args["first"] == 4
                keys = {k.value: ok.loc.pos(k) for k, _ in ok.front_matter.value}
                assert keys == {"title": (2, 1), "summary": (3, 1), "c": (5, 1)}
                values = {k.value: ok.loc.pos(v) for k, v in ok.front_matter.value}
                assert values["summary"] == (3, 10)
        finally:
            frontmatter._plain_enough, frontmatter._CPARSER = original


def test_column_after_a_line_separator_is_counted_in_characters():
    src = parse('---\ntitle: "館\u2028館"\nlist: [館館, 館\u2029, x]\n---\n')
    seq = src.front_matter.value[1][1].value
    assert [src.loc.pos(n) for n in seq] == [(3, 8), (3, 12), (3, 16)]


def test_invalid_utf8_column_counts_characters():
    _, problems = decode_source("---\ntitle: 館藏發展\xff".encode()[:-2] + b"\xff\n---\n", "e.md")
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 12, "file-encoding")]
    _, problems = decode_source("---\r\ntitle: 館\r\nsummary: 館館".encode() + b"\xe9t\xe9\r\n", "e.md")
    assert [(p.line, p.column, p.code) for p in problems] == [(3, 12, "file-encoding")]


# -- size limit: independent of line endings and BOM ---------------------------------------------

def test_size_limit_does_not_depend_on_line_endings_or_bom():
    from generator.source.frontmatter import HARD_MAX_FILE_BYTES, MAX_FILE_BYTES

    line = "館" * 20 + "\n"  # 61 bytes
    text = "---\ntitle: x\n---\n" + line * ((MAX_FILE_BYTES - 17) // len(line.encode()))
    text += "x" * (MAX_FILE_BYTES - len(text.encode()))
    assert len(text.encode()) == MAX_FILE_BYTES
    crlf = text.replace("\n", "\r\n").encode()
    for variant in (text.encode(), crlf, b"\xef\xbb\xbf" + crlf):
        decoded, problems = decode_source(variant, "e.md")
        assert problems == [] and decoded == text
        _, problems = decode_source(variant + b"x", "e.md")
        assert [(p.code, p.args["size"]) for p in problems] == [("file-too-large", MAX_FILE_BYTES + 1)]
    _, problems = decode_source(b"\r\n" * (HARD_MAX_FILE_BYTES // 2) + b"x", "e.md")  # over the hard cap
    assert [(p.code, p.args["size"]) for p in problems] == [("file-too-large", HARD_MAX_FILE_BYTES + 1)]


def test_a_file_far_too_large_is_refused_without_being_read(tmp_path, monkeypatch):
    from generator.source.frontmatter import HARD_MAX_FILE_BYTES, load_source

    big = tmp_path / "big.md"
    with big.open("wb") as f:
        f.truncate(50 * HARD_MAX_FILE_BYTES)  # sparse: 100 MB that cost nothing on disk
    src = load_source(big, "big.md")
    assert [(p.code, p.args["size"]) for p in src.problems] == [("file-too-large", 50 * HARD_MAX_FILE_BYTES)]


def test_a_file_is_read_whole_or_to_the_limit(tmp_path):
    from generator.source.textfiles import read_bytes_safely

    f = tmp_path / "e.md"
    for size in (0, 1, 99, 100, 101, 5000):
        f.write_bytes(bytes(range(256)) * (size // 256) + bytes(range(size % 256)))
        assert read_bytes_safely(f, 100) == f.read_bytes()[:100]
        assert read_bytes_safely(f, 10_000) == f.read_bytes()


def test_a_lone_carriage_return_is_a_line_break_and_no_character_of_the_text():
    text, problems = decode_source(b"---\rtitle: x\r\n---\r\rbody\n", "e.md")
    assert problems == [] and text == "---\ntitle: x\n---\n\nbody\n"


def test_fifo_and_symlinked_entry_files_are_refused_without_blocking(tmp_path):
    import os

    from generator.source.frontmatter import load_source

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert [p.code for p in load_source(fifo, "pipe.md").problems] == ["file-not-regular"]
    secret = tmp_path / "secret.txt"
    secret.write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    link = tmp_path / "index.md"
    link.symlink_to(secret)
    src = load_source(link, "index.md")
    assert [p.code for p in src.problems] == ["file-symlink"] and src.front_matter is None


def test_an_unexpected_exception_while_loading_is_a_problem(tmp_path, monkeypatch):
    from generator.source import frontmatter

    def boom(*a, **k):
        raise KeyError("simulated bug")

    monkeypatch.setattr(frontmatter, "compose_yaml", boom)
    f = tmp_path / "x.md"
    f.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    src = frontmatter.load_source(f, "content/tools/x.md")
    assert [(p.path, p.code) for p in src.problems] == [("content/tools/x.md", "file-check-error")]
    assert "KeyError" in src.problems[0].args["error"]


def test_a_line_separator_that_breaks_a_plain_value_is_pointed_at():
    """In a plain value YAML ends the line at U+2028 (the editor shows one line): the error
    names that invisible character where it is, not the next line."""
    src = parse("---\ntitle: 測試\nsummary: 摘要\u2028仍是同一行\ntags: [x]\n---\n")
    assert only(src) == [(3, 12, "yaml-control-char")] and src.problems[0].args == {"char": "U+2028"}
    # Far from the error, it is not blamed.
    assert only(parse('---\ntitle: "a\u2028b"\nx: 1\nsummary: [unclosed\n---\n')) == [(4, 10, "yaml-bracket-unclosed")]


def test_key_positions_are_each_keys_position():
    # Located.key_positions (every entry's keys, in one loop) gives what pos() gives for each key,
    # with a line break YAML counts and an editor does not (U+2028) too.
    for text in ("---\ntitle: a\nsummary: b\n  c\ntags: [x]\n---\n", "---\ntitle: \"a\u2028b\"\nsummary: c\n---\n"):
        src = parse(text)
        assert src.front_matter is not None
        assert src.loc.key_positions(src.front_matter) == {k.value: src.loc.pos(k) for k, _ in src.front_matter.value}
    src = parse("---\ntitle: a\nsummary: b\n---\n")
    assert src.loc.key_positions(src.front_matter) == {"title": (2, 1), "summary": (3, 1)}


def _split_by_lines(text: str):
    """The front matter split as it was by splitting the whole text into lines: the reference
    for split_front_matter, which finds its lines with str.find."""
    if not text.strip():
        return ("file-empty", 1)
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if lines[start].rstrip() != "---":
        return ("fm-missing", start + 1)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return ("fm-unclosed", start + 1)
    return ("\n".join(lines[start + 1:end]) + "\n", start + 1, "\n".join(lines[end + 1:]), end + 2)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["---", "...", "--- ", "----", "-- -", "...x", " ---", "\u3000", "", " ", "\t",
                                 "title: a", "x: [1, 2]", "正文", "---\x0b", "\u2028", "- a"]), max_size=12),
       st.booleans())
def test_the_front_matter_is_split_as_splitting_the_text_into_lines_did(lines, final_break):
    text = "\n".join(lines) + ("\n" if final_break else "")
    src = SourceFile(path="e.md", text=text)
    split_front_matter(src)
    ref = _split_by_lines(text)
    if ref[0] in ("file-empty", "fm-missing", "fm-unclosed"):
        assert [(p.code, p.line) for p in src.problems] == [ref] and src.loc is None
        return
    fm_text, fence_line, body, body_line = ref
    assert (src.loc.text, src.fence_line, src.loc.first_line, src.body, src.body_line) == (
        fm_text, fence_line, fence_line + 1, body, body_line)
