"""Search benchmark on the synthetic corpus: recall, precision, bytes downloaded, latency, build time.

    .venv/bin/python benchmarks/search_bench.py --entries 10000 [--skip-jieba]

- Recall and precision of the index (the same algorithm the browser runs, read back from the
  built files) over 40+ zh-TW queries, against the corpus itself: an entry is expected when its
  searchable text contains every term of the query.                  recall >= 98 %, precision >= 90 %
- Bytes the browser downloads (headless Chromium against the built site on localhost) for the
  first query and each further query.                                 <= 300 KB, then <= 150 KB
- Time from the keystroke to the results shown, in Chromium.          < 300 ms
- Index build time against the time jieba adds to a plain Material build (the same Markdown,
  built with and without jieba importable).                           <= 0.5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from scale_bench import ENV, KB, PY, measured, plain_material, report  # noqa: E402
from synth import make  # noqa: E402

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


def evaluate(files: dict[str, str]) -> list[tuple[str, int, int, int]]:
    """(query, expected, returned, correct) for every query."""
    from generator.search import LocalIndex, fold

    index = LocalIndex(files)
    texts = {int(p[2:-4]): fold(t) for p, t in files.items() if p.startswith("t/")}
    out = []
    for q in QUERIES:
        terms = fold(q).split()
        expected = {i for i, t in texts.items() if all(term in t for term in terms)}
        got = set(index.search(q))
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--skip-jieba", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        project = make(tmp / "ours", args.entries)
        subprocess.run([KB, "build"], cwd=project, env=ENV, capture_output=True, check=True)
        site = project / "site"
        files = {p.relative_to(site / "search").as_posix(): p.read_text(encoding="utf-8")
                 for p in (site / "search").rglob("*") if p.suffix in (".json", ".txt")}
        results = evaluate(files)
        exp = sum(r[1] for r in results)
        ret = sum(r[2] for r in results)
        cor = sum(r[3] for r in results)
        print(f"{len(QUERIES)} queries over {args.entries} entries:")
        for q, e, g, c in results:
            print(f"  {q:<12} expected {e:5}  returned {g:5}  correct {c:5}")
        recall, precision = cor / max(exp, 1), cor / max(ret, 1)
        worst_r = min((c / e for _, e, _, c in results if e), default=1)
        worst_p = min((c / g for _, _, g, c in results if g), default=1)
        rows.append(("recall (all queries; worst query)", f"{recall:.1%} ({worst_r:.1%})", ">= 98 %", recall >= 0.98))
        rows.append(("precision (all queries; worst query)", f"{precision:.1%} ({worst_p:.1%})", ">= 90 %",
                     precision >= 0.90))

        sample = ["館藏", "資訊素養", "國家圖書館", "Koha 系統", "图书馆", "閱讀推廣活動", "志工 閱讀", "少子化"]
        sizes, times = browser_figures(site, sample)
        rows.append(("download, first query", f"{sizes[0] / 1024:.0f} KB", "<= 300 KB", sizes[0] <= 300 * 1024))
        rows.append(("download, further queries (max)", f"{max(sizes[1:]) / 1024:.0f} KB", "<= 150 KB",
                     max(sizes[1:]) <= 150 * 1024))
        rows.append(("keystroke -> results (median; max)", f"{statistics.median(times):.0f} ms ({max(times):.0f})",
                     "< 300 ms", max(times) < 300))

        from generator.indexing import load_knowledge_base
        from generator.search import build_index

        kb = load_knowledge_base(project / "content")
        t = time.perf_counter()
        build_index(kb)
        index_s = time.perf_counter() - t
        if not args.skip_jieba:
            plain = plain_material(project, tmp / "plain")
            with_j, _, _ = measured([PY, "-m", "mkdocs", "build", "-q"], plain)
            shim = tmp / "no-jieba"
            shim.mkdir()
            (shim / "jieba.py").write_text("raise ImportError('jieba disabled for the baseline')\n")
            env = {**ENV, "PYTHONPATH": str(shim)}
            t = time.perf_counter()
            subprocess.run([PY, "-m", "mkdocs", "build", "-q"], cwd=plain, env=env, check=True, capture_output=True)
            without_j = time.perf_counter() - t
            added = with_j - without_j
            print(f"plain Material: {with_j:.1f} s with jieba, {without_j:.1f} s without: jieba adds {added:.1f} s")
            rows.append(("index build / time jieba adds", f"{index_s / added:.2f} ({index_s:.1f} s)", "<= 0.5",
                         index_s / added <= 0.5))
        else:
            rows.append(("index build", f"{index_s:.1f} s", "(jieba baseline skipped)", True))
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
