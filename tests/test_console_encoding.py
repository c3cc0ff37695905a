"""Output redirected on Windows never crashes on a character its code page lacks (issue #27).

There, Python writes a redirected stdout in the locale's code page: cp950 in Taiwan, which has
Chinese but no emoji, cp1252 elsewhere, which has neither. PYTHONIOENCODING gives the same
streams here, so ``kb validate`` runs in a real process on a site whose problems are in Chinese
and quote a line with an emoji, its output going to files, as on a Windows runner or in
``kb validate > report.txt``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.engine import ENGINES, tolerant_io_encoding
from helpers import cli_project, entry_text, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = cli_project(tmp_path_factory.mktemp("encoding"))
    text = entry_text("tools").replace("\ntitle:", "\ntitle_x: 好 🙂\ntitle:", 1)  # an unknown key
    write(root / "content", "tools/bad-one.md", text)
    return root


def run(site: Path, encoding: str, *args: str, program: tuple[str, ...] = ("-m", "generator")) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "KB_LANG", "KB_DEBUG", "GITHUB_ACTIONS")}
    env.update(PYTHONIOENCODING=encoding, PYTHONPATH=str(ROOT))
    out, err = site / f"out-{encoding}.txt", site / f"err-{encoding}.txt"
    with out.open("wb") as o, err.open("wb") as e:  # redirected: files, not a terminal
        code = subprocess.run([sys.executable, *program, "--root", str(site), *args], stdout=o, stderr=e,
                              stdin=subprocess.DEVNULL, env=env, timeout=120).returncode
    return code, out.read_bytes(), err.read_bytes()


@pytest.mark.parametrize("program", [("-m", "generator"), ("-m", "generator.cli")], ids=["python -m generator", "kb"])
def test_cp1252_escapes_what_it_cannot_write(site, program):
    code, out, err = run(site, "cp1252", "validate", program=program)
    text, errors = out.decode("cp1252"), err.decode("cp1252")
    assert code == 1, text + errors  # content problems, as usual; not an internal error
    assert "Traceback" not in text + errors and "internal error" not in text + errors
    # file:line:column and the code as they are; the Chinese message as \uXXXX, which reads back
    assert "content/tools/bad-one.md:2:1: \\u932f\\u8aa4 [key-unknown] " in text
    assert "\\u4e0d\\u8a8d\\u5f97\\u7684\\u6b04\\u4f4d" in text  # 不認得的欄位
    assert "title_x: \\u597d \\U0001f642" in text
    assert text.encode("ascii", "strict")  # nothing a cp1252 reader cannot show


def test_cp1252_in_english_is_plain_english(site):
    code, out, err = run(site, "cp1252", "--lang", "en", "validate")
    text = out.decode("cp1252")
    assert code == 1 and b"Traceback" not in err
    assert "content/tools/bad-one.md:2:1: error [key-unknown] unknown key 'title_x' (did you mean: title, title_en?)" in text
    assert "checked 1 entr" in text.lower()


def test_cp950_keeps_its_chinese_and_escapes_the_emoji(site):
    code, out, err = run(site, "cp950", "validate")
    text = out.decode("cp950")  # strict: every byte is cp950
    assert code == 1 and b"Traceback" not in err and "internal error" not in text
    assert "錯誤 [key-unknown] 不認得的欄位「title_x」" in text
    assert "title_x: 好 \\U0001f642" in text


@pytest.mark.parametrize("encoding", ["cp1252", "cp950"])
def test_json_reads_back_as_the_same_text(site, encoding):
    """backslashreplace would write the emoji as \\U0001f642, which is no JSON: JSON goes out with
    JSON's own escapes when stdout is not UTF-8."""
    code, out, err = run(site, encoding, "--format", "json", "validate")
    assert code == 1 and b"Traceback" not in err
    [problem] = json.loads(out.decode(encoding))["problems"]
    assert problem["source"] == "title_x: 好 🙂" and problem["code"] == "key-unknown"
    code, out, _ = run(site, encoding, "schema", "tool")
    assert code == 0 and json.loads(out.decode(encoding))["title"] == "工具與網站 / Tools and websites"


def test_a_clean_site_exits_zero(tmp_path):
    root = cli_project(tmp_path)
    write(root / "content", "tools/good-one.md", entry_text("tools", title="好工具 🙂"))
    code, out, err = run(root, "cp1252", "validate")
    assert code == 0 and b"Traceback" not in out + err and b"\\u" in out  # the summary, escaped


def test_an_error_handler_of_the_users_own_is_kept(site):
    code, out, _ = run(site, "cp1252:replace", "validate")
    assert code == 1 and "title_x: ? ?" in out.decode("cp1252")


def test_without_it_the_same_output_crashes(site):
    """The simulation is real: kb without tolerant_streams, in the same streams, fails."""
    code, _, err = run(site, "cp1252", "validate", program=(
        "-c", "import sys, generator.cli as c; c.tolerant_streams = lambda: None; sys.exit(c.main(sys.argv[1:]))"))
    assert code == 1 and b"UnicodeEncodeError" in err


def test_the_engines_process_is_told_the_same():
    """kb build runs the engine as a child Python: its output never crashes either."""
    assert tolerant_io_encoding(None) == ":backslashreplace"
    assert tolerant_io_encoding("cp950") == "cp950:backslashreplace"
    assert tolerant_io_encoding("cp950:replace") == "cp950:replace"
    env = ENGINES["properdocs"].environment({**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert env["PYTHONIOENCODING"] == "cp1252:backslashreplace"
    child = subprocess.run([sys.executable, "-c", "print('好 🙂')"], env=env, capture_output=True, timeout=60)
    assert child.returncode == 0 and child.stdout.strip() == b"\\u597d \\U0001f642"
