"""The slowest bodies: generated inputs and the public lists, rendered as the build renders them.

    .venv/bin/python benchmarks/body_bench.py [--seconds 120] [--size 8000] [--top 20]

Python-Markdown is pure Python: some inputs make it slow (its time grows with the square of
some constructs) or overflow the stack (it recurses on others), and one such entry would stop
or stall every build. This looks for them the way an outsider would:

- generated inputs: a short unit of Markdown's syntax characters (and a few multi-character
  tokens: list, quote and definition markers, a footnote, a URL), repeated to ``--size``
  characters, drawn at random for ``--seconds``, plus every unit of one and two characters;
- every payload of ``../shared/attack/`` as it is (in a paragraph, and on a line of its own),
  and ``--repeat`` of them (a deterministic sample) repeated to the same size.

Each body is validated (``check_body``) and rendered with the site's Markdown extensions,
cleaned (ammonia) and reduced to search text, timed per body. Prints the slowest bodies with
what validation says of them, and the slowest body validation accepts, next to a plain body
of the same size: that ratio is the figure to watch. Exit 1 if a body validation accepts
crashes the renderer.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from generator.site.sanitize import clean_body, text_only  # noqa: E402
from generator.validation.body import check_body  # noqa: E402

ALPHABET = list("`*_[]()!<>&#\\|:~-{}= a\t") + ["\n", "\n\n", "    ", "\n:   ", "\n- ", "\n> ", "1. ", "http://x ",
                                                  "[^1]", "**", "``", "!["]


class _Raw:
    """The little of a raw entry that check_body reads."""

    class source:
        path = "content/answers/bench.md"

    class kind:
        sections: list = []

    rel = "answers/bench.md"
    abs_path = Path("/nonexistent/content/answers/bench.md")


def measure(md: markdown.Markdown, body: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        text_only(clean_body(md.reset().convert(body)))
        outcome = "ok"
    except Exception as exc:  # RecursionError, MemoryError, or Markdown's ValueError on odd raw HTML
        outcome = type(exc).__name__
    return time.perf_counter() - started, outcome


def units(seconds: float, seed: int):
    for a in ALPHABET:
        yield a
    for a, b in itertools.product(ALPHABET, repeat=2):
        yield a + b
    r = random.Random(seed)
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        yield "".join(r.choice(ALPHABET) for _ in range(r.randint(3, 7)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=120, help="time spent on random units (default 120)")
    ap.add_argument("--size", type=int, default=8000, help="characters per body (default 8,000)")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=300, help="payloads of each public list repeated to --size")
    args = ap.parse_args()
    try:  # a body that makes the renderer take gigabytes is a finding, not the end of the machine
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    except (ImportError, ValueError, OSError):
        pass
    md = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "admonition", "def_list", "toc"],
                           extension_configs={"toc": {"permalink": True}})
    plain = "一段平常的文字，有**粗體**與[連結](https://example.org/)。\n\n"
    base, _ = min(measure(md, plain * (args.size // len(plain))) for _ in range(5))
    sources: list[tuple[str, str, str]] = [("generated", u, u * max(1, args.size // len(u)))
                                           for u in units(args.seconds, args.seed)]
    try:
        import attack_corpus
        for name, p in attack_corpus.payloads(None):
            sources += [(name, p, f"前文 {p} 後文\n"), (name, p, f"{p}\n\n後文。\n")]
        sources += [(name, p, p * max(1, args.size // len(p))) for name, p in attack_corpus.payloads(args.repeat)]
    except Exception as exc:  # the lists live beside the clone; without them, generated inputs only
        print(f"(public lists not read: {exc})")
    rows = []
    for origin, unit, body in sources:
        seconds, outcome = measure(md, body)
        if seconds > 0.05 or outcome != "ok":
            codes = sorted({p.code for p in check_body(_Raw, body, 1)[0]
                            if p.code.startswith("body-") or p.code in ("raw-html", "link-unsafe")})
            rows.append((seconds if outcome == "ok" else float("inf"), origin, unit, outcome, codes))
    rows.sort(key=lambda r: r[0], reverse=True)
    print(f"bodies tried: {len(sources)} (generated ones {args.size:,} characters each); "
          f"plain body of that size: {base * 1000:.1f} ms")
    print(f"{'seconds':>8} {'x plain':>8}  {'validation':<22} {'origin':<11} unit")
    for seconds, origin, unit, outcome, codes in rows[:args.top]:
        shown = outcome if outcome != "ok" else f"{seconds:.3f}"
        ratio = "-" if outcome != "ok" else f"{seconds / base:.0f}"
        print(f"{shown:>8} {ratio:>8}  {(', '.join(codes) or 'accepted'):<22} {origin:<11} {unit[:60]!r}")
    accepted = [r for r in rows if not r[4]]
    crashed = [r for r in accepted if r[3] != "ok"]
    worst = max((r for r in accepted if r[3] == "ok"), default=None, key=lambda r: r[0])
    if worst:
        print(f"slowest body validation accepts: {worst[0]:.3f} s = {worst[0] / base:.0f} x a plain body "
              f"({worst[1]}: {worst[2][:40]!r})")
    print(f"bodies validation accepts that crash the renderer: {len(crashed)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
