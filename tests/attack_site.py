"""Public attack strings planted where a contributor can put text, as an attacker would:
every free-text front-matter field of every kind (nested and list fields too), the body,
and link and image targets. Shared by tests/test_attack.py and benchmarks/attack_bench.py.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.kinds import KINDS_BY_FOLDER
from generator.model.fields import ListOf, Object, Text
from helpers import entry_text, front_matter

EXECUTED = "KB-EXECUTED"
# Run in every frame before any script of the page: the ways the corpora's payloads announce
# themselves (alert, confirm, prompt, print) say so on the console, which the test counts
# (with Playwright's dialog events, in case a payload reaches a native dialog another way).
SENTINEL = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function () { console.log("KB-EXECUTED " + name + " " + location.href); };
}
"""


def text_paths(obj: Object, data: dict, prefix: tuple = ()) -> list[tuple]:
    """Paths (keys and list indexes) of every free-text value of ``data`` under schema ``obj``."""
    out = []
    fields = obj.field_map()
    for key, value in data.items():
        f = fields.get(key)
        if f is None:
            continue
        t = f.type
        if isinstance(t, Text):
            out.append(prefix + (key,))
        elif isinstance(t, Object) and isinstance(value, dict):
            out += text_paths(t, value, prefix + (key,))
        elif isinstance(t, ListOf) and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(t.item, Text):
                    out.append(prefix + (key, i))
                elif isinstance(t.item, Object) and isinstance(item, dict):
                    out += text_paths(t.item, item, prefix + (key, i))
    return out


def _set(data, path, value):
    for k in path[:-1]:
        data = data[k]
    data[path[-1]] = value


@dataclass
class Placement:
    rel: str  # entry file, relative to content/
    where: str  # "front matter: title", "body", "body line", "link target", "image target"
    payload: str
    corpus: str
    line: int  # where the payload stands in the file (its first line ...)
    end_line: int = 0  # ... and its last: a quoted value may span lines


@dataclass
class Corpus:
    placements: list[Placement] = field(default_factory=list)


def _lines_of(fm_text: str, path: tuple) -> tuple[int, int]:
    """File lines of the value at ``path`` (the front matter starts on line 2), counted in
    line feeds only, as an editor and our positions count them."""
    node = yaml.compose(fm_text, Loader=yaml.SafeLoader)
    for k in path:
        if isinstance(k, int):
            node = node.value[k]
        else:
            node = next(v for key, v in node.value if key.value == k)
    return (fm_text.count("\n", 0, node.start_mark.index) + 2, fm_text.count("\n", 0, node.end_mark.index) + 2)


def plant(content: Path, payloads: list[tuple[str, str]], prefix: str = "", bodies: bool = True,
          kinds: list[str] | None = None) -> Corpus:
    """Write entries into ``content`` with every (corpus, payload) in every text field of
    every kind (one payload per field; fields are filled in turn), in a body, and as a link
    and an image target. Every entry is otherwise valid."""
    corpus = Corpus()
    kinds = kinds or sorted(KINDS_BY_FOLDER)
    n = 0
    for folder in kinds:
        kind = KINDS_BY_FOLDER[folder]
        base = front_matter(folder)
        paths = text_paths(kind.schema, base)
        for start in range(0, len(payloads), len(paths)):
            data = copy.deepcopy(base)
            if "url" in data:
                data["url"] = f"https://example.org/attack/{prefix}{n}"  # tool addresses must differ
            chunk = payloads[start:start + len(paths)]
            markers = []
            for (name, payload), path in zip(chunk, paths):
                _set(data, path, payload)
                markers.append((path, name, payload))
            rel = f"{folder}/{prefix}fm-{n:04d}.md"
            n += 1
            fm = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
            text = "---\n" + fm + "---\n\n" + entry_text(folder).split("---\n", 2)[2]
            (content / rel).write_text(text, encoding="utf-8", newline="\n")
            for path, name, payload in markers:
                key = ".".join(str(p) for p in path if not isinstance(p, int))
                corpus.placements.append(Placement(rel, f"front matter: {key}", payload, name, *_lines_of(fm, path)))
    # Bodies and link targets: one entry of a kind without required sections per payload.
    for i, (name, payload) in enumerate(payloads if bodies else []):
        for where, body in (("body", f"段落開始 {payload} 段落結束。\n"),
                            ("body line", f"{payload}\n\n段落結束。\n"),  # a line of its own: a raw block
                            ("link target", f"請見[說明]({payload})。\n"),
                            ("image target", f"![圖]({payload})\n")):
            rel = f"answers/{where.replace(' ', '-')}-{i:04d}.md"
            text = entry_text("answers", body=body)
            (content / rel).write_text(text, encoding="utf-8", newline="\n")
            corpus.placements.append(Placement(rel, where, payload, name, text.count("\n", 0, text.find(body)) + 1))
    return corpus


_TAGGY = re.compile(r"<[a-zA-Z!/?]")


def looks_like_markup(payload: str) -> bool:
    return bool(_TAGGY.search(payload))


_ENGINE_MD = None


def page_refused(body: str) -> bool:
    """Would the build refuse the page of an entry with this body (``site-unclean``)? The body
    between the generator's markers and its blocks around it, stashed, converted with the
    site's Markdown extensions, restored and cleaned as the build does."""
    global _ENGINE_MD
    import markdown

    from generator.site.sanitize import BODY_END, BODY_START, UnsafePage, clean_entry_page
    from generator.site import rawblocks

    if _ENGINE_MD is None:
        _ENGINE_MD = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "admonition", "def_list", "toc"],
                                       extension_configs={"toc": {"permalink": True}})
    token = rawblocks.new_token()
    page = (f'<p class="kb-summary">x</p>\n\n{BODY_START}\n\n{body.strip()}\n\n{BODY_END}\n\n\n'
            '<p class="kb-source">y</p>\n')
    text, blocks = rawblocks.stash(page, token)
    try:
        clean_entry_page(rawblocks.restore(_ENGINE_MD.reset().convert(text), token, blocks))
    except (UnsafePage, rawblocks.Unrestored):
        return True
    return False
