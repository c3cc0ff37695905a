"""Lighthouse scores (mobile preset) for the sample site's home, a listing and an entry page.

    .venv/bin/python benchmarks/lighthouse.py

Builds the sample knowledge base, serves it on localhost and runs Lighthouse (npm package,
installed on first use into .lighthouse/) with Debian's Chromium. Targets: accessibility,
best practices and SEO >= 95, performance >= 90.
"""

from __future__ import annotations

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
PAGES = {"home": "", "listing": "conference-reports/", "entry": "outreach/nkust-book-swap-festival/"}
TARGETS = {"performance": 90, "accessibility": 95, "best-practices": 95, "seo": 95}


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
        with serve(project / "site") as url:
            print(f"{'page':<8} " + " ".join(f"{k:>15}" for k in TARGETS))
            for name, path in PAGES.items():
                out = project / f"{name}.json"
                flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
                subprocess.run(["node", str(cli), url + path, "--quiet", "--output=json", f"--output-path={out}",
                                f"--chrome-flags={flags}", "--only-categories=" + ",".join(TARGETS)],
                               check=True, env={**os.environ, "CHROME_PATH": chromium})
                cats = json.loads(out.read_text())["categories"]
                scores = {k: round(cats[k]["score"] * 100) for k in TARGETS}
                failed |= any(scores[k] < t for k, t in TARGETS.items())
                print(f"{name:<8} " + " ".join(f"{scores[k]:>10} (>={TARGETS[k]})" for k in TARGETS))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
