/*
 * Knowledge-base search: the browser half of generator/search/ (text.py, local.py).
 *
 * Text is folded (NFKC, lower case, Traditional -> Simplified per character)
 * and cut exactly as the build did, so what the reader types meets what was
 * indexed. A query is units, all required: each Han run a phrase, each word a
 * word (the last one also a prefix while typed), quoted text one phrase. Only
 * the shards holding the query's keys are fetched; candidates are ranked by
 * the levels stored in the postings; phrases the postings cannot vouch for
 * are checked against each candidate's text, in rank order, as far as the
 * page shown. No third-party code; no innerHTML with data.
 */
(function (root) {
  "use strict";

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN_RE = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var QUOTE_RE = /["\u201c\u201d\u300c\u300d\u300e\u300f]/;
  var NGRAM = 4, PREFIX_MIN = 2, PREFIX_MAX = 15;
  var LEVELS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  var BITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var TEXT_ROW = 3;  /* the line of t/<id>.txt holding [url, kind, date, closed] */
  var PAGE = 10;

  function fold(text, t2s) {
    var s = String(text || "").normalize("NFKC").toLowerCase();
    var out = "";
    for (var ch of s) out += (t2s && t2s[ch]) || ch;
    return out;
  }

  function findAll(s) {
    var out = [], m;
    TOKEN_RE.lastIndex = 0;
    while ((m = TOKEN_RE.exec(s)) !== null) out.push(m);
    return out;
  }
  function runsOf(s) { return findAll(s).map(function (m) { return m[0]; }); }
  function isHan(run) { return run[0] >= "\u3400"; }
  function uniq(list) { return list.filter(function (x, i) { return list.indexOf(x) === i; }); }

  /* The keys a query looks up for one run (text.run_tokens). */
  function runTokens(run) {
    if (!isHan(run) || run.length <= NGRAM) return [run];
    var starts = [];
    for (var i = 0; i < run.length - NGRAM + 1; i += NGRAM) starts.push(i);
    if (starts[starts.length - 1] !== run.length - NGRAM) starts.push(run.length - NGRAM);
    return starts.map(function (i) { return run.slice(i, i + NGRAM); });
  }

  function Unit(runs, quoted, prefix) { this.runs = runs; this.quoted = !!quoted; this.prefix = !!prefix; }
  Unit.prototype.required = function () {
    if (this.prefix) return [this.runs[0].slice(0, PREFIX_MAX) + "*"];
    return uniq([].concat.apply([], this.runs.map(runTokens)));
  };
  Unit.prototype.optional = function () { return this.prefix ? [this.runs[0]] : []; };
  Unit.prototype.checked = function () {
    var run = this.runs[0];
    return this.runs.length > 1 || (isHan(run) && run.length > NGRAM) || (this.prefix && run.length > PREFIX_MAX);
  };

  /* A query's units (text.units). */
  function units(query, t2s) {
    var parts = fold(query, t2s).split(QUOTE_RE), out = [], seen = {};
    function add(u) {
      var key = JSON.stringify([u.runs, u.quoted, u.prefix]);
      if (!seen[key]) { seen[key] = true; out.push(u); }
    }
    parts.forEach(function (part, i) {
      if (i % 2) {
        var runs = runsOf(part);
        if (runs.length) add(new Unit(runs, true, false));
        return;
      }
      findAll(part).forEach(function (m) {
        var run = m[0];
        var prefix = i === parts.length - 1 && m.index + run.length === part.length && !isHan(run) &&
                     run.length >= PREFIX_MIN;
        add(new Unit([run], false, prefix));
      });
    });
    return out;
  }

  function tokens(query, t2s) {
    var out = [];
    units(query, t2s).forEach(function (u) { out = out.concat(u.required(), u.optional()); });
    return uniq(out);
  }

  function anchor(key) { return runTokens(key.split(" ")[0])[0]; }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var ch of token) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }
  function keyShard(key, shards) { return shardOf(key[0] === "=" ? anchor(key.slice(1)) : key, shards); }

  function codes(alphabet) {
    var table = new Int8Array(128).fill(-1);
    for (var i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
    return table;
  }
  var LEVEL_OF = codes(LEVELS), BITS_OF = codes(BITS);

  /* A posting: ids (base-36 gaps, or "~" and a bitmap), "|", a level character per id. */
  function decode(value) {
    var out = { ids: [], levels: [] };
    if (!value) return out;
    var bar = value.indexOf("|"), gaps = bar < 0 ? value : value.slice(0, bar), i;
    if (gaps[0] === "~") {
      for (i = 1; i < gaps.length; i++) {
        var bits = BITS_OF[gaps.charCodeAt(i)];
        for (var b = 0; b < 6; b++) if (bits & (32 >> b)) out.ids.push((i - 1) * 6 + b);
      }
    } else {
      var parts = gaps.split(","), prev = 0;
      for (i = 0; i < parts.length; i++) { prev += parseInt(parts[i], 36); out.ids.push(prev); }
    }
    if (bar >= 0) for (i = bar + 1; i < value.length; i++) out.levels.push(LEVEL_OF[value.charCodeAt(i)]);
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

  function idf(df, docs) { return Math.floor(100 * Math.log(1 + (docs - df + 0.5) / (df + 0.5)) + 0.5); }
  function recency(id, docs) { return 1000 + Math.floor((40 * (docs - 1 - id)) / Math.max(docs - 1, 1)); }

  /* Whether a unit stands in a line's runs (text.unit_in_runs). */
  function fits(run, q, first, last, prefix) {
    if (isHan(q)) {
      if (first && last) return run.indexOf(q) >= 0;
      if (first) return run.endsWith(q);
      return last ? run.startsWith(q) : run === q;
    }
    return last && prefix ? run.startsWith(q) : run === q;
  }
  function unitAt(runs, i, unit) {
    var k = unit.runs.length;
    if (i + k > runs.length) return false;
    for (var j = 0; j < k; j++) if (!fits(runs[i + j], unit.runs[j], j === 0, j === k - 1, unit.prefix)) return false;
    return true;
  }
  function holds(text, unit, t2s) {
    var lines = fold(text, t2s).split("\n");
    lines.splice(TEXT_ROW, 1);
    return lines.some(function (line) {
      var runs = runsOf(line);
      for (var i = 0; i < runs.length; i++) if (unitAt(runs, i, unit)) return true;
      return false;
    });
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
    var self = this;
    if (!this.cache[path]) {
      var p = this.cache[path] = this.fetcher(this.base + path, path);
      /* a failed request is forgotten, so that the next search asks again */
      p.catch(function () { if (self.cache[path] === p) delete self.cache[path]; });
    }
    return this.cache[path];
  };
  Index.prototype.json = function (path) {
    var self = this;
    if (!this.cache["#" + path]) {
      this.cache["#" + path] = this.get(path).then(function (v) { return typeof v === "string" ? JSON.parse(v) : v; });
      this.cache["#" + path].catch(function () { delete self.cache["#" + path]; });
    }
    return this.cache["#" + path];
  };
  Index.prototype.meta = function () { return this.json("meta.json"); };
  Index.prototype.lookup = function (key, meta) {
    return this.json("p/" + keyShard(key, meta.shards) + ".json").then(function (shard) {
      return decode(Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : "");
    });
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

  /* A query's candidates, best first (local.LocalIndex.ranked), filtered, as Results. */
  Index.prototype.search = function (query, filters) {
    var self = this;
    filters = filters || {};
    return this.meta().then(function (meta) {
      var us = units(query, meta.t2s), required = [], optional = [];
      us.forEach(function (u) { required = required.concat(u.required()); optional = optional.concat(u.optional()); });
      required = uniq(required);
      optional = uniq(optional).filter(function (t) { return required.indexOf(t) < 0; });
      if (!required.length) return new Results(self, meta, us, []);
      var keys = required.concat(optional);
      var titleKey = "=" + us.map(function (u) { return u.runs.join(" "); }).join(" ");
      var needFacets = filters.kind || filters.year;
      return Promise.all([
        Promise.all(keys.map(function (t) { return self.lookup(t, meta); })),
        self.lookup(titleKey, meta),
        needFacets ? self.json("facets.json") : null,
        filters.tag ? self.json("tags.json") : null
      ]).then(function (got) {
        var found = got[0], exact = got[1].ids, facets = got[2], tags = got[3];
        var lists = found.slice(0, required.length).map(function (p) { return p.ids; });
        lists.sort(function (a, b) { return a.length - b.length; });
        var ids = lists.reduce(intersect), docs = meta.docs;
        var kindIdx = filters.kind ? meta.kinds.findIndex(function (k) { return k.id === filters.kind; }) : -1;
        var tagIdx = filters.tag ? meta.tags.findIndex(function (t) { return t.id === filters.tag; }) : -1;
        ids = ids.filter(function (id) {
          if (filters.kind && parseInt(facets.kind[id], 36) !== kindIdx) return false;
          if (filters.year && parseInt(facets.year[id], 36) + facets.min_year !== Number(filters.year)) return false;
          if (filters.tag && tags[id].indexOf(tagIdx) < 0) return false;
          return true;
        });
        /* Integer sums (exact in doubles), per document id: the same order as the Python. */
        var score = new Float64Array(docs), wanted = new Uint8Array(docs), first = new Uint8Array(docs);
        ids.forEach(function (id) { wanted[id] = 1; });
        exact.forEach(function (id) { first[id] = 1; });
        found.forEach(function (p) {
          var w = idf(p.ids.length, docs);
          for (var i = 0; i < p.ids.length; i++) {
            if (wanted[p.ids[i]]) score[p.ids[i]] += w * meta.impact[p.levels[i]];
          }
        });
        ids.forEach(function (id) { score[id] *= recency(id, docs); });
        ids.sort(function (a, b) { return (first[b] - first[a]) || (score[b] - score[a]) || (a - b); });
        return new Results(self, meta, us, ids);
      });
    });
  };

  /* One document as t/<id>.txt holds it. */
  function parseText(id, text, meta) {
    var lines = text.split("\n"), row = JSON.parse(lines[TEXT_ROW]);
    return { id: id, title: lines[0], summary: lines[1], url: row[0], kind: meta.kinds[row[1]], date: row[2],
             closed: row[3] === true, titleEn: row[4] || "", summaryEn: row[5] || "", lang: row[6] || "zh-Hant",
             body: lines.slice(TEXT_ROW + 1).join("\n"), text: text };
  }

  /* Candidates in rank order; those with phrases to check are checked against their text as
     far as a page needs (and one more, to know whether there is a next page). */
  function Results(index, meta, us, ids) {
    this.index = index; this.meta = meta; this.units = us; this.ids = ids;
    this.checked = us.filter(function (u) { return u.checked(); });
    this.shown = this.checked.length ? [] : ids; this.next = this.checked.length ? 0 : ids.length;
  }
  Results.prototype.complete = function () { return this.next >= this.ids.length; };
  /* The number of results: exact once every candidate is checked, otherwise an upper bound. */
  Results.prototype.total = function () { return this.shown.length + (this.ids.length - this.next); };
  Results.prototype.ensure = function (n) {
    var self = this;
    if (this.shown.length >= n || this.complete()) return Promise.resolve();
    var batch = this.ids.slice(this.next, this.next + Math.max(n - this.shown.length, 4));
    this.next += batch.length;
    return Promise.all(batch.map(function (id) { return self.index.get("t/" + id + ".txt"); })).then(function (texts) {
      batch.forEach(function (id, i) {
        if (self.checked.every(function (u) { return holds(texts[i], u, self.meta.t2s); })) self.shown.push(id);
      });
      return self.ensure(n);
    });
  };
  Results.prototype.all = function () {
    var self = this;
    return this.ensure(Infinity).then(function () { return self.shown.slice(); });
  };
  /* Page p (1-based): its documents; the page count is exact when complete() is. */
  Results.prototype.page = function (p) {
    var self = this;
    return this.ensure(p * PAGE + 1).then(function () {
      var ids = self.shown.slice((p - 1) * PAGE, p * PAGE);
      return Promise.all(ids.map(function (id) {
        return self.index.get("t/" + id + ".txt").then(function (text) { return parseText(id, text, self.meta); });
      }));
    });
  };
  Results.prototype.pages = function () { return Math.max(1, Math.ceil(this.total() / PAGE)); };

  /* Where the query's units stand in a text: [start, end) in its characters (code points),
     each phrase whole, as typed (folded per character, so Simplified input marks Traditional). */
  function matches(text, us, t2s) {
    var chars = Array.from(text), joined = "", src = [];
    chars.forEach(function (c, i) {
      var f = fold(c, t2s);
      for (var k = 0; k < f.length; k++) src.push(i);
      joined += f;
    });
    var found = findAll(joined), runs = [], line = 0, at = 0;
    found.forEach(function (m) {
      while ((at = joined.indexOf("\n", at)) >= 0 && at < m.index) { line++; at++; }
      if (at < 0) at = joined.length;
      runs.push({ s: m.index, e: m.index + m[0].length, text: m[0], line: line });
    });
    var texts = runs.map(function (r) { return r.text; }), spans = [];
    function span(s, e) { spans.push([src[s], src[e - 1] + 1]); }
    us.forEach(function (u) {
      var k = u.runs.length, q0 = u.runs[0], ql = u.runs[k - 1];
      for (var i = 0; i + k <= runs.length; i++) {
        if (runs[i + k - 1].line !== runs[i].line || !unitAt(texts, i, u)) continue;
        if (k === 1 && isHan(q0)) {
          for (var p = runs[i].text.indexOf(q0); p >= 0; p = runs[i].text.indexOf(q0, p + q0.length)) {
            span(runs[i].s + p, runs[i].s + p + q0.length);
          }
          continue;
        }
        var s = isHan(q0) && k > 1 ? runs[i].e - q0.length : runs[i].s;
        var last = runs[i + k - 1];
        var e = (isHan(ql) && k > 1) || u.prefix ? last.s + ql.length : last.e;
        span(s, e);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    spans.forEach(function (sp) {
      var top = merged[merged.length - 1];
      if (top && sp[0] <= top[1]) top[1] = Math.max(top[1], sp[1]);
      else merged.push(sp.slice());
    });
    return { chars: chars, spans: merged };
  }

  var core = { fold: fold, units: units, tokens: tokens, runTokens: runTokens, shardOf: shardOf, keyShard: keyShard,
               decode: decode, intersect: intersect, idf: idf, recency: recency, holds: holds, matches: matches,
               Index: Index, Results: Results, PAGE: PAGE };
  if (typeof module !== "undefined" && module.exports) { module.exports = core; return; }
  root.kbSearch = core;

  /* ---------------------------------------------------------------- page UI */
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  /* Text with its marked spans, from..to (characters), "…" where cut. */
  function marked(p, m, from, to) {
    if (from > 0) p.appendChild(document.createTextNode("…"));
    var at = from;
    m.spans.forEach(function (s) {
      if (s[1] <= at || s[0] >= to) return;
      var start = Math.max(s[0], at);
      p.appendChild(document.createTextNode(m.chars.slice(at, start).join("")));
      p.appendChild(el("mark", "", m.chars.slice(start, Math.min(s[1], to)).join("")));
      at = Math.min(s[1], to);
    });
    p.appendChild(document.createTextNode(m.chars.slice(at, to).join("") + (to < m.chars.length ? "…" : "")));
    return p;
  }

  /* From the body, around the first match; the summary when the body has none. */
  /* On the English search page (`english`) an excerpt in the entry's own language is marked with
     it, and an entry's English summary stands where no sentence of its body matches. */
  function excerpt(doc, us, t2s, english) {
    var p = el("p", "kb-result__excerpt");
    var m = matches(doc.body, us, t2s);
    if (english && doc.lang !== "en") p.lang = doc.lang;
    if (m.spans.length) {
      var first = m.spans[0][0], from = Math.max(0, first - 40), to = Math.min(m.chars.length, first + 120);
      var cut = m.chars.lastIndexOf("\n", first);  /* begin at its paragraph when that is near */
      if (cut >= from) from = cut + 1;
      m.chars = m.chars.map(function (c) { return c === "\n" ? " " : c; });
      return marked(p, m, from, to);
    }
    if (english && doc.summaryEn) {
      p.removeAttribute("lang");
      m = matches(doc.summaryEn, us, t2s);
    } else {
      m = matches(doc.summary, us, t2s);
    }
    return marked(p, m, 0, m.chars.length);
  }

  function start() {
    var form = document.getElementById("kb-search-form");
    if (!form) return;
    var siteRoot = form.getAttribute("data-root");
    /* The page's words (the site's catalogue, generator/data/interface.yml), and its language. */
    var words = JSON.parse(form.getAttribute("data-words") || "{}");
    var english = form.getAttribute("data-lang") === "en";
    function say(key, values) {
      return String(words[key] || key).replace(/\{(\w+)\}/g, function (all, name) {
        return values && name in values ? String(values[name]) : all;
      });
    }
    var index = new Index(form.getAttribute("data-index"),
                          location.protocol === "file:" ? scriptFetcher(document) : undefined);
    var input = form.elements.q, status = document.getElementById("kb-search-status");
    var list = document.getElementById("kb-search-results"), pager = document.getElementById("kb-search-pages");
    var state = { serial: 0, key: null, results: null };
    var FIELDS = ["q", "kind", "year", "tag"];

    function fromForm() {
      return { q: input.value.trim(), kind: form.elements.kind.value, year: form.elements.year.value,
               tag: form.elements.tag.value };
    }
    function fromUrl() {
      var u = new URL(location.href), p = {};
      FIELDS.forEach(function (k) { p[k] = (u.searchParams.get(k) || "").trim(); });
      p.page = Math.max(1, parseInt(u.searchParams.get("page"), 10) || 1);
      return p;
    }
    function urlFor(p, page) {
      var url = new URL(location.href);
      FIELDS.forEach(function (k) { if (p[k]) url.searchParams.set(k, p[k]); else url.searchParams.delete(k); });
      if (page > 1) url.searchParams.set("page", String(page)); else url.searchParams.delete("page");
      return url;
    }
    /* The form's search, page `page`, into the address bar (a new history entry when `push`). */
    function go(page, push) {
      history[push ? "pushState" : "replaceState"](null, "", urlFor(fromForm(), page));
      return show(false);
    }
    function link(text, p, page, rel) {
      var a = el("a", "", text);
      a.href = urlFor(p, page).toString();
      if (rel) a.rel = rel;
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        history.pushState(null, "", a.href);
        show(true);
      });
      return a;
    }
    function drawPager(p, page, r) {
      pager.textContent = "";
      var exact = r.complete(), pages = r.pages(), more = r.shown.length > page * PAGE;
      pager.hidden = page === 1 && !more;
      if (pager.hidden) return;
      var parts = [];
      if (page > 1) parts.push(link(say("pager-first"), p, 1), link(say("pager-previous"), p, page - 1, "prev"));
      parts.push(document.createTextNode(exact ? say("pager-page", { page: page, pages: pages })
                                               : say("search-page", { page: page })));
      if (more) {
        parts.push(link(say("pager-next"), p, page + 1, "next"));
        if (exact) parts.push(link(say("pager-last"), p, pages));
      }
      parts.forEach(function (n, i) {
        if (i) pager.appendChild(document.createTextNode(" · "));
        pager.appendChild(n);
      });
    }
    function draw(docs, r) {
      docs.forEach(function (d) {
        var li = el("li", "kb-result");
        /* An English page shows an entry's English title, else its Chinese one marked as Chinese. */
        var a = el("a", "kb-result__title", english && d.titleEn ? d.titleEn : d.title);
        if (english && !d.titleEn && d.lang !== "en") a.lang = d.lang;
        a.href = siteRoot + d.url;
        var h = el("h2", ""); h.appendChild(a); li.appendChild(h);
        var info = el("p", "kb-result__meta", (english ? d.kind.en || d.kind.zh : d.kind.zh) + " · " + d.date);
        if (d.closed) info.insertBefore(el("span", "kb-closed-tag", say("closed")), info.firstChild).after(" ");
        li.appendChild(info);
        li.appendChild(excerpt(d, r.units, r.meta.t2s, english));
        list.appendChild(li);
      });
    }
    /* The header's link to this page in the other language keeps the search (the same query there). */
    var other = document.querySelector("a.kb-language-switch");
    function keepSearch() {
      if (!other) return;
      var target = new URL(other.href);
      target.search = location.search;
      other.href = target.toString();
    }
    /* Show what the address bar asks for; `moved`: the reader went to another page of results. */
    function show(moved) {
      keepSearch();
      var p = fromUrl(), serial = ++state.serial, started = performance.now();
      if (input.value.trim() !== p.q) input.value = p.q;  /* not while typing a trailing space */
      ["kind", "year", "tag"].forEach(function (k) { form.elements[k].value = p[k]; });
      list.textContent = "";
      pager.hidden = true;
      if (!p.q) { status.textContent = say("search-prompt"); return Promise.resolve(); }
      status.textContent = say("search-searching");
      var key = JSON.stringify([p.q, p.kind, p.year, p.tag]);
      var found = state.key === key ? Promise.resolve(state.results) : index.search(p.q, p);
      return found.then(function (r) {
        if (serial !== state.serial) return;
        state.key = key; state.results = r;
        return r.page(p.page).then(function (docs) {
          if (serial !== state.serial) return;
          if (!docs.length && p.page > 1) {  /* past the last page: the last one */
            history.replaceState(null, "", urlFor(p, r.pages()));
            return show(moved);
          }
          var n = r.total(), about = r.complete() ? "" : say("search-about");
          status.textContent = !n ? say(p.kind || p.year || p.tag ? "search-none-filtered" : "search-none", { q: p.q })
            : say(p.page > 1 || r.shown.length > PAGE ? "search-found-page" : "search-found",
                  { about: about, n: n, q: p.q, page: p.page });
          draw(docs, r);
          drawPager(p, p.page, r);
          if (moved) { list.focus(); list.scrollIntoView({ block: "start" }); }
          root.kbSearchLastMs = performance.now() - started;
          document.body.setAttribute("data-kb-search", "done");
        });
      }).catch(function (err) {
        if (console && console.error) console.error(err);
        if (serial === state.serial) {
          status.textContent = say(location.protocol === "file:" ? "search-offline-missing" : "search-unavailable");
        }
      });
    }
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go(1, false); }, 50);
    });
    ["kind", "year", "tag"].forEach(function (k) {
      form.elements[k].addEventListener("change", function () { go(1, true); });
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); go(1, true); });
    window.addEventListener("popstate", function () { show(true); });
    show(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(this);
