/*
 * The reader's own tools, in the reader's browser only: the 收藏 button of an entry's page, the
 * 我的收藏 page (its cards, export to a file and import from one), and the entry's discussion
 * (kb.yml: discussion), loaded from giscus.app only when the reader presses its button.
 *
 * The collection is kept in localStorage under a key naming the site's root, so that two sites
 * on one host (GitHub Pages project sites) keep their own. Nothing is sent anywhere. Every text
 * the reader sees comes from the page (data-msg-* attributes, written by the templates), so that
 * a page in another language carries its own; stored and imported values are shown with
 * textContent only, never as markup, and links are made only from checked site paths.
 */
(function () {
  "use strict";

  var FORMAT = "kb-collection", VERSION = 1;
  var MAX_FILE = 2 * 1024 * 1024, MAX_ITEMS = 5000;
  /* The English site's pages (html lang="en"): the search index it reads holds Chinese titles. */
  var ENGLISH = document.documentElement.lang === "en";
  /* What an item holds, and what each field must look like (import refuses anything else). */
  /* a path below the site's root, as entries' pages have (kind folder, slug: letters, digits, hyphens):
     no scheme, no "//", no "..", no percent-escapes (%2e%2e is ".." to a browser) */
  var PATH_RE = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._~\/-]{0,299}$/;
  var DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
  var STAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
  function text(max) {
    return function (v) { return typeof v === "string" && v.trim().length > 0 && v.length <= max; };
  }
  var FIELDS = {
    url: function (v) { return typeof v === "string" && PATH_RE.test(v); },
    title: text(500),
    kind: text(100),
    summary: function (v) { return typeof v === "string" && v.length <= 2000; },
    date: function (v) { return typeof v === "string" && DATE_RE.test(v) && !isNaN(Date.parse(v)); },
    collected: function (v) { return typeof v === "string" && STAMP_RE.test(v) && !isNaN(Date.parse(v)); }
  };
  var GISCUS = "https://giscus.app/client.js";

  function msg(el, name, values) {
    var s = el.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(values[k])); });
    return s;
  }
  function node(tag, cls, content) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (content !== undefined) n.textContent = content;
    return n;
  }

  /* ---------------------------------------------------------------- the stored list */
  /* One list per site, for both its languages: kept under the site's root (data-store; the
     English site's pages are under en/), else the root the page names. */
  function storeKey(root) {
    var store = document.querySelector("[data-store]");
    return "kb-collection:" + new URL(store ? store.getAttribute("data-store") : root, location.href).pathname;
  }
  /* The problem with an item ("" when none): the first field that is missing or malformed. */
  function itemProblem(item) {
    if (!item || typeof item !== "object" || Array.isArray(item)) return "item";
    var keys = Object.keys(item);
    for (var i = 0; i < keys.length; i++) if (!FIELDS.hasOwnProperty(keys[i])) return keys[i];
    var names = Object.keys(FIELDS);
    for (var j = 0; j < names.length; j++) if (!FIELDS[names[j]](item[names[j]])) return names[j];
    return "";
  }
  function clean(item) {
    var out = {};
    Object.keys(FIELDS).forEach(function (k) { out[k] = item[k]; });
    return out;
  }
  function load(root) {
    var raw = null;
    try { raw = localStorage.getItem(storeKey(root)); } catch (e) { return []; }
    if (!raw) return [];
    try {
      var data = JSON.parse(raw);
      /* what another script or an older page left is dropped item by item, never shown unchecked */
      return Array.isArray(data) ? data.filter(function (it) { return itemProblem(it) === ""; }).map(clean) : [];
    } catch (e) { return []; }
  }
  function save(root, items) {
    try {
      localStorage.setItem(storeKey(root), JSON.stringify(items));
      return true;
    } catch (e) { return false; }
  }
  function indexOfUrl(items, url) {
    for (var i = 0; i < items.length; i++) if (items[i].url === url) return i;
    return -1;
  }
  function now() { return new Date().toISOString(); }

  /* ---------------------------------------------------------------- an entry's 收藏 button */
  function collectButton(box) {
    var root = box.getAttribute("data-root"), button = box.querySelector("button");
    var status = box.querySelector("[role=status]");
    var entry = { url: box.getAttribute("data-url"), title: box.getAttribute("data-title"),
                  kind: box.getAttribute("data-kind"), summary: box.getAttribute("data-summary"),
                  date: box.getAttribute("data-date") };
    function show() {
      button.setAttribute("aria-pressed", indexOfUrl(load(root), entry.url) >= 0 ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var items = load(root), at = indexOfUrl(items, entry.url), added = at < 0;
      if (added) items.unshift(clean(Object.assign({}, entry, { collected: now() })));
      else items.splice(at, 1);
      if (!save(root, items)) { status.textContent = msg(box, "full"); return; }
      show();
      status.textContent = msg(box, added ? "added" : "removed");
    });
    window.addEventListener("storage", show);  /* collected or removed in another tab */
    show();
    box.hidden = false;
  }

  /* ---------------------------------------------------------------- 我的收藏 */
  /* What the site lists now, from the search index's documents (generator/search/build.py:
     d/<chunk>.json, rows of [url, title, kind, date, summary, closed?], newest first by date and
     title): url -> {title, kind, date, summary, closed}. Each item is first sought where its date
     and title put it (a binary search over the chunks: a few small files, whatever the size of the
     site); only when one is not there (gone, or its date or title edited) are all chunks read. */
  function currentEntries(base, items) {
    var files = {}, found = {};
    function get(path) {
      if (!files[path]) {
        files[path] = fetch(base + path).then(function (r) {
          if (!r.ok) throw new Error(path + ": " + r.status);
          return r.json();
        });
      }
      return files[path];
    }
    return get("meta.json").then(function (meta) {
      var chunks = Math.ceil(meta.docs / meta.chunk);
      function chunk(n) {
        return get("d/" + n + ".json").then(function (rows) {
          rows.forEach(function (row) {
            found[row[0]] = { title: row[1], kind: meta.kinds[row[2]] ? meta.kinds[row[2]][ENGLISH ? "en" : "zh"] : "", date: row[3],
                              summary: row[4], closed: row.length > 5 && row[5] === 1 };
          });
          return rows;
        });
      }
      function order(item, row) {  /* < 0: the item is listed before the row (newer) */
        if (item.date !== row[3]) return item.date > row[3] ? -1 : 1;
        if (item.title !== row[1]) return item.title > row[1] ? -1 : 1;
        return 0;
      }
      function seek(item, lo, hi) {
        if (found[item.url] || lo > hi) return Promise.resolve();
        var mid = (lo + hi) >> 1;
        return chunk(mid).then(function (rows) {
          if (found[item.url] || !rows.length) return;
          if (order(item, rows[0]) < 0) return seek(item, lo, mid - 1);
          if (order(item, rows[rows.length - 1]) > 0) return seek(item, mid + 1, hi);
        });
      }
      function everything() {
        var next = 0, workers = [];
        function worker() {
          if (next >= chunks) return Promise.resolve();
          return chunk(next++).then(worker);
        }
        for (var w = 0; w < Math.min(4, chunks); w++) workers.push(worker());
        return Promise.all(workers);
      }
      /* one item after another, so that those in the same chunks share its file */
      return items.reduce(function (p, item) { return p.then(function () { return seek(item, 0, chunks - 1); }); },
                          Promise.resolve()).then(function () {
        return items.every(function (item) { return found[item.url]; }) ? null : everything();
      }).then(function () { return found; });
    });
  }

  function collectionPage(box) {
    var root = box.getAttribute("data-root");
    var list = document.getElementById("kb-collection-list"), status = document.getElementById("kb-collection-status");
    var message = document.getElementById("kb-collection-message");
    var current = null;  /* url -> what the site lists now; null until known (or when unknown) */

    /* A card as a listing's (generator/site/markup.py: _rooted_item), filled with text. */
    function card(item) {
      var li = node("li"), now = current && current[item.url], gone = current && !now;
      if (now && now.closed) li.append(node("span", "kb-closed-tag", msg(box, "closed")), " ");
      if (gone) li.append(node("span", "kb-gone-tag", msg(box, "gone")), " ");
      var strong = node("strong");
      if (gone) strong.textContent = item.title;
      else {
        var a = node("a", "", item.title);
        a.href = root + item.url;
        strong.append(a);
      }
      li.append(strong, node("br"));
      li.append(node("span", "kb-facts", item.date + " · " + item.kind + " · " +
                     msg(box, "collected", { date: item.collected.slice(0, 10) })), node("br"));
      li.append(item.summary, " ");
      var remove = node("button", "kb-collection__remove", msg(box, "remove"));
      remove.type = "button";
      remove.addEventListener("click", function () {
        var items = load(root), at = indexOfUrl(items, item.url);
        if (at >= 0) items.splice(at, 1);
        if (!save(root, items)) { message.textContent = msg(box, "full"); return; }
        draw();
        message.textContent = msg(box, "removed", { title: item.title });
        status.focus();
      });
      li.append(remove);
      return li;
    }
    function draw(note) {
      var items = load(root);
      list.textContent = "";
      items.forEach(function (item) { list.append(card(item)); });
      status.textContent = items.length ? msg(box, "count", { n: items.length }) + (note ? " " + note : "")
        : msg(box, "empty");
      box.setAttribute("data-kb-count", String(items.length));
    }
    /* What the site says now replaces the stored title, kind, date and summary (an edited entry).
       The index holds the Chinese title and summary: on the English site's page only the kind
       (in English) and the date are refreshed, and an entry keeps the words it was collected with. */
    function refresh() {
      var items = load(root), changed = false;
      items.forEach(function (item) {
        var now = current[item.url];
        if (!now) return;
        (ENGLISH ? ["kind", "date"] : ["title", "kind", "date", "summary"]).forEach(function (k) {
          var fresh = Object.assign({}, item, { [k]: now[k] });
          if (now[k] !== item[k] && FIELDS[k](now[k]) && itemProblem(fresh) === "") { item[k] = now[k]; changed = true; }
        });
      });
      if (changed) save(root, items);
    }

    function download() {
      var items = load(root);
      var doc = { format: FORMAT, version: VERSION, site: new URL(root, location.href).href, exported: now(), items: items };
      var blob = new Blob([JSON.stringify(doc, null, 1) + "\n"], { type: "application/json" });
      var a = node("a");
      a.href = URL.createObjectURL(blob);
      a.download = (box.getAttribute("data-filename") || "collection") + "-" + now().slice(0, 10) + ".json";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      message.textContent = msg(box, "exported", { n: items.length });
    }

    /* A file's items, or the message saying why none is taken (the whole file is refused). */
    function parseFile(textValue) {
      var doc;
      try { doc = JSON.parse(textValue); } catch (e) { return { error: msg(box, "bad-json") }; }
      if (!doc || typeof doc !== "object" || doc.format !== FORMAT || doc.version !== VERSION ||
          !Array.isArray(doc.items) || doc.items.length > MAX_ITEMS) return { error: msg(box, "bad-format") };
      for (var i = 0; i < doc.items.length; i++) {
        var bad = itemProblem(doc.items[i]);
        if (bad) return { error: msg(box, "bad-item", { n: i + 1, field: bad }) };
      }
      return { items: doc.items.map(clean) };
    }
    function importFile(file) {
      if (file.size > MAX_FILE) {
        message.textContent = msg(box, "too-big", { kb: MAX_FILE / 1024 });
        return Promise.resolve();
      }
      return file.text().then(function (textValue) {
        var got = parseFile(textValue);
        if (got.error) { message.textContent = got.error; return; }
        var items = load(root), added = 0, same = 0;
        got.items.forEach(function (item) {
          if (indexOfUrl(items, item.url) >= 0) same++;
          else { items.push(item); added++; }
        });
        items.sort(function (a, b) { return a.collected < b.collected ? 1 : a.collected > b.collected ? -1 : 0; });
        if (!save(root, items)) { message.textContent = msg(box, "full"); return; }
        draw();
        message.textContent = msg(box, "imported", { added: added, same: same });
      });
    }

    document.getElementById("kb-collection-export").addEventListener("click", download);
    var input = document.getElementById("kb-collection-import");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      importFile(file).then(function () { input.value = ""; box.setAttribute("data-kb-imported", "1"); });
    });
    window.addEventListener("storage", function () { draw(); });
    status.tabIndex = -1;
    box.hidden = false;
    draw(load(root).length ? msg(box, "checking") : "");
    currentEntries(box.getAttribute("data-index"), load(root)).then(function (found) {
      current = found;
      refresh();
      draw();
    }, function () {
      draw(load(root).length ? msg(box, "unchecked") : "");
    }).then(function () { box.setAttribute("data-kb-checked", "1"); });
  }

  /* ---------------------------------------------------------------- the discussion */
  function discussion(box) {
    var button = box.querySelector("button"), frame = box.querySelector(".giscus");
    button.addEventListener("click", function () {
      if (box.querySelector("script")) return;
      var s = document.createElement("script");
      s.src = GISCUS;
      Array.prototype.forEach.call(frame.attributes, function (attr) {
        if (attr.name.indexOf("data-giscus-") === 0) s.setAttribute("data-" + attr.name.slice(12), attr.value);
      });
      s.crossOrigin = "anonymous";
      s.async = true;
      button.disabled = true;
      frame.before(s);
    });
    box.hidden = false;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kb-collect]"), collectButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-kb-collection]"), collectionPage);
    Array.prototype.forEach.call(document.querySelectorAll("[data-kb-discussion]"), discussion);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
