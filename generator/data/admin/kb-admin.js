// The knowledge base's additions to Decap CMS (generator/contribute/editor/admin.py copies this beside it and
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
// 2. Dates and numbers as typed (the kb-date and kb-number widgets): 2026/10/5, 115/10/5 or
//    115年10月5日 is stored as 2026-10-05 and the box says so beside it; 1,234 as 1234; what cannot
//    be read (約400人, 400人, a month 13, a year before 1950) is refused in place with the reason.
//    Decap's own widgets stored 1905-02-02 for 2026/10/5 and 400 for 約400人 without a word.
// 3. Before a save, kb validate's rules for one entry (kb-rules.json, written by cms.py from the
//    kinds) applied to the form: every problem listed at the top of the form (the kb-checks
//    widget, its first field) by the label of its box, and said under that box. Under kb edit,
//    kb validate itself then checks the entry as it would be written (contribute/editor/server.py's
//    /api/kb-validate), and what it finds is shown the same way; nothing is saved while an
//    error remains. A new entry must have its short name (slug), not one already taken (Decap
//    would quietly save it as index-1.md).
// 4. The preview pane, the slug field, the select in Chinese, the body editor's 內文 button,
//    words Decap's Chinese lacks, and uploads that keep their names (below).
import { Document, parse, parseDocument, isScalar, visit } from "./yaml/index.js";

const SLUG = new RegExp(__SLUG_PATTERN__); // generator/validation/loading.py SLUG_RE
const RESERVED = __RESERVED_SLUGS__; // generator/validation/loading.py RESERVED_SLUGS
const WINDOWS_NAMES = __WINDOWS_DEVICE_NAMES__; // generator/validation/loading.py WINDOWS_DEVICE_NAMES
const DATE_FIELDS = new Set(__DATE_FIELDS__); // the names of every Date field of every kind
const REQUIRED_LISTS = __REQUIRED_LISTS__; // kind -> [[field, label]]: lists a valid entry must fill
const OBJECTS = __OBJECTS__; // kind -> [[field, label, [[subfield, label]...]]]: required inside objects
const NUMBER_FIELDS = __NUMBER_FIELDS__; // field name -> "int" or "float", at any depth
const BOOLEAN_FIELDS = new Set(__BOOLEAN_FIELDS__);
const EXISTING = __EXISTING_SLUGS__; // kind -> the slugs its folder already holds
const SIMPLE_MODE = __SIMPLE_MODE__; // kb edit without --workflow: Decap's "publish" writes into content/
const CHECK_URL = __CHECK_URL__; // kb edit: kb validate for one entry (contribute/editor/server.py); null when published
const FORM_ONLY = new Set(["kb_checks"]); // fields of the form never written to the file
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// As generator/source/frontmatter.py finds it: blank lines before, "---" or "..." closing it.
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
  const meta = Object.fromEntries(Object.entries(rawMeta).filter(([k]) => !FORM_ONLY.has(k))
    .map(([k, v]) => [k, pruned(v)]).filter(([, v]) => v !== undefined));
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

// ---------------------------------------------------------------------------------------------
// The rules (kb-rules.json, beside this file; cms.py writes it from the kinds).
const RULES = await loadRules();
const PLACEHOLDER = new RegExp(RULES.placeholder, "i");
const BODY_PLACEHOLDER = /<(?:請填寫|fill in)[^<>]*>/i; // generator/validation/body.py's
const NOT_TEXT = new RegExp(RULES.not_text, "u");
const ROLE_WORDS = new Set(RULES.role_words);
const MOBILE = new RegExp(RULES.mobile);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

async function loadRules() {
  const response = await fetch(new URL("kb-rules.json", import.meta.url));
  if (!response.ok) throw new Error("kb-rules.json: " + response.status);
  return response.json();
}

// A message of the catalogue (generator/validation/messages.py, or cms.py's wording for the form), its
// {names} filled in as Python's str.format_map does.
function fmt(template, params) {
  return String(template || "").replace(/\{\{|\}\}|\{(\w+)\}/g, (m, key) =>
    m === "{{" ? "{" : m === "}}" ? "}" : Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : m);
}

function say(code, params) {
  const w = RULES.words[code];
  if (!w) return { message: code, hint: "", message_en: code, hint_en: "" };
  return { message: fmt(w[0], params), hint: fmt(w[1], params), message_en: fmt(w[2], params), hint_en: fmt(w[3], params) };
}

// --- 2. Dates and numbers as typed -------------------------------------------------------------
// generator/model/typed_values.py, rule for rule (the issue form reads its boxes with it): the same
// accepted forms, the same codes. A reading is { stored } (and a notice when the text was read
// from another form than the one stored) or { problem }; a notice or problem is { code, params },
// its words from the catalogue; params name no box (the box is beside it).
const WEEKDAYS = "一二三四五六日"; // Monday first, as Python's date.weekday() counts
const ROC_OFFSET = 1911;

// Full-width digits and punctuation as ASCII; spaces beside anything but a digit removed.
function clean(text) {
  const t = String(text === null || text === undefined ? "" : text).normalize("NFKC").trim();
  return t.replace(/\s+(?!\d)|(?<!\d)\s+/g, "");
}

function daysIn(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

const WEEKDAY_RE = /(?:\((?:週|周|星期|禮拜)?([一二三四五六日天])\)|(?:週|周|星期|禮拜)([一二三四五六日天]))$/;
const ERA_RE = /^(?:(中華)?民國|(西元|公元))/;
const SEP_RE = /^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const CJK_RE = /^(\d{1,4})年(\d{1,2})月(\d{1,2})[日號号]?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const YEAR_LAST_RE = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/;

export function readDate(typed) {
  const raw = String(typed === null || typed === undefined ? "" : typed).trim();
  let t = clean(raw);
  if (!t) return { stored: "" };
  let weekday = null;
  const w = WEEKDAY_RE.exec(t);
  if (w && w.index > 0) {
    weekday = (w[1] || w[2]).replace("天", "日");
    t = t.slice(0, w.index);
  }
  const era = ERA_RE.exec(t);
  const roc = Boolean(era && !era[2]);
  const western = Boolean(era && era[2]);
  if (era) t = t.slice(era[0].length);
  let y;
  let mo;
  let d;
  let m;
  if ((m = SEP_RE.exec(t))) {
    [y, mo, d] = [m[1], m[3], m[4]];
  } else if ((m = CJK_RE.exec(t))) {
    [y, mo, d] = [m[1], m[2], m[3]];
  } else if ((m = COMPACT_RE.exec(t)) && !roc) {
    [y, mo, d] = [m[1], m[2], m[3]];
  } else if ((m = YEAR_LAST_RE.exec(t)) && !era) {
    y = m[4];
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (a <= 12 && b <= 12 && a !== b) return { problem: { code: "date-ambiguous", params: { value: raw } } };
    [mo, d] = b > 12 || a === b ? [String(a), String(b)] : [String(b), String(a)]; // the one reading there is
  } else {
    return { problem: { code: "type-date", params: { value: raw } } };
  }
  if ((roc && y.length > 3) || (western && y.length !== 4)) return { problem: { code: "type-date", params: { value: raw } } };
  if (y.length <= 2 && !roc) return { problem: { code: "date-year-ambiguous", params: { value: raw, year: y } } };
  const minguo = roc || y.length === 3;
  const year = minguo ? Number(y) + ROC_OFFSET : Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return { problem: { code: "date-no-month", params: { value: raw, month } } };
  if (year < RULES.plausible_from) return { problem: { code: "date-implausible", params: { value: raw } } };
  const days = daysIn(year, month);
  if (day < 1 || day > days) return { problem: { code: "date-no-day", params: { value: raw, year, month, day, days } } };
  const stored = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (weekday !== null) {
    const actual = WEEKDAYS[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7];
    if (actual !== weekday) return { problem: { code: "date-weekday", params: { value: raw, stored, given: weekday, actual } } };
  }
  if (raw === stored) return { stored };
  if (minguo) return { stored, notice: { code: "date-roc-converted", params: { value: raw, stored, roc: Number(y), year } } };
  return { stored, notice: { code: "date-converted", params: { value: raw, stored } } };
}

// Words and signs of an estimate, before or after the number; and a range (300-400, 300~400).
const APPROXIMATE = /^(?:約|大約|大概|將近|接近|近|逾|超過|至少|不到|~|≈|±)|(?:左右|上下|多|餘|以上|以下|出頭|幾|\+|~)$|\d(?:-|~|至|到)[\d]/;
const THOUSANDS = /^([+-]?)(\d{1,3}(?:,\d{3})+)(\.\d+)?$/;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const LEADING_NUMBER = /[+-]?\d[\d,]*(?:\.\d+)?/;
const TEN_THOUSAND = "萬";

// A word or a currency sign, as a unit is: not stray punctuation (412.).
const isUnit = (word) => /[\p{L}\p{Sc}]/u.test(word);

// The text's number times scale, exactly (1.1萬 is 11000): decimal digits shifted, not multiplied.
function asNumber(text, scale) {
  if (scale === 1) return Number(text);
  const [whole, fraction = ""] = text.replace(/^\+/, "").split(".");
  const shifted = whole + (fraction + "0000").slice(0, 4) + "." + fraction.slice(4);
  return Number(shifted.replace(/\.$/, ""));
}

export function readNumber(typed, { int = false, min = null, max = null, units = [] } = {}) {
  const raw = String(typed === null || typed === undefined ? "" : typed).trim();
  const t = clean(raw);
  if (!t) return { stored: null };
  const code = int ? "type-int" : "type-number";
  let stripped = t;
  const byLength = [...units].map(clean).filter(Boolean).sort((a, b) => b.length - a.length);
  for (const unit of byLength) {
    if (stripped.endsWith(unit) && stripped.length > unit.length) {
      stripped = stripped.slice(0, -unit.length);
      break;
    }
  }
  for (const unit of byLength) {
    if (stripped.startsWith(unit) && stripped.length > unit.length) {
      stripped = stripped.slice(unit.length);
      break;
    }
  }
  if (APPROXIMATE.test(stripped) || APPROXIMATE.test(t)) return { problem: { code: "number-approximate", params: { value: raw } } };
  let scale = 1;
  if (stripped.endsWith(TEN_THOUSAND) && stripped.length > 1) {
    stripped = stripped.slice(0, -1);
    scale = 10000;
  }
  const grouped = THOUSANDS.exec(stripped);
  if (grouped) stripped = grouped[1] + grouped[2].replace(/,/g, "") + (grouped[3] || "");
  if (!NUMBER.test(stripped)) {
    const m = LEADING_NUMBER.exec(t);
    if (m && (m.index === 0 || m.index + m[0].length === t.length) && NUMBER.test(m[0].replace(/,/g, ""))) {
      const unit = (m.index === 0 ? t.slice(m[0].length) : t.slice(0, m.index)).trim();
      if (isUnit(unit) && !/\d/.test(unit)) {
        return { problem: { code: "number-unit", params: { value: raw, unit, number: m[0].replace(/,/g, "") } } };
      }
    }
    return { problem: { code, params: { value: raw } } };
  }
  const digits = (stripped.match(/\d/g) || []).length;
  if (digits > RULES.max_digits) return { problem: { code: "value-too-long", params: { length: digits, limit: RULES.max_digits } } };
  const stored = asNumber(stripped, scale);
  if (int && !Number.isInteger(stored)) return { problem: { code: "type-int", params: { value: raw } } };
  // The range, as kb validate checks the stored number (value-range).
  if ((min !== null && min !== undefined && stored < min) || (max !== null && max !== undefined && stored > max)) {
    return { problem: { code: "value-range", params: { value: stored,
      minimum: min === null || min === undefined ? "-" : min, maximum: max === null || max === undefined ? "-" : max } } };
  }
  if (raw === stripped && scale === 1) return { stored };
  return { stored, notice: { code: "number-converted", params: { value: raw, stored } } };
}

// What a reading says, for the box itself (no label: it is beside the box). A number with a
// unit or an "about" is told the one rule, in the librarians' own words.
const DIGITS_ONLY = "只填數字（阿拉伯數字），不要加單位或「約」。";
const NUMBER_CODES = new Set(["number-approximate", "number-unit", "type-int", "type-number"]);

function typedWords(reading) {
  const what = reading.problem || reading.notice;
  if (!what) return null;
  const w = say(what.code, { label: "", label_en: "", field: "", ...what.params });
  const message = w.message.replace(/^「」的?/, "");
  return NUMBER_CODES.has(what.code) ? { ...w, message, hint: DIGITS_ONLY } : { ...w, message };
}

// --- 3. kb validate's rules, applied to the form ---------------------------------------------
function blank(value) {
  return pruned(value) === undefined;
}

function toJS(value) {
  return value && typeof value.toJS === "function" ? value.toJS() : value;
}

function problemOf(out, path, labels, code, params = {}, level = "error") {
  const label = labels.join(" › ");
  out.push({ path, label, code, level, ...say(code, { field: label, ...params }) });
}

function segments(labels, index) {
  const last = labels[labels.length - 1];
  return [...labels.slice(0, -1), `${last}（第 ${index} 項）`];
}

function checkObject(spec, value, path, labels, out, top = false) {
  const obj = value && typeof value === "object" && !Array.isArray(value) ? value : {};
  for (const f of spec.fields) {
    if (top && f.name === "slug") continue; // the slug field says it itself (below)
    const p = path ? `${path}.${f.name}` : f.name;
    const labs = [...labels, f.label];
    const v = obj[f.name];
    if (blank(v)) {
      if (f.required) missing(f, p, labs, out);
      continue;
    }
    checkValue(f, v, p, labs, out);
  }
  if (!top && spec.one_of && spec.one_of.length && !blank(value) && !spec.one_of.some((n) => !blank(obj[n]))) {
    groupMissing(spec, path, labels, out);
  }
  for (const check of spec.checks || []) applyCheck(check, spec, obj, path, labels, out);
}

function missing(f, path, labels, out) {
  if (f.type === "object" && f.one_of && f.one_of.length) return groupMissing(f, path, labels, out);
  if (f.type === "list") return problemOf(out, path, labels, "list-too-short", { minimum: Math.max(1, f.min_items || 0) });
  return problemOf(out, path, labels, "key-missing", { key: f.label, label: f.label });
}

function groupMissing(spec, path, labels, out) {
  const group = spec.fields.filter((g) => spec.one_of.includes(g.name));
  problemOf(out, path, labels, "one-of-missing", {
    keys: group.map((g) => g.label).join(" / "), names: group.map((g) => `「${g.label}」`).join("或"),
    names_en: group.map((g) => g.label_en).join(" or "), first: group[0].name,
  });
}

function checkValue(f, value, path, labels, out) {
  const v = toJS(value);
  switch (f.type) {
    case "text": {
      const text = String(pruned(String(v)) || "");
      if (PLACEHOLDER.test(text)) return problemOf(out, path, labels, "placeholder");
      const bad = NOT_TEXT.exec(text);
      if (bad) {
        const char = "U+" + bad[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
        return problemOf(out, path, labels, "text-control-char", { char });
      }
      if (!f.multiline && text.trim().includes("\n")) return problemOf(out, path, labels, "text-multiline");
      const length = [...text.trim()].length;
      if (f.max_length && length > f.max_length) {
        problemOf(out, path, labels, "text-too-long", { length, limit: f.max_length });
      }
      return undefined;
    }
    case "date": {
      const reading = readDate(String(v));
      if (reading.problem) {
        const { code, params } = reading.problem;
        return problemOf(out, path, labels, code, { label: labels.join(" › "), label_en: f.label_en || "", ...params });
      }
      if (reading.stored !== String(v).trim()) problemOf(out, path, labels, "type-date", { value: String(v) });
      return undefined;
    }
    case "int":
    case "number": {
      const reading = readNumber(String(v), { int: f.type === "int", min: f.min, max: f.max, units: f.units || [] });
      if (reading.problem) {
        const { code, params } = reading.problem;
        return problemOf(out, path, labels, code, { label: labels.join(" › "), label_en: f.label_en || "", ...params });
      }
      if (typeof v !== "number") problemOf(out, path, labels, f.type === "int" ? "type-int" : "type-number", { value: String(v) });
      return undefined;
    }
    case "bool":
      if (typeof v !== "boolean") problemOf(out, path, labels, "type-bool", { value: String(v) });
      return undefined;
    case "url":
    case "email":
    case "entryref": {
      const text = String(v).trim();
      if (!new RegExp(f.pattern).test(text)) {
        problemOf(out, path, labels, { url: "value-url", email: "value-email", entryref: "entry-ref-form" }[f.type], { value: text });
      }
      return undefined;
    }
    case "choice":
    case "ref":
      if (f.values && !f.values.includes(String(v))) {
        problemOf(out, path, labels, "value-choice", { value: String(v), choices: f.values.join(", ") });
      }
      return undefined;
    case "file": {
      const text = String(v).trim();
      if (text.startsWith("/") || text.includes("\\") || text.split("/").includes("..")) {
        problemOf(out, path, labels, "attachment-outside", { value: text });
      }
      return undefined;
    }
    case "list": {
      const items = (Array.isArray(v) ? v : [v]).map(toJS).filter((item) => !blank(item));
      const seen = new Set();
      items.forEach((item, i) => {
        const p = `${path}[${i + 1}]`;
        const labs = segments(labels, i + 1);
        if (f.item.type === "object") return checkObject(f.item, item, p, labs, out);
        checkValue({ ...f.item, label: f.label, label_en: f.label_en }, item, p, labs, out);
        if (f.unique !== false) {
          const key = JSON.stringify(item);
          if (seen.has(key)) problemOf(out, p, labels, "list-duplicate", { value: String(item) });
          seen.add(key);
        }
        return undefined;
      });
      if (items.length < (f.min_items || 0)) problemOf(out, path, labels, "list-too-short", { minimum: f.min_items });
      return undefined;
    }
    case "object":
      return checkObject(f, v, path, labels, out);
    default:
      return undefined;
  }
}

function labelOf(spec, name) {
  const f = spec.fields.find((x) => x.name === name);
  return f ? f.label : name;
}

function isRoleAddress(email) {
  const local = String(email).split("@", 1)[0].toLowerCase();
  return local.split(/[._+\-]/).some((part) => ROLE_WORDS.has(part));
}

function applyCheck(check, spec, obj, path, labels, out) {
  const at = (name) => (path ? `${path}.${name}` : name);
  if (check.type === "date_order") {
    const a = readDate(obj[check.start]).stored;
    const b = readDate(obj[check.end]).stored;
    if (!a || !b || !(b < a)) return;
    const years = { [check.start]: Number(a.slice(0, 4)), [check.end]: Number(b.slice(0, 4)) };
    const wrong = [check.end, check.start].find((k) => years[k] < RULES.plausible_from);
    const params = { start: labelOf(spec, check.start), end: labelOf(spec, check.end), start_value: a, end_value: b };
    const labs = [...labels, labelOf(spec, check.end)];
    if (wrong !== undefined && RULES.words["date-order-year"]) {
      problemOf(out, at(check.end), labs, "date-order-year", { ...params, wrong: labelOf(spec, wrong), year: years[wrong] });
    } else {
      problemOf(out, at(check.end), labs, "date-order", params);
    }
  } else if (check.type === "requires") {
    if (!blank(obj[check.if]) && blank(obj[check.then])) {
      problemOf(out, at(check.then), [...labels, labelOf(spec, check.then)], check.code, {});
      out[out.length - 1] = { ...out[out.length - 1], ...say(check.code, { field: labels.join(" › ") }) };
    }
  } else if (check.type === "personal_contact") {
    if (obj[check.consent] === true) return;
    const email = obj[check.email];
    if (!blank(email) && !isRoleAddress(String(email).trim())) {
      problemOf(out, at(check.email), [...labels, labelOf(spec, check.email)], "personal-contact", { value: String(email).trim() });
    }
    const phone = obj[check.phone];
    if (!blank(phone) && MOBILE.test(String(phone))) {
      problemOf(out, at(check.phone), [...labels, labelOf(spec, check.phone)], "personal-contact", { value: String(phone).trim() });
    }
  }
}

// The body: every required section present, with something of the contributor's own under it
// (not the template's <請填寫 …>), as generator/validation/body.py checks it.
const HEADING = /^(#{1,6})[ \t]+([^\n]+?)[ \t]*#*[ \t]*$/gm;
const squash = (text) => text.replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, "$1").replace(/\s+/g, " ").trim();
const unbracket = (text) => text.replace(/^<請填寫 Fill in:/, "").replace(/>$/, "").trim();

function masked(body) {
  let fenced = false;
  return body.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return " ".repeat(line.length);
    }
    return fenced ? " ".repeat(line.length) : line;
  }).join("\n");
}

function checkBody(kind, body, out) {
  const text = String(body || "").replace(/\r\n?/g, "\n");
  const hidden = masked(text);
  const headings = [...hidden.matchAll(HEADING)].map((m) => ({
    start: m.index, end: m.index + m[0].length, level: m[1].length, text: m[2],
  }));
  const labels = ["內文"];
  const done = new Set();
  const templated = new Set();
  for (const section of kind.sections) {
    const names = [section.zh, section.en, ...section.aliases].map((x) => x.toLowerCase());
    const i = headings.findIndex((h) => h.level >= 2 && names.some((n) => h.text.toLowerCase().includes(n)));
    if (i === -1) {
      problemOf(out, "body", labels, "section-missing", { zh: section.zh, en: section.en });
      continue;
    }
    if (done.has(i)) continue;
    done.add(i);
    const h = headings[i];
    const parts = [];
    let at = h.end;
    let k = i + 1;
    for (; k < headings.length && headings[k].level > h.level; k += 1) {
      parts.push(text.slice(at, headings[k].start));
      at = headings[k].end;
    }
    parts.push(text.slice(at, k < headings.length ? headings[k].start : text.length));
    const content = squash(parts.join(""));
    const written = squash(section.placeholder);
    const params = { zh: section.zh, en: section.en };
    if (!content) {
      problemOf(out, "body", labels, "body-section-empty", params);
    } else if (content === written) {
      templated.add(section.placeholder);
      problemOf(out, "body", labels, "body-section-template", params);
    } else if (unbracket(content) === unbracket(written)) {
      problemOf(out, "body", labels, "body-section-template", params, "warning");
    }
  }
  // A placeholder left anywhere else (beside a paragraph of one's own, say): named by the
  // section it is under.
  const all = new RegExp(BODY_PLACEHOLDER.source, "gi");
  for (const m of hidden.matchAll(all)) {
    if (templated.has(m[0])) continue;
    const under = headings.filter((h) => h.start < m.index).pop();
    problemOf(out, "body", under ? [...labels, under.text] : labels, "placeholder");
  }
}

export function slugProblem(slug, collection) {
  if (!SLUG.test(slug) || RESERVED.includes(slug)) return SLUG_MESSAGE;
  if (WINDOWS_NAMES.includes(slug.toLowerCase())) return WINDOWS_MESSAGE(slug);
  if ((EXISTING[collection] || []).includes(slug)) {
    return "英文短名「" + slug + "」已經有條目在用了，請換一個（例如加上年份：" + slug + "-2025）。" +
      " / The slug " + slug + " is taken by another entry: choose another (e.g. add the year).";
  }
  return null;
}

// Every problem of an entry the form can see, errors and warnings, in the form's order.
export function checkEntry(collection, data, { isNew = false } = {}) {
  const kind = RULES.kinds[collection];
  if (!kind) return [];
  const values = toJS(data) || {};
  const out = [];
  if (isNew) {
    const problem = slugProblem(String(values.slug || "").trim(), collection);
    if (problem) {
      const [message, message_en = ""] = problem.split(" / ");
      out.push({ path: "slug", label: "英文短名（網址）", code: "slug-invalid", level: "error", message, hint: "", message_en, hint_en: "" });
    }
  }
  checkObject(kind, values, "", [], out, true);
  checkBody(kind, values.body, out);
  return out;
}

// The file Decap will write for an entry (the format's own toFile, in the form's field order).
function fieldOrder(collection) {
  const kind = RULES.kinds[collection];
  return kind ? ["slug", ...kind.fields.map((f) => f.name).filter((n) => n !== "slug")] : [];
}

function entryPath(entry, collection) {
  const kind = RULES.kinds[collection];
  if (entry.get("path") && !entry.get("newRecord")) return entry.get("path");
  const slug = String(toJS(entry.getIn ? entry.getIn(["data", "slug"]) : "") || "").trim();
  return `content/${kind ? kind.folder : collection}/${slug}/index.md`;
}

function pendingUploads(entry) {
  const files = toJS(entry.get("mediaFiles")) || [];
  return files.filter((f) => f && f.draft).map((f) => String(f.name || f.path || "").split("/").pop()).filter(Boolean);
}

// kb edit: kb validate on the entry as it would be written (text), or as it was saved (none).
async function kbValidate(collection, path, text, pending) {
  if (!CHECK_URL) return null;
  const done = text === null ? { raw: null, used: new Set() } : renamedEntryFile(text);
  const body = JSON.stringify({ collection, path, text: done.raw,
    pending: pending.map((name) => (done.used.has(name) ? ORIGINAL_NAMES.get(name) : name)) });
  const response = await fetch(CHECK_URL, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `kb validate: ${response.status}`);
  return answer;
}

// --- the summary at the top of the form (the kb-checks widget) and the marks on each box --------
let SUMMARY = null; // the mounted kb-checks control
// What kb validate said of the file just saved: a new entry's form is mounted again once saved
// (Decap opens the saved entry), and shows it then.
let LAST_SAVED = null; // { path, server, at }

function pane() {
  return document.querySelector("[class*='-ControlPaneContainer']") || document.body;
}

const containerOf = (el) => (el ? el.closest("[class*='-ControlContainer']") : null);
const parentContainer = (container) => (container && container.parentElement ? containerOf(container.parentElement) : null);

// The label of a field's box by its path (contact.email, attachments[2].file): Decap names each
// box's id after the field (email-field-12) and the label points at it.
function labelFor(path) {
  let scope = null;
  let found = null;
  let nth = 0;
  for (const part of path.split(".")) {
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m) break;
    const re = new RegExp("^" + m[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-field-\\d+$");
    const labels = [...pane().querySelectorAll("label[for]")].filter((l) => re.test(l.htmlFor) &&
      parentContainer(containerOf(l)) === scope);
    const label = labels[nth] || labels[0];
    if (!label) break;
    found = label;
    scope = containerOf(label);
    nth = m[2] ? Number(m[2]) - 1 : 0;
  }
  return found;
}

function focusField(path) {
  const label = labelFor(path);
  if (!label) return;
  label.scrollIntoView({ block: "center" });
  const box = document.getElementById(label.htmlFor) || containerOf(label).querySelector("input, textarea, [contenteditable]");
  if (box && box.focus) box.focus({ preventScroll: true });
}

function sentence(p) {
  return p.message + (p.hint ? `　${p.hint}` : "");
}

// Each problem said under its own box (Decap's own error list there), through the form's own
// validation state: an id Decap gave the box, found by its label.
function markFields(control, problems) {
  const setErrors = control.props.onValidateObject;
  if (typeof setErrors !== "function") return;
  const byId = new Map();
  for (const p of problems) {
    const label = labelFor(p.path);
    if (!label) continue;
    const list = byId.get(label.htmlFor) || [];
    list.push(p);
    byId.set(label.htmlFor, list);
  }
  const previous = control.marked || new Set();
  for (const id of previous) if (!byId.has(id)) setErrors(id, []);
  for (const [id, list] of byId) {
    setErrors(id, list.filter((p) => p.level === "error").concat(list.filter((p) => p.level !== "error"))
      .map((p) => ({ type: "CUSTOM", message: (p.level === "error" ? "" : "提醒：") + sentence(p), parentIds: [] })));
  }
  control.marked = new Set(byId.keys());
}

const key = (p) => `${p.path}\u0000${p.code}\u0000${p.message}`;

function clientProblems(props) {
  const entry = props.getEntry ? props.getEntry() : props.entry;
  if (!entry) return [];
  const collection = props.collection ? props.collection.get("name") : entry.get("collection");
  return checkEntry(collection, entry.get("data"), { isNew: !entry.get("path") || Boolean(entry.get("newRecord")) });
}

const ChecksControl = window.createClass({
  getInitialState() {
    return { problems: null, server: null, busy: false, saved: false };
  },
  componentDidMount() {
    SUMMARY = this;
    const entry = this.props.getEntry ? this.props.getEntry() : this.props.entry;
    const path = entry && entry.get("path");
    if (LAST_SAVED && path && LAST_SAVED.path === path && Date.now() - LAST_SAVED.at < 60000) {
      this.show([], LAST_SAVED.server, { saved: true });
    }
  },
  componentWillUnmount() {
    if (SUMMARY === this) SUMMARY = null;
    clearInterval(this.timer);
  },
  shouldComponentUpdate() {
    return true;
  },
  // Called by Decap on every save, before it saves: the entry's problems, and each box marked.
  isValid() {
    const problems = clientProblems(this.props);
    this.show(problems, null);
    const errors = problems.filter((p) => p.level === "error");
    if (!errors.length) return true;
    return { error: { type: "CUSTOM", message: `還有 ${errors.length} 個地方要改，都列在表單最上方的「檢查結果」，也標在各欄位旁。 / ` +
      `${errors.length} thing(s) to fix, listed below and marked at each box.`, parentIds: [] } };
  },
  show(problems, server, extra = {}) {
    if (server && server.problems) {  // what the form said already is not said twice
      const said = new Set(problems.map((p) => `${p.path}\u0000${p.message}`));
      server = { ...server, problems: server.problems.filter((p) => !said.has(`${p.path}\u0000${p.message}`)) };
    }
    this.setState({ problems, server, busy: false, saved: false, done: new Set(), ...extra });
    const all = [...problems, ...((server && server.problems) || [])];
    setTimeout(() => {
      markFields(this, all);
      if (all.some((p) => p.level === "error") && this.box) this.box.scrollIntoView({ block: "start" });
    }, 0);
    if (!this.timer) {  // from the first save on, each problem corrected is ticked off in the list
      this.timer = setInterval(() => {
        if (!this.state.problems) return;
        const now = new Set(clientProblems(this.props).map(key));
        const done = new Set(this.state.problems.map(key).filter((k) => !now.has(k)));
        if ([...done].join("\n") !== [...(this.state.done || [])].join("\n")) this.setState({ done });
      }, 1000);
    }
  },
  // Each problem: its box's label (a link to the box) and what to do. The list keeps its
  // length until the next save (the form does not jump while it is corrected): a problem put
  // right is ticked off in place.
  renderList(problems, h) {
    const done = this.state.done || new Set();
    return h("ol", { className: "kb-checks-list" }, problems.map((p, i) => {
      const fixed = done.has(key(p));
      const named = p.label && p.message.includes(p.label);
      // Ticked off by style alone (its words stay), so that nothing below moves as one types.
      return h("li", { key: i, className: "kb-check-" + p.level + (fixed ? " kb-check-done" : ""),
        title: fixed ? "已改好 / fixed" : undefined },
        h("button", { type: "button", className: "kb-check-field", onClick: () => focusField(p.path) },
          named ? p.message : p.label || "這篇條目"),
        named ? "" : (p.level === "error" ? "：" : "（提醒）：") + p.message,
        p.hint ? h("span", { className: "kb-check-hint" }, "　" + p.hint) : null);
    }));
  },
  render() {
    const h = window.h;
    const { problems, server, busy, saved } = this.state;
    const all = [...(problems || []), ...((server && server.problems) || [])];
    const errors = all.filter((p) => p.level === "error");
    const warnings = all.filter((p) => p.level !== "error");
    const open = errors.filter((p) => !(this.state.done || new Set()).has(key(p))).length;
    const parts = [];
    if (problems === null) {
      parts.push(h("p", { key: "intro" }, "按「儲存」時，會先依知識庫的規則檢查這篇條目（和 kb validate 相同）；要改的地方會列在這裡，也標在各欄位旁。"));
    } else {
      if (busy) parts.push(h("p", { key: "busy", className: "kb-checks-busy" }, "正在檢查這篇條目…"));
      if (errors.length) {
        parts.push(h("p", { key: "e", className: "kb-checks-head kb-check-error", role: "alert" },
          saved ? `已儲存，但檢查發現 ${errors.length} 個要改的地方：改好後請再儲存一次。`
            : open ? `還沒有儲存：有 ${errors.length} 個地方要改（還剩 ${open} 個），改好再按一次「儲存」。`
              : "還沒有儲存：列出的都改好了，請再按一次「儲存」。"));
        parts.push(h("div", { key: "el" }, this.renderList(errors, h)));
      } else if (!busy) {
        parts.push(h("p", { key: "ok", className: "kb-checks-head kb-check-ok" },
          saved ? "已儲存；檢查了這篇條目，沒有發現錯誤。" : "檢查通過，沒有要改的地方。"));
      }
      if (warnings.length) {
        parts.push(h("p", { key: "w", className: "kb-checks-head" }, `提醒（不影響儲存）：${warnings.length} 項`));
        parts.push(h("div", { key: "wl" }, this.renderList(warnings, h)));
      }
      if (server && server.error) parts.push(h("p", { key: "se", className: "kb-check-error" }, server.error));
    }
    return h("div", { className: "kb-checks " + (errors.length ? "kb-checks-bad" : ""), id: this.props.forID,
      ref: (el) => { this.box = el; }, tabIndex: -1, "aria-live": "polite" }, parts);
  },
});

// Decap's preSave: the form's checks once more, then (kb edit) kb validate on the file as it
// would be written. An error stops the save: the problems are listed and marked in the form.
async function beforeSave({ entry }) {
  const collection = entry.get("collection");
  let data = entry.get("data");
  const isNew = Boolean(entry.get("newRecord"));
  if (isNew) data = data.set("slug", String(data.get("slug") || "").trim());
  const problems = checkEntry(collection, data, { isNew });
  const errors = problems.filter((p) => p.level === "error");
  if (errors.length) {
    if (SUMMARY) SUMMARY.show(problems, null);
    throw new Error(`還有 ${errors.length} 個地方要改（列在表單最上方的「檢查結果」）：` + errors.map((p) => `${p.label}：${p.message}`).join("；"));
  }
  if (CHECK_URL) {
    if (SUMMARY) SUMMARY.setState({ busy: true, problems });
    let server;
    try {
      server = await kbValidate(collection, entryPath(entry, collection), toFile(toJS(data), fieldOrder(collection)),
        pendingUploads(entry));
    } catch (e) {
      server = { problems: [], error: "目前無法做完整的檢查，這篇仍會儲存；請告訴維護者（技術訊息：" + e.message + "）。" };
    }
    if (SUMMARY) SUMMARY.show(problems, server);
    const found = (server.problems || []).filter((p) => p.level === "error");
    if (found.length) {
      throw new Error(`檢查發現 ${found.length} 個要改的地方（列在表單最上方的「檢查結果」）：` +
        found.map((p) => `${p.label}：${p.message}`).join("；"));
    }
  }
  return data;
}

// kb edit without --workflow: the saved file is in content/, and kb validate reads it as it is.
async function afterSave({ entry }) {
  if (!CHECK_URL || !SIMPLE_MODE) return;
  const collection = entry.get("collection");
  try {
    const server = await kbValidate(collection, entryPath(entry, collection), null, []);
    if (!server || server.missing) return;
    LAST_SAVED = { path: server.path, server, at: Date.now() };
    if (SUMMARY) SUMMARY.show([], server, { saved: true });
  } catch (e) {
    // the entry is saved; kb validate in the terminal says the rest
  }
}

// --- the preview pane: the entry as a reader will meet it, values shown by their labels (公開,
//    not public), in place of Decap's list of raw values. Every value is React text (escaped);
//    the body is Decap's own preview, cleaned (sanitize_preview in config.yml).
const COLLECTIONS = __COLLECTIONS__; // every kind's id
const SKIP = new Set(["title", "summary", "body", "slug", ...FORM_ONLY]);

function shown(field, value) {
  if (value === null || value === undefined || value === "") return "";
  if (value && typeof value.toJS === "function") value = value.toJS();
  const options = field.get("options");
  const label = (v) => {
    if (!options) return String(v);
    const o = options.find((opt) => (opt && opt.get ? opt.get("value") : opt) === v);
    return o && o.get ? o.get("label").replace(/ \([^)]*\)$/, "") : String(v);
  };
  const filled = (x) => x !== "" && x !== null && x !== undefined && x !== false;
  if (Array.isArray(value)) {
    return value.filter((v) => !blank(v))
      .map((v) => (v && typeof v === "object" ? Object.values(v).filter(filled).join("｜") : label(v))).join("、");
  }
  if (typeof value === "object") return Object.values(value).filter(filled).join("｜");
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

// --- the slug field ("kb-slug" widget): required of a new entry, with the reason said in the
//    form (Decap's "required" would also demand it of entries written before the editor, which
//    have no slug: line); an existing entry shows its file name, read-only, since it is its URL.
const SLUG_MESSAGE = "英文短名（網址）新條目必填：只用小寫英文字母、數字與連字號，例如 zotero-guide（不能用中文、空格或大寫）。" +
  " / The slug is required for a new entry: lower-case letters, digits and hyphens, e.g. zotero-guide.";

// generator/validation/messages.py "slug-windows-name", as kb validate says it.
const WINDOWS_MESSAGE = (slug) => "「" + slug + "」是 Windows 保留給裝置的名稱，不能當檔名或資料夾名：Windows（包括 GitHub Desktop）" +
  "無法取出名為 con、prn、aux、nul、com0–com9、lpt0–lpt9 的檔案或資料夾，請換一個，例如 " + slug + "-guide。" +
  " / " + slug + " is a name Windows keeps for a device: nobody on Windows could check the entry out. Choose another slug, e.g. " +
  slug + "-guide.";

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
    const collection = this.props.collection ? this.props.collection.get("name") : this.props.entry.get("collection");
    const problem = slugProblem((this.props.value || "").trim(), collection);
    return problem ? { error: { type: "CUSTOM", message: problem, parentIds: [] } } : true;
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

// --- kb-date and kb-number: a text box that says beside it what will be stored ----------------
function typedControl(read, placeholder, options) {
  return window.createClass({
    getInitialState() {
      const v = this.props.value;
      return { text: v === null || v === undefined ? "" : String(v) };
    },
    reading(text = this.state.text) {
      return read(text, options(this.props.field));
    },
    componentDidUpdate(previous) {
      // A value set from outside (an entry loaded, 今天): shown as it is.
      if (previous.value === this.props.value) return;
      const mine = this.reading();
      const v = this.props.value === null || this.props.value === undefined ? "" : this.props.value;
      const ours = mine.problem ? this.state.text : mine.stored === null ? "" : mine.stored;
      if (String(v) !== String(ours)) this.setState({ text: String(v) });
    },
    isValid() {
      const r = this.reading();
      if (!r.problem) return true;
      const w = typedWords(r);
      return { error: { type: "CUSTOM", message: w.message + (w.hint ? "　" + w.hint : ""), parentIds: [] } };
    },
    change(text) {
      this.setState({ text });
      const r = this.reading(text);
      this.props.onChange(r.problem ? text : r.stored === "" ? "" : r.stored);
    },
    render() {
      const h = window.h;
      const r = this.reading();
      const w = typedWords(r);
      let status = null;
      if (r.problem) {
        status = h("p", { className: "kb-typed kb-typed-error", role: "alert" }, w.message, w.hint ? h("span", null, "　" + w.hint) : null);
      } else if (r.stored !== "" && r.stored !== null) {
        const roc = r.notice && r.notice.code === "date-roc-converted" ? `（民國 ${r.notice.params.roc} 年）` : "";
        status = h("p", { className: "kb-typed kb-typed-ok" }, `將儲存為 ${r.stored}${roc}`);
      }
      const today = this.props.field.get("widget") === "kb-date"
        ? h("button", { type: "button", className: "kb-today", onClick: () => {
          const d = new Date();
          this.change(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`);
        } }, "今天") : null;
      return h("div", { className: "kb-typed-box" },
        h("div", { className: "kb-typed-row" },
          h("input", {
            type: "text", id: this.props.forID, className: this.props.classNameWrapper, value: this.state.text,
            placeholder, autoComplete: "off", inputMode: "text", "aria-invalid": r.problem ? "true" : "false",
            onChange: (e) => this.change(e.target.value),
            onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
          }), today),
        status);
    },
  });
}

const DateControl = typedControl(readDate, "2026-10-05", () => ({}));
const NumberControl = typedControl(readNumber, "例如 412", (field) => ({
  int: field.get("value_type") === "int",
  min: field.has("min") ? field.get("min") : null,
  max: field.has("max") ? field.get("max") : null,
  units: field.has("units") ? toJS(field.get("units")) : [],
}));

// --- 4. In Chinese: Decap's select, and the words Decap's zh_Hant lacks -----------------------
const CMS = window.CMS;

function chineseSelect() {
  const base = CMS.getWidget && CMS.getWidget("select");
  if (!base || !base.control) return null;
  return class KbSelectControl extends base.control {
    render() {
      const el = super.render();
      return window.h(el.type, {
        ...el.props,
        backspaceRemovesValue: false, // a backspace in the filter removed a chosen tag
        placeholder: "選擇，或打字篩選…",
        noOptionsMessage: () => "沒有符合的選項",
        loadingMessage: () => "載入中…",
        screenReaderStatus: ({ count }) => `有 ${count} 個選項`,
        ariaLiveMessages: {
          guidance: () => "上下鍵選擇，Enter 確定，Esc 關閉選單。",
          onChange: ({ action, label }) => (action === "select-option" ? `已選 ${label}` : action === "remove-value" ? `已移除 ${label}` : ""),
          onFilter: ({ inputValue, resultsMessage }) => `${resultsMessage}（篩選：${inputValue}）`,
          onFocus: ({ label }) => label,
        },
      });
    }
  };
}

const PHRASES = {
  editor: {
    editorControlPane: { widget: { required: "「%{fieldLabel}」必填。" } },
    editorInterface: { toggleI18n: "切換語言", togglePreview: "顯示或隱藏預覽", toggleScrollSync: "同步捲動", toggleNotes: "顯示或隱藏備註" },
    editorControl: { field: { widgetLabel: "%{widgetLabel} 欄位" } },
    editorNotesPane: { title: "備註", emptyState: "還沒有備註。", addNote: "新增備註", addPlaceholder: "寫一則備註…",
      editPlaceholder: "修改備註…", save: "儲存", cancel: "取消", edit: "修改", delete: "刪除", resolve: "標示為已解決",
      unresolve: "重新打開", confirmDelete: "確定要刪除這則備註嗎？", shortcut: "按 Ctrl+Enter 可以直接新增備註" },
    editorToolbar: {
      statusInfoTooltipDraft: "這篇是草稿。寫好後，把狀態改成「正在審核」送出審核。",
      statusInfoTooltipInReview: "這篇正在審核，不必再做什麼；審核期間仍可以修改。",
    },
    editorWidgets: {
      markdown: { strikethrough: "刪除線", richText: "一般編輯", markdown: "Markdown 原始碼",
        toggleMode: { rich: "切換成一般編輯", markdown: "切換成 Markdown 原始碼" } },
      image: { chooseMultiple: "選擇圖片", chooseUrl: "從網址插入", replaceUrl: "換成網址", promptUrl: "輸入圖片的網址",
        addMore: "再加圖片", removeAll: "移除全部圖片" },
      file: { chooseUrl: "從網址插入", chooseMultiple: "選擇檔案", replaceUrl: "換成網址", promptUrl: "輸入檔案的網址",
        addMore: "再加檔案", removeAll: "移除全部檔案" },
      datetime: { setToNow: "把「%{fieldLabel}」設為現在", now: "今天", clear: "清除" },
      list: { addType: "新增%{item}" },
      object: { expand: "展開", collapse: "收合" },
    },
  },
  collection: { collectionTop: { viewAsList: "清單檢視", viewAsGrid: "格狀檢視", groupBy: "分組" },
    entries: { unpublishedHeader: "未發布的條目" }, groups: { other: "其他", negateLabel: "非 %{label}" } },
  mediaLibrary: {
    mediaLibraryCard: { copy: "複製", copyUrl: "複製網址", copyPath: "複製路徑", copyName: "複製檔名", copied: "已複製" },
    mediaLibraryModal: { close: "關閉" },
  },
  ui: {
    settingsDropdown: { account: "帳號選單" },
    toast: {
      onFailToPersist: "沒有儲存：%{details}",
      // Decap's own says one field is missing, however many our checks listed.
      missingRequiredField: "還沒有儲存：有欄位要修改，都列在表單最上方的「檢查結果」，也標在各欄位旁。",
      noteAdded: "已新增備註", noteUpdated: "已更新備註", noteDeleted: "已刪除備註", noteResolved: "備註已解決",
      noteReopened: "備註已重新打開", onFailToAddNote: "無法新增備註：%{details}", onFailToUpdateNote: "無法更新備註：%{details}",
      onFailToDeleteNote: "無法刪除備註：%{details}", onFailToToggleNote: "無法變更備註狀態：%{details}",
    },
  },
};
// kb edit without --workflow: Decap's "publish" writes the file into content/ (nothing is
// published until it is committed and merged), so the buttons say 儲存, as CONTRIBUTING does.
const SIMPLE_PHRASES = {
  editor: { editorToolbar: {
    publish: "儲存", publishNow: "立即儲存", publishing: "儲存中...", published: "已儲存",
    publishAndCreateNew: "儲存並新增一篇", publishAndDuplicate: "儲存並複製成新的一篇", duplicate: "複製成新的一篇",
    deployButtonLabel: "在預覽中查看",
  } },
  ui: { toast: { entryPublished: "已儲存到 content/" } },
};

function merged(base, extra) {
  const out = { ...(base || {}) };
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value && typeof value === "object" ? merged(out[key], value) : value;
  }
  return out;
}

// --- the body editor's 內文 button: a heading back to a paragraph -----------------------------
// Decap's rich text turns a heading back into text when its own level is chosen again (or with
// Ctrl+1…6); the button beside the headings menu does it for the line the cursor is on.
const IS_MAC = typeof navigator !== "undefined" && /Mac|iPod|iPhone|iPad/.test(navigator.platform || "");

function paragraphButton(toolbar) {
  if (toolbar.querySelector(".kb-paragraph")) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "kb-paragraph";
  button.textContent = "內文";
  button.title = "把游標所在的標題改回一般文字（內文） / Turn the heading at the cursor back into text";
  button.addEventListener("mousedown", (event) => {
    event.preventDefault(); // the editor keeps its cursor
    const selection = window.getSelection();
    const node = selection && selection.anchorNode;
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    const heading = element && element.closest("[data-slate-editor] h1, [data-slate-editor] h2, [data-slate-editor] h3, " +
      "[data-slate-editor] h4, [data-slate-editor] h5, [data-slate-editor] h6");
    if (!heading) return;
    const editor = heading.closest("[data-slate-editor]");
    const level = heading.tagName.slice(1);
    const key = new KeyboardEvent("keydown", { key: level, code: "Digit" + level, bubbles: true, cancelable: true,
      ctrlKey: !IS_MAC, metaKey: IS_MAC });
    for (const name of ["keyCode", "which"]) Object.defineProperty(key, name, { get: () => 48 + Number(level) });
    editor.dispatchEvent(key);
  });
  const headings = toolbar.querySelector("[class*='-ToolbarDropdownWrapper']");
  if (headings && headings.nextSibling) headings.parentNode.insertBefore(button, headings.nextSibling);
  else (toolbar.firstElementChild || toolbar).appendChild(button);
}

// The media dialog lists an entry's own uploads: not the entries' text files beside them.
function hideTextFiles(root) {
  for (const text of root.querySelectorAll("[class*='-CardText']")) {
    if (/\.md$/i.test(text.textContent.trim())) {
      const card = text.closest("[class*='-Card']");
      if (card) card.style.display = "none";
    }
  }
}

// A contact's e-mail and phone: at least one is required, so neither says 選填.
function groupMarks() {
  for (const kind of Object.values(RULES.kinds)) {
    for (const f of kind.fields) {
      if (f.type !== "object" || !f.required || !(f.one_of || []).length) continue;
      for (const sub of f.one_of) {
        const label = labelFor(`${f.name}.${sub}`);
        const mark = label && label.querySelector("span");
        if (mark && mark.style.display !== "none") mark.style.display = "none";
      }
    }
  }
}

function watchPage() {
  if (typeof MutationObserver === "undefined" || typeof document === "undefined") return;
  let queued = false;
  const pass = () => {
    queued = false;
    for (const toolbar of document.querySelectorAll("[class*='-ToolbarContainer']")) {
      if (containerOf(toolbar) && toolbar.querySelector("[class*='-ToolbarDropdownWrapper']")) paragraphButton(toolbar);
    }
    hideTextFiles(document);
    groupMarks();
  };
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(pass);
    }
  }).observe(document.body, { childList: true, subtree: true });
}

// --- uploads keep their names --------------------------------------------------------------
// Decap names an upload by its slug rules, lower-cased, a space made "-" (繪本週 現場.png became
// 繪本週-現場.png; no setting keeps a space). The name chosen is remembered as it was, and the
// request that writes the file (kb edit's decap-server) carries that name, in the file's path
// and in the entry that refers to it.
const ORIGINAL_NAMES = new Map(); // Decap's name -> the file's own

function decapName(name) {
  const valid = /[\w\-.~]|[\xA0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF\u{10000}-\u{1FFFD}\u{20000}-\u{2FFFD}]/u;
  const swapped = Array.from(name.toLowerCase()).map((ch) => (valid.test(ch) ? ch : "-")).join("")
    .replace(/[/?<>\\:*|"\x00-\x1f\x80-\x9f]/g, "-");
  return swapped.replace(/-+/g, "-").replace(/^-/, "").replace(/-$/, "");
}

function rememberUpload(event) {
  const input = event.target;
  if (!input || input.type !== "file" || !input.files) return;
  for (const file of input.files) {
    const given = decapName(file.name);
    if (given !== file.name) ORIGINAL_NAMES.set(given, file.name);
  }
}

// The entry's file with its front matter naming each upload by the file's own name: not the
// body, whose Markdown links to the file as Decap named it (a space would end a link there), so
// a file the body shows keeps Decap's name. Returns the file and the names changed.
function renamedEntryFile(raw) {
  const used = new Set();
  if (!ORIGINAL_NAMES.size) return { raw, used };
  try {
    const data = fromFile(raw);
    const { body = "", ...meta } = data;
    let text = JSON.stringify(meta);
    for (const [given, own] of ORIGINAL_NAMES) {
      const quoted = JSON.stringify(given).slice(1, -1);
      if (body.includes(given) || !text.includes(quoted)) continue;
      text = text.split(quoted).join(JSON.stringify(own).slice(1, -1));
      used.add(given);
    }
    return used.size ? { raw: toFile({ ...JSON.parse(text), body }, Object.keys(data)), used } : { raw, used };
  } catch (e) {
    return { raw, used: new Set() };
  }
}

function renamedPath(path, used) {
  const parts = String(path).split("/");
  const name = parts.pop();
  parts.push(used.has(name) ? ORIGINAL_NAMES.get(name) : name);
  return parts.join("/");
}

function keepUploadNames() {
  if (typeof window.fetch !== "function") return;
  const original = window.fetch.bind(window);
  window.fetch = (input, init) => {
    if (ORIGINAL_NAMES.size && init && typeof init.body === "string" && init.body.includes('"action":"persistEntry"')) {
      try {
        const body = JSON.parse(init.body);
        const params = body.params || {};
        const used = new Set();
        for (const file of [...(params.dataFiles || []), ...(params.entry ? [params.entry] : [])]) {
          if (file && typeof file.raw === "string") {
            const done = renamedEntryFile(file.raw);
            file.raw = done.raw;
            done.used.forEach((name) => used.add(name));
          }
        }
        for (const asset of params.assets || []) {
          if (asset && typeof asset.path === "string") asset.path = renamedPath(asset.path, used);
        }
        init = { ...init, body: JSON.stringify(body) };
      } catch (e) {
        // not ours to change: sent as it was
      }
    }
    return original(input, init);
  };
}

// --- registered, then Decap starts -----------------------------------------------------------
if (CMS && CMS.registerWidget) {
  const select = chineseSelect();
  const stringPreview = CMS.getWidget && CMS.getWidget("string") ? CMS.getWidget("string").preview : undefined;
  CMS.registerWidget("kb-slug", SlugControl);
  CMS.registerWidget("kb-checks", ChecksControl, () => null);
  CMS.registerWidget("kb-date", DateControl, stringPreview);
  CMS.registerWidget("kb-number", NumberControl, stringPreview);
  if (select) CMS.registerWidget("kb-select", select, CMS.getWidget("select").preview);
  if (CMS.getLocale && CMS.registerLocale) {
    CMS.registerLocale("zh_Hant", merged(merged(CMS.getLocale("zh_Hant"), PHRASES), SIMPLE_MODE ? SIMPLE_PHRASES : {}));
  }
  CMS.registerPreviewStyle("kb-preview.css");
  for (const name of COLLECTIONS) CMS.registerPreviewTemplate(name, Preview);
  CMS.registerCustomFormat("kb-frontmatter", "md", { fromFile, toFile });
  CMS.registerEventListener({ name: "preSave", handler: beforeSave });
  CMS.registerEventListener({ name: "postSave", handler: afterSave });
  if (typeof document !== "undefined" && document.addEventListener) {
    document.addEventListener("change", rememberUpload, true);
    keepUploadNames();
    watchPage();
  }
  CMS.init();
}

export { fromFile, toFile };
