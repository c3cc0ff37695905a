"""Every problem code, with its message and fix hint in zh-TW and English.

Codes are stable: tools, tests and the contributor guide refer to them.
A test checks that every code raised anywhere is in this catalogue and that
every text formats with the parameters its problem carries.
"""

from __future__ import annotations

LANGS = ("zh-TW", "en")

# code: (zh message, zh hint, en message, en hint)
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    # -- files ---------------------------------------------------------------
    "file-unreadable": ("無法讀取檔案：{reason}", "確認檔案存在且有讀取權限。",
                        "cannot read the file: {reason}", "check that the file exists and is readable."),
    "file-too-large": ("檔案太大（{size} 位元組，上限 {limit}）", "條目內文請精簡；大型資料請改放附件。",
                       "file is too large ({size} bytes, limit {limit})", "shorten the entry; put large material in attachments."),
    "file-binary": ("這不是文字檔（含有二進位內容）", "條目必須是 UTF-8 文字的 Markdown 檔。",
                    "this is not a text file (binary content)", "an entry must be a UTF-8 Markdown text file."),
    "file-encoding": ("檔案不是 UTF-8 編碼（此處有無法解讀的位元組）", "用編輯器「另存為 UTF-8」後再送出，例如 VS Code 右下角的編碼選項。",
                      "the file is not UTF-8 (undecodable bytes here)", "save the file as UTF-8 (e.g. VS Code: the encoding button, bottom right)."),
    "file-empty": ("檔案是空的", "用 `kb new 種類` 產生範本再填寫。",
                   "the file is empty", "start from a template: `kb new KIND`."),
    "file-symlink": ("不接受符號連結", "請放入實際檔案，不要用捷徑或符號連結。",
                     "symbolic links are not accepted", "put the real file here, not a link to it."),
    "content-missing": ("找不到 content/ 資料夾", "請在專案根目錄執行，或用 --root 指定。",
                        "content/ folder not found", "run from the project root or pass --root."),
    "kind-unknown": ("「{folder}」不是已知的條目種類資料夾", "條目要放在這些資料夾之一：{kinds}。",
                     "'{folder}' is not a known entry-kind folder", "entries belong in one of: {kinds}."),
    "stray-file": ("種類資料夾中有非 Markdown 檔案", "附件要和條目放在同一個資料夾：{folder}/條目代稱/index.md 加上附件檔。",
                   "a non-Markdown file in a kind folder", "attachments go in the entry's own folder: {folder}/SLUG/index.md plus the files."),
    "bundle-no-index": ("資料夾裡沒有 index.md", "有附件的條目是一個資料夾，條目內容寫在其中的 index.md。",
                        "the folder has no index.md", "an entry with attachments is a folder whose text is in index.md."),
    "slug-invalid": ("檔名「{slug}」不能當網址", "檔名（或資料夾名）只用小寫英文字母、數字與連字號，例如 ala-2022-annual；且不可用 index、page 等保留字。",
                     "the name '{slug}' cannot be used in a URL", "use lower-case letters, digits and hyphens only (e.g. ala-2022-annual), not a reserved word such as index or page."),
    "duplicate-slug": ("代稱「{slug}」與 {other} 重複", "同一種類中每個條目的檔名要不同；請改其中一個。",
                       "the name '{slug}' is already used by {other}", "each entry of a kind needs its own name; rename one of them."),
    # -- front matter ----------------------------------------------------------
    "fm-missing": ("檔案開頭沒有 YAML 前置資料（應以 --- 開始）", "第一行寫 ---，接著填欄位，再以 --- 結束；可用 `kb new 種類` 產生範本。",
                   "no YAML front matter at the top (it must start with ---)", "put --- on the first line, the fields, then --- again; `kb new KIND` writes a template."),
    "fm-unclosed": ("前置資料沒有結束的 ---", "在最後一個欄位之後加上一行 ---，再寫正文。",
                    "the front matter is not closed by ---", "add a line with --- after the last field, then the body."),
    "fm-too-large": ("前置資料太大（上限 {limit} 位元組）", "長篇內容請寫在正文，不要放在欄位裡。",
                     "the front matter is too large (limit {limit} bytes)", "put long text in the body, not in fields."),
    "fm-empty": ("前置資料是空的", "在兩行 --- 之間填入必填欄位。",
                 "the front matter is empty", "fill in the required fields between the two --- lines."),
    "yaml-not-mapping": ("前置資料必須是「欄位: 值」的形式", "每行寫成 `欄位名稱: 內容`，例如 `title: 2022 ALA 年會報告`。",
                         "the front matter must be a set of `key: value` lines", "write each line as `key: value`, e.g. `title: ALA 2022 annual conference`."),
    "yaml-syntax": ("YAML 語法錯誤：{detail}", "常見原因：冒號後少了空格、內容含有「: 」或「#」卻沒加引號、縮排不一致。含特殊字元的內容請用雙引號括起來。",
                    "YAML syntax error: {detail}", "common causes: no space after a colon, a value containing ': ' or '#' without quotes, uneven indentation. Quote values with special characters."),
    "yaml-tab": ("YAML 不能用 Tab 鍵縮排", "把這一行開頭的 Tab 換成空格（建議每層 2 個空格）。",
                 "YAML cannot be indented with tabs", "replace the tab at the start of this line with spaces (2 per level)."),
    "yaml-control-char": ("這裡有看不見的控制字元 {char}", "刪除這個字元；它常是從 PDF 或網頁複製時夾帶的。",
                          "an invisible control character {char} is here", "delete it; it often comes along when copying from a PDF or web page."),
    "yaml-alias": ("不接受 YAML 錨點或別名（& 與 *）", "請直接寫出內容；若值以 & 或 * 開頭，請用引號括起來。",
                   "YAML anchors and aliases (& and *) are not accepted", "write the value out; if it starts with & or *, put it in quotes."),
    "yaml-too-deep": ("前置資料巢狀太深（上限 {limit} 層）", "條目欄位最多只有兩三層，請檢查縮排。",
                      "the front matter nests too deep (limit {limit})", "entry fields nest two or three levels at most; check the indentation."),
    "yaml-duplicate-key": ("欄位「{key}」重複出現（第一次在第 {first} 行）", "刪除其中一個；YAML 會默默只保留最後一個。",
                           "the key '{key}' appears twice (first on line {first})", "remove one of them: YAML would silently keep only the last."),
    "yaml-complex-key": ("欄位名稱必須是簡單文字", "每行寫成 `欄位名稱: 內容`。",
                         "keys must be plain words", "write each line as `key: value`."),
    "yaml-coerced": ("「{field}」的值 {value} 會被 YAML 當成{yaml_type}而非文字", "用雙引號括起來，例如 {field}: \"{value}\"。",
                     "the value {value} of '{field}' would be read by YAML as a {yaml_type}, not text", "put it in double quotes: {field}: \"{value}\"."),
    # -- fields -------------------------------------------------------------------
    "key-unknown": ("不認得的欄位「{key}」", "檢查拼字，或用 `kb schema 種類` 查看此種類可用的欄位。",
                    "unknown key '{key}'", "check the spelling, or list this kind's keys with `kb schema KIND`."),
    "key-missing": ("缺少必填欄位「{key}」（{label}）", "加上一行 `{key}: ...`。",
                    "required key '{key}' is missing", "add a line `{key}: ...`."),
    "value-empty": ("「{field}」是空的", "填入內容，或刪除這個選填欄位。",
                    "'{field}' is empty", "fill it in, or remove the key if it is optional."),
    "placeholder": ("「{field}」還是範本的提示文字", "把 <請填寫 …> 換成實際內容。",
                    "'{field}' still holds the template's placeholder", "replace the <請填寫 Fill in: …> text with the real value."),
    "type-scalar": ("「{field}」應該是單一值（{expected}）", "寫在同一行：`{field}: 內容`，不要寫成清單或多層。",
                    "'{field}' must be a single value ({expected})", "write it on one line: `{field}: value`, not as a list or mapping."),
    "type-list": ("「{field}」應該是清單", "每個項目一行，以「- 」開頭，例如：\n  {field}:\n    - 第一項",
                  "'{field}' must be a list", "one item per line starting with '- ', e.g.\n  {field}:\n    - first item"),
    "type-mapping": ("「{field}」應該是一組「欄位: 值」", "在下一行縮排兩格寫子欄位，例如 `  email: service@library.example.org`。",
                     "'{field}' must be a set of `key: value` lines", "indent its keys by two spaces on the following lines."),
    "text-multiline": ("「{field}」只能有一行", "把內容寫在同一行。",
                       "'{field}' must be a single line", "put it on one line."),
    "text-too-long": ("「{field}」太長（{length} 字，上限 {limit} 字）", "精簡內容；詳細說明寫在正文。",
                      "'{field}' is too long ({length} characters, limit {limit})", "shorten it; details belong in the body."),
    "type-date": ("「{field}」的日期「{value}」格式不對", "日期寫成 YYYY-MM-DD，例如 2022-06-28（民國年請換算成西元）。",
                  "'{field}': '{value}' is not a date", "write dates as YYYY-MM-DD, e.g. 2022-06-28."),
    "date-invalid": ("「{field}」的日期 {value} 不存在", "檢查月份與日期，例如 2 月沒有 30 日。",
                     "'{field}': the date {value} does not exist", "check the month and day (February has no 30th)."),
    "type-int": ("「{field}」應該是整數，而不是「{value}」", "只寫阿拉伯數字，不要加單位或千分位逗號，例如 120。",
                 "'{field}' must be a whole number, not '{value}'", "digits only, no units or thousands separators, e.g. 120."),
    "type-number": ("「{field}」應該是數字，而不是「{value}」", "只寫數字，不要加單位、貨幣符號或千分位逗號，例如 30000。",
                    "'{field}' must be a number, not '{value}'", "digits only, without units, currency signs or thousands separators, e.g. 30000."),
    "value-range": ("「{field}」的值 {value} 超出範圍（{minimum} 至 {maximum}）", "檢查數字是否打錯。",
                    "'{field}': {value} is out of range ({minimum} to {maximum})", "check the number for typos."),
    "type-bool": ("「{field}」只能是 true 或 false，而不是「{value}」", "寫 true（是）或 false（否），不要寫 yes/no。",
                  "'{field}' must be true or false, not '{value}'", "write true or false (not yes/no)."),
    "value-url": ("「{field}」不是完整網址：{value}", "網址要以 https:// 或 http:// 開頭，例如 https://www.ifla.org/。",
                  "'{field}' is not a full URL: {value}", "a URL starts with https:// or http://, e.g. https://www.ifla.org/."),
    "value-email": ("「{field}」不是有效的電子郵件：{value}", "例如 service@library.example.org。",
                    "'{field}' is not a valid e-mail address: {value}", "e.g. service@library.example.org."),
    "value-choice": ("「{field}」不接受「{value}」", "可用的值：{choices}。",
                     "'{field}' does not accept '{value}'", "allowed values: {choices}."),
    "list-duplicate": ("「{field}」中的「{value}」重複了", "刪除重複的項目。",
                       "'{field}' lists '{value}' twice", "remove the repeated item."),
    "list-too-short": ("「{field}」至少要有 {minimum} 項", "加上項目，每項一行，以「- 」開頭。",
                       "'{field}' needs at least {minimum} item(s)", "add items, one per line starting with '- '."),
    "date-order": ("結束日期 {end_value} 早於開始日期 {start_value}", "檢查 {start} 與 {end} 是否填反。",
                   "the end date {end_value} is before the start date {start_value}", "check whether {start} and {end} are swapped."),
    "year-mismatch": ("年度 {year} 與開始日期 {start} 不符", "年度應是會議舉行的西元年。",
                      "the year {year} does not match the start date {start}", "year is the calendar year the conference took place."),
    "one-of-missing": ("「{field}」至少要填 {keys} 其中之一", "補上其中一個子欄位。",
                       "'{field}' needs at least one of {keys}", "add one of those keys."),
    "budget-currency": ("「{field}」有金額但沒有幣別", "加上 `currency: TWD`（或其他幣別）。",
                        "'{field}' has an amount but no currency", "add `currency: TWD` (or another currency)."),
    # -- registries ---------------------------------------------------------------
    "ref-tags": ("標籤「{value}」不在標籤表中", "使用 content/registries/tags.yml 中已有的標籤；需要新標籤請在同一個 PR 中加入 tags.yml。",
                 "the tag '{value}' is not in the tag vocabulary", "use a tag from content/registries/tags.yml, or add the new tag there in the same pull request."),
    "ref-organizations": ("組織或會議「{value}」不在登錄表中", "使用 content/registries/organizations.yml 中的代碼（如 IFLA、ALA），或在同一個 PR 中新增。",
                          "the organization '{value}' is not in the registry", "use an id from content/registries/organizations.yml (e.g. IFLA, ALA), or add it there."),
    "ref-institutions": ("機構「{value}」不在登錄表中", "使用 content/registries/institutions.yml 中的代碼，或在同一個 PR 中新增。",
                         "the institution '{value}' is not in the registry", "use an id from content/registries/institutions.yml, or add it there."),
    "registry-missing": ("找不到登錄表 {registry}", "專案需要 content/registries/{registry}.yml。",
                         "the {registry} registry is missing", "the project needs content/registries/{registry}.yml."),
    "registry-not-mapping": ("登錄表 {registry} 必須是「代碼: 內容」的形式", "每個項目以代碼開頭，下一行縮排寫屬性。",
                             "the {registry} registry must map ids to attributes", "start each item with its id, attributes indented below."),
    "registry-id": ("代碼「{value}」不合格式", "代碼只用英文字母、數字與連字號，例如 nlpi 或 IFLA。",
                    "the id '{value}' is not valid", "ids use letters, digits and hyphens, e.g. nlpi or IFLA."),
    # -- body -----------------------------------------------------------------------
    "section-missing": ("正文缺少「{zh}」段落", "加上一個二級標題：`## {zh}`（英文條目可用 `## {en}`）。",
                        "the body has no '{en}' section", "add a second-level heading: `## {en}` (or `## {zh}`)."),
    "body-pathological": ("這一段有 {count} 個「[」（上限 {limit}），網頁會無法在合理時間內產生", "把這段拆成多段，或把方括號放進程式碼區塊（```）。",
                          "this paragraph has {count} '[' characters (limit {limit}): the page could not be rendered in reasonable time", "split the paragraph, or put the brackets in a code block (```)."),
    "body-too-deep": ("這一行的清單或引言巢狀太深（{depth} 層，上限 {limit}）", "減少縮排或清單層數；要保留原樣請放進程式碼區塊（```）。",
                      "lists or quotes nest too deep on this line ({depth} levels, limit {limit})", "reduce the indentation or nesting; to keep the text as it is, put it in a code block (```)."),
    "raw-html": ("正文不能使用 HTML 標籤 <{tag}>", "改用 Markdown 語法（如 **粗體**、[連結](網址)）；要顯示程式碼請用反引號 `<{tag}>`。可用的標籤：{allowed}。",
                 "the body cannot use the HTML tag <{tag}>", "use Markdown instead (**bold**, [link](url)); to show code, put it in backticks. Allowed tags: {allowed}."),
    "raw-html-attribute": ("<{tag}> 不能加 {attribute} 屬性", "刪除這個屬性；只接受 title 與 lang。",
                           "<{tag}> cannot carry the attribute {attribute}", "remove it; only title and lang are accepted."),
    "html-comment": ("正文不能有 HTML 註解 <!-- -->", "註解雖然看不見，仍會出現在網頁原始碼中；請刪除，內部備註請另存為 internal 條目。",
                     "the body cannot contain HTML comments <!-- -->", "comments are invisible but published in the page source; delete it (keep internal notes in an internal entry)."),
    "attr-list": ("不能用 {{ }} 為元素加上屬性", "只接受 {{#錨點}} 或 {{.類別}}；刪除含有 = 的屬性。",
                  "attributes cannot be added with {{ }}", "only {{#anchor}} and {{.class}} are accepted; remove attributes with =."),
    "site-script": ("建置出的網頁含有非佈景主題的程式碼：{detail}", "這是第二道防線：找出是哪個條目帶入了程式碼並刪除。",
                    "a built page carries script that is not the theme's own: {detail}", "this is the second line of defence: find the entry that brought it in and remove it."),
    "site-event-handler": ("建置出的網頁含有事件屬性 {attribute}（<{tag}>）", "找出帶入此屬性的條目並刪除。",
                           "a built page carries the event handler {attribute} on <{tag}>", "find the entry that brought it in and remove it."),
    "site-unsafe-url": ("建置出的網頁含有 {scheme}: 連結（<{tag}>）", "找出帶入此連結的條目並刪除。",
                        "a built page carries a {scheme}: URL on <{tag}>", "find the entry that brought it in and remove it."),
    "site-embed": ("建置出的網頁嵌入了 <{tag}>", "知識庫不嵌入外部內容；請改用連結。",
                   "a built page embeds <{tag}>", "the knowledge base embeds nothing; link to it instead."),
    "link-unsafe": ("不允許使用 {scheme} 連結", "連結只能用 https://、http://、mailto: 或相對路徑。",
                    "links with {scheme} are not allowed", "use https://, http://, mailto: or a relative path."),
    "link-absolute": ("連結 {target} 以 / 開頭，網站搬家後會失效", "改用相對路徑，例如 ../tools/ifla.md。",
                      "the link {target} starts with /, which breaks when the site moves", "use a relative path, e.g. ../tools/ifla.md."),
    "link-broken": ("連結目標 {target} 不存在", "檢查路徑與檔名；連到其他條目請寫它的 .md 檔，例如 ../tools/ifla.md。",
                    "the link target {target} does not exist", "check the path; link to another entry by its .md file, e.g. ../tools/ifla.md."),
    "link-folder": ("連結指向資料夾 {target}", "請連到資料夾中的 index.md：{target}/index.md。",
                    "the link points to the folder {target}", "link to its index.md: {target}/index.md."),
    "link-internal": ("公開條目連到內部（internal）條目 {target}", "內部條目不會發布，讀者會看到失效連結；請刪除連結或將目標改為公開。",
                      "a public entry links to the internal entry {target}", "internal entries are not published; remove the link or make the target public."),
    "attachments-need-folder": ("有附件的條目必須是資料夾", "把檔案改放成 {folder}/{slug}/index.md，附件放在同一個資料夾。",
                                "an entry with attachments must be a folder", "move it to {folder}/{slug}/index.md and put the files beside it."),
    "attachment-missing": ("找不到附件 {file}", "把檔案放進條目資料夾，或修正檔名。資料夾中現有：{available}。",
                           "the attachment {file} is not there", "add the file to the entry folder or fix its name. The folder has: {available}."),
    "attachment-outside": ("附件路徑 {value} 超出條目資料夾", "只寫檔名（可含子資料夾），不要用 ../ 或 / 開頭。",
                           "the attachment path {value} leaves the entry folder", "give the file name (subfolders allowed), without ../ or a leading /."),
    "attachment-executable": ("不接受可執行或會在瀏覽器中執行的檔案（.{ext}）", "程式、網頁（.html）、SVG 與腳本都可能危害讀者；請改附 PDF 或圖片。",
                              "executable files and files a browser would run are not accepted (.{ext})", "programs, web pages (.html), SVG and scripts can harm readers; attach a PDF or an image instead."),
    "attachment-type": ("不接受 .{ext} 附件", "可用的格式：{allowed}。",
                        "attachments of type .{ext} are not accepted", "accepted formats: {allowed}."),
    "attachment-mismatch": ("檔案內容不是 .{ext} 格式", "檔名的副檔名要與實際格式相符；請用原始程式重新匯出，或更正副檔名。",
                            "the file's content is not a .{ext} file", "the extension must match the real format; export it again or correct the extension."),
    "attachment-too-large": ("附件太大（{size}，上限 {limit}）", "壓縮圖片或 PDF 後再上傳；上限可在 kb.yml 調整。",
                             "the attachment is too large ({size}, limit {limit})", "compress the image or PDF; the limit is set in kb.yml."),
    "entry-too-large": ("這個條目的附件總量太大（{size}，上限 {limit}）", "減少或壓縮附件；上限可在 kb.yml 調整。",
                        "this entry's attachments are too large in total ({size}, limit {limit})", "remove or compress some; the limit is set in kb.yml."),
    "personal-contact": ("「{field}」看起來是個人聯絡方式：{value}", "建議改用單位信箱或總機；若當事人同意公開，請在 contact 中加上 consent: true。",
                         "'{field}' looks like personal contact data: {value}", "use a role address or the library's main number; if the person agreed to publish it, add consent: true under contact."),
    "history-no-repo": ("找不到 Git 儲存庫：條目頁不會顯示發布日期與貢獻者", "在 Git 儲存庫中建置（git clone 下來的專案）。",
                        "no Git repository: entry pages will show no publication dates or contributors", "build inside a Git clone of the project."),
    "history-shallow": ("這是淺層複製（shallow clone），歷史不完整：不顯示發布日期與貢獻者，以免日期錯誤", "取得完整歷史：git fetch --unshallow；GitHub Actions 的 actions/checkout 請設定 fetch-depth: 0。",
                        "this is a shallow clone: the history is incomplete, so no dates or contributors are shown rather than wrong ones", "fetch the whole history: git fetch --unshallow; with actions/checkout set fetch-depth: 0."),
    "history-failed": ("讀取 Git 歷史失敗：{detail}", "確認 git 可以執行，且專案是完整的 Git 儲存庫。",
                       "reading the Git history failed: {detail}", "check that git runs and the project is a complete Git repository."),
    "history-untracked": ("{count} 個條目還沒有提交到 Git（例如 {example}）：先不顯示其發布日期", "git add 並 commit 後就會出現。",
                          "{count} entries are not committed yet (e.g. {example}): no publication date is shown for them", "they appear once added and committed."),
    "duplicate-url": ("網址 {url} 已收錄於 {other}", "同一個網站只需一個條目；請更新原條目。",
                      "the URL {url} is already listed in {other}", "one entry per website: update the existing entry instead."),
}

DID_YOU_MEAN = {"zh-TW": "您是不是要寫：{}？", "en": "did you mean: {}?"}
HINT_LABEL = {"zh-TW": "修正方式", "en": "how to fix"}


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def normalise_lang(lang: str | None) -> str:
    if lang and lang.lower().startswith("en"):
        return "en"
    return "zh-TW"


def render(code: str, params: dict, lang: str = "zh-TW") -> tuple[str, str]:
    """(message, hint) for a problem code in a language."""
    lang = normalise_lang(lang)
    entry = CATALOGUE.get(code)
    if entry is None:
        return code, ""
    msg, hint = (entry[0], entry[1]) if lang == "zh-TW" else (entry[2], entry[3])
    values = _Safe({k: v for k, v in params.items()})
    return msg.format_map(values), hint.format_map(values)
