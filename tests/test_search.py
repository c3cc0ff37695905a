"""Search: the browser and the build fold and cut text the same way; the index answers exactly:
phrases as phrases, the best entries first."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.knowledge.indexing import load_knowledge_base
from generator.search import LocalIndex, build_index, fold, key_shard, shard_of, t2s_table, tokens, units
from generator.search.text import field_counts
from helpers import entry_text, new_content, write

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "overrides/assets/javascripts/kb-search.js"
SAMPLES = ["圖書館的館藏發展", "图书馆", "資訊素養 Information Literacy", "Koha 系統", "ＡＢＣ１２３ 全形",
           "臺灣與台灣", "姐妹館", "館", "電子書、e-book 與 EPUB3", "𠀋𠀌 罕用字", "Ａ", "iPhone15Pro 的使用",
           "  多  空白  ", "髮型與發展", "", "大學校院", "館際合作流程", '"open access" 期刊', "「資源共享」與 koh",
           "“Koha 系統”", '"未關的引號 open', "koha ", "ko", "k", "internationalization", "圖書館員的館員"]


def test_fold_and_tokens():
    assert fold("圖書館 ＡＢＣ") == "图书馆 abc"
    # Han runs of one to four characters are one key; longer ones, quadruples covering them.
    assert tokens("館") == ["馆"] and tokens("館藏") == ["馆藏"] and tokens("圖書館") == ["图书馆"]
    assert tokens("大學校院") == ["大学校院"]
    assert tokens("圖書館的館藏") == ["图书馆的", "馆的馆藏"]
    assert tokens("館際合作流程") == ["馆际合作", "合作流程"]
    assert tokens("國立公共資訊圖書館") == ["国立公共", "资讯图书", "讯图书馆"]
    # A word the query ends in is also a prefix ("koh*"); one followed by more is a word.
    assert tokens("Koha 系統") == ["koha", "系统"]
    assert tokens("Koh") == ["koh*", "koh"]
    assert tokens('"open access"') == ["open", "access"]
    counts, length = field_counts(fold("館藏 Koha"))
    assert set(counts) == {"馆藏", "馆", "藏", "koha", "ko*", "koh*", "koha*"} and length == 3
    assert {t for t in field_counts("图书馆员")[0] if len(t) > 2} == {"图书馆", "书馆员", "图书馆员"}


def test_query_units():
    def show(q):
        return [(list(u.runs), u.quoted, u.prefix, u.checked) for u in units(q)]

    assert show("館際合作流程 推廣") == [(["馆际合作流程"], False, False, True), (["推广"], False, False, False)]
    assert show("館際合作") == [(["馆际合作"], False, False, False)]
    assert show('"open access" koh') == [(["open", "access"], True, False, True), (["koh"], False, True, False)]
    assert show("「資源共享」") == [(["资源共享"], True, False, False)]
    assert show("「資源 共享」") == [(["资源", "共享"], True, False, True)]
    assert show("koha ") == [(["koha"], False, False, False)]  # finished: a word
    assert show("k") == [(["k"], False, False, False)]  # too short for a prefix
    assert show("館藏 館藏") == [(["馆藏"], False, False, False)]


def _node(script: str, *args: str) -> str:
    node = shutil.which("node")
    assert node, "node is installed by make test"
    return subprocess.run([node, "-e", script, str(JS), *args], capture_output=True, text=True, check=True).stdout


def test_python_and_browser_cut_text_the_same_way():
    script = (
        "const k = require(process.argv[1]); const t2s = require(process.argv[2]);"
        "const samples = JSON.parse(process.argv[3]);"
        "console.log(JSON.stringify(samples.map(s => [k.fold(s, t2s), k.tokens(s, t2s),"
        " k.tokens(s, t2s).map(t => k.shardOf(t, 64)),"
        " k.keyShard('=' + (k.units(s, t2s)[0] || {runs: ['x']}).runs.join(' '), 64),"
        " k.units(s, t2s).map(u => [u.runs, u.quoted, u.prefix, u.checked(), u.required(), u.optional()])])));"
    )
    browser = json.loads(_node(script, str(ROOT / "generator/data/t2s.json"), json.dumps(SAMPLES)))
    python = [[fold(s), tokens(s), [shard_of(t, 64) for t in tokens(s)],
               key_shard("=" + " ".join(units(s)[0].runs if units(s) else ["x"]), 64),
               [[list(u.runs), u.quoted, u.prefix, u.checked, u.required, u.optional] for u in units(s)]]
              for s in SAMPLES]
    assert browser == python


def _tool(content, name, title, body, **kw):
    write(content, f"tools/{name}.md", entry_text("tools", title=title, url=f"https://example.org/{name}",
                                                  body=f"## 介紹\n\n{body}\n", **kw))


@pytest.fixture
def index(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/a.md", entry_text("tools", title="館藏管理工具", date=dt.date(2024, 1, 1),
                                            body="## 介紹\n\n協助圖書館整理館藏。\n"))
    write(content, "tools/b.md", entry_text("tools", title="閱讀推廣", url="https://example.org/b",
                                            body="## 介紹\n\n在社區推廣閱讀，也整理了館藏清單。\n"))
    write(content, "tools/c.md", entry_text("tools", title="其他", url="https://example.org/c",
                                            body="## 介紹\n\n館內的藏書很多，但沒有相連。\n"))
    write(content, "tools/d.md", entry_text("tools", title="內部", url="https://example.org/d", visibility="internal",
                                            body="## 介紹\n\n館藏祕密。\n"))
    kb = load_knowledge_base(content, "content")
    return LocalIndex(build_index(kb))


def titles(index, ids):
    return [json.loads(index.files[f"d/{i // 20}.json"])[i % 20][1] for i in ids]


def test_every_unit_must_occur_and_title_matches_come_first(index):
    assert titles(index, index.search("館藏")) == ["館藏管理工具", "閱讀推廣"]  # not 館...藏 apart, not internal
    assert titles(index, index.search("推廣 館藏")) == ["閱讀推廣"]
    assert titles(index, index.search("馆藏")) == ["館藏管理工具", "閱讀推廣"]
    assert index.search("量子") == [] and index.search("") == [] and index.search("、。") == []


@pytest.fixture
def phrases(tmp_path_factory):
    """Entries holding a phrase, and entries holding its pairs (or quadruples) apart."""
    content = new_content(tmp_path_factory.mktemp("phrases"))
    _tool(content, "whole", "全國大專校院聯盟", "本聯盟由大學校院的圖書館組成。")
    _tool(content, "apart", "合作紀要", "這所大學很大。學校很新。校院之間常有交流。")
    _tool(content, "quads", "另一篇紀要", "大學校院長說，學校院長們都來了，大學校院聯盟的事。")
    _tool(content, "quads-apart", "第三篇紀要", "大學校院長說：學校院長們都來了，院聯盟的事。")
    _tool(content, "librarian", "館員手冊", "編目館員的日常。")
    _tool(content, "library", "館舍", "編目的館員與目館外的人員。")
    _tool(content, "english", "English", "We support open access publishing.")
    _tool(content, "english-apart", "English 2", "Open the door; access is free.")
    _tool(content, "koha", "Koha 導入", "導入 Koha 系統的經驗。")
    return LocalIndex(build_index(load_knowledge_base(content, "content")))


def test_a_phrase_split_across_sentences_is_not_returned(phrases):
    # Not 大學、學校、校院 apart: four characters are one key, the postings are exact.
    assert set(titles(phrases, phrases.search("大學校院"))) == {"全國大專校院聯盟", "另一篇紀要", "第三篇紀要"}
    assert titles(phrases, phrases.search("大學校院 組成")) == ["全國大專校院聯盟"]
    assert titles(phrases, phrases.search("目館員")) == ["館員手冊"]
    assert titles(phrases, phrases.search("编目馆员的")) == ["館員手冊"]
    # Longer: 大學校院 and 校院聯盟 stand apart in "quads-apart", not 大學校院聯盟.
    assert set(titles(phrases, phrases.search("大學校院聯盟"))) == {"另一篇紀要"}
    assert "合作紀要" in titles(phrases, phrases.search("大學"))


def test_the_candidates_are_checked_only_when_the_postings_cannot_tell(phrases):
    ranked, checked = phrases.ranked("大學校院聯盟")
    assert len(ranked) == 2 and [u.runs for u in checked] == [("大学校院联盟",)]  # 大學校院 and 校院聯盟 apart
    phrases.fetched.clear()
    assert len(phrases.search("大學校院聯盟")) == 1
    assert sorted(p for p in phrases.fetched if p.startswith("t/")) == sorted(f"t/{i}.txt" for i in ranked)
    phrases.fetched.clear()
    phrases.search("圖書館")
    assert not [p for p in phrases.fetched if p.startswith("t/")]


def test_latin_words_prefixes_and_quoted_phrases(phrases):
    assert titles(phrases, phrases.search("koh")) == ["Koha 導入"]  # a prefix while typing
    assert titles(phrases, phrases.search("KOHA")) == ["Koha 導入"]
    assert phrases.search("koh 系統") == []  # followed by more: a word, and there is none
    assert titles(phrases, phrases.search("koha 系統")) == ["Koha 導入"]
    assert titles(phrases, phrases.search('"Koha 系統"')) == ["Koha 導入"]
    assert titles(phrases, phrases.search('"open access"')) == ["English"]
    assert set(titles(phrases, phrases.search("open access"))) == {"English", "English 2"}
    assert phrases.search('"access open"') == []


@pytest.fixture
def ranking(tmp_path_factory):
    content = new_content(tmp_path_factory.mktemp("ranking"))
    _tool(content, "body-new", "新的紀錄", "我們討論了館際合作，館際合作很重要，館際合作要持續。", date=dt.date(2024, 5, 1))
    _tool(content, "summary", "一份報告", "內文沒有提到那件事。", summary="談館際合作的經驗。", date=dt.date(2020, 1, 1))
    _tool(content, "title", "館際合作的十年", "內文。", date=dt.date(2018, 1, 1))
    _tool(content, "exact", "館際合作", "內文。", date=dt.date(2016, 1, 1))
    _tool(content, "twin-old", "雙胞胎", "共同的文字：資源共享。", date=dt.date(2019, 1, 1))
    _tool(content, "twin-new", "雙胞胎二", "共同的文字：資源共享。", date=dt.date(2023, 1, 1))
    _tool(content, "rare", "稀有", "資源共享與罕見的詞：曬書。", date=dt.date(2017, 1, 1))
    return LocalIndex(build_index(load_knowledge_base(content, "content")))


def test_ranking_exact_title_then_fields_then_recency(ranking):
    # The exact title first, then a title holding the query, the summary, the body (three times).
    assert titles(ranking, ranking.search("館際合作")) == ["館際合作", "館際合作的十年", "一份報告", "新的紀錄"]
    assert titles(ranking, ranking.search("馆际合作"))[0] == "館際合作"
    # The same text: the newer first.
    assert titles(ranking, ranking.search("資源共享"))[:2] == ["雙胞胎二", "雙胞胎"]
    # A rarer word counts more than a common one.
    assert titles(ranking, ranking.search("資源共享 曬書")) == ["稀有"]
    order = ranking.search("共享 文字")
    assert set(titles(ranking, order)) == {"雙胞胎", "雙胞胎二"}


def test_python_and_browser_return_the_same_ranked_results(phrases, ranking, tmp_path):
    """kb-search.js under Node, reading the same files, pages through to the same ids."""
    queries = ["館際合作", "馆际合作", "資源共享", "資源共享 曬書", "共享 文字", "大學校院", "大學校院聯盟", "目館員", "编目馆员的",
               "大學", "koh", "KOHA", "constructor", "tostring", "__proto__", '"Koha 系統"', '"open access"',
               "open access", "koh 系統", "量子", ""]
    script = (
        "const k = require(process.argv[1]); const fs = require('fs'), path = require('path');"
        "const qs = JSON.parse(process.argv[3]);"
        "(async () => { const out = [];"
        " for (const dir of ['a', 'b']) { const ix = new k.Index('', (u, p) =>"
        "   Promise.resolve(fs.readFileSync(path.join(process.argv[2], dir, p), 'utf8')));"
        "   for (const q of qs) { const r = await ix.search(q, {}); out.push(await r.all()); } }"
        " console.log(JSON.stringify(out)); })();"
    )
    python = []
    for name, ix in (("a", phrases), ("b", ranking)):
        for rel, text in ix.files.items():
            (tmp_path / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / rel).write_text(text, encoding="utf-8")
        python += [ix.search(q) for q in queries]
    assert json.loads(_node(script, str(tmp_path), json.dumps(queries))) == python


def test_browser_highlights_the_phrase_as_typed():
    script = (
        "const k = require(process.argv[1]); const t2s = require(process.argv[2]);"
        "const cases = JSON.parse(process.argv[3]);"
        "console.log(JSON.stringify(cases.map(([text, q]) => { const m = k.matches(text, k.units(q, t2s), t2s);"
        " return m.spans.map(([s, e]) => m.chars.slice(s, e).join('')); })));"
    )
    cases = [["推動館際合作與資源共享；館際合作很重要。", "馆际合作"], ["導入 Koha 系統的經驗", "koh"],
             ["We support Open Access publishing.", '"open access"'], ["大學很大。學校很新。", "大學校院"],
             ["圖書館員與館員", "館員 圖書"], ["全形ＡＢＣ與𠀋字", "abc"]]
    got = json.loads(_node(script, str(ROOT / "generator/data/t2s.json"), json.dumps(cases)))
    assert got == [["館際合作", "館際合作"], ["Koh"], ["Open Access"], [], ["圖書館員", "館員"], ["ＡＢＣ"]]


def test_a_query_fetches_only_its_shards(index):
    index.fetched.clear()
    index.search("館藏")
    shards = {p for p in index.fetched if p.startswith("p/")}
    assert shards == {f"p/{shard_of(t, index.meta['shards'])}.json" for t in tokens("館藏")}


def test_meta_carries_only_the_t2s_characters_the_text_uses(index):
    t2s = index.meta["t2s"]
    assert t2s["館"] == "馆" and len(t2s) < len(t2s_table()) / 10


def test_document_text_file_holds_fields_row_and_body(index):
    text = index.files["t/0.txt"].split("\n")
    assert text[0] == "閱讀推廣" and text[1] == "一段摘要。"
    tool = [k["id"] for k in index.meta["kinds"]].index("tool")
    assert json.loads(text[3]) == ["tools/b/", tool, "2024-01-10", False]
    assert text[4:] == ["介紹", "", "在社區推廣閱讀，也整理了館藏清單。"]


def test_parallel_index_is_the_serial_index(tmp_path, monkeypatch):
    import generator.search.build as build

    content = new_content(tmp_path)
    for i in range(30):
        write(content, f"tools/t{i}.md", entry_text("tools", url=f"https://example.org/{i}", title=f"館藏工具 {i}",
                                                    body=f"## 介紹\n\n第 {i} 個推廣館藏的方法。\n"))
    kb = load_knowledge_base(content, "content")
    serial = build_index(kb)
    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    assert build_index(kb) == serial


def test_dense_postings_are_bitmaps_and_read_back(tmp_path):
    content = new_content(tmp_path)
    for i in range(40):
        _tool(content, f"t{i}", f"工具 {i}", "推廣館藏。" + ("稀有詞。" if i % 13 == 0 else ""))
    index = LocalIndex(build_index(load_knowledge_base(content, "content")))
    shard = json.loads(index.files[f"p/{shard_of('推广', index.meta['shards'])}.json"])
    assert shard["推广"].startswith("~") and len(shard["推广"].split("|")[1]) == 40
    assert index.postings("推广") == list(range(40))
    assert len(index.search("稀有詞")) == 4


def test_index_files_do_not_depend_on_the_hash_seed(tmp_path):
    """The same content gives the same index files byte for byte (reproducible builds)."""
    content = new_content(tmp_path)
    for i in range(12):
        write(content, f"tools/t{i}.md", entry_text("tools", url=f"https://example.org/{i}", title=f"館藏工具 {i}",
                                                    body=f"## 介紹\n\n第 {i} 個推廣館藏與 Koha 系統的方法。\n"))
    script = ("import hashlib, sys; from pathlib import Path; from generator.knowledge.indexing import load_knowledge_base; "
              "from generator.search import build_index; "
              "files = build_index(load_knowledge_base(Path(sys.argv[1]), 'content')); "
              "print(hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(content)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(digests) == 1


def test_closed_postings_are_marked_in_the_index(tmp_path):
    content = new_content(tmp_path)
    write(content, "jobs/open.md", entry_text("jobs", title="開放職缺", closing_date=dt.date(2026, 12, 31)))
    write(content, "jobs/closed.md", entry_text("jobs", title="截止職缺", closing_date=dt.date(2026, 1, 31)))
    write(content, "tools/t.md", entry_text("tools", title="工具"))
    kb = load_knowledge_base(content, "content", today=dt.date(2026, 6, 1))
    files = build_index(kb)
    rows = {row[1]: row for row in json.loads(files["d/0.json"])}
    assert rows["截止職缺"][5:] == [1]
    assert len(rows["開放職缺"]) == 5 and len(rows["工具"]) == 5
    shown = {t.split("\n")[0]: json.loads(t.split("\n")[3]) for p, t in files.items() if p.startswith("t/")}
    assert shown["截止職缺"][3] is True and shown["開放職缺"][3] is False
