/*
 * Knowledge-base search: the browser half of generator/search.py.
 *
 * Text is folded (NFKC, lower case, Traditional -> Simplified per character)
 * and cut (Han runs into bigrams, a lone Han character alone, Latin words)
 * exactly as the build did, so what the reader types meets what was indexed.
 * Only the shards holding the query's tokens are fetched, then the metadata
 * and excerpts of the results shown. No third-party code; no innerHTML with
 * data.
 */
(function (root) {
  "use strict";

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN_RE = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var PAGE = 10;

  function fold(text, t2s) {
    var s = String(text || "").normalize("NFKC").toLowerCase();
    var out = "";
    for (var ch of s) out += (t2s && t2s[ch]) || ch;
    return out;
  }

  function tokens(text, t2s) {
    var out = [], m;
    var s = fold(text, t2s);
    TOKEN_RE.lastIndex = 0;
    while ((m = TOKEN_RE.exec(s)) !== null) {
      var run = Array.from(m[0]);
      if (run[0] < "\u3400") out.push(m[0]);
      else if (run.length === 1) out.push(run[0]);
      else for (var i = 0; i < run.length - 1; i++) out.push(run[i] + run[i + 1]);
    }
    return out;
  }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var ch of token) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function decode(value) {
    var out = [], prev = 0;
    if (!value) return out;
    var parts = value.split(",");
    for (var i = 0; i < parts.length; i++) { prev += parseInt(parts[i], 36); out.push(prev); }
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) i++;
      else j++;
    }
    return out;
  }

  /* The index, fetched piece by piece and cached. */
  function Index(base, fetcher) {
    this.base = base;
    this.fetcher = fetcher || function (url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.text();
      });
    };
    this.cache = {};
  }
  Index.prototype.get = function (path) {
    if (!this.cache[path]) this.cache[path] = this.fetcher(this.base + path, path);
    return this.cache[path];
  };
  Index.prototype.json = function (path) {
    return this.get(path).then(function (v) { return typeof v === "string" ? JSON.parse(v) : v; });
  };

  /* Opened from disk (file://) the browser fetches no file, but runs the scripts a page
     adds: a copy built with `kb build --offline` has each index file as a script too
     (p/3.json as p/3.js), calling kbSearchFile(path, value). Loaded one by one, as fetched:
     still only the files a query needs. */
  function scriptFetcher(doc) {
    var waiting = {};
    root.kbSearchFile = function (path, value) {
      var w = waiting[path];
      if (w) { delete waiting[path]; w(value); }
    };
    return function (url, path) {
      return new Promise(function (resolve, reject) {
        var s = doc.createElement("script");
        function fail() {
          delete waiting[path];
          reject(new Error("從磁碟開啟時，請使用 kb build --offline 建置的版本 / open a copy built with kb build --offline"));
        }
        waiting[path] = resolve;
        s.onload = function () { s.remove(); if (waiting[path]) fail(); };
        s.onerror = function () { s.remove(); fail(); };
        s.src = url.replace(/\.(json|txt)$/, ".js");
        doc.head.appendChild(s);
      });
    };
  }
  Index.prototype.meta = function () { return this.json("meta.json"); };
  Index.prototype.postings = function (token, meta) {
    return this.json("p/" + shardOf(token.replace(/^\^/, ""), meta.shards) + ".json").then(function (shard) {
      return decode(shard[token]);
    });
  };
  /* Ids of the documents holding every token, title matches first, then newest first. */
  Index.prototype.search = function (query, filters) {
    var self = this;
    filters = filters || {};
    return this.meta().then(function (meta) {
      var toks = Array.from(new Set(tokens(query, meta.t2s)));
      if (!toks.length) return { meta: meta, ids: [], tokens: toks };
      return Promise.all(toks.map(function (t) { return self.postings(t, meta); })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var ids = lists.reduce(intersect);
        var needFacets = filters.kind || filters.year;
        return Promise.all([
          needFacets ? self.json("facets.json") : null,
          filters.tag ? self.json("tags.json") : null,
          Promise.all(toks.map(function (t) { return self.postings("^" + t, meta); }))
        ]).then(function (got) {
          var facets = got[0], tags = got[1];
          var kindIdx = filters.kind ? meta.kinds.findIndex(function (k) { return k.id === filters.kind; }) : -1;
          var tagIdx = filters.tag ? meta.tags.findIndex(function (t) { return t.id === filters.tag; }) : -1;
          ids = ids.filter(function (id) {
            if (filters.kind && parseInt(facets.kind[id], 36) !== kindIdx) return false;
            if (filters.year && parseInt(facets.year[id], 36) + facets.min_year !== Number(filters.year)) return false;
            if (filters.tag && tags[id].indexOf(tagIdx) < 0) return false;
            return true;
          });
          var inTitle = new Set(got[2].reduce(intersect));
          ids.sort(function (a, b) { return (inTitle.has(b) - inTitle.has(a)) || (a - b); });
          return { meta: meta, ids: ids, tokens: toks };
        });
      });
    });
  };
  Index.prototype.documents = function (ids, meta) {
    var self = this;
    return Promise.all(ids.map(function (id) {
      return Promise.all([self.json("d/" + Math.floor(id / meta.chunk) + ".json"), self.get("t/" + id + ".txt")])
        .then(function (got) {
          var row = got[0][id % meta.chunk];
          return { id: id, url: row[0], title: row[1], kind: meta.kinds[row[2]], date: row[3], summary: row[4],
                   closed: row[5] === 1, text: got[1] };
        });
    }));
  };

  /* Where the query's terms occur in the original text (folded per character). */
  function matches(text, query, t2s) {
    var terms = fold(query, t2s).split(/\s+/).filter(Boolean);
    var chars = Array.from(text), folded = chars.map(function (c) { return fold(c, t2s); });
    var joined = folded.join(""), starts = [], pos = 0;
    for (var i = 0; i < folded.length; i++) { starts.push(pos); pos += folded[i].length; }
    var spans = [];
    terms.forEach(function (term) {
      var at = joined.indexOf(term);
      while (at !== -1) {
        var s = starts.findIndex(function (p) { return p >= at; });
        var e = starts.findIndex(function (p) { return p >= at + term.length; });
        spans.push([s, e === -1 ? chars.length : e]);
        at = joined.indexOf(term, at + term.length);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    return { chars: chars, spans: spans };
  }

  var core = { fold: fold, tokens: tokens, shardOf: shardOf, decode: decode, intersect: intersect,
               Index: Index, matches: matches };
  if (typeof module !== "undefined" && module.exports) { module.exports = core; return; }
  root.kbSearch = core;

  /* ---------------------------------------------------------------- page UI */
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function excerpt(doc, query, t2s) {
    var m = matches(doc.text, query, t2s);
    var p = el("p", "kb-result__excerpt");
    if (!m.spans.length) { p.textContent = doc.summary; return p; }
    var first = m.spans[0][0], from = Math.max(0, first - 40), to = Math.min(m.chars.length, first + 120);
    if (from > 0) p.appendChild(document.createTextNode("…"));
    var at = from;
    m.spans.forEach(function (s) {
      if (s[0] < at || s[0] >= to) return;
      p.appendChild(document.createTextNode(m.chars.slice(at, s[0]).join("")));
      p.appendChild(el("mark", "", m.chars.slice(s[0], Math.min(s[1], to)).join("")));
      at = Math.min(s[1], to);
    });
    p.appendChild(document.createTextNode(m.chars.slice(at, to).join("") + (to < m.chars.length ? "…" : "")));
    return p;
  }

  function start() {
    var form = document.getElementById("kb-search-form");
    if (!form) return;
    var siteRoot = form.getAttribute("data-root");
    var index = new Index(form.getAttribute("data-index"),
                          location.protocol === "file:" ? scriptFetcher(document) : undefined);
    var input = form.elements.q, status = document.getElementById("kb-search-status");
    var list = document.getElementById("kb-search-results"), more = document.getElementById("kb-search-more");
    var state = { ids: [], shown: 0, query: "", serial: 0, meta: null };

    function params() {
      return { q: input.value.trim(), kind: form.elements.kind.value, year: form.elements.year.value,
               tag: form.elements.tag.value };
    }
    function show(n) {
      var ids = state.ids.slice(state.shown, state.shown + n), serial = state.serial;
      return index.documents(ids, state.meta).then(function (docs) {
        if (serial !== state.serial) return;
        docs.forEach(function (d) {
          var li = el("li", "kb-result");
          var a = el("a", "kb-result__title", d.title);
          a.href = siteRoot + d.url;
          var h = el("h2", ""); h.appendChild(a); li.appendChild(h);
          var info = el("p", "kb-result__meta", d.kind.zh + " · " + d.date);
          if (d.closed) info.insertBefore(el("span", "kb-closed-tag", "已截止"), info.firstChild).after(" ");
          li.appendChild(info);
          li.appendChild(excerpt(d, state.query, state.meta.t2s));
          list.appendChild(li);
        });
        state.shown += ids.length;
        more.hidden = state.shown >= state.ids.length;
      });
    }
    function run(push) {
      var p = params(), serial = ++state.serial, started = performance.now();
      var url = new URL(location.href);
      ["q", "kind", "year", "tag"].forEach(function (k) { if (p[k]) url.searchParams.set(k, p[k]); else url.searchParams.delete(k); });
      history[push ? "pushState" : "replaceState"](null, "", url);
      list.textContent = "";
      more.hidden = true;
      if (!p.q) { status.textContent = "輸入詞彙開始搜尋。"; return Promise.resolve(); }
      status.textContent = "搜尋中…";
      return index.search(p.q, p).then(function (r) {
        if (serial !== state.serial) return;
        state.ids = r.ids; state.shown = 0; state.query = p.q; state.meta = r.meta;
        status.textContent = r.ids.length ? "找到 " + r.ids.length + " 筆「" + p.q + "」的結果。"
                                          : "沒有找到「" + p.q + "」的結果。試試較短的詞，或拿掉篩選條件。";
        return show(PAGE).then(function () {
          root.kbSearchLastMs = performance.now() - started;
          document.body.setAttribute("data-kb-search", "done");
        });
      }).catch(function (err) {
        status.textContent = "搜尋暫時無法使用（" + err.message + "）。";
      });
    }
    var timer;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run(false); }, 50); });
    ["kind", "year", "tag"].forEach(function (k) { form.elements[k].addEventListener("change", function () { run(true); }); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
    more.addEventListener("click", function () { show(PAGE); });
    window.addEventListener("popstate", function () { load(); });
    function load() {
      var u = new URL(location.href);
      input.value = u.searchParams.get("q") || "";
      ["kind", "year", "tag"].forEach(function (k) { form.elements[k].value = u.searchParams.get(k) || ""; });
      return run(false);
    }
    load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(this);
