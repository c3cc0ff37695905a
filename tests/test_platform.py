"""The rest of the platform: new kinds' validation, expiry with fixed dates, featured entries,
the organizations directory, statistics against known counts, citations and exports."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import re

import pytest

from generator.outputs.citations import Citation, parse_name
from generator.outputs.export import iter_export
from generator.knowledge.indexing import load_knowledge_base
from generator.kinds import facet_by_id
from generator.kinds import KINDS
from generator.site.context import SiteContext
from generator.site.views import iter_pages
from generator.site.views.export import export_page
from generator.site.views.stats import stats_pages
from generator.outputs.statistics import sections
from generator.validation.reporting import message_of
from generator.model.siteinfo import SiteInfo
from helpers import codes, entry_text, new_content, write
from sitebuild import SITE_NAME

SITE = SiteInfo(site_url="https://kb.example.org/", site_name=SITE_NAME, today=dt.date(2024, 3, 1))


def load(content):
    return load_knowledge_base(content, "content")


def problems_of(content, rel):
    kb = load(content)
    return [(p.line, p.code) for p in kb.problems if p.path == f"content/{rel}"], kb


# -- validation of the new kinds ------------------------------------------------------

@pytest.mark.parametrize("folder", ["ideas", "answers", "guides", "jobs", "exchange", "sister-libraries"])
def test_each_new_kind_accepts_a_valid_entry(tmp_path, folder):
    content = new_content(tmp_path)
    write(content, f"{folder}/ok.md", entry_text(folder))
    kb = load(content)
    assert kb.errors == [] and [e.kind.folder for e in kb.entries] == [folder]


def test_job_without_closing_date_is_an_error_naming_the_field(tmp_path):
    content = new_content(tmp_path)
    write(content, "jobs/no-date.md", entry_text("jobs", closing_date=None))
    found, kb = problems_of(content, "jobs/no-date.md")
    assert found == [(1, "key-missing")]
    p = kb.errors[0]
    assert all("closing_date" in " ".join(message_of(p, lang)) for lang in ("zh-TW", "en"))


def test_job_checks(tmp_path):
    content = new_content(tmp_path)
    write(content, "jobs/early.md", entry_text("jobs", closing_date=dt.date(2023, 12, 31)))
    write(content, "jobs/no-employer.md", entry_text("jobs", employer=None))
    write(content, "jobs/sought.md", entry_text("jobs", employer=None, direction="sought"))
    write(content, "jobs/private.md", entry_text("jobs", contact={"email": "wang.xiaoming@gmail.com"}))
    write(content, "jobs/consented.md", entry_text("jobs", contact={"email": "wang.xiaoming@gmail.com", "consent": True}))
    kb = load(content)
    got = {(p.path.split("/")[-1], p.code) for p in kb.errors}
    assert got == {("early.md", "date-order"), ("no-employer.md", "job-employer"), ("private.md", "personal-contact")}
    line = next(p.line for p in kb.errors if p.code == "job-employer")
    text = (content / "jobs/no-employer.md").read_text(encoding="utf-8").splitlines()
    assert text[line - 1].startswith("direction:")


def test_exchange_checks(tmp_path):
    content = new_content(tmp_path)
    write(content, "exchange/sell.md", entry_text("exchange", offer_type="sell"))
    write(content, "exchange/priced.md", entry_text("exchange", offer_type="sell", price=300))
    write(content, "exchange/give.md", entry_text("exchange", condition=None))
    write(content, "exchange/wanted.md", entry_text("exchange", offer_type="wanted", condition=None))
    write(content, "exchange/bad-status.md", entry_text("exchange", status="gone"))
    write(content, "exchange/label.md", entry_text("exchange", offer_type="贈送", category="期刊"))
    kb = load(content)
    got = {(p.path.split("/")[-1], p.code) for p in kb.errors}
    assert got == {("sell.md", "exchange-price"), ("give.md", "exchange-condition"), ("bad-status.md", "value-choice")}
    label = next(e for e in kb.entries if e.slug == "label")
    assert (label.data["offer_type"], label.data["category"]) == ("give", "periodicals")


def test_partnership_checks(tmp_path):
    content = new_content(tmp_path)
    write(content, "sister-libraries/ended.md", entry_text("sister-libraries", status="ended"))
    write(content, "sister-libraries/early.md", entry_text(
        "sister-libraries", activities=[{"year": 2010, "activity": "互訪"}]))
    write(content, "sister-libraries/no-partner.md", entry_text("sister-libraries", partners=[]))
    write(content, "sister-libraries/no-country.md", entry_text("sister-libraries", partners=[{"name": "X Library"}]))
    kb = load(content)
    got = {(p.path.split("/")[-1], p.code) for p in kb.errors}
    assert got == {("ended.md", "partnership-ended"), ("early.md", "partnership-activity-year"),
                   ("no-partner.md", "list-too-short"), ("no-country.md", "key-missing")}


def test_related_entries_must_exist_and_be_public(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/koha.md", entry_text("tools"))
    write(content, "tools/draft.md", entry_text("tools", url="https://example.org/d", visibility="internal"))
    write(content, "answers/a.md", entry_text("answers", related=["tools/koha", "tools/kohaa"]))
    write(content, "answers/d.md", entry_text("answers", related=["tools/koha", "tools/draft"]))
    write(content, "answers/c.md", entry_text("answers", related=["not a path"]))
    write(content, "answers/b.md", entry_text("answers", related=["content/tools/koha.md"]))
    kb = load(content)
    found = [(p.code, p.args.get("target") or p.args.get("value"), p.suggestions) for p in kb.errors]
    assert ("related-missing", "tools/kohaa", ("tools/koha",)) in found
    assert ("link-internal", "tools/draft.md", ()) in found
    assert ("entry-ref-form", "not a path", ()) in found
    assert len(found) == 3
    b = next(e for e in kb.entries if e.slug == "b")  # a path written another way is the same entry
    assert b.data["related"] == ["tools/koha"]
    lines = (content / "answers/a.md").read_text(encoding="utf-8").splitlines()
    for p in kb.errors:
        assert lines[p.line - 1].lstrip().startswith("- ")


# -- expiry, with fixed dates -----------------------------------------------------------

@pytest.fixture
def board(tmp_path):
    content = new_content(tmp_path)
    write(content, "jobs/open.md", entry_text("jobs", title="開放職缺", closing_date=dt.date(2024, 2, 29)))
    write(content, "jobs/later.md", entry_text("jobs", title="晚截止職缺", closing_date=dt.date(2024, 6, 30)))
    write(content, "exchange/taken.md", entry_text("exchange", title="已媒合刊登", status="taken",
                                                   expires=dt.date(2024, 12, 31)))
    write(content, "exchange/open.md", entry_text("exchange", title="開放刊登", category="books",
                                                  expires=dt.date(2024, 12, 31)))
    return load(content)


def pages_on(kb, day):
    kb.today = day  # the build's date: what is current and what is archived
    return {p.src: p.markdown for p in iter_pages(kb, SiteContext(SiteInfo(today=day)))}


def test_posting_is_current_through_its_closing_day_and_archived_after(board):
    on_day = pages_on(board, dt.date(2024, 2, 29))
    assert "開放職缺" in on_day["jobs/index.md"] and "開放職缺" not in on_day["jobs/archive/index.md"]
    assert "kb-closed" not in on_day["jobs/open.md"]
    after = pages_on(board, dt.date(2024, 3, 1))
    assert "開放職缺" not in after["jobs/index.md"] and "晚截止職缺" in after["jobs/index.md"]
    assert "開放職缺" in after["jobs/archive/index.md"] and "kb-closed-tag" in after["jobs/archive/index.md"]
    assert '<p class="kb-closed" role="note">' in after["jobs/open.md"] and "2024-02-29 截止" in after["jobs/open.md"]
    assert "開放職缺" not in after["index.md"] and "晚截止職缺" in after["index.md"]  # home shows current only
    assert "開放職缺" in after["tags/resource-sharing/index.md"]  # still reachable, marked closed
    assert "已截止" in after["tags/resource-sharing/index.md"]


def test_taken_offer_is_archived_and_board_counts_only_open_offers(board):
    pages = pages_on(board, dt.date(2024, 3, 1))
    assert "已媒合刊登" in pages["exchange/archive/index.md"] and "已媒合刊登" not in pages["exchange/index.md"]
    assert "媒合完成" in pages["exchange/taken.md"]
    cats = board.facet_index(facet_by_id("item-categories"))
    assert {c: [e.title for e in es] for c, es in cats.items()} == {"books": ["開放刊登"]}
    assert "item-categories/books/index.md" in pages and "item-categories/periodicals/index.md" not in pages
    assert re.search(r"圖書</a>（1）", pages["exchange/index.md"])
    everything = pages_on(board, dt.date(2025, 1, 1))  # all expired
    assert "已媒合刊登" in everything["exchange/archive/index.md"] and "開放刊登" in everything["exchange/archive/index.md"]
    assert "目前還沒有條目" in everything["exchange/index.md"]


# -- featured ---------------------------------------------------------------------------

def test_featured_entries_head_home_and_their_listing(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/star.md", entry_text("tools", title="精選工具", featured=True, date=dt.date(2020, 1, 1)))
    for i in range(3):
        write(content, f"tools/t{i}.md", entry_text("tools", title=f"工具{i}", url=f"https://example.org/{i}"))
    write(content, "jobs/closed-star.md", entry_text("jobs", title="過期精選", featured=True))
    kb = load(content)
    kb.settings = dataclasses.replace(kb.settings, page_size=2)
    pages = pages_on(kb, dt.date(2024, 3, 1))
    home = pages["index.md"]
    assert home.index("精選條目") < home.index("精選工具") < home.index("最新研討會報告")
    assert "過期精選" not in home.split("最新")[0]  # a closed posting is not featured
    listing = pages["tools/index.md"]
    assert 'class="kb-featured"' in listing and listing.index("精選工具") < listing.index("共 4 筆")
    assert 'class="kb-featured"' not in pages["tools/page/2.md"]


# -- directories ------------------------------------------------------------------------

def test_organization_directory_lists_every_registry_entry_with_reports_by_year(tmp_path):
    content = new_content(tmp_path)
    for year in (2019, 2022, 2022):
        write(content, f"conference-reports/ala-{year}-{len(list(content.rglob('*.md')))}.md", entry_text(
            "conference-reports", title=f"ALA {year}", year=year, start_date=dt.date(year, 6, 1),
            end_date=dt.date(year, 6, 5)))
    kb = load(content)
    pages = pages_on(kb, dt.date(2024, 3, 1))
    index = pages["organizations/index.md"]
    for org_id in kb.registries["organizations"].items:
        assert f"organizations/{org_id}/index.md" in pages
        assert f">{org_id}</a>" in index
    ala = pages["organizations/ALA/index.md"]
    assert "American Library Association" in ala and "https://www.ala.org/" in ala
    assert ala.index("<h2>2022 年</h2>") < ala.index("<h2>2019 年</h2>")
    assert ala.count("ALA 2022") == 2
    assert "目前還沒有條目" in pages["organizations/IFLA/index.md"]


def test_partnership_listing_points_to_the_guide(tmp_path):
    content = new_content(tmp_path)
    write(content, "guides/how.md", entry_text("guides", title="姐妹館指南", tags=["sister-library"]))
    write(content, "sister-libraries/p.md", entry_text("sister-libraries"))
    pages = pages_on(load(content), dt.date(2024, 3, 1))
    assert '入門指南：<a href="../guides/how/">姐妹館指南</a>' in pages["sister-libraries/index.md"]


# -- statistics against known counts ----------------------------------------------------

@pytest.fixture
def counted(tmp_path):
    content = new_content(tmp_path)
    cr = "conference-reports"
    write(content, f"{cr}/a.md", entry_text(cr, conference="ALA", year=2022, region="north-america",
                                            institutions=["nlpi"], date=dt.date(2022, 7, 1)))
    write(content, f"{cr}/b.md", entry_text(cr, conference="IFLA", year=2022, region="europe", city="鹿特丹",
                                            start_date=dt.date(2022, 8, 1), end_date=dt.date(2022, 8, 5),
                                            institutions=["nlpi", "ntu-lib"], date=dt.date(2022, 9, 1)))
    write(content, f"{cr}/c.md", entry_text(cr, conference="IFLA", year=2023, region="europe",
                                            start_date=dt.date(2023, 8, 1), end_date=dt.date(2023, 8, 5),
                                            institutions=["ntu-lib"], date=dt.date(2023, 9, 1)))
    write(content, f"{cr}/hidden.md", entry_text(cr, visibility="internal", year=2023, region="asia",
                                                 start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 1, 2)))
    write(content, "outreach/o1.md", entry_text("outreach", audience=["children", "families"],
                                                program_type="storytelling", attendance=100))
    write(content, "outreach/o2.md", entry_text("outreach", audience=["children"], program_type="storytelling",
                                                attendance=50, date=dt.date(2023, 5, 1)))
    write(content, "outreach/o3.md", entry_text("outreach", audience=["seniors"], program_type="workshop"))
    write(content, "exchange/x1.md", entry_text("exchange", category="books", status="taken"))
    write(content, "exchange/x2.md", entry_text("exchange", category="books", expires=dt.date(2024, 12, 31)))
    write(content, "exchange/x3.md", entry_text("exchange", category="books", expires=dt.date(2024, 2, 1)))
    write(content, "exchange/x4.md", entry_text("exchange", category="periodicals", offer_type="wanted",
                                                condition=None, expires=dt.date(2024, 12, 31)))
    kb = load(content)
    kb.today = dt.date(2024, 3, 1)
    return kb, SiteContext(SiteInfo(today=kb.today))


def test_statistics_tables_match_known_counts(counted):
    t = {sid: {x.id: x for x in tables} for sid, _, _, tables in sections(counted[0], counted[1].published)}
    yr = t["conference-reports"]["by-year-region"]
    assert yr.headers == ["年度", "北美洲", "歐洲", "合計"]  # regions with reports only; internal not counted
    assert yr.rows == [[2023, 0, 1, 1], [2022, 1, 1, 2], ["合計", 1, 2, 3]]
    assert t["conference-reports"]["by-region"].rows == [["北美洲", 1], ["歐洲", 2], ["合計", 3]]
    inst = t["conference-reports"]["by-institution"]
    assert inst.cell("國立公共資訊圖書館", "報告數") == 2 and inst.cell("國立臺灣大學圖書館", "報告數") == 2
    assert t["conference-reports"]["by-organization"].rows == [
        ["IFLA 國際圖書館協會聯盟", 2], ["ALA 美國圖書館協會", 1], ["合計", 3]]
    aud = t["outreach"]["by-audience"]
    assert aud.rows == [["兒童", 2, 150], ["樂齡長者", 1, 0], ["親子家庭", 1, 100]]
    assert t["outreach"]["by-program-type"].rows == [["說故事", 2, 150], ["工作坊", 1, 0]]
    assert t["outreach"]["totals"].rows == [["活動數", 3], ["有填參與人次的活動", 2], ["參與人次合計", 150]]
    by_kind = t["entries"]["by-year-kind"]
    assert by_kind.cell(2022, "研討會報告") == 2 and by_kind.cell(2023, "研討會報告") == 1
    assert by_kind.cell(2023, "推廣活動") == 1 and by_kind.cell(2024, "推廣活動") == 2
    assert by_kind.cell(2024, "資源交換") == 4 and by_kind.cell("合計", "合計") == 10
    cat = t["exchange"]["by-category"]
    assert cat.headers == ["類別", "刊登數", "已媒合", "開放中", "已過期"]
    assert cat.rows == [["圖書", 3, 1, 1, 1], ["期刊", 1, 0, 1, 0], ["合計", 4, 1, 2, 1]]
    assert t["exchange"]["by-offer-type"].rows == [["贈送", 3, 1, 1, 1], ["徵求", 1, 0, 1, 0], ["合計", 4, 1, 2, 1]]


def test_statistics_pages_carry_a_table_and_an_accessible_svg_per_table(counted):
    pages = {p.src: p.markdown for p in stats_pages(*counted)}
    assert set(pages) == {"stats/index.md", "stats/conference-reports.md", "stats/outreach.md",
                          "stats/entries.md", "stats/exchange.md"}
    page = pages["stats/conference-reports.md"]
    assert page.count("<table>") == 4 and page.count('role="img"') == 4
    assert "<script" not in page
    svg = re.search(r'<svg[^>]*id="?[^>]*>.*?</svg>', page, re.S) or re.search(r"<svg.*?</svg>", page, re.S)
    chart = svg.group(0)
    assert re.search(r'aria-labelledby="(kb-chart-[\w-]+)-title \1-desc"', chart)
    assert "合計 3" in chart  # the description names the total
    assert '<th scope="row">歐洲</th><td>2</td>' in page


# -- citations --------------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("王小明", ("王", "小明", "")), ("歐陽修", ("歐陽", "修", "")), ("張簡美玲", ("張簡", "美玲", "")),
    ("洪敦明（國立公共資訊圖書館）", ("洪", "敦明", "")), ("知識庫編輯小組", ("", "", "知識庫編輯小組")),
    ("Sarah Ann Long", ("Long", "Sarah Ann", "")), ("Doe, Jane", ("Doe", "Jane", "")), ("UNESCO", ("", "", "UNESCO")),
])
def test_names_are_split_the_way_citation_styles_need(raw, expected):
    n = parse_name(raw)
    assert (n.family, n.given, n.literal) == expected


def test_citation_forms(tmp_path):
    content = new_content(tmp_path)
    write(content, "conference-reports/r.md", entry_text(
        "conference-reports", title="IFLA 2023 報告", authors=["王小明", "李大華"], date=dt.date(2023, 9, 1),
        original_report={"reference": "C11200001"}))
    write(content, "lesson-plans/en.md", entry_text(
        "lesson-plans", title="Search strategies", authors=["Jane Q. Doe", "John Roe", "Amy Poe"], language="en"))
    kb = load(content)
    assert kb.errors == [], kb.errors
    r = Citation(next(e for e in kb.entries if e.slug == "r"), SITE, kb.registries)
    assert r.apa() == (f"王小明、李大華（2023）。IFLA 2023 報告［研討會報告］。{SITE_NAME}。"
                       "https://kb.example.org/conference-reports/r/")
    bib = r.bibtex()
    assert bib.startswith("@techreport{r-2023,") and "author = {{王小明} and {李大華}}" in bib
    assert "number = {C11200001}" in bib and "institution = {國立公共資訊圖書館}" in bib
    csl = json.loads(r.csl_json())[0]
    assert csl["type"] == "report" and csl["author"][0] == {"family": "王", "given": "小明"}
    assert csl["issued"] == {"date-parts": [[2023, 9, 1]]} and csl["number"] == "C11200001"
    assert csl["event-title"] == "美國圖書館協會"
    meta = dict(r.meta_tags())
    assert meta["citation_technical_report_institution"] == "國立公共資訊圖書館"
    assert [v for k, v in r.meta_tags() if k == "citation_author"] == ["王小明", "李大華"]
    en = Citation(next(e for e in kb.entries if e.slug == "en"), SITE, kb.registries)
    assert en.apa() == (f"Doe, J. Q., Roe, J., & Poe, A. (2024). Search strategies [Lesson plan]. {SITE_NAME}. "
                        "https://kb.example.org/lesson-plans/en/")
    assert en.bibtex().startswith("@misc{en-2024,") and "author = {Doe, Jane Q. and Roe, John and Poe, Amy}" in en.bibtex()


def test_bibtex_escapes_special_characters(tmp_path):
    content = new_content(tmp_path)
    write(content, "lesson-plans/x.md", entry_text("lesson-plans", title="R&D 100% {plan} #1"))
    kb = load(content)
    bib = Citation(kb.entries[0], SITE, kb.registries).bibtex()
    assert r"title = {R\&D 100\% \{plan\} \#1}" in bib


# -- exports ----------------------------------------------------------------------------

def test_exports_hold_every_public_entry_and_nothing_internal(counted):
    kb = counted[0]
    files = dict(iter_export(kb, SITE, "2024-03-01T00:00:00+08:00"))
    assert set(files) == {f"export/{k.folder}.{ext}" for k in KINDS.values() for ext in ("json", "csv")}
    reports = json.loads(files["export/conference-reports.json"])
    assert reports["count"] == 3 and len(reports["entries"]) == 3
    assert {e["id"] for e in reports["entries"]} == {"conference-reports/a", "conference-reports/b",
                                                     "conference-reports/c"}
    first = next(e for e in reports["entries"] if e["id"] == "conference-reports/b")
    assert first["start_date"] == "2022-08-01" and first["institutions"] == ["nlpi", "ntu-lib"]
    assert first["page_url"] == "https://kb.example.org/conference-reports/b/" and first["body"].startswith("## 目的")
    assert {f["name"] for f in reports["fields"]} >= {"id", "page_url", "title", "conference", "body"}
    text = files["export/outreach.csv"]
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3 and rows[0]["id"].startswith("outreach/")
    o1 = next(r for r in rows if r["id"] == "outreach/o1")
    assert o1["audience"] == "children; families" and o1["attendance"] == "100"
    contact = json.loads(o1["contact"])
    assert contact == {"email": "service [at] library [dot] example [dot] org"}
    exchange = json.loads(files["export/exchange.json"])["entries"]
    assert {e["id"]: e["closed"] for e in exchange} == {"exchange/x1": True, "exchange/x2": False,
                                                        "exchange/x3": True, "exchange/x4": False}
    assert "hidden" not in "".join(files.values())


def test_every_export_has_unique_columns_and_the_page_column_holds_the_page(tmp_path):
    """A kind's own ``url`` (a tool's address) and the entry's page are two columns, in every kind."""
    PAGE_COLUMN = "page_url"  # noqa: N806 - the documented name, which readers' scripts rely on
    content = new_content(tmp_path)
    for kind in KINDS.values():
        write(content, f"{kind.folder}/e.md", entry_text(kind.folder))
    write(content, "tools/t.md", entry_text("tools", title="工具甲", url="https://tool.example.org/app"))
    write(content, "outreach/ev/index.md", entry_text(
        "outreach", title="活動乙", attachments=[{"file": "poster.pdf", "title": "海報", "type": "flyer"}]))
    write(content, "outreach/ev/poster.pdf", b"%PDF-1.4\n")
    kb = load(content)
    assert [p for p in kb.problems if p.level.value == "error"] == []
    files = dict(iter_export(kb, SITE, "2024-03-01T00:00:00+08:00"))
    duplicated = {}
    for kind in KINDS.values():
        names = [f["name"] for f in json.loads(files[f"export/{kind.folder}.json"])["fields"]]
        header = next(csv.reader(io.StringIO(files[f"export/{kind.folder}.csv"].lstrip("\ufeff"))))
        assert header == names, kind.id
        if len(set(names)) < len(names):
            duplicated[kind.id] = sorted({n for n in names if names.count(n) > 1})
    assert duplicated == {}
    for kind in KINDS.values():
        doc = json.loads(files[f"export/{kind.folder}.json"])
        names = [f["name"] for f in doc["fields"]]
        assert doc["entries"], kind.id
        for rec in doc["entries"]:
            assert set(rec) <= set(names), (kind.id, set(rec) - set(names))
            assert rec[PAGE_COLUMN] == f"https://kb.example.org/{rec['id']}/", kind.id
        rows = list(csv.DictReader(io.StringIO(files[f"export/{kind.folder}.csv"].lstrip("\ufeff"))))
        assert [r[PAGE_COLUMN] for r in rows] == [r[PAGE_COLUMN] for r in doc["entries"]], kind.id
    tools = json.loads(files["export/tools.json"])["entries"]
    tool = next(r for r in tools if r["id"] == "tools/t")
    assert (tool["page_url"], tool["url"]) == ("https://kb.example.org/tools/t/", "https://tool.example.org/app")
    row = next(r for r in csv.DictReader(io.StringIO(files["export/tools.csv"].lstrip("\ufeff")))
               if r["id"] == "tools/t")
    assert (row["page_url"], row["url"]) == ("https://kb.example.org/tools/t/", "https://tool.example.org/app")
    ev = next(r for r in json.loads(files["export/outreach.json"])["entries"] if r["id"] == "outreach/ev")
    assert ev["page_url"] == "https://kb.example.org/outreach/ev/"
    assert ev["attachments"][0]["url"] == "https://kb.example.org/outreach/ev/poster.pdf"
    page = html.unescape(next(export_page(kb, SiteContext(SITE))).markdown)
    assert "<code>page_url</code>" in page and "URL of the entry's page on this site" in page


def test_export_page_documents_every_column(counted):
    from generator.outputs.export import NOT_EXPORTED

    page = html.unescape(next(export_page(*counted)).markdown)  # as a reader sees it
    for kind in KINDS.values():
        assert f"{kind.folder}.csv" in page and f"{kind.folder}.json" in page
        for f in kind.schema.fields:
            if f.name in NOT_EXPORTED:  # slug: repeats the id column
                assert f"<code>{f.name}</code>" not in page
                continue
            assert f"<code>{f.name}</code>" in page


# -- a real build -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sitebuild import mkdocs_build

    project = tmp_path_factory.mktemp("platform")
    content = new_content(project)
    write(content, "jobs/open.md", entry_text("jobs", title="開放職缺", closing_date=dt.date(2024, 3, 31)))
    write(content, "jobs/closed.md", entry_text("jobs", title="截止職缺", closing_date=dt.date(2024, 2, 1)))
    write(content, "conference-reports/r.md", entry_text("conference-reports", title="ALA 報告", featured=True))
    write(content, "conference-reports/secret.md", entry_text(
        "conference-reports", title="內部草稿 SECRET-MARKER", visibility="internal"))
    write(content, "answers/q.md", entry_text("answers", title="達人說", related=["conference-reports/r"]))
    write(content, "exchange/x.md", entry_text("exchange", title="贈送期刊", expires=dt.date(2024, 12, 31)))
    result = mkdocs_build(project, env={"KB_TODAY": "2024-03-01"})
    assert result.returncode == 0, result.stderr
    return project / "site"


def html_of(site, rel):
    return (site / rel).read_text(encoding="utf-8")


def test_built_site_archives_closed_postings(site):
    assert "開放職缺" in html_of(site, "jobs/index.html") and "截止職缺" not in html_of(site, "jobs/index.html")
    assert "截止職缺" in html_of(site, "jobs/archive/index.html")
    assert 'class="kb-closed"' in html_of(site, "jobs/closed/index.html")


def test_built_site_has_statistics_export_citations_and_directory(site):
    stats = html_of(site, "stats/conference-reports/index.html")
    assert stats.count('role="img"') == 4 and "<table>" in stats
    data = json.loads(html_of(site, "export/conference-reports.json"))
    assert [e["title"] for e in data["entries"]] == ["ALA 報告"]
    assert (site / "export/jobs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    page = html_of(site, "conference-reports/r/index.html")
    assert '<meta name="citation_title" content="ALA 報告">' in html.unescape(page)  # as a reader's tools see it
    assert '<a href="citation.bib">BibTeX</a>' in page
    assert html_of(site, "conference-reports/r/citation.bib").startswith("@techreport{r-2024,")
    assert json.loads(html_of(site, "conference-reports/r/citation.json"))[0]["title"] == "ALA 報告"
    assert "達人說" in page  # an expert answer naming the report is linked back from it
    assert 'class="kb-featured"' in html_of(site, "index.html")
    directory = html_of(site, "organizations/index.html")
    assert "CDNLAO" in directory and "IFLA" in directory


def test_internal_entry_leaves_no_trace_in_exports_or_citations(site):
    for f in site.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".json", ".csv", ".bib", ".xml", ".txt"):
            assert "SECRET-MARKER" not in f.read_text(encoding="utf-8", errors="replace"), f
    assert not (site / "conference-reports/secret").exists()


def test_readme_and_contributor_guide_cover_every_kind():
    from helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"`{kind.id}`" in readme and f"`{kind.folder}/`" in readme, kind.id
        if kind.id != "guide":  # guides are written by the editors
            assert guide.count(f"kb new {kind.id} ") == 2, kind.id  # zh-TW and English sections
