"""Search benchmark: quality on real prose, and download, latency and build time at scale.

    .venv/bin/python benchmarks/search_bench.py --entries 10000 [--skip-jieba] [--before REV]
    .venv/bin/python benchmarks/search_bench.py --only real [--before REV]

Real-text corpus (``--seeds``, default ../shared/seeds beside the repository; 400 entries whose
bodies are paragraphs of the Chinese documents there, real prose, never committed here; titles and
summaries are clauses and sentences of the same text; the other fields as benchmarks/synth.py
makes them). Queries are picked automatically, with a fixed seed, and each figure is judged
against the corpus itself (an entry holds a phrase when its folded text has it, in one field):
- recall of 2-4 character phrases from mid-sentence (a quarter typed in Simplified)   >= 98 %
- phrase precision: 3-6 character phrases whose bigrams also occur apart in some other
  entry (the results that do not hold the phrase count against it)                    >= 98 %
- known-item MRR: a distinctive phrase (4-6 characters, in at most three entries, not in the
  entry's title) of one entry's summary or of a paragraph no other entry has, the
  reciprocal rank of that entry                                                      >= 0.9,
  and the share of those entries in the top 3                                         100 %
- how often the count shown with the first page is exact (a long phrase's candidates are
  checked only as far as the page shown)                                    (information)
- the browser half (kb-search.js under Node, every result page read) returns the same
  ranked results as the Python search for every query above                          all
Synthetic corpus (benchmarks/synth.py, ``--entries``; the Git history, built with ``kb build``):
- bytes the browser downloads (headless Chromium, localhost) for the first query and
  each further query                                                   <= 300 KB, then <= 150 KB
- time from the keystroke to the results shown, in Chromium             median <= 200 ms
- recall and precision of 45 queries of the synthetic vocabulary         >= 98 %, >= 90 %
- index build time against the time jieba adds to a plain Material build  <= 0.5

``--before REV`` measures the search of an earlier commit (its generator, hooks and overrides,
from ``git archive``) on the same corpora in the same run, and prints both. The exit status is 1
when a figure of this tree misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
from io import BytesIO
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from scale_bench import ENV, KB, PY, measured, plain_material, report  # noqa: E402
from synth import KIND_FOLDERS, SECTIONS, _NoAliases, entry as synth_entry, make  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")

QUERIES = [
    # two-character words
    "館藏", "推廣", "經費", "讀者", "館員", "書目", "社群", "志工", "典藏", "講座", "空間", "評估", "學校", "聯盟",
    # three- and four-character terms
    "資訊素養", "館際合作", "電子書", "姐妹館", "少子化", "二手書", "數位典藏", "空間改造", "開放取用", "新住民",
    "樂齡學習", "永續發展", "人工智慧", "學術倫理", "借書證",
    # proper names
    "國家圖書館", "市立圖書館", "大學圖書館", "南區聯盟",
    # mixed Chinese and English
    "Koha 系統", "Koha",
    # phrases and several terms
    "館際合作流程", "閱讀推廣活動", "讀者滿意度調查", "資料庫檢索教學", "代借代還服務", "推廣 館藏", "志工 閱讀",
    # Simplified input, Traditional text
    "图书馆", "资讯素养", "馆际合作",
]
BROWSER_QUERIES = ["館藏", "資訊素養", "國家圖書館", "Koha 系統", "图书馆", "閱讀推廣活動", "志工 閱讀", "少子化"]


# -- the real-text corpus ------------------------------------------------------------------

def seed_paragraphs(seeds: Path) -> list[str]:
    """The seed documents' paragraphs: lines a PDF wrapped (a long line not ending a sentence,
    then one starting with a Han character) joined again; list marks, footnote marks and lines
    with Markdown or HTML syntax or addresses left out; paragraphs of 12 Han characters or more."""
    out: list[str] = []
    for f in sorted(seeds.glob("*.txt")):
        cur, last = "", ""
        for raw in f.read_text(encoding="utf-8").splitlines():
            line = "".join(c for c in raw if unicodedata.category(c)[0] != "C")  # PDF form feeds and the like
            line = re.sub(r"\[\d+\]", "", line.replace("\u3000", " ")).strip()
            line = re.sub(r"^(?:[-•●]|\d+\.|\(\S{1,3}\))\s+", "", line)
            if not line:
                continue
            if re.search(r"[<>`*_#|\[\]{}\\]|https?:|www\.|@", line):
                out.append(cur)
                cur = last = ""
                continue
            if cur and len(last) >= 20 and not re.search(r"[。！？；：」』]$", last) and HAN_RUN.match(line):
                cur += line
            else:
                out.append(cur)
                cur = line
            last = line
        out.append(cur)
    return [p for p in out if len("".join(HAN_RUN.findall(p))) >= 12]


def real_project(out: Path, seeds: Path, entries: int = 400, seed: int = 17) -> tuple[Path, dict[str, list[str]]]:
    """A content folder of ``entries`` entries with real prose; also each entry's body paragraphs
    by file (for the known-item queries)."""
    paras = seed_paragraphs(seeds)
    r = random.Random(seed)
    content = out / "content"
    shutil.copytree(ROOT / "content" / "registries", content / "registries")
    registries = {name: yaml.safe_load((content / "registries" / f"{name}.yml").read_text(encoding="utf-8"))
                  for name in ("tags", "organizations", "institutions")}
    used_titles: set[str] = set()
    bodies: dict[str, list[str]] = {}
    for i in range(entries):
        folder = KIND_FOLDERS[i % len(KIND_FOLDERS)]
        rel, fm, _ = synth_entry(r, folder, i, registries)
        heads = SECTIONS[folder]
        start = r.randrange(len(paras))
        chosen = [paras[(start + k) % len(paras)] for k in range(r.randint(len(heads), len(heads) + 3))]
        clauses = [c for p in chosen for c in re.split(r"[，。；：！？、,.;:()（）「」]", p)
                   if 5 <= len(c.strip()) <= 24 and HAN_RUN.search(c)]
        title = next((c.strip() for c in clauses if c.strip() not in used_titles), fm["title"])
        used_titles.add(title)
        sentences = [s.strip() + "。" for p in chosen for s in re.split(r"[。！？]", p) if 10 <= len(s.strip()) <= 150]
        fm["title"] = title
        fm["summary"] = r.choice(sentences) if sentences else chosen[0][:150]
        parts = [[] for _ in heads]
        for k, p in enumerate(chosen):
            parts[k % len(heads)].append(p)
        body = "\n\n".join(f"## {h}\n\n" + "\n\n".join(ps) for h, ps in zip(heads, parts))
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + yaml.dump(fm, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
                        + "---\n\n" + body + "\n", encoding="utf-8")
        bodies[path.stem] = chosen
    return content, bodies


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def pick_queries(kb, bodies: dict[str, list[str]], seed: int = 17) -> dict[str, list]:
    """The three query sets, picked from the corpus with a fixed seed: recall (2-4 characters),
    phrase precision (3-6, bigrams also apart elsewhere) and known items (query, entry's slug)."""
    from generator.search import document_text, fold, plain_text

    r = random.Random(seed)
    entries = sorted(kb.public, key=lambda e: e.path)
    texts = {Path(e.path).stem: fold(document_text(kb, e)) for e in entries}
    bigrams = {k: {t[i:i + 2] for run in HAN_RUN.findall(t) for i in range(len(run) - 1)} for k, t in texts.items()}

    def df(phrase: str) -> int:
        return sum(phrase in t for t in texts.values())

    def mid(text: str, n: int) -> str | None:
        """n Han characters from inside a run of ``text`` (NFKC, lower case, not yet T->S)."""
        runs = [m for m in HAN_RUN.finditer(text) if len(m.group()) >= n + 2]
        if not runs:
            return None
        m = r.choice(runs)
        at = r.randint(1, len(m.group()) - n - 1)
        return m.group()[at:at + n]

    recall, precision, known = [], [], []
    tries = 0
    while len(recall) < 120 and tries < 5000:
        tries += 1
        q = mid(_nfkc(plain_text(r.choice(entries).body)), r.randint(2, 4))
        if q and q not in recall:
            recall.append(fold(q) if len(recall) % 4 == 3 else q)
    tries = 0
    while len(precision) < 80 and tries < 20000:
        tries += 1
        q = mid(_nfkc(plain_text(r.choice(entries).body)), r.randint(3, 6))
        if not q or q in precision:
            continue
        fq = fold(q)
        grams = {fq[i:i + 2] for i in range(len(fq) - 1)}
        if any(grams <= bigrams[k] and fq not in t for k, t in texts.items()):
            precision.append(q)
    counts: dict[str, int] = {}
    for ps in bodies.values():
        for p in ps:
            counts[p] = counts.get(p, 0) + 1
    order = list(entries)
    r.shuffle(order)
    for e in order:
        if len(known) >= 80:
            break
        from_summary = len(known) % 2 == 0
        if from_summary:
            source = e.data["summary"]
        else:
            own = [p for p in bodies.get(Path(e.path).stem, []) if counts[p] == 1]
            if not own:
                continue
            source = r.choice(own)
        for _ in range(20):
            q = mid(_nfkc(source), r.randint(4, 6))
            if q and fold(q) not in fold(e.title) and 1 <= df(fold(q)) <= 3:
                known.append((q, Path(e.path).stem, df(fold(q)), "summary" if from_summary else "body"))
                break
    return {"recall": recall, "precision": precision, "known": known}


def real_quality(content: Path, bodies: dict[str, list[str]], node_js: Path | None) -> dict:
    """Every real-text figure of the search importable as ``generator.search`` (this tree's, or
    an earlier commit's on PYTHONPATH)."""
    from generator.knowledge.indexing import load_knowledge_base
    from generator.search import LocalIndex, build_index, document_text, fold

    kb = load_knowledge_base(content, "content")
    files = build_index(kb)
    queries = pick_queries(kb, bodies)
    index = LocalIndex(files)
    chunk = index.meta["chunk"]
    by_url = {e.url: e for e in kb.public}
    slug_of = {}
    for i in range(index.meta["docs"]):
        slug_of[i] = Path(by_url[json.loads(files[f"d/{i // chunk}.json"])[i % chunk][0]].path).stem
    texts = {Path(e.path).stem: fold(document_text(kb, e)) for e in kb.public}
    asked = {*queries["recall"], *queries["precision"], *(k[0] for k in queries["known"])}
    results = {q: index.search(q) for q in asked}

    def expected(q: str) -> set[str]:
        terms = fold(q).split()
        return {k for k, t in texts.items() if all(term in t for term in terms)}

    exp = cor = 0
    misses = []
    for q in queries["recall"]:
        want, got = expected(q), {slug_of[i] for i in results[q]}
        exp, cor = exp + len(want), cor + len(want & got)
        if want - got:
            misses.append(q)
    p_ret = p_cor = 0
    wrong = []
    for q in queries["precision"]:
        want, got = expected(q), [slug_of[i] for i in results[q]]
        p_ret, p_cor = p_ret + len(got), p_cor + sum(g in want for g in got)
        wrong += [(q, g) for g in got if g not in want]
    exact = over = 0
    for q in results:
        shown, truth = first_page_count(index, q), len(results[q])
        exact, over = exact + (shown == truth), max(over, shown - truth)
    ranks = []
    for q, slug, _, _ in queries["known"]:
        got = [slug_of[i] for i in results[q]]
        ranks.append(got.index(slug) + 1 if slug in got else None)
    rr = [1 / k if k else 0.0 for k in ranks]
    shared = [x for x, (_, _, d, _) in zip(rr, queries["known"]) if d > 1]
    out = {
        "entries": len(kb.public), "paragraphs": sum(len(v) for v in bodies.values()),
        "recall": cor / max(exp, 1), "recall_queries": len(queries["recall"]), "recall_expected": exp,
        "recall_misses": misses[:10],
        "precision": p_cor / max(p_ret, 1), "precision_queries": len(queries["precision"]),
        "precision_returned": p_ret, "precision_wrong": wrong[:10],
        "mrr": sum(rr) / max(len(rr), 1), "known": len(rr),
        "top3": sum(1 for k in ranks if k and k <= 3) / max(len(rr), 1),
        "known_shared": len(shared), "mrr_shared": sum(shared) / max(len(shared), 1),
        "known_misses": [(q, k) for (q, *_), k in zip(queries["known"], ranks) if not k or k > 3][:10],
        "count_exact": exact, "count_queries": len(results), "count_over": over,
    }
    if node_js is not None:
        out["browser_same"], out["browser_total"], out["browser_diff"] = browser_agrees(files, results, node_js)
    return out


def first_page_count(index, q: str) -> int:
    """The number of results the search page shows with the first page (kb-search.js, Results):
    exact once every candidate is checked, otherwise the ones checked and found, plus those not
    yet checked. An earlier search, which checks nothing, shows its candidates."""
    ranked = getattr(index, "ranked", None)
    if ranked is None:
        return len(index.search(q))
    from generator.search import holds

    order, checked = ranked(q)
    if not checked:
        return len(order)
    shown = done = 0
    while shown < 11 and done < len(order):
        batch = order[done:done + max(11 - shown, 4)]
        done += len(batch)
        shown += sum(all(holds(index.files[f"t/{i}.txt"], u) for u in checked) for i in batch)
    return shown + len(order) - done


NODE_SCRIPT = r"""
const fs = require("fs"), path = require("path");
const k = require(process.argv[2]), dir = process.argv[3], queries = JSON.parse(fs.readFileSync(process.argv[4]));
const index = new k.Index("", (url, p) => Promise.resolve(fs.readFileSync(path.join(dir, p || url), "utf8")));
(async () => {
  const out = {};
  for (const q of queries) {
    const r = await index.search(q, {});
    out[q] = r.all ? await r.all() : r.ids;
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""


def browser_agrees(files: dict[str, str], results: dict[str, list[int]], js: Path) -> tuple[int, int, list]:
    """How many queries the browser half (under Node) answers with the same ranked ids."""
    node = shutil.which("node")
    if not node:
        return 0, len(results), ["node not found"]
    with tempfile.TemporaryDirectory() as d:
        for rel, text in files.items():
            p = Path(d, "i", rel)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        Path(d, "q.json").write_text(json.dumps(sorted(results), ensure_ascii=False), encoding="utf-8")
        Path(d, "run.js").write_text(NODE_SCRIPT, encoding="utf-8")
        out = subprocess.run([node, str(Path(d, "run.js")), str(js), str(Path(d, "i")), str(Path(d, "q.json"))],
                             capture_output=True, text=True, check=True).stdout
    browser = json.loads(out)
    diff = [q for q in results if browser.get(q) != results[q]]
    return len(results) - len(diff), len(results), diff[:5]


# -- an earlier commit, for the figures before -----------------------------------------------

def tree_at(rev: str, out: Path) -> Path:
    """The generator, hooks and overrides of commit ``rev`` (``git archive``; the checkout is not touched)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "generator", "hooks", "overrides", "mkdocs.yml"],
                          capture_output=True, check=True).stdout
    out.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(out, filter="data")
    return out


def quality_in(tree: Path | None, content: Path, bodies: dict, tmp: Path) -> dict:
    """real_quality() with the search of ``tree`` (None: this tree), in a fresh interpreter."""
    args = tmp / f"bodies-{os.getpid()}-{time.monotonic_ns()}.json"
    args.write_text(json.dumps(bodies, ensure_ascii=False), encoding="utf-8")
    env = {**ENV, "PYTHONPATH": str(tree)} if tree else ENV
    js = (tree or ROOT) / "overrides/assets/javascripts/kb-search.js"
    out = subprocess.run([PY, __file__, "--quality-of", str(content), str(args), str(js)],
                         capture_output=True, text=True, env=env, cwd=tree or ROOT)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout)


def print_quality(label: str, q: dict) -> None:
    print(f"{label}: {q['entries']} entries ({q['paragraphs']} paragraph places) of real text")
    print(f"  recall: {q['recall_queries']} phrases of 2-4 characters, {q['recall_expected']} entries expected"
          + (f"; missed some of: {' '.join(q['recall_misses'])}" if q["recall_misses"] else ""))
    print(f"  phrase precision: {q['precision_queries']} phrases of 3-6 characters, {q['precision_returned']} results"
          + (f"; e.g. without the phrase: {q['precision_wrong'][:5]}" if q["precision_wrong"] else ""))
    print(f"  known items: {q['known']} queries, {q['known_shared']} of them in more than one entry"
          f" (MRR among those {q['mrr_shared']:.3f})"
          + (f"; not in the top 3: {q['known_misses']}" if q["known_misses"] else ""))
    if "browser_total" in q:
        print(f"  kb-search.js under Node: same ranked results for {q['browser_same']} of {q['browser_total']} queries"
              + (f"; differ: {q['browser_diff']}" if q["browser_diff"] else ""))


def quality_rows(q: dict, before: dict | None) -> list[tuple[str, str, str, bool]]:
    def was(key: str, fmt: str) -> str:
        return f" (before {format(before[key], fmt)})" if before else ""

    rows = [
        ("real text: recall, 2-4 characters", f"{q['recall']:.1%}{was('recall', '.1%')}", ">= 98 %",
         q["recall"] >= 0.98),
        ("real text: phrase precision, 3-6 characters", f"{q['precision']:.1%}{was('precision', '.1%')}", ">= 98 %",
         q["precision"] >= 0.98),
        ("real text: known-item MRR", f"{q['mrr']:.3f}{was('mrr', '.3f')}", ">= 0.9", q["mrr"] >= 0.9),
        ("real text: known item in the top 3", f"{q['top3']:.1%}{was('top3', '.1%')}", "100 %", q["top3"] == 1),
    ]
    rows.append(("real text: count shown with page 1 exact", f"{q['count_exact']}/{q['count_queries']} queries"
                 + (f" (at most {q['count_over']} over)" if q["count_over"] else ""),
                 "(information)", True))
    if "browser_total" in q:
        rows.append(("real text: browser half gives the same results", f"{q['browser_same']}/{q['browser_total']}",
                     "all", q["browser_same"] == q["browser_total"]))
    return rows


# -- the synthetic corpus at scale ------------------------------------------------------------

def evaluate(files: dict[str, str], kb) -> list[tuple[str, int, int, int]]:
    """(query, expected, returned, correct) for every synthetic query: an entry is expected when its
    searchable text holds every term of the query."""
    from generator.search import LocalIndex, document_text, fold

    index = LocalIndex(files)
    chunk = index.meta["chunk"]
    url_of = {i: json.loads(files[f"d/{i // chunk}.json"])[i % chunk][0] for i in range(index.meta["docs"])}
    texts = {e.url: fold(document_text(kb, e)) for e in kb.public}
    out = []
    for q in QUERIES:
        terms = fold(q).split()
        expected = {u for u, t in texts.items() if all(term in t for term in terms)}
        got = {url_of[i] for i in index.search(q)}
        out.append((q, len(expected), len(got), len(expected & got)))
    return out


def browser_figures(site: Path, queries: list[str]) -> tuple[list[int], list[float]]:
    from browser import CHROMIUM_ARGS, require_chromium, serve
    from playwright.sync_api import sync_playwright

    sizes: list[int] = []
    times: list[float] = []
    with serve(site) as url, sync_playwright() as p:
        b = p.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        page = b.new_page()
        page.goto(url + "search/", wait_until="networkidle")
        got: list[int] = []
        page.on("response", lambda r: got.append(int(r.headers.get("content-length", "0"))) if "/search/" in r.url else None)
        for q in queries:
            got.clear()
            page.evaluate("document.body.removeAttribute('data-kb-search')")
            page.evaluate("""() => { const i = document.querySelector('#kb-search-form input[name=q]');
                window.__t0 = null; i.addEventListener('input', () => { window.__t0 = performance.now(); }, {once: true}); }""")
            page.fill("#kb-search-form input[name=q]", q)
            page.wait_for_function("document.body.getAttribute('data-kb-search') === 'done' || "
                                   "/沒有/.test(document.getElementById('kb-search-status').textContent)", timeout=30000)
            times.append(page.evaluate("performance.now() - window.__t0"))
            page.wait_for_timeout(200)
            sizes.append(sum(got))
        b.close()
    return sizes, times


INDEX_TIME = ("import sys, time; from pathlib import Path; from generator.knowledge.indexing import load_knowledge_base; "
              "from generator.search import build_index; kb = load_knowledge_base(Path(sys.argv[1]), 'content'); "
              "t = time.perf_counter(); build_index(kb); print(time.perf_counter() - t)")
SYNTH_QUALITY = ("import json, sys; sys.path.insert(0, sys.argv[2]); from search_bench import evaluate; "
                 "from generator.knowledge.indexing import load_knowledge_base; from generator.search import build_index; "
                 "kb = load_knowledge_base(__import__('pathlib').Path(sys.argv[1]), 'content'); "
                 "print(json.dumps(evaluate(build_index(kb), kb)))")


def synthetic(project: Path, tree: Path | None) -> dict:
    """The synthetic figures of the search in ``tree`` (None: this tree): the site built with its
    generator, hooks and overrides."""
    env = {**ENV, "PYTHONPATH": str(tree)} if tree else ENV
    if tree:
        for d in ("hooks", "overrides"):
            shutil.rmtree(project / d)
            shutil.copytree(tree / d, project / d)
        shutil.copy(tree / "mkdocs.yml", project / "mkdocs.yml")
    subprocess.run([KB, "build"], cwd=project, env=env, capture_output=True, check=True)
    quality = json.loads(subprocess.run([PY, "-c", SYNTH_QUALITY, str(project / "content"), str(HERE)], env=env,
                                        capture_output=True, text=True, check=True, cwd=tree or ROOT).stdout)
    sizes, times = browser_figures(project / "site", BROWSER_QUERIES)
    index_s = float(subprocess.run([PY, "-c", INDEX_TIME, str(project / "content")], env=env, capture_output=True,
                                   text=True, check=True, cwd=tree or ROOT).stdout)
    return {"quality": quality, "sizes": sizes, "times": times, "index_s": index_s}


def synthetic_rows(now: dict, before: dict | None, jieba_s: float | None) -> list[tuple[str, str, str, bool]]:
    def figures(s: dict) -> dict:
        q = s["quality"]
        exp, ret, cor = (sum(r[k] for r in q) for k in (1, 2, 3))
        return {"recall": cor / max(exp, 1), "precision": cor / max(ret, 1),
                "worst_r": min((c / e for _, e, _, c in q if e), default=1),
                "worst_p": min((c / g for _, _, g, c in q if g), default=1),
                "first": s["sizes"][0] / 1024, "further": max(s["sizes"][1:]) / 1024,
                "median": statistics.median(s["times"]), "max": max(s["times"]), "index_s": s["index_s"]}

    f, b = figures(now), figures(before) if before else None

    def was(text: str) -> str:
        return f" (before {text})" if b else ""

    rows = [
        ("synthetic: recall (all queries; worst)", f"{f['recall']:.1%} ({f['worst_r']:.1%})"
         + (was(f"{b['recall']:.1%} ({b['worst_r']:.1%})") if b else ""), ">= 98 %", f["recall"] >= 0.98),
        ("synthetic: precision (all queries; worst)", f"{f['precision']:.1%} ({f['worst_p']:.1%})"
         + (was(f"{b['precision']:.1%} ({b['worst_p']:.1%})") if b else ""), ">= 90 %", f["precision"] >= 0.90),
        ("download, first query", f"{f['first']:.0f} KB" + (was(f"{b['first']:.0f} KB") if b else ""), "<= 300 KB",
         f["first"] <= 300),
        ("download, further queries (max)", f"{f['further']:.0f} KB" + (was(f"{b['further']:.0f} KB") if b else ""),
         "<= 150 KB", f["further"] <= 150),
        ("keystroke -> results (median; max)", f"{f['median']:.0f} ms ({f['max']:.0f})"
         + (was(f"{b['median']:.0f} ms ({b['max']:.0f})") if b else ""), "median <= 200 ms", f["median"] <= 200),
    ]
    if jieba_s:
        rows.append(("index build / time jieba adds", f"{f['index_s'] / jieba_s:.2f} ({f['index_s']:.1f} s)"
                     + (was(f"{b['index_s'] / jieba_s:.2f} ({b['index_s']:.1f} s)") if b else ""), "<= 0.5",
                     f["index_s"] / jieba_s <= 0.5))
    else:
        rows.append(("index build", f"{f['index_s']:.1f} s" + (was(f"{b['index_s']:.1f} s") if b else ""),
                     "(jieba baseline skipped)", True))
    return rows


def jieba_adds(project: Path, tmp: Path) -> float:
    plain = plain_material(project, tmp / "plain")
    with_j, _, _ = measured([PY, "-m", "mkdocs", "build", "-q"], plain)
    shim = tmp / "no-jieba"
    shim.mkdir()
    (shim / "jieba.py").write_text("raise ImportError('jieba disabled for the baseline')\n")
    t = time.perf_counter()
    subprocess.run([PY, "-m", "mkdocs", "build", "-q"], cwd=plain, env={**ENV, "PYTHONPATH": str(shim)}, check=True,
                   capture_output=True)
    without_j = time.perf_counter() - t
    print(f"plain Material: {with_j:.1f} s with jieba, {without_j:.1f} s without: jieba adds {with_j - without_j:.1f} s")
    return with_j - without_j


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=10000, help="synthetic entries")
    ap.add_argument("--real-entries", type=int, default=400)
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="folder of the real documents (*.txt)")
    ap.add_argument("--only", choices=["real", "synthetic"])
    ap.add_argument("--before", metavar="REV", help="also measure the search of this commit")
    ap.add_argument("--skip-jieba", action="store_true")
    ap.add_argument("--quality-of", nargs=3, help=argparse.SUPPRESS)  # internal: one tree's real-text figures
    args = ap.parse_args()
    if args.quality_of:
        content, bodies, js = args.quality_of
        print(json.dumps(real_quality(Path(content), json.loads(Path(bodies).read_text(encoding="utf-8")), Path(js))))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        old = tree_at(args.before, tmp / "before-tree") if args.before else None
        if args.only != "synthetic":
            if not args.seeds.is_dir() or not any(args.seeds.glob("*.txt")):
                print(f"no seed documents in {args.seeds} (--seeds DIR, or --only synthetic)")
                return 2
            content, bodies = real_project(tmp / "real", args.seeds, args.real_entries)
            before = quality_in(old, content, bodies, tmp) if old else None
            now = quality_in(None, content, bodies, tmp)
            if before:
                print_quality(f"before ({args.before})", before)
            print_quality("now", now)
            rows += quality_rows(now, before)
        if args.only != "real":
            project = make(tmp / "ours", args.entries)
            before_s = None
            if old:
                copy = tmp / "before-site"
                shutil.copytree(project, copy, symlinks=True)
                before_s = synthetic(copy, old)
                shutil.rmtree(copy)
            now_s = synthetic(project, None)
            for label, s in (("before", before_s), ("now", now_s)):
                if s:
                    print(f"{label}: {len(QUERIES)} synthetic queries over {args.entries} entries "
                          "(query, expected, returned, correct):")
                    print("  " + "; ".join(f"{q} {e}/{g}/{c}" for q, e, g, c in s["quality"]))
                    print(f"  download per query (KB): {[round(x / 1024) for x in s['sizes']]}; "
                          f"keystroke -> results (ms): {[round(t) for t in s['times']]}")
            rows += synthetic_rows(now_s, before_s, None if args.skip_jieba else jieba_adds(project, tmp))
    report(rows)
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
