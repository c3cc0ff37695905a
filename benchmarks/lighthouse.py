"""Lighthouse scores (mobile preset) for the sample site's home, a listing, an entry page and
the search page, in both languages.

    .venv/bin/python benchmarks/lighthouse.py

Builds the sample knowledge base, serves it on localhost as GitHub Pages serves a site
(text compressed with gzip, ``Cache-Control: max-age=600``) and runs Lighthouse (npm package,
installed on first use into .lighthouse/) with Debian's Chromium. Target: >= 95 in every
category, on every page of both languages.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS, require_chromium, serve  # noqa: E402
from sitebuild import mkdocs_build  # noqa: E402

VERSION = "13.5.0"
PREFIX = ROOT / ".lighthouse"
REPORTS = ROOT / "test-artifacts" / "lighthouse"
BASE = {"home": "", "listing": "conference-reports/", "entry": "outreach/nkust-book-swap-festival/",
        "search": "search/?q=%E9%A4%A8%E8%97%8F"}
PAGES = {**BASE, **{f"en-{name}": "en/" + path for name, path in BASE.items()}}
TARGETS = {"performance": 95, "accessibility": 95, "best-practices": 95, "seo": 95}
COMPRESSED = (".html", ".css", ".js", ".json", ".txt", ".xml", ".svg")  # what GitHub Pages sends gzipped


class _GitHubPagesLike(http.server.SimpleHTTPRequestHandler):
    """Files as GitHub Pages serves them: text compressed when the browser accepts it, cached
    for ten minutes. (Python's server sends everything as it is, which Lighthouse scores as
    slow for reasons a published site does not have.)"""

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the folder's redirect to its slash
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass





def lighthouse() -> Path:
    cli = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        subprocess.run(["npm", "install", "--prefix", str(PREFIX), f"lighthouse@{VERSION}", "--no-audit", "--no-fund",
                        "--loglevel=error"], check=True)
    return cli


def main() -> int:
    cli = lighthouse()
    chromium = require_chromium()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "content", project / "content")
        result = mkdocs_build(project)
        assert result.returncode == 0, result.stderr
        with serve(project / "site", _GitHubPagesLike) as url:
            print(f"{'page':<12} " + " ".join(f"{k:>15}" for k in TARGETS))
            for name, path in PAGES.items():
                out = REPORTS / f"{name}.json"  # kept: what Lighthouse found, audit by audit
                REPORTS.mkdir(parents=True, exist_ok=True)
                flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
                subprocess.run(["node", str(cli), url + path, "--quiet", "--output=json", f"--output-path={out}",
                                f"--chrome-flags={flags}", "--only-categories=" + ",".join(TARGETS)],
                               check=True, env={**os.environ, "CHROME_PATH": chromium})
                cats = json.loads(out.read_text())["categories"]
                scores = {k: round(cats[k]["score"] * 100) for k in TARGETS}
                failed |= any(scores[k] < t for k, t in TARGETS.items())
                print(f"{name:<12} " + " ".join(f"{scores[k]:>10} (>={TARGETS[k]})" for k in TARGETS))
                report = json.loads(out.read_text())
                for category, target in TARGETS.items():
                    if scores[category] < target:  # what cost the points
                        ids = [r["id"] for r in report["categories"][category]["auditRefs"] if r.get("weight")]
                        lost = [(i, report["audits"][i].get("displayValue", "")) for i in ids
                                if (report["audits"][i].get("score") or 0) < 0.9
                                and report["audits"][i].get("scoreDisplayMode") not in ("notApplicable", "informative")]
                        print(f"{'':<12}   {category}: {lost}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
