"""Front matter: what YAML would silently change is refused, with exact positions."""


from generator.frontmatter import MAX_DEPTH, SourceFile, compose_yaml, decode_source, Located, split_front_matter


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
    assert [p.code for p in src.problems] == ["yaml-syntax"]
    assert src.problems[0].line >= 3


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

    from generator.frontmatter import _RESOLVER, _fast_resolve

    words = ["yes", "Yes", "YES", "y", "Y", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
             "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "", "title", "offered",
             "Ontario", "yEs", "nULL", "ok", "2020-01-01", "2020-01-01 10:00", "1.5", "12", "0x1F", "-1", "<<",
             "=", ".inf", ".NaN", "1_000", "0o17", "+12", "~x", "Nothing", "Trueish", "臺北", "é", "Ñandú"]
    for word in words:
        for implicit in ((True, False), (False, True), (False, False)):
            assert _fast_resolve(_RESOLVER, ScalarNode, word, implicit) == _RESOLVER.resolve(ScalarNode, word, implicit), word
    for kind in (SequenceNode, MappingNode):
        for implicit in (True, False):
            assert _fast_resolve(_RESOLVER, kind, None, implicit) == _RESOLVER.resolve(kind, None, implicit)
