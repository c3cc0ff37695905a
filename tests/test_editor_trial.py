"""A librarian's trial of the web editor, replayed in Debian's Chromium through the real editor
(``kb edit`` on a temporary copy of a tiny knowledge base): nothing is stored that differs from
what was typed without her being told, and every check kb validate makes is shown in the form,
beside the box it concerns, by its label (issue #24).

What she met: dates typed as 2026/10/5 stored as 1905-02-02, 約400人 stored as 400, a save that
said 已儲存內容 while the problems went to the terminal, an empty contact and empty sections
saved, a paragraph typed after a heading that became the heading, a photo renamed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.browser import chromium, recording_page
from tests.helpers import entry_text, new_content, write
from tests.sitebuild import commit_all, write_config
from tests.test_editor import ARTIFACTS, POSTER, _split, _until, field, kb_edit, open_admin, pick

ROOT = Path(__file__).resolve().parents[1]
SLUG = "picture-book-week"

pytestmark = pytest.mark.skipif(not (ROOT / "node_modules" / "decap-server").is_dir(),
                                reason="npm ci installs decap-server (make test does)")


@pytest.fixture
def tiny(tmp_path):
    """A knowledge base of two entries (one outreach event, one tool) in a Git repository."""
    project = tmp_path / "kb"
    content = new_content(project)
    write(content, "tools/ifla.md", entry_text("tools"))
    write(content, "outreach/book-swap/index.md", entry_text("outreach"))
    write_config(project)
    commit_all(project)
    return project


def typed_status(page, label: str) -> str:
    """What the box says beside it: the value to be stored, or why it is refused."""
    box = field(page, label)
    return box.locator("xpath=ancestor::div[contains(@class,'kb-typed-box')][1]").locator(".kb-typed").inner_text()


def save_now(page) -> None:
    """kb edit without --workflow: 儲存 → 立即儲存 (Decap's publish, which writes into content/)."""
    page.get_by_role("button", name="儲存", exact=True).first.click()
    page.get_by_text("立即儲存", exact=True).click()


def summary(page) -> str:
    return page.locator(".kb-checks").inner_text()


def marks(page, label: str) -> str:
    """The messages Decap shows under a box (its error list), found by the box's label."""
    name = page.locator("label[for]").filter(has_text=re.compile("^" + re.escape(label))).first
    errors = name.locator("xpath=following-sibling::ul[contains(@class,'-ControlErrorsList')]")
    return " ".join(errors.all_inner_texts())


def body_editor(page):
    return page.locator("[data-slate-editor]")


def write_under(page, heading: str, text: str) -> None:
    """Click the paragraph under a heading (the template's placeholder), and type over it. The
    deletion is checked before typing, and the selection made again if Slate had not read it yet
    (on a loaded machine 200 ms was once not enough, and the text went after the placeholder)."""
    editor = body_editor(page)
    para = editor.locator("xpath=.//h2[contains(., '%s')]/following-sibling::*[1]" % heading)
    for _ in range(5):
        select_block(page, para)
        page.keyboard.press("Backspace")
        if "請填寫" not in para.inner_text():
            break
    assert "請填寫" not in para.inner_text(), f"the placeholder under {heading} was not deleted"
    if text:
        page.keyboard.type(text)


def select_block(page, block) -> None:
    """Select a paragraph's whole text, as a drag over it would."""
    block.click()
    block.evaluate("""e => { const r = document.createRange(); r.selectNodeContents(e);
                             const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""")
    page.wait_for_timeout(200)  # Slate reads the selection on selectionchange


def delete_placeholder(page, heading: str) -> None:
    """The template's placeholder left under a paragraph of one's own: deleted, line and all."""
    placeholder = re.compile(r"<請填寫 Fill in: body " + heading)
    for _ in range(5):
        para = body_editor(page).locator("p", has_text=placeholder)
        if para.count() == 0:
            return
        select_block(page, para.first)
        page.keyboard.press("Backspace")
        if body_editor(page).locator("p", has_text=placeholder).count() == 0:
            page.keyboard.press("Backspace")  # its text gone: the emptied line goes too
            return
    assert body_editor(page).locator("p", has_text=placeholder).count() == 0, f"the placeholder of {heading} stayed"


def test_the_trial_is_refused_or_converted_in_place_and_nothing_wrong_is_stored(tiny, tmp_path_factory):
    photo = tmp_path_factory.mktemp("upload") / "繪本週 現場.png"  # as a phone names it
    shutil.copyfile(POSTER, photo)
    saved = tiny / "content" / "outreach" / SLUG / "index.md"
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser, recording_page(browser) as page, kb_edit(tiny, workflow=False) as admin:
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        open_admin(page, admin, "#/collections/outreach/new")
        page.wait_for_selector("text=英文短名")

        # The words match CONTRIBUTING: without --workflow the button says 儲存, never 發布.
        toolbar = page.locator("[class*='-ToolbarContainer']").first.inner_text()
        assert "儲存" in toolbar and "發布" not in toolbar, toolbar

        # Dates as she typed them: each converted, and the stored value said beside the box.
        for typed, stored in (("2026/10/5", "2026-10-05"), ("2026-10-5", "2026-10-05"), ("2026.10.5", "2026-10-05"),
                              ("115/10/5", "2026-10-05"), ("115年10月5日", "2026-10-05"),
                              ("2026年10月5日", "2026-10-05"), ("2026-10-05", "2026-10-05")):
            field(page, "開始日期").fill(typed)
            said = typed_status(page, "開始日期")
            assert f"將儲存為 {stored}" in said, (typed, said)
        assert "民國 115 年" in (field(page, "開始日期").fill("115/10/11") or typed_status(page, "開始日期"))
        # What cannot be a date is refused in place, with the reason.
        for typed, reason in (("2026/2/30", "只有 28 天"), ("1905-02-02", "1950"), ("2026/13/1", "月份 13"),
                              ("26/10/5", "兩位數")):
            field(page, "開始日期").fill(typed)
            said = typed_status(page, "開始日期")
            assert reason in said and "將儲存為" not in said, (typed, said)
        field(page, "開始日期").fill("2026/10/11")
        field(page, "結束日期").fill("115/10/5")  # before the start: the order is checked at save
        field(page, "撰寫日期").fill("2026.10.1")

        # 約400人 is refused in place with the one rule, as any estimate or a word that is not the
        # box's unit; its own unit is read and left out, and the number to be stored is said.
        for typed in ("約400人", "~400", "400以上", "400本"):
            field(page, "參與人次").fill(typed)
            said = typed_status(page, "參與人次")
            assert "只填數字（阿拉伯數字），不要加單位或「約」" in said and "將儲存為" not in said, (typed, said)
        field(page, "參與人次").fill("400人")
        assert "將儲存為 400" in typed_status(page, "參與人次")
        field(page, "參與人次").fill("約400人")

        field(page, "英文短名").fill(SLUG)
        field(page, "標題").fill("繪本週：親子共讀活動")
        field(page, "摘要").fill("一週的繪本共讀與說故事活動。")
        pick(page, "標籤", "推廣服務")
        page.get_by_role("button", name="新增作者 Authors").click()
        field(page, "作者").last.fill("陳美玲")
        pick(page, "所屬機構", "國立公共資訊圖書館")
        pick(page, "對象", "兒童")
        pick(page, "活動類型", "說故事")

        # Enter after a prefilled heading starts a paragraph of its own.
        editor = body_editor(page)
        editor.locator("h2").first.click()
        page.keyboard.press("End")
        page.keyboard.press("Enter")
        page.keyboard.type("活動前兩週開始宣傳。")
        assert editor.locator("h2").first.inner_text().strip() == "規劃 Plan"
        assert editor.locator("xpath=.//h2[1]/following-sibling::*[1]").inner_text() == "活動前兩週開始宣傳。"
        # A heading made by mistake goes back to text with 內文.
        editor.locator("xpath=.//h2[1]/following-sibling::*[1]").click()
        page.get_by_role("button", name="標題", exact=True).click()
        page.get_by_text("標題 3", exact=True).click()
        assert editor.locator("h3").count() == 1
        editor.locator("h3").click()
        page.locator("[class*='-ControlContainer'] .kb-paragraph").dispatch_event("mousedown")
        _until(lambda: editor.locator("h3").count() == 0, seconds=5, what="內文 turns the heading back")

        # The photo with a Chinese name and a space.
        page.get_by_role("button", name="新增附件 Attachments").click()
        page.get_by_role("button", name="選擇一個檔案").click()
        page.locator("input[type=file]").set_input_files(str(photo))
        page.get_by_text("現場.png").first.wait_for()
        assert not page.get_by_text("index.md", exact=True).count(), "the media dialog lists no entry file"
        page.get_by_role("button", name="選擇已選擇的項目").click()
        field(page, "說明").fill("活動現場")
        pick(page, "類型", "照片")

        # Saved with the contact empty, the sections as the template left them, the number with
        # its unit and the dates out of order: refused, every problem listed and marked.
        save_now(page)
        _until(lambda: "還沒有儲存" in summary(page), what="the summary", page=page)
        listed = summary(page)
        page.screenshot(path=str(ARTIFACTS / "editor-trial-refused.png"), full_page=True)
        for label, words in (("聯絡方式", "至少要填一項"), ("參與人次", "只填數字"), ("結束日期", "早於開始日期"),
                             ("成果", "範本的提示文字"), ("檢討", "範本的提示文字")):
            assert label in listed and words in listed, (label, listed)
        assert "contact.email" not in listed and "加上一行" not in listed, listed
        # Her paragraph went under 規劃's heading; the template's line below it is still there.
        assert "內文 › 規劃 Plan" in listed, listed
        assert "至少要填一項" in marks(page, "聯絡方式")
        assert "早於開始日期" in marks(page, "結束日期")
        assert not saved.exists(), "nothing is written while a problem remains"

        # Fixed one by one: the list follows.
        field(page, "參與人次").fill("1,412")
        assert "將儲存為 1412" in typed_status(page, "參與人次")
        field(page, "結束日期").fill("2026/10/17")
        field(page, "電子郵件").fill("reading@library.example.org")
        delete_placeholder(page, "規劃")
        write_under(page, "成果", "共 412 人次參加，借出繪本 300 冊。")
        # 檢討 left empty: a required section with nothing under it is refused too.
        write_under(page, "檢討", "")
        # A related entry that does not exist: only kb validate itself knows (kb edit asks it).
        page.get_by_role("button", name="新增相關條目 Related entries").click()
        field(page, "相關條目").last.fill("tools/does-not-exist")
        save_now(page)
        _until(lambda: "檢討" in summary(page) and "段落是空的" in summary(page), what="the empty section", page=page)
        assert "成果" not in summary(page)
        assert not saved.exists()
        heading = body_editor(page).locator("h2", has_text="檢討")
        heading.click()
        page.keyboard.press("End")
        page.keyboard.press("Enter")  # a paragraph of its own under the heading
        page.keyboard.type("下次提早借場地。")
        save_now(page)
        _until(lambda: "tools/does-not-exist" in summary(page), seconds=60, what="kb validate's own check", page=page)
        listed = summary(page)
        assert "相關條目" in listed and "tools/does-not-exist" in listed, listed
        assert "related" not in listed.replace("Related", ""), listed
        assert not saved.exists(), "kb validate's error stops the save too"

        related = field(page, "相關條目").last
        related.click()  # Decap's text box, focused, keeps the selection fill() makes
        related.fill("tools/ifla")  # the entry she meant
        save_now(page)
        _until(saved.is_file, seconds=60, what="the saved entry", page=page)
        _until(lambda: "沒有發現錯誤" in summary(page), seconds=60, what="kb validate on the saved file", page=page)
        page.screenshot(path=str(ARTIFACTS / "editor-trial-saved.png"), full_page=True)
        # Decap rejects a refused save with a bare value (undefined, or its failure action): no
        # script error of ours or of Decap's beyond that.
        assert all(e in ("undefined", "Object") for e in errors), errors

    fm, body = _split(saved.read_text(encoding="utf-8"))
    assert fm["start_date"] == dt.date(2026, 10, 11) and fm["end_date"] == dt.date(2026, 10, 17)
    assert fm["date"] == dt.date(2026, 10, 1)
    assert fm["attendance"] == 1412
    assert fm["contact"] == {"email": "reading@library.example.org", "consent": False}
    assert fm["attachments"] == [{"file": "繪本週 現場.png", "title": "活動現場", "type": "photo"}]
    assert fm["related"] == ["tools/ifla"]
    assert (saved.parent / "繪本週 現場.png").read_bytes() == POSTER.read_bytes(), "the photo keeps its name"
    assert not (saved.parent / "繪本週-現場.png").exists()
    assert "kb_checks" not in fm
    assert re.search(r"^## 規劃 Plan\n\n活動前兩週開始宣傳。\n", body, re.M), body
    assert "共 412 人次參加" in body and "下次提早借場地。" in body and "請填寫" not in body
    check = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(tiny), "--lang", "en", "validate"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_published_editor_says_what_contributing_says(tiny):
    """With the editorial workflow (the published site, kb edit --workflow) a new entry is saved
    as a draft with 儲存, one button (CONTRIBUTING, way E); Decap's own words there are kept."""
    with chromium() as browser, recording_page(browser) as page, kb_edit(tiny, workflow=True) as admin:
        open_admin(page, admin, "#/collections/tool/new")
        page.wait_for_selector("text=英文短名")
        toolbar = page.locator("[class*='-ToolbarContainer']").first.inner_text()
        assert toolbar.split("\n")[-1] == "儲存", toolbar
        page.get_by_role("button", name="儲存", exact=True).click()
        _until(lambda: "還沒有儲存" in summary(page), what="the checks before a draft is saved", page=page)
        assert not page.get_by_text("立即儲存").count()


ENGLISH = re.compile(r"\b(No options|Select\.\.\.|Clear|Today|Now|UTC|Loading\.\.\.|Expand|Collapse|Close|"
                     r"Copy|Strikethrough|Rich Text|Toggle)\b")


def test_the_editor_speaks_chinese_and_says_each_label_once(tiny):
    """No English of Decap's left in the form (labels are ours, zh-TW then English); a label
    whose two languages are the same is said once (LINE, not LINE LINE); the preview pane shows
    no null for an empty item; a backspace in a tag's filter keeps the chosen tags."""
    with chromium() as browser, recording_page(browser) as page, kb_edit(tiny, workflow=False) as admin:
        open_admin(page, admin, "#/collections/outreach/new")
        page.wait_for_selector("text=英文短名")
        pick(page, "標籤", "推廣服務", "資訊素養")
        box = field(page, "標籤")
        box.fill("沒有這個標籤xyz")
        menu = page.locator("[class*='-menu']").first
        menu.wait_for()
        assert "沒有符合的選項" in menu.inner_text()
        box.fill("")
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
        chosen = page.locator("[class*='-multiValue']").all_inner_texts()
        assert any("推廣服務" in c for c in chosen) and any("資訊素養" in c for c in chosen), chosen
        marketing = field(page, "宣傳管道")
        marketing.click()
        options = page.locator("[class*='-option']").all_inner_texts()
        assert "LINE" in options and not any(o.count("LINE") > 1 for o in options), options
        page.keyboard.press("Escape")
        page.get_by_role("button", name="新增合作夥伴 Partners").click()  # an empty item
        page.get_by_role("button", name="新增合作夥伴 Partners").click()
        field(page, "合作夥伴").last.fill("高雄市立圖書館")
        frame = page.frames[1]
        _until(lambda: "高雄市立圖書館" in frame.locator("body").inner_text(), seconds=10, what="the preview pane")
        assert "null" not in frame.locator("body").inner_text()
        text = page.locator("body").inner_text()
        found = sorted(set(ENGLISH.findall(text)))
        assert not found, found

        # The media dialog of an entry that is one file in its kind's folder: the other entries'
        # .md files beside it are not offered.
        open_admin(page, admin, "#/collections/tool/entries/ifla")
        page.get_by_role("button", name="新增附件 Attachments").click()
        page.get_by_role("button", name="選擇一個檔案").click()
        page.get_by_role("button", name="上傳新內容").wait_for()
        time.sleep(1)
        dialog = page.locator("[class*='-StyledModal'], [role='dialog']").last.inner_text()
        assert "上傳新內容" in dialog and ".md" not in dialog, dialog
