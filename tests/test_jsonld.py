"""Structured data (schema.org JSON-LD) of entry pages, without an engine: what each kind
declares, the properties Google requires of each type, and escaping by construction — every
payload of every list in ../shared/attack/ in every text field of every kind (and in the
registries' names) reads back from the page's head exactly as given, and never ends the
<script> element it is printed in. tests/test_jsonld_build.py builds a site for real."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import re

import pytest
from mkdocs.utils.meta import get_data
from selectolax.lexbor import LexborHTMLParser

import attack_corpus
from attack_site import text_paths
from generator.core.escape import NOT_TEXT_RE, ScriptJson, engine_meta, script_json
from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from generator.model.siteinfo import SiteInfo
from generator.site import jsonld, render
from generator.site.context import SiteContext
from generator.site.sitecheck import scan_site
from generator.site.views import entry as entry_view
from helpers import example_content

SITE_URL = "https://kb.example.org/test-kb/"
SITE = SiteInfo(site_url=SITE_URL, site_name="測試用知識庫", name_en="Test KB", content_license="CC-BY-4.0")

# The type each kind's entries are, by kind id (a kind that declares nothing is an Article).
TYPES = {"job": "JobPosting", "outreach": "Event", "lesson-plan": "LearningResource",
         "conference-report": "Report", "partnership": "Organization"}
CREATIVE = {"Article", "Report", "LearningResource"}

# What Google requires of each type, from its Search Central pages
# (developers.google.com/search/docs/appearance/structured-data/…), as dotted paths:
REQUIRED = {
    # job-posting: datePosted, description, hiringOrganization, jobLocation, title
    "JobPosting": ("title", "description", "datePosted", "hiringOrganization.name", "jobLocation.address"),
    # event: name, startDate, location (a Place with its address)
    "Event": ("name", "startDate", "location.name", "location.address"),
    # learning-video (LearningResource beside VideoObject): learningResourceType, educationalLevel
    "LearningResource": ("name", "description", "learningResourceType", "educationalLevel"),
    # article (Report is one): nothing required; recommended headline, author, datePublished
    "Report": ("headline", "author", "datePublished"),
    "Article": ("headline", "author", "datePublished"),
    # organization: nothing required; recommended name, url
    "Organization": ("name", "url"),
}
# Dates schema.org reads as ISO 8601, wherever they are in the node.
DATE_KEYS = {"datePosted", "validThrough", "startDate", "endDate", "datePublished", "dateModified"}


def pick(node, path: str):
    for key in path.split("."):
        node = node[0] if isinstance(node, list) else node
        node = node[key]
    return node


def iso(value: str) -> None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        dt.date.fromisoformat(value)
    else:
        assert dt.datetime.fromisoformat(value).tzinfo is not None, value


def walk_dates(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in DATE_KEYS:
                iso(v)
            walk_dates(v)
    elif isinstance(node, list):
        for v in node:
            walk_dates(v)


def expected_type(e) -> str:
    if e.kind.id == "job" and e.data["direction"] == "sought":
        return "Article"  # a person seeking a position: no job posting
    return TYPES.get(e.kind.id, "Article")


def check_node(node: dict, e, url: str) -> None:
    """The properties every entry page has and those Google requires of its type."""
    assert node["@context"] == "https://schema.org"
    expected = expected_type(e)
    assert node["@type"] == expected, e.rel
    for path in REQUIRED[expected]:
        assert pick(node, path), (e.rel, path)
    page = node if expected in CREATIVE else node["mainEntityOfPage"]
    assert page["inLanguage"] == "zh-Hant"
    assert page["isPartOf"] == {"@type": "WebSite", "name": SITE.site_name, "alternateName": "Test KB", "url": SITE_URL}
    assert page["license"].startswith("https://creativecommons.org/licenses/")
    assert node["url"] == url and node["url"].startswith(SITE_URL)
    walk_dates(node)


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    content = example_content(tmp_path_factory.mktemp("jsonld"), every_kind=True)
    kb = load_knowledge_base(content, "content")
    assert not [p for p in kb.problems if p.level.value == "error"]
    return kb


def head(e, kb, ctx) -> dict:
    """The page's metadata as the engine reads it: the generator's front matter, parsed by
    MkDocs' own reader (YAML)."""
    _, meta = get_data(render.front(e.title, e.data["summary"], extra=entry_view._meta(e, kb, ctx, None)))
    return meta


def printed(text: str) -> LexborHTMLParser:
    """A page head printing the text as overrides/main.html does (raw, in a data script)."""
    return LexborHTMLParser(f'<!doctype html><html><head><title>t</title><script type="application/ld+json">{text}'
                            '</script><meta name="after" content="x"></head><body><p>page</p></body></html>')


def test_every_kind_declares_its_type_and_google_s_required_properties(kb):
    ctx = SiteContext(SITE)
    seen = set()
    types = set()
    for e in kb.public:
        meta = head(e, kb, ctx)
        node = json.loads(meta["kb_jsonld"])
        assert node == jsonld.entry_data(e, kb, ctx)
        check_node(node, e, SITE_URL + e.url)
        seen.add(e.kind.id)
        types.add(node["@type"])
    assert seen == set(KINDS)
    assert types == {*TYPES.values(), "Article"}


def test_values_come_from_the_entry_and_absent_ones_are_left_out(kb):
    ctx = SiteContext(SITE)
    by_kind = {e.kind.id: e for e in kb.public if expected_type(e) != "Article" or e.kind.id not in TYPES}
    job = jsonld.entry_data(by_kind["job"], kb, ctx)
    d = by_kind["job"].data
    assert job["title"] == d["position"] and job["hiringOrganization"]["name"] == d["employer"]
    assert job["validThrough"] == f"{d['closing_date'].isoformat()}T23:59:59+08:00"
    assert job["datePosted"] == d["date"].isoformat()
    assert job["employmentType"] in {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN"}
    assert job["jobLocation"]["address"]["addressLocality"] == d["location"]
    assert all(r in job["description"] for r in d["requirements"]) and d["how_to_apply"] in job["description"]
    event = jsonld.entry_data(by_kind["outreach"], kb, ctx)
    d = by_kind["outreach"].data
    assert (event["startDate"], event["endDate"]) == (d["start_date"].isoformat(), d["end_date"].isoformat())
    assert "eventStatus" not in event and "eventAttendanceMode" not in event  # the kind does not know them
    assert [o["name"] for o in event["organizer"]][1:] == d.get("partners", [])
    report = jsonld.entry_data(by_kind["conference-report"], kb, ctx)
    d = by_kind["conference-report"].data
    assert report["about"]["@type"] == "Event" and report["about"]["startDate"] == d["start_date"].isoformat()
    assert report["about"]["location"]["address"] == {"@type": "PostalAddress", "addressLocality": d["city"],
                                                      "addressCountry": d["country"]}
    assert [a["name"] for a in report["author"]] == d["authors"]
    tool = jsonld.entry_data(by_kind["tool"], kb, ctx)
    assert tool["@type"] == "Article" and tool["about"] == {"@type": "WebSite", "url": by_kind["tool"].data["url"]}
    lesson = jsonld.entry_data(by_kind["lesson-plan"], kb, ctx)
    assert lesson["teaches"] == by_kind["lesson-plan"].data["outcomes"]
    assert re.fullmatch(r"PT\d+M", lesson["timeRequired"])
    # Nothing is empty: an absent value is left out, not written as "" or [].
    for node in (job, event, report, lesson):
        assert '""' not in json.dumps(node) and "[]" not in json.dumps(node) and "null" not in json.dumps(node)


def test_a_position_sought_is_an_article_not_a_posting(kb):
    e = next(e for e in kb.public if e.kind.id == "job")
    sought = dataclasses.replace(e, data={**e.data, "direction": "sought"})
    assert jsonld.entry_data(sought, kb, SiteContext(SITE))["@type"] == "Article"


def test_a_lesson_plan_s_own_licence_is_its_licence(kb):
    e = next(e for e in kb.public if e.kind.id == "lesson-plan")
    ctx = SiteContext(SITE)
    assert jsonld.entry_data(dataclasses.replace(e, data={**e.data, "license": "CC0-1.0"}), kb, ctx)["license"] \
        == "https://creativecommons.org/publicdomain/zero/1.0/deed.zh-hant"
    # All rights reserved: no licence at all, not the site's.
    assert "license" not in jsonld.entry_data(dataclasses.replace(e, data={**e.data, "license": "all-rights-reserved"}),
                                              kb, ctx)


def test_without_a_site_address_no_url_is_guessed(kb):
    e = next(e for e in kb.public if e.kind.id == "outreach")
    node = jsonld.entry_data(e, kb, SiteContext(SiteInfo(site_name="x")))
    assert "url" not in node and "@id" not in node["mainEntityOfPage"]
    assert node["mainEntityOfPage"]["isPartOf"] == {"@type": "WebSite", "name": "x"}


# -- the serialiser --------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "</script><script>alert(1)</script>", "</SCRIPT >x", "<!--<script>", "]]>", "a\u2028b\u2029c", "<\u2028>",
    "it's & \"q\"", "\\u003c/script>", "\ud800", "\x00\x1f\x7f\x85\u202e", "\U0001fffe", "中文 <b>粗</b>",
])
def test_script_json_keeps_every_value_data(value):
    text = script_json({"name": value, "list": [value], "nested": {"k": value}})
    assert isinstance(text, ScriptJson)
    assert not set(text) & {"<", ">", "&", "'", "\u2028", "\u2029"}
    assert NOT_TEXT_RE.search(text) is None  # controls, lone surrogates, overrides, noncharacters: escapes
    assert json.loads(text) == {"name": value, "list": [value], "nested": {"k": value}}
    tree = printed(text)
    script = tree.css_first("script")
    assert json.loads(script.text()) == {"name": value, "list": [value], "nested": {"k": value}}
    assert [n.tag for n in tree.head.iter()] == ["title", "script", "meta"]


def test_script_json_passes_the_engine_metadata_once_and_plain_text_does_not():
    text = script_json({"name": "<b>"})
    assert engine_meta({"kb_jsonld": text}) == {"kb_jsonld": str(text)}  # not escaped again
    escaped = engine_meta({"kb_jsonld": str(text)})["kb_jsonld"]  # a plain str is page text
    assert escaped != text
    with pytest.raises(ValueError):
        json.loads(escaped)  # …and the scan would refuse it: the value cannot reach a page half-escaped


def test_dates_are_iso_8601():
    assert json.loads(script_json({"d": dt.date(2024, 2, 29)})) == {"d": "2024-02-29"}


# -- every payload of every list -------------------------------------------------------------

def _set(data, path, value):
    for k in path[:-1]:
        data = data[k]
    data[path[-1]] = value


def _poisoned(e, payload: str):
    data = copy.deepcopy(e.data)
    paths = text_paths(e.kind.schema, data)
    for path in paths:
        _set(data, path, payload)
    return dataclasses.replace(e, data=data), paths


def _check_values(node: dict, e, payload: str) -> None:
    """Where the payload went, it reads back exactly."""
    kind = e.kind.id
    if kind != "partnership":
        assert node["name"] == payload
    if kind != "job":
        assert node["description"] == payload
    if node["@type"] in CREATIVE:
        assert node["headline"] == payload and {a["name"] for a in node["author"]} == {payload}
    if kind == "job":
        assert node["title"] == node["hiringOrganization"]["name"] == payload
        assert node["jobLocation"]["address"]["addressLocality"] == payload
        assert node["description"].startswith(payload)
    if kind == "outreach":
        assert {o["name"] for o in node["organizer"][1:]} == ({payload} if e.data.get("partners") else set())
        assert node["location"]["name"] == payload  # the registry's name
    if kind == "conference-report":
        about = node["about"]
        assert about["location"]["address"] == {"@type": "PostalAddress", "addressLocality": payload,
                                                "addressCountry": payload}
        assert about["name"].endswith(payload) and about["organizer"]["name"] == payload
    if kind == "partnership":
        assert node["name"] == payload and node["alternateName"] == payload


def _poison_registries(kb, payload: str) -> None:
    for reg in ("institutions", "organizations"):
        for item in kb.registries[reg].items.values():
            item["name_zh"] = item["name_en"] = payload


@pytest.fixture
def own_kb(tmp_path):
    content = example_content(tmp_path, every_kind=True)
    return load_knowledge_base(content, "content")


def test_every_payload_of_every_list_stays_data_in_the_script(own_kb):
    """Every payload of every list (whole), in every text field of one entry of each kind in turn
    and in the registries' names: the script's text holds no markup character, reads back as
    exactly the value, and a parser sees one script and nothing after it but the page's own."""
    kb, ctx = own_kb, SiteContext(SITE)
    entries = {}
    for e in kb.public:
        if expected_type(e) == TYPES.get(e.kind.id, "Article"):
            entries.setdefault(e.kind.id, e)
    kinds = sorted(entries)
    payloads = [p for name in attack_corpus.LISTS for p in attack_corpus.LISTS[name]() if p]
    assert len(payloads) > 1000
    for i, payload in enumerate(payloads):
        e, _ = _poisoned(entries[kinds[i % len(kinds)]], payload)
        _poison_registries(kb, payload)
        value = jsonld.entry_data(e, kb, ctx)
        text = jsonld.entry_script(e, kb, ctx)
        assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"} and NOT_TEXT_RE.search(text) is None, payload
        assert json.loads(text) == value, payload
        _check_values(value, e, payload)
        tree = printed(text)
        assert [n.tag for n in tree.head.iter()] == ["title", "script", "meta"], payload
        assert json.loads(tree.css_first("script").text()) == value, payload
        assert [n.tag for n in tree.body.iter()] == ["p"], payload


def test_payloads_reach_the_engine_s_metadata_unchanged(own_kb):
    """A sample of each list, in every kind, through the page's front matter as MkDocs reads it
    (YAML: U+2028 there would end a line) and the engine's raw print."""
    kb, ctx = own_kb, SiteContext(SITE)
    entries = {}
    for e in kb.public:
        if expected_type(e) == TYPES.get(e.kind.id, "Article"):
            entries.setdefault(e.kind.id, e)
    for _, payload in [x for x in attack_corpus.payloads(12) if x[1]] + [("edge", "</script>\u2028<!--"), ("edge", "\u2029]]>")]:
        _poison_registries(kb, payload)
        for e in entries.values():
            e, _ = _poisoned(e, payload)
            meta = head(e, kb, ctx)
            node = json.loads(meta["kb_jsonld"])
            assert node == jsonld.entry_data(e, kb, ctx), payload
            _check_values(node, e, payload)
            check_node(node, e, SITE_URL + e.url)
            tree = printed(meta["kb_jsonld"])
            assert [n.tag for n in tree.head.iter()] == ["title", "script", "meta"], payload


# -- the post-build scan ---------------------------------------------------------------------

def _page(tmp_path, name: str, head_html: str):
    (tmp_path / name).write_text(f"<!doctype html><html><head>{head_html}</head><body><p>x</p></body></html>",
                                 encoding="utf-8")


def test_the_scan_accepts_a_data_script_only_when_it_is_json(tmp_path):
    good = script_json({"@type": "Article", "name": "</script><script>alert(1)</script>"})
    _page(tmp_path, "good.html", f'<script type="application/ld+json">{good}</script>')
    _page(tmp_path, "spaced.html", f'<script type=" Application/LD+JSON ">{good}</script>')
    # What a value printed unescaped does: the element ends early, the rest is script.
    _page(tmp_path, "broken.html", '<script type="application/ld+json">{"name":"</script><script>alert(1)</script>"}'
                                   "</script>")
    _page(tmp_path, "notjson.html", '<script type="application/ld+json">alert(1)</script>')
    _page(tmp_path, "escaped.html", f'<script type="application/ld+json">{engine_meta(str(good))}</script>')
    _page(tmp_path, "src.html", '<script type="application/ld+json" src="https://evil.example/x.js"></script>')
    _page(tmp_path, "config.html", '<script id="__config" type="application/json">{"base": ".."}</script>')
    _page(tmp_path, "badconfig.html", '<script type="application/json">{"base": </script>')
    _page(tmp_path, "typed.html", f'<script type="application/ld+json;x=1">{good}</script>')
    found = {}
    for p in scan_site(tmp_path, reference="none.html"):
        found.setdefault(p.path.removeprefix("site/"), []).append(p.code)
    assert "good.html" not in found and "spaced.html" not in found and "config.html" not in found
    assert found["broken.html"] == ["site-script", "site-script"]  # the data that is not JSON, the script
    for page in ("notjson.html", "escaped.html", "src.html", "badconfig.html", "typed.html"):
        assert found[page] == ["site-script"], page


def test_a_picture_is_named_by_its_absolute_address_only(kb):
    e = next(e for e in kb.public if e.kind.id == "outreach")
    pictured = dataclasses.replace(e, attachments=[{"file": "poster.png", "title": "海報", "type": "photo", "size": 1}])
    assert jsonld.entry_data(pictured, kb, SiteContext(SITE))["image"] == f"{SITE_URL}{e.url}poster.png"
    assert "image" not in jsonld.entry_data(pictured, kb, SiteContext(SiteInfo(site_name="x")))


def test_only_web_addresses_name_an_organization(own_kb):
    kb, ctx = own_kb, SiteContext(SITE)
    e = next(e for e in kb.public if e.kind.id == "partnership")
    item = kb.registries["institutions"].items[e.data["institution"]]
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/"):
        item["website"] = bad
        assert "sameAs" not in jsonld.entry_data(e, kb, ctx)
    item["website"] = "https://library.example.org/?q=</script>"
    assert json.loads(jsonld.entry_script(e, kb, ctx))["sameAs"] == "https://library.example.org/?q=</script>"
