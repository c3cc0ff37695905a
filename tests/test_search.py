"""Search: the browser and the build fold and cut text the same way; the index answers exactly."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.indexing import load_knowledge_base
from generator.siteinfo import SiteInfo
from generator.search import LocalIndex, build_index, fold, shard_of, t2s_table, tokens
from helpers import entry_text, new_content, write

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "overrides/assets/javascripts/kb-search.js"
SAMPLES = ["圖書館的館藏發展", "图书馆", "資訊素養 Information Literacy", "Koha 系統", "ＡＢＣ１２３ 全形",
           "臺灣與台灣", "姐妹館", "館", "電子書、e-book 與 EPUB3", "𠀋𠀌 罕用字", "Ａ", "iPhone15Pro 的使用",
           "  多  空白  ", "髮型與發展", ""]


def test_fold_and_tokens():
    assert fold("圖書館 ＡＢＣ") == "图书馆 abc"
    assert tokens("圖書館的館藏") == ["图书", "书馆", "馆的", "的馆", "馆藏"]
    assert tokens("館") == ["馆"]
    assert tokens("Koha 系統") == ["koha", "系统"]
    assert set(tokens("館藏", unigrams=True)) == {"馆藏", "馆", "藏"}


def test_python_and_browser_cut_text_the_same_way():
    node = shutil.which("node")
    assert node, "node is installed by make test"
    script = (
        "const k = require(process.argv[1]); const t2s = require(process.argv[2]);"
        "const samples = JSON.parse(process.argv[3]);"
        "console.log(JSON.stringify(samples.map(s => [k.fold(s, t2s), k.tokens(s, t2s),"
        " k.tokens(s, t2s).map(t => k.shardOf(t, 64))])));"
    )
    out = subprocess.run([node, "-e", script, str(JS), str(ROOT / "generator/data/t2s.json"), json.dumps(SAMPLES)],
                         capture_output=True, text=True, check=True).stdout
    browser = json.loads(out)
    python = [[fold(s), tokens(s), [shard_of(t, 64) for t in tokens(s)]] for s in SAMPLES]
    assert browser == python


@pytest.fixture
def index(tmp_path):
    content = new_content(tmp_path)
    write(content, "tools/a.md", entry_text("tools", title="館藏管理工具", date=__import__("datetime").date(2024, 1, 1),
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


def test_every_token_must_occur_and_title_matches_come_first(index):
    assert titles(index, index.search("館藏")) == ["館藏管理工具", "閱讀推廣"]  # not 館...藏 apart, not internal
    assert titles(index, index.search("推廣 館藏")) == ["閱讀推廣"]
    assert titles(index, index.search("馆藏")) == ["館藏管理工具", "閱讀推廣"]
    assert index.search("量子") == [] and index.search("") == []


def test_a_query_fetches_only_its_shards(index):
    index.fetched.clear()
    index.search("館藏")
    shards = {p for p in index.fetched if p.startswith("p/")}
    assert shards == {f"p/{shard_of(t, index.meta['shards'])}.json" for t in tokens("館藏")}


def test_meta_carries_only_the_t2s_characters_the_text_uses(index):
    t2s = index.meta["t2s"]
    assert t2s["館"] == "馆" and len(t2s) < len(t2s_table()) / 10


def test_parallel_index_is_the_serial_index(tmp_path, monkeypatch):
    import generator.search as search

    content = new_content(tmp_path)
    for i in range(30):
        write(content, f"tools/t{i}.md", entry_text("tools", url=f"https://example.org/{i}", title=f"館藏工具 {i}",
                                                    body=f"## 介紹\n\n第 {i} 個推廣館藏的方法。\n"))
    kb = load_knowledge_base(content, "content")
    serial = build_index(kb)
    monkeypatch.setattr(search, "PARALLEL_FROM", 1)
    assert build_index(kb) == serial


def test_index_files_do_not_depend_on_the_hash_seed(tmp_path):
    """The same content gives the same index files byte for byte (reproducible builds)."""
    content = new_content(tmp_path)
    for i in range(12):
        write(content, f"tools/t{i}.md", entry_text("tools", url=f"https://example.org/{i}", title=f"館藏工具 {i}",
                                                    body=f"## 介紹\n\n第 {i} 個推廣館藏與 Koha 系統的方法。\n"))
    script = ("import hashlib, sys; from pathlib import Path; from generator.indexing import load_knowledge_base; "
              "from generator.search import build_index; "
              "files = build_index(load_knowledge_base(Path(sys.argv[1]), 'content')); "
              "print(hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(content)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(digests) == 1


def test_closed_postings_are_marked_in_the_index(tmp_path):
    import datetime as dt

    content = new_content(tmp_path)
    write(content, "jobs/open.md", entry_text("jobs", title="開放職缺", closing_date=dt.date(2026, 12, 31)))
    write(content, "jobs/closed.md", entry_text("jobs", title="截止職缺", closing_date=dt.date(2026, 1, 31)))
    write(content, "tools/t.md", entry_text("tools", title="工具"))
    kb = load_knowledge_base(content, "content", today=dt.date(2026, 6, 1))
    rows = {row[1]: row for row in json.loads(build_index(kb)["d/0.json"])}
    assert rows["截止職缺"][5:] == [1]
    assert len(rows["開放職缺"]) == 5 and len(rows["工具"]) == 5
