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
// 2. Before a save: a new entry must have its short name (slug), which names its folder and
//    URL (the form cannot require it, or entries written before the editor existed could not
//    be saved); the empty lists and texts the form adds to a new entry are left out.
import { Document, parse, parseDocument, isScalar, visit } from "./yaml/index.js";

const SLUG = new RegExp(__SLUG_PATTERN__); // generator/loading.py SLUG_RE
const RESERVED = __RESERVED_SLUGS__; // generator/loading.py RESERVED_SLUGS
const DATE_FIELDS = new Set(__DATE_FIELDS__); // the names of every Date field of every kind
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

const CMS = window.CMS;
CMS.registerCustomFormat("kb-frontmatter", "md", { fromFile, toFile });
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    const data = entry.get("data");
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
