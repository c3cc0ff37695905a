"""Structured data in a real engine build: one entry of every kind and a sample of every list
in ../shared/attack/ planted in every text field of every kind (tests/test_jsonld.py runs every
payload through the serialiser and the page's metadata without an engine). Every entry page's
JSON-LD is read from the built HTML as a browser parses it: one script, in the head, that
parses, with the properties Google requires of its type and exactly the entry's values; the
build's own scan passes; and a hostile page's head has the same elements as a plain one's."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from selectolax.lexbor import LexborHTMLParser

import attack_corpus
from attack_site import plant
from generator.knowledge.indexing import load_knowledge_base
from helpers import example_content
from sitebuild import SITE_NAME, SITE_URL, mkdocs_build
from test_jsonld import REQUIRED, expected_type, pick, walk_dates

pytestmark = pytest.mark.build

SAMPLE = 15  # payloads of each list


def _accepted(content, placements, again: bool = True) -> list:
    """Validate, and keep what validation accepts (what an accepted pull request publishes). A
    payload whose file was refused (for it or for another payload) is planted again on its own,
    in the title of an entry of the same kind, and judged once more."""
    kb = load_knowledge_base(content, "content")
    refused = {p.path.removeprefix("content/") for p in kb.problems if p.level.value == "error"}
    for rel in refused:
        (content / rel).unlink(missing_ok=True)
    kept = [pl for pl in placements if pl.rel not in refused]
    if again:
        more = [p for i, pl in enumerate(pl for pl in placements if pl.rel in refused)
                for p in plant(content, [(pl.corpus, pl.payload)], prefix=f"r{i}-", bodies=False,
                               kinds=[pl.rel.split("/")[0]]).placements]
        kept += _accepted(content, more, again=False)
    return kept


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = tmp_path_factory.mktemp("jsonld-site")
    content = example_content(project, every_kind=True)
    payloads = [(n, p) for n, p in attack_corpus.payloads(SAMPLE) if p.strip()]
    payloads += [("edge", "</script><script>alert(1)</script>"), ("edge", "<!--"), ("edge", "]]>"),
                 ("edge", "甲\u2028乙\u2029丙")]
    hostile = _accepted(content, plant(content, payloads, prefix="x-", bodies=False).placements)
    # The same entries with plain values: what a hostile page's head is compared with.
    plain = _accepted(content, plant(content, [("plain", f"平常的值 {i}") for i in range(len(payloads))],
                                     prefix="p-", bodies=False).placements)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    kb = load_knowledge_base(content, "content")
    return project / "site", kb, hostile, plain, result


def scripts(html: str):
    return LexborHTMLParser(html).css('script[type="application/ld+json"]')


def test_the_build_and_its_scan_pass(built):
    _, _, hostile, _, result = built
    assert "Traceback" not in result.stderr and "WARNING" not in result.stderr
    assert "scanned the built pages (0 problems)" in result.stderr
    assert len({pl.rel for pl in hostile}) > 20 and {pl.corpus for pl in hostile} >= {"blns", "payloadbox", "patt",
                                                                                       "dompurify", "edge"}


def test_every_entry_page_has_json_ld_with_google_s_required_properties(built):
    site, kb, _, _, _ = built
    types = Counter()
    for e in kb.public:
        found = scripts((site / e.url / "index.html").read_text(encoding="utf-8"))
        assert len(found) == 1 and found[0].parent.tag == "head", e.rel
        node = json.loads(found[0].text())
        kind = expected_type(e)
        assert node["@context"] == "https://schema.org" and node["@type"] == kind, e.rel
        for path in REQUIRED[kind]:
            assert pick(node, path), (e.rel, path)
        page = node if kind in {"Article", "Report", "LearningResource"} else node["mainEntityOfPage"]
        assert page["inLanguage"] == "zh-Hant" and page["license"].startswith("https://creativecommons.org/")
        assert page["isPartOf"] == {"@type": "WebSite", "name": SITE_NAME, "url": SITE_URL}
        assert node["url"] == SITE_URL + e.url
        walk_dates(node)
        # Exactly the entry's values, however hostile.
        assert node["name"] == (e.title if kind != "Organization" else
                                kb.registries["institutions"].items[e.data["institution"]]["name_zh"])
        if kind == "JobPosting":
            assert (node["title"], node["hiringOrganization"]["name"], node["jobLocation"]["address"]["addressLocality"]) \
                == (e.data["position"], e.data["employer"], e.data["location"])
        else:
            assert node["description"] == e.data["summary"]
        if kind == "Event":
            assert [o["name"] for o in node["organizer"][1:]] == e.data.get("partners", [])
        if kind == "Report":
            assert node["about"]["location"]["address"]["addressLocality"] == e.data["city"]
        types[kind] += 1
    assert set(types) == {"JobPosting", "Event", "LearningResource", "Report", "Organization", "Article"}


def _head(site, rel_url: str) -> list[str]:
    tree = LexborHTMLParser((site / rel_url / "index.html").read_text(encoding="utf-8"))
    return [n.tag for n in tree.head.iter()]


def test_a_hostile_value_adds_no_element(built):
    """A page whose every text field holds a payload has the same elements in its head as the
    same kind's page with plain values: nothing broke out of the script (or any meta tag)."""
    site, kb, hostile, plain, _ = built
    entries = {e.rel: e for e in kb.public}
    plain_head = {}
    for pl in plain:
        e = entries.get(pl.rel)
        if e is not None and (e.kind.id, expected_type(e)) not in plain_head:
            plain_head[(e.kind.id, expected_type(e))] = _head(site, e.url)
    checked = 0
    for rel in sorted({pl.rel for pl in hostile}):
        e = entries.get(rel)
        if e is None:
            continue
        key = (e.kind.id, expected_type(e))
        assert _head(site, e.url) == plain_head[key], rel
        checked += 1
    assert checked > 20
