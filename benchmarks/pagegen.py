"""Page generation alone (no engine): seconds to produce every page's Markdown from a loaded
knowledge base, for the code of one source tree. Run by scale_bench.py once for this tree and
once for an earlier commit, side by side in one run.

    python benchmarks/pagegen.py PROJECT_DIR      # with PYTHONPATH set to the tree to measure

Prints: CPU seconds (the faster of two runs) pages bytes
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path


def main() -> None:
    project = Path(sys.argv[1])
    try:  # generator/ in packages by layer
        from generator.knowledge.history import read_history
        from generator.knowledge.indexing import load_knowledge_base
        from generator.model.siteinfo import SiteInfo
    except ImportError:  # before (every module at the top of generator/)
        from generator.history import read_history  # type: ignore[no-redef]
        from generator.indexing import load_knowledge_base  # type: ignore[no-redef]
        from generator.siteinfo import SiteInfo  # type: ignore[no-redef]

    site = SiteInfo()
    history = read_history(project, pathspec="content")
    try:  # this tree: views over a site context
        from generator.site.context import SiteContext
        from generator.site.views import iter_pages

        kb = load_knowledge_base(project / "content", today=site.now_date())

        def pages():
            return iter_pages(kb, SiteContext(site, history))
    except ImportError:  # before the views: one SiteBuilder
        from generator.pages import SiteBuilder

        kb = load_knowledge_base(project / "content")

        def pages():
            return SiteBuilder(kb, site, history).iter_pages()
    gc.collect()
    best = None
    for _ in range(2):  # the faster of two runs: the first warms caches of the knowledge base
        t = time.process_time()
        count = size = 0
        for page in pages():
            count += 1
            size += len(page.markdown)
        took = time.process_time() - t
        best = took if best is None else min(best, took)
    print(f"{best:.3f} {count} {size}")


if __name__ == "__main__":
    main()
