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
//    It reads front matter as kb does: every value is text (YAML's failsafe schema) unless the
//    schema declares the field a number or a yes/no, so `phone: 0912345678` keeps its zero
//    (YAML 1.2 would read a number). Values the form empties are left out at every level, and
//    an object left with nothing but "no" switches (contact: {consent: false}) with them.
// 2. Before a save: required lists must not be empty; an object that is filled in must have
//    its required fields; a new entry must have its short name (slug), not one already taken
//    (Decap would quietly save it as index-1.md), which names its folder and URL (the form
//    cannot require it, or entries written before the editor existed could not be saved).
import { Document, parse, parseDocument, isScalar, visit } from "./yaml/index.js";

const SLUG = new RegExp(__SLUG_PATTERN__); // generator/loading.py SLUG_RE
const RESERVED = __RESERVED_SLUGS__; // generator/loading.py RESERVED_SLUGS
const WINDOWS_NAMES = __WINDOWS_DEVICE_NAMES__; // generator/loading.py WINDOWS_DEVICE_NAMES
const DATE_FIELDS = new Set(__DATE_FIELDS__); // the names of every Date field of every kind
const REQUIRED_LISTS = __REQUIRED_LISTS__; // kind -> [[field, label]]: lists a valid entry must fill
const OBJECTS = __OBJECTS__; // kind -> [[field, label, [[subfield, label]...]]]: required inside objects
const NUMBER_FIELDS = __NUMBER_FIELDS__; // field name -> "int" or "float", at any depth
const BOOLEAN_FIELDS = new Set(__BOOLEAN_FIELDS__);
const EXISTING = __EXISTING_SLUGS__; // kind -> the slugs its folder already holds
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// As generator/frontmatter.py finds it: blank lines before, "---" or "..." closing it.
const FENCE = /^(?:[ \t]*\n)*---[ \t]*\n([\s\S]*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)/;
const PYYAML_ONLY = new Set(["=", "<<"]); // PyYAML's value and merge keys: text to YAML 1.2 only
const LINE_BREAKS = /[\u2028\u2029\u0085]/g; // line breaks to YAML 1.1, not to npm yaml

function readsAsText(text, version) {
  try {
    return parse(text, { version }) === text;
  } catch (e) {
    return false;
  }
}

function typed(value, key) {
  if (Array.isArray(value)) return value.map((v) => typed(v, key));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typed(v, k)]));
  }
  if (typeof value !== "string") return value;
  const kind = NUMBER_FIELDS[key];
  if (kind === "int" && /^[-+]?\d+$/.test(value.trim())) return parseInt(value, 10);
  if (kind === "float" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) return parseFloat(value);
  if (BOOLEAN_FIELDS.has(key)) {
    if (/^(true|yes|on)$/i.test(value.trim())) return true;
    if (/^(false|no|off)$/i.test(value.trim())) return false;
  }
  return value;
}

function fromFile(content) {
  content = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const m = FENCE.exec(content);
  if (!m) return content.trim() ? { body: content } : {};
  const doc = parseDocument(m[1] || "", { schema: "failsafe" });
  if (doc.errors.length) {
    throw new Error("YAML: " + doc.errors.map((e) => e.message).join("\n"));
  }
  const body = content.slice(m[0].length);
  return { ...typed(doc.toJSON() || {}, ""), ...(body.trim() ? { body } : {}) };
}

// What the form leaves empty is not written: "", null, [], and objects with nothing left but
// "no" switches. Text loses the characters YAML 1.1 reads as line breaks.
function pruned(value) {
  if (Array.isArray(value)) {
    const items = value.map(pruned).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, pruned(v)]).filter(([, v]) => v !== undefined);
    if (!entries.length || entries.every(([, v]) => v === false)) return undefined;
    return Object.fromEntries(entries);
  }
  if (typeof value === "string") {
    const text = value.includes("\n") ? value.replace(LINE_BREAKS, "\n") : value.replace(LINE_BREAKS, " ").replace(/\t/g, " ");
    return text.trim() === "" ? undefined : text;
  }
  return value === null ? undefined : value;
}

// Decap's rich text writes a hard line break as a backslash before the newline, which the
// site's Markdown shows as a backslash: two spaces, as the contributor's own files have them.
function hardBreaks(body) {
  let fenced = false;
  return body.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    return !fenced && /(^|[^\\])\\$/.test(line) ? line.slice(0, -1) + "  " : line;
  }).join("\n");
}

function toFile(data, sortedKeys = []) {
  const { body: rawBody = "", ...rawMeta } = data;
  const meta = Object.fromEntries(Object.entries(rawMeta).map(([k, v]) => [k, pruned(v)]).filter(([, v]) => v !== undefined));
  const body = hardBreaks(rawBody);
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
      if (PYYAML_ONLY.has(node.value.trim()) || !readsAsText(node.value, "1.1") || !readsAsText(node.value, "1.2")) {
        node.type = "QUOTE_DOUBLE";
      }
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

// generator/messages.py "slug-windows-name", as kb validate says it.
const WINDOWS_MESSAGE = (slug) => "「" + slug + "」是 Windows 保留給裝置的名稱，不能當檔名或資料夾名：Windows（包括 GitHub Desktop）" +
  "無法取出名為 con、prn、aux、nul、com0–com9、lpt0–lpt9 的檔案或資料夾，請換一個，例如 " + slug + "-guide。" +
  " / " + slug + " is a name Windows keeps for a device: nobody on Windows could check the entry out. Choose another slug, e.g. " +
  slug + "-guide.";

function slugFromPath(path) {
  const parts = String(path || "").split("/");
  const last = parts.pop() || "";
  return last === "index.md" ? parts.pop() || "" : last.replace(/\.md$/, "");
}

function slugProblem(slug, collection) {
  if (!SLUG.test(slug) || RESERVED.includes(slug)) return SLUG_MESSAGE;
  if (WINDOWS_NAMES.includes(slug.toLowerCase())) return WINDOWS_MESSAGE(slug);
  if ((EXISTING[collection] || []).includes(slug)) {
    return "英文短名「" + slug + "」已經有條目在用了，請換一個（例如加上年份：" + slug + "-2025）。" +
      " / The slug " + slug + " is taken by another entry: choose another (e.g. add the year).";
  }
  return null;
}

const SlugControl = window.createClass({
  isNew() {
    const entry = this.props.entry;
    return !entry || !entry.get("path") || Boolean(entry.get("newRecord"));
  },
  isValid() {
    if (!this.isNew()) return true;
    const collection = this.props.collection ? this.props.collection.get("name") : this.props.entry.get("collection");
    const problem = slugProblem((this.props.value || "").trim(), collection);
    return problem ? { error: { message: problem } } : true;
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
    for (const [name, label, subfields] of OBJECTS[entry.get("collection")] || []) {
      const value = data.get(name);
      const filled = value && typeof value.toJS === "function" ? value.toJS() : value;
      if (pruned(filled) === undefined) continue; // left empty: fine for an optional object
      const lacking = subfields.filter(([sub]) => pruned(filled[sub]) === undefined).map(([, l]) => "「" + l + "」");
      if (lacking.length) {
        throw new Error("「" + label + "」裡還要填：" + lacking.join("、") + "（或把這一欄整個清空）。" +
          " / In " + label + ", also fill in " + lacking.join(", ") + " (or clear it all).");
      }
    }
    if (!entry.get("newRecord")) return data;
    const slug = (data.get("slug") || "").trim();
    const problem = slugProblem(slug, entry.get("collection"));
    if (problem) throw new Error(problem);
    return data.set("slug", slug);
  },
});
CMS.init();
