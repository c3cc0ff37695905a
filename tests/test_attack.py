"""Attacked as an outsider would: the public payload lists of ../shared/attack/ (see its
SOURCES.md; read there, never copied into the project) planted in every free-text front-matter
field of every kind, in bodies (inside a paragraph and on a line of their own), and in link and
image targets; validated, built for real, every output file parsed, and every page that
shows a planted string opened in Chromium with a sentinel on every way to announce script.

What must hold: no traceback, every rejection with the file and the line of the payload,
the build passes its own scan, every XML/JSON/CSV output reads, and nothing executes.
The suite runs a deterministic sample of each list; `benchmarks/attack_bench.py` runs every
list whole.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import markdown
import pytest

import attack_corpus
from attack_site import EXECUTED, SENTINEL, Corpus, Placement, page_refused, plant
from browser import CHROMIUM_ARGS, require_chromium, serve
from generator.knowledge.indexing import load_knowledge_base
from generator.site.sanitize import clean_body
from helpers import new_content
from sitebuild import mkdocs_build

SAMPLE = int(os.environ.get("KB_ATTACK_SAMPLE", "60"))  # payloads of each list
# Payloads point images and frames at outside hosts: every name but localhost fails at once
# (offline, each would otherwise wait for a time-out).
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


# Bodies that once passed validation and then stopped the whole build (site-unclean): an
# unclosed tag on a line of its own, whose raw block swallowed the rest of the page.
STOPPED_THE_BUILD = ["<iframe src=http://ha.ckers.org/scriptlet.html <", "<iframe/onreadystatechange=alert(1)",
                     "<sCriPt/src=//14.rs?"]


def corpus_payloads(n: int | None = SAMPLE) -> list[tuple[str, str]]:
    """(list, payload) for every list of ../shared/attack/, each sampled to ``n`` (None: whole)."""
    return attack_corpus.payloads(n)


def judge(kb, placements: list[Placement]) -> dict[str, list[Placement]]:
    """Sort placements: rejected at the payload's line, rejected elsewhere only, accepted."""
    errors: dict[str, list] = {}
    for p in kb.problems:
        if p.level.value == "error":
            errors.setdefault(p.path.removeprefix("content/"), []).append(p)
    out: dict[str, list[Placement]] = {"at line": [], "elsewhere": [], "accepted": []}
    for pl in placements:
        found = errors.get(pl.rel, [])
        if any(pl.line <= p.line <= max(pl.line, pl.end_line) and p.column >= 1 for p in found):
            out["at line"].append(pl)
        elif found:
            out["elsewhere"].append(pl)
        else:
            out["accepted"].append(pl)
    return out


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    project = tmp_path_factory.mktemp("attack")
    content = new_content(project)
    corpus, verdict, kb = attack(content, corpus_payloads() + [("regression", p) for p in STOPPED_THE_BUILD])
    result = mkdocs_build(project)
    return project, corpus, kb, verdict, result


def attack(content: Path, payloads: list[tuple[str, str]]):
    """Plant, validate, and keep what validation accepts (what an accepted pull request
    publishes). A payload whose file was refused for another payload is planted again."""
    corpus = plant(content, payloads)
    kb = load_knowledge_base(content, "content")
    verdict = judge(kb, corpus.placements)
    for round_ in range(1, 12):
        for rel in {pl.rel for pl in verdict["at line"] + verdict["elsewhere"]}:
            (content / rel).unlink(missing_ok=True)
        again = [pl for pl in verdict["elsewhere"] if pl.where.startswith("front matter")]
        if not again:
            break
        verdict["elsewhere"] = [pl for pl in verdict["elsewhere"] if pl not in again]
        more = Corpus()
        for folder in sorted({pl.rel.split("/")[0] for pl in again}):  # each payload again in its own kind
            mine = [(pl.corpus, pl.payload) for pl in again if pl.rel.startswith(folder + "/")]
            # Grouped while many are left; at the end one to a file, so that every one is judged alone.
            groups = [mine] if len(again) > 100 else [[x] for x in mine]
            for i, group in enumerate(groups):
                more.placements += plant(content, group, prefix=f"r{round_}-{i}-", bodies=False,
                                         kinds=[folder]).placements
        corpus.placements += more.placements
        found = load_knowledge_base(content, "content")
        kb.problems += found.problems
        new = judge(found, more.placements)
        for k in verdict:
            verdict[k] += new[k]
    for rel in {pl.rel for pl in verdict["at line"] + verdict["elsewhere"]}:
        (content / rel).unlink(missing_ok=True)
    verdict["stops the build"] = aborting(verdict, content)  # judged one file at a time, before merging
    _merge_bodies(content, verdict["accepted"])
    return corpus, verdict, kb


def _merge_bodies(content: Path, accepted: list[Placement], per_file: int = 25) -> None:
    """Accepted bodies and link targets, 25 to an entry: fewer pages for the browser to open."""
    singles = sorted({pl.rel for pl in accepted if not pl.where.startswith("front matter")})
    for i in range(0, len(singles), per_file):
        group = singles[i:i + per_file]
        texts = [(content / rel).read_text(encoding="utf-8") for rel in group]
        head, _, _ = texts[0].partition("\n---\n")
        bodies = [t.split("\n---\n", 1)[1] for t in texts]
        (content / f"answers/merged-{i // per_file:03d}.md").write_text(
            head + "\n---\n" + "\n\n".join(bodies), encoding="utf-8", newline="\n")
        for rel in group:
            (content / rel).unlink()
        for pl in accepted:
            if pl.rel in group:
                pl.rel = f"answers/merged-{i // per_file:03d}.md"


def test_no_traceback_and_every_rejection_at_the_payloads_line(attacked):
    _, corpus, kb, verdict, _ = attacked
    assert not [p for p in kb.problems if p.code in ("file-check-error", "file-crashed")], "a crash"
    # A file holding several payloads may be refused for one of them: a payload counts as
    # rejected elsewhere only when its own line has no error while its file has one.
    alone = [pl for pl in verdict["elsewhere"]
             if all(o.rel != pl.rel or o is pl for o in verdict["at line"])]
    assert alone == [], [(pl.rel, pl.where, pl.line, pl.payload) for pl in alone[:5]]
    assert len(corpus.placements) >= 4 * SAMPLE
    # The corpora really attack: markup in text fields is published (as text), while a body
    # or link with markup or a script URL is refused.
    assert any("<svg" in pl.payload.lower() for pl in verdict["accepted"])


def test_the_attacked_site_builds_and_passes_its_own_scan(attacked):
    project, _, _, verdict, result = attacked
    assert verdict["stops the build"] == []
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert len(verdict["accepted"]) > SAMPLE


def test_every_data_file_of_the_attacked_site_parses(attacked):
    site = attacked[0] / "site"
    xml = list(site.rglob("*.xml"))
    assert len(xml) >= 20  # sitemap, RSS and Atom for the whole base and each kind
    for f in xml:
        ET.parse(f)  # raises on any character or markup XML does not allow
    for f in list(site.rglob("*.json")):
        json.loads(f.read_text(encoding="utf-8"))
    for f in site.glob("export/*.csv"):
        for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8-sig"))):
            assert not [c for c in row if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not re.match(r"^-?\d", c))], f


def test_no_planted_string_executes_in_chromium(attacked):
    pytest.importorskip("playwright.sync_api", reason="installed by make test")
    project, _, _, verdict, _ = attacked
    executed, pages = open_pages(project / "site", verdict["accepted"])
    assert executed == []
    assert pages > 20


def open_pages(site: Path, accepted: list[Placement]) -> tuple[list[str], int]:
    """Open every page showing a planted string (and the listings, search and statistics),
    in both languages (the English pages show planted title_en and summary_en, and the Chinese
    ones where those are absent), in Chromium: what was announced as executed, and how many
    pages were opened."""
    from playwright.sync_api import sync_playwright

    pages = ["", "search/?q=svg", "search/?q=alert", "answers/", "tools/", "conference-reports/",
             "contributors/", "stats/", "stats/conference-reports/", "institutions/", "tags/"]
    pages += [rel.removesuffix("/index.md").removesuffix(".md") + "/" for rel in sorted({pl.rel for pl in accepted})]
    pages += ["en/" + path for path in pages]
    executed: list[str] = []
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS + OFFLINE)
        page = _sentinel_page(browser, executed)
        for path in pages:
            page.goto(url + path, wait_until="load")
            page.wait_for_timeout(20)
        browser.close()
    return executed, len(pages)


def test_the_body_sanitiser_alone_stops_every_payload_in_chromium():
    """By construction: even a body validation let through unchecked is cleaned after rendering."""
    pytest.importorskip("playwright.sync_api", reason="installed by make test")
    payloads = [p for _, p in corpus_payloads(None)]
    assert run_bodies(payloads, clean_body) == []
    raw = [_md(f"段落 {p} 結束") for p in payloads]
    assert sum("onerror" in r or "onload" in r for r in raw) > 10  # unsanitised, these would have run


def run_bodies(payloads: list[str], clean) -> list[str]:
    """Every payload rendered as a body (text, link, image), passed through ``clean``, shown
    in Chromium 100 at a time with focus, hover, click and toggle fired on every element."""
    from playwright.sync_api import sync_playwright

    bodies = [clean(_md(f"段落 {p} 結束\n\n[連結]({p})\n\n![圖]({p})\n")) for p in payloads]
    executed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS + OFFLINE)
        page = _sentinel_page(browser, executed)
        for i in range(0, len(bodies), 100):
            page.set_content("<!doctype html><html><body>" + "\n".join(
                f"<article>{b}</article>" for b in bodies[i:i + 100]) + "</body></html>", wait_until="load")
            page.wait_for_timeout(50)
            page.evaluate("""() => { for (const el of document.querySelectorAll('*')) {
                for (const t of ['focus','mouseover','click','toggle','animationstart'])
                  el.dispatchEvent(new Event(t)); } }""")
        browser.close()
    return executed


def _sentinel_page(browser, executed: list[str]):
    """A page that records every announced execution (the browser is started with
    :data:`OFFLINE`)."""
    context = browser.new_context()
    context.add_init_script(SENTINEL)
    page = context.new_page()
    page.on("console", lambda m: executed.append(m.text) if m.text.startswith(EXECUTED) else None)
    page.on("dialog", lambda d: (executed.append(f"dialog {d.message}"), d.dismiss()))
    return page


def _md(text: str) -> str:
    """The body as the engine renders it: Python-Markdown with mkdocs.yml's extensions."""
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "admonition", "def_list",
                                               "toc"])


PLACEMENTS = ("front matter", "body", "body line", "link target", "image target")


def aborting(verdict: dict[str, list[Placement]], content: Path) -> list[Placement]:
    """Accepted body placements whose page the build would refuse, stopping the whole build."""
    out = []
    for pl in verdict["accepted"]:
        if not pl.where.startswith("front matter"):
            body = (content / pl.rel).read_text(encoding="utf-8").split("\n---\n", 1)[1]
            if page_refused(body):
                out.append(pl)
    return out


def placement_figures(verdict: dict[str, list[Placement]]) -> Counter:
    c = Counter()
    for outcome, items in verdict.items():
        for pl in items:
            c[(pl.where.split(":")[0], outcome)] += 1
    return c
