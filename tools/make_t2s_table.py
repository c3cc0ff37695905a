"""Write generator/data/t2s.json: Traditional -> Simplified, character by character.

Search folds both the indexed text and the reader's query to Simplified
characters (Traditional -> Simplified is many-to-one, so 發 and 髮 both fold to
发 and nothing is lost for matching), which lets a reader typing 图书馆 find
圖書館. The table is derived once from OpenCC's t2s conversion and committed;
the build and the browser read the same file, so OpenCC is needed only to
regenerate it:

    pip install opencc && python tools/make_t2s_table.py
"""

import json
from pathlib import Path

import opencc

RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF)]


def main() -> None:
    conv = opencc.OpenCC("t2s")
    table = {}
    for lo, hi in RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            out = conv.convert(ch)
            if out != ch and len(out) == 1:
                table[ch] = out
    path = Path(__file__).resolve().parents[1] / "generator" / "data" / "t2s.json"
    path.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                    encoding="utf-8")
    print(f"{len(table)} characters -> {path}")


if __name__ == "__main__":
    main()
