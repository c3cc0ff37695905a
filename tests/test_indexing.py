"""Listings, facets and related entries."""

import datetime as dt
import random

from generator.kinds import facet_by_id
from generator.kinds import KINDS
from generator.knowledge.indexing import load_knowledge_base
from generator.validation.crosschecks import fields_read
from helpers import entry_text, new_content, write

TAGS = ["resource-sharing", "e-books", "sdgs", "outreach", "diversity", "used-books", "conference", "community"]


def test_related_matches_the_brute_force_definition(tmp_path):
    r = random.Random(7)
    content = new_content(tmp_path)
    for i in range(150):
        write(content, f"tools/t{i}.md", entry_text(
            "tools", title=f"工具 {i:03d}", url=f"https://example.org/{i}", tags=r.sample(TAGS, r.randint(1, 4)),
            date=dt.date(2020, 1, 1) + dt.timedelta(days=r.randint(0, 900))))
    kb = load_knowledge_base(content, "content")
    assert kb.problems == []

    def brute(e, n=5):
        tags = set(e.data["tags"])
        scored = [(len(tags & set(o.data["tags"])), o.date, o.title, o) for o in kb.public if o is not e]
        scored = [s for s in scored if s[0]]
        scored.sort(key=lambda s: s[:3], reverse=True)
        return [s[3].title for s in scored[:n]]

    for e in kb.public:
        assert [o.title for o in kb.related(e)] == brute(e), e.title


def test_facets_and_listing_order(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/old.md", entry_text("tools", title="舊", date=dt.date(2020, 1, 1)))
    write(content, "tools/new.md", entry_text("tools", title="新", url="https://example.org/n", date=dt.date(2024, 1, 1)))
    write(content, "conference-reports/c.md", entry_text("conference-reports", title="會"))
    kb = load_knowledge_base(content, "content")
    assert [e.title for e in kb.by_kind(next(e.kind for e in kb.entries if e.kind.id == "tool"))] == ["新", "舊"]
    years = kb.facet_index(facet_by_id("years"))
    assert {y: [e.title for e in es] for y, es in years.items()} == {2022: ["會"], 2024: ["新"], 2020: ["舊"]}
    orgs = kb.facet_index(facet_by_id("organizations"))
    assert list(orgs) == ["ALA"]
    assert kb.counts() == {k: {"conference-report": 1, "tool": 2}.get(k, 0) for k in KINDS}


def test_parallel_validation_gives_the_serial_result(tmp_path, monkeypatch):
    import generator.knowledge.indexing as indexing

    content = new_content(tmp_path)
    for i in range(40):
        write(content, f"tools/t{i}.md", entry_text("tools", url=f"https://example.org/{i}", title=f"工具 {i}",
                                                    cost="gratis" if i % 7 == 0 else "free"))
    serial = load_knowledge_base(content, "content")
    monkeypatch.setattr(indexing, "PARALLEL_FROM", 10)
    parallel = load_knowledge_base(content, "content")
    assert [p.sort_key() for p in parallel.problems] == [p.sort_key() for p in serial.problems]
    assert [(e.rel, e.data, e.kind.id, e.body) for e in parallel.entries] == [
        (e.rel, e.data, e.kind.id, e.body) for e in serial.entries]


def test_check_only_loading_finds_every_problem_of_a_full_load(tmp_path, monkeypatch):
    """kb validate loads entries reduced to what the checks across entries read; it must
    still find those (duplicate address, link to an internal entry), serially and in parallel."""
    import generator.knowledge.indexing as indexing

    content = new_content(tmp_path)
    for i in range(30):
        write(content, f"tools/t{i}.md", entry_text("tools", url=f"https://example.org/{i % 25}", title=f"工具 {i}",
                                                    cost="gratis" if i % 7 == 0 else "free"))
    write(content, "tools/secret.md", entry_text("tools", url="https://example.org/secret", visibility="internal"))
    write(content, "tools/linker.md", entry_text("tools", url="https://example.org/linker",
                                                 body="## 介紹\n\n見[內部](secret.md)。\n"))
    write(content, "tools/twice.md", entry_text("tools", url="https://example.org/twice", title="工具：1"))
    full = [p.sort_key() for p in load_knowledge_base(content, "content").problems]
    assert {"duplicate-url", "link-internal", "duplicate-title"} <= {k[3] for k in full}
    for parallel_from in (10**9, 10):
        monkeypatch.setattr(indexing, "PARALLEL_FROM", parallel_from)
        checked = load_knowledge_base(content, "content", check_only=True)
        assert [p.sort_key() for p in checked.problems] == full
        assert all(e.body == "" and set(e.data) <= set(fields_read(e.kind)) for e in checked.entries)
        assert {"url", "title"} <= set(fields_read(checked.entries[0].kind)) < {f.name for f in checked.entries[0].kind.schema.fields}


def test_validated_sources_are_let_go_and_read_again_when_asked_for(tmp_path, monkeypatch):
    # Loading forgets each file's text and YAML nodes once validated (memory reused, not grown);
    # the same problems and entries either way, and a forgotten source is read again on demand.
    from generator.knowledge import indexing
    from generator.validation.loading import scan

    content = new_content(tmp_path)
    write(content, "tools/a.md", entry_text("tools", title="甲", url="https://example.org/a"))
    write(content, "tools/b.md", entry_text("tools", title="乙", url="https://example.org/a"))
    kept = []
    monkeypatch.setattr(indexing, "scan", lambda *a, **k: kept.append(scan(*a, **k)) or kept[-1])
    kb = load_knowledge_base(content, "content", check_only=True)
    assert [p.code for p in kb.problems] == ["duplicate-url"]
    assert [e.rel for e in kb.entries] == ["tools/a.md", "tools/b.md"]
    raw = kept[0].entries[0]
    assert raw._source is None  # forgotten once validated
    assert raw.source.front_matter is not None and "甲" in raw.source.text  # and read again when asked for


def test_entries_kept_between_runs_are_never_reduced_for_a_check(tmp_path):
    # kb validate keeps of each entry only what the checks across entries read, reducing in place
    # the entries it has just validated; an entry a long-lived cache holds is copied instead.
    from generator.knowledge.indexing import ValidationCache

    content = new_content(tmp_path)
    write(content, "tools/a.md", entry_text("tools", title="甲", url="https://example.org/a"))
    cache = ValidationCache()
    checked = load_knowledge_base(content, "content", cache=cache, check_only=True)
    assert [e.body for e in checked.entries] == [""]
    again = load_knowledge_base(content, "content", cache=cache)
    assert cache.hits == 1 and again.entries[0].body.strip() and again.entries[0].data["url"] == "https://example.org/a"
    assert load_knowledge_base(content, "content", check_only=True).entries[0].body == ""
