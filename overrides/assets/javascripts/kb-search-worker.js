/*
 * Knowledge-base search worker for Material for MkDocs' search UI.
 *
 * Material's UI posts the search index to a worker and asks it queries
 * (SETUP -> READY, QUERY -> RESULT). Its own lunr worker cuts Chinese text
 * into clauses or characters differently at build time and in the browser,
 * so a word in the middle of a sentence is often not found. This worker
 * instead matches the normalised query text against the normalised page
 * text: every query term must occur (AND), in any script, so a two-character
 * word like 館藏 is found wherever it appears, and only there.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var docs = [];      // {doc, title, text, tags} with normalised fields
var byLocation = {};

var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&nbsp;": " " };

function stripHtml(html) {
  return String(html || "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, function (e) { return ENTITIES[e]; });
}

function normalise(text) {
  return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ");
}

function terms(query) {
  return normalise(query)
    .split(/[\s\u3000、。，．？！；：「」『』（）《》〈〉,.;:!?()"']+/)
    .filter(function (t) { return t.length > 0; });
}

var LATIN = /^[a-z0-9]/;
var WORD = /[a-z0-9]/;

// Occurrences of needle; a Latin-script term must start a word ("ala" is
// not found in "scala"), Chinese needs no boundary.
function count(hay, needle) {
  var n = 0, i = hay.indexOf(needle), latin = LATIN.test(needle);
  while (i !== -1) {
    if (!latin || i === 0 || !WORD.test(hay.charAt(i - 1))) n++;
    i = hay.indexOf(needle, i + needle.length);
  }
  return n;
}

function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

// Wrap matches in <mark>, only in text outside tags.
function highlight(html, ts) {
  if (!ts.length) return html;
  var re = new RegExp("(" + ts.map(escapeRegExp).sort(function (a, b) { return b.length - a.length; }).join("|") + ")", "gi");
  return String(html).split(/(<[^>]*>)/).map(function (part) {
    return part.charAt(0) === "<" ? part : part.replace(re, "<mark>$1</mark>");
  }).join("");
}

function setup(index) {
  docs = (index.docs || []).map(function (doc) {
    return {
      doc: doc,
      title: normalise(stripHtml(doc.title)),
      text: normalise(stripHtml(doc.text)),
      tags: normalise((doc.tags || []).join(" "))
    };
  });
  byLocation = {};
  docs.forEach(function (d) { byLocation[d.doc.location] = d.doc; });
}

function article(location) { return location.split("#")[0]; }

function search(query) {
  var ts = terms(query);
  if (!ts.length) return { items: [] };
  var groups = {}, order = [];
  docs.forEach(function (d) {
    var score = 0;
    for (var i = 0; i < ts.length; i++) {
      var t = ts[i];
      var inTitle = count(d.title, t), inText = count(d.text, t), inTags = count(d.tags, t);
      if (!inTitle && !inText && !inTags) return;  // every term must occur
      score += inTitle * 10 + inTags * 5 + Math.min(inText, 10);
    }
    var loc = article(d.doc.location);
    if (d.doc.location === loc) score *= 2;  // the page itself before its sections
    var hit = {};
    for (var k in d.doc) hit[k] = d.doc[k];
    hit.title = highlight(d.doc.title, ts);
    hit.text = highlight(d.doc.text, ts);
    hit.score = score;
    hit.terms = {};
    ts.forEach(function (t) { hit.terms[t] = true; });
    if (!groups[loc]) { groups[loc] = []; order.push(loc); }
    groups[loc].push(hit);
  });
  var items = order.map(function (loc) {
    var group = groups[loc].sort(function (a, b) { return b.score - a.score; });
    if (!group.some(function (h) { return h.location === loc; }) && byLocation[loc]) {
      var page = {};
      for (var k in byLocation[loc]) page[k] = byLocation[loc][k];
      page.score = 0; page.terms = {};
      group.unshift(page);
    } else {
      group.sort(function (a, b) { return (a.location === loc ? -1 : b.location === loc ? 1 : b.score - a.score); });
    }
    return group;
  });
  items.sort(function (a, b) {
    var sa = Math.max.apply(null, a.map(function (h) { return h.score; }));
    var sb = Math.max.apply(null, b.map(function (h) { return h.score; }));
    return sb - sa;
  });
  return { items: items };
}

self.addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    setup(message.data);
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    self.postMessage({ type: RESULT, data: search(message.data) });
  }
});
