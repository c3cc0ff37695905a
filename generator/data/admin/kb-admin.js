// The knowledge base's additions to Decap CMS (generator/editor.py copies this beside it and
// fills in the __NAMES__ from the kinds). Loaded as a module after decap-cms.js; kb-init.js
// holds Decap back (CMS_MANUAL_INIT) until these are registered, then CMS.init() starts it.
//
// 1. The front matter format "kb-frontmatter". Decap writes YAML 1.2, where `no`, `yes`,
//    `12:30` and `2024-01-01` are text; kb validate reads YAML as PyYAML does (1.1), where they
//    are a boolean, a number and a date, and refuses them in a text field (yaml-coerced). So a
//    title or author typed as `no` would come back as an error the contributor cannot fix in
//    the form. Here every text value that either version would read as something else is
//    written in double quotes; dates stay plain in the date fields. Lines are not folded.
// 2. Before a save: required lists must not be empty; a new entry must have its short name
//    (slug), which names its folder and URL (the form cannot require it, or entries written
//    before the editor existed could not be saved); the empty lists and texts the form adds
//    to a new entry are left out.
import { Document, parse, parseDocument, isScalar, visit } from "./yaml/index.js";

const SLUG = new RegExp(__SLUG_PATTERN__); // generator/loading.py SLUG_RE
const RESERVED = __RESERVED_SLUGS__; // generator/loading.py RESERVED_SLUGS
const DATE_FIELDS = new Set(__DATE_FIELDS__); // the names of every Date field of every kind
const REQUIRED_LISTS = __REQUIRED_LISTS__; // kind -> [[field, label]]: lists a valid entry must fill
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FENCE = /^---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/;

function readsAsText(text, version) {
  try {
    return parse(text, { version }) === text;
  } catch (e) {
    return false;
  }
}

function fromFile(content) {
  const m = FENCE.exec(content);
  if (!m) return content.trim() ? { body: content } : {};
  const doc = parseDocument(m[1] || "", { version: "1.2" });
  if (doc.errors.length) {
    throw new Error("YAML: " + doc.errors.map((e) => e.message).join("\n"));
  }
  const body = content.slice(m[0].length);
  return { ...(doc.toJSON() || {}), ...(body.trim() ? { body } : {}) };
}

function toFile(data, sortedKeys = []) {
  const { body = "", ...meta } = data;
  const doc = new Document(meta, { version: "1.2" });
  const rank = (key) => {
    const i = sortedKeys.indexOf(String(key));
    return i === -1 ? sortedKeys.length : i;
  };
  if (doc.contents && doc.contents.items) {
    doc.contents.items.sort((a, b) => rank(a.key && a.key.value) - rank(b.key && b.key.value));
  }
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key && pair.key.value;
      if (isScalar(pair.value) && DATE_FIELDS.has(key) && DATE.test(pair.value.value)) {
        pair.value.kbDate = true;
      }
    },
    Scalar(_, node) {
      if (typeof node.value !== "string" || node.kbDate) return;
      if (node.value.includes("\n")) return; // a block scalar: its lines are text in either version
      if (!readsAsText(node.value, "1.1") || !readsAsText(node.value, "1.2")) node.type = "QUOTE_DOUBLE";
    },
  });
  const yaml = meta && Object.keys(meta).length ? doc.toString({ lineWidth: 0, minContentWidth: 0 }) : "";
  return "---\n" + yaml + "---\n" + body;
}

function isEmpty(value) {
  if (value === null || value === undefined || value === "") return true;
  return typeof value === "object" && typeof value.size === "number" && value.size === 0;
}

// 3. The preview pane: the entry as a reader will meet it, values shown by their labels (公開,
//    not public), in place of Decap's list of raw values. Every value is React text (escaped);
//    the body is Decap's own preview, cleaned (sanitize_preview in config.yml).
const COLLECTIONS = __COLLECTIONS__; // every kind's id
const SKIP = new Set(["title", "summary", "body", "slug"]);

function shown(field, value) {
  if (value === null || value === undefined || value === "") return "";
  if (value && typeof value.toJS === "function") value = value.toJS();
  const options = field.get("options");
  const label = (v) => {
    if (!options) return String(v);
    const o = options.find((opt) => (opt && opt.get ? opt.get("value") : opt) === v);
    return o && o.get ? o.get("label").replace(/ \([^)]*\)$/, "") : String(v);
  };
  if (Array.isArray(value)) {
    return value.map((v) => (v && typeof v === "object" ? Object.values(v).filter((x) => x !== "").join("｜") : label(v))).join("、");
  }
  if (typeof value === "object") return Object.values(value).filter((x) => x !== "" && x !== false).join("｜");
  if (typeof value === "boolean") return value ? "是" : "否";
  return label(value);
}

function Preview({ entry, collection, widgetFor }) {
  const h = window.h;
  const data = entry.get("data");
  const rows = [];
  collection.get("fields").forEach((field) => {
    const name = field.get("name");
    if (SKIP.has(name) || field.get("widget") === "hidden") return;
    const text = shown(field, data.get(name));
    if (text) rows.push(h("dt", { key: name + "-t" }, field.get("label")), h("dd", { key: name + "-d" }, text));
  });
  return h("article", { className: "kb-preview" },
    h("h1", null, data.get("title") || ""),
    h("p", { className: "kb-summary" }, data.get("summary") || ""),
    h("dl", null, rows),
    h("div", { className: "kb-body" }, widgetFor("body")));
}

// 4. The slug field ("kb-slug" widget): required of a new entry, with the reason said in the
//    form (Decap's "required" would also demand it of entries written before the editor, which
//    have no slug: line); an existing entry shows its file name, read-only, since it is its URL.
const SLUG_MESSAGE = "英文短名（網址）新條目必填：只用小寫英文字母、數字與連字號，例如 zotero-guide（不能用中文、空格或大寫）。" +
  " / The slug is required for a new entry: lower-case letters, digits and hyphens, e.g. zotero-guide.";

function slugFromPath(path) {
  const parts = String(path || "").split("/");
  const last = parts.pop() || "";
  return last === "index.md" ? parts.pop() || "" : last.replace(/\.md$/, "");
}

const SlugControl = window.createClass({
  isNew() {
    const entry = this.props.entry;
    return !entry || !entry.get("path") || Boolean(entry.get("newRecord"));
  },
  isValid() {
    if (!this.isNew()) return true;
    const value = (this.props.value || "").trim();
    return SLUG.test(value) && !RESERVED.includes(value) ? true : { error: { message: SLUG_MESSAGE } };
  },
  render() {
    const h = window.h;
    const existing = !this.isNew();
    return h("input", {
      type: "text", id: this.props.forID, className: this.props.classNameWrapper,
      value: existing ? this.props.value || slugFromPath(this.props.entry.get("path")) : this.props.value || "",
      readOnly: existing, autoComplete: "off", spellCheck: false, lang: "en", inputMode: "url",
      placeholder: existing ? "" : "zotero-guide",
      onChange: (e) => this.props.onChange(e.target.value.trim()),
      onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
    });
  },
});

const CMS = window.CMS;
CMS.registerWidget("kb-slug", SlugControl);
CMS.registerPreviewStyle("kb-preview.css");
for (const name of COLLECTIONS) CMS.registerPreviewTemplate(name, Preview);
CMS.registerCustomFormat("kb-frontmatter", "md", { fromFile, toFile });
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    const data = entry.get("data");
    // Decap lets an empty required list through (its check does not see an empty list in
    // the published build); kb validate would refuse the entry, so say it here.
    const missing = (REQUIRED_LISTS[entry.get("collection")] || [])
      .filter(([name]) => isEmpty(data.get(name))).map(([, label]) => "「" + label + "」");
    if (missing.length) {
      throw new Error("請至少填一項：" + missing.join("、") + "（按欄位下的「新增」按鈕或從選單選）。" +
        " / Fill in at least one item of: " + missing.join(", ") + ".");
    }
    if (!entry.get("newRecord")) return data;
    const slug = (data.get("slug") || "").trim();
    if (!SLUG.test(slug) || RESERVED.includes(slug)) {
      throw new Error("請填「英文短名（網址）」：只用小寫英文字母、數字與連字號，如 ala-2024-annual。" +
        " / Fill in the slug: lower-case letters, digits and hyphens, e.g. ala-2024-annual.");
    }
    return data.set("slug", slug).filter((value, key) => key === "body" || !isEmpty(value));
  },
});
CMS.init();
