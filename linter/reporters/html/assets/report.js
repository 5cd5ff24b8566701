// pfocr-lint HTML report: renders the records table and the record view on
// demand from the JSON embedded in the page. Record text is only ever put in
// the page with textContent (never innerHTML), so it cannot run.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var ROWS = DATA.rows, DETAILS = DATA.details, RULES = DATA.rules;
  // row columns
  var FIGID = 0, TITLE = 1, YEAR = 2, ORG = 3, GEN = 4, PMCID = 5, FILE = 6,
    ERR = 7, WARN = 8, INFO = 9, CODES = 10, PAPER = 11, BASE = 12;
  var BASELINE = !!DATA.baseline;
  var SEV_COL = { error: ERR, warning: WARN, info: INFO };
  var PAGE = 100;
  var DEFAULTS = { text: "", rule: "", sev: "", gen: "", base: "", only: true, group: false,
    sort: null, desc: false, page: 0 };
  var state = copy(DEFAULTS);
  function copy(o) { var c = {}; for (var k in o) c[k] = o[k]; return c; }
  // stable anchors: #record/<figid> (a figid met again: <figid>~2, ~3…, in file
  // order, as linter/reporters/html record_anchors computes them)
  var ANCHORS = [], BY_ANCHOR = {};
  (function () {
    var seen = {};
    ROWS.forEach(function (r, i) {
      seen[r[FIGID]] = (seen[r[FIGID]] || 0) + 1;
      var a = seen[r[FIGID]] === 1 ? r[FIGID] : r[FIGID] + "~" + seen[r[FIGID]];
      ANCHORS.push(a);
      BY_ANCHOR[a] = i;
    });
  })();
  function recordHref(i) { return "#record/" + encodeURIComponent(ANCHORS[i]); }
  var matches = [];
  var haystacks = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function total(r) { return r[ERR] + r[WARN] + r[INFO]; }

  // -- filters --------------------------------------------------------------------
  function fillSelects() {
    var rule = $("f-rule");
    Object.keys(RULES).sort().forEach(function (code) {
      var o = el("option", null, code + " " + RULES[code].name + " (" + RULES[code].count + ")");
      o.value = code;
      rule.appendChild(o);
    });
    var gen = $("f-gen");
    Object.keys(DATA.generations).forEach(function (g) {
      var o = el("option", null, DATA.generations[g]);
      o.value = g;
      gen.appendChild(o);
    });
  }

  function haystack(i) {
    if (!haystacks) haystacks = new Array(ROWS.length);
    var h = haystacks[i];
    if (h === undefined) {
      var r = ROWS[i];
      var parts = [r[FIGID], r[TITLE], r[YEAR], r[ORG], r[PMCID], r[FILE], r[PAPER]];
      var d = DETAILS[i];
      if (d) {
        parts.push(d.doi);
        d.findings.forEach(function (f) { parts.push(f.code, f.msg); });
      }
      h = haystacks[i] = parts.join("\n").toLowerCase();
    }
    return h;
  }

  // a finding passes the rule, severity and baseline filters
  function matchFinding(f) {
    return (!state.rule || f.code === state.rule) && (!state.sev || f.sev === state.sev) &&
      (!state.base || (state.base === "baselined" ? !!f.base : !f.base));
  }
  function byFinding() { return !!(state.rule || state.sev || state.base); }

  function filter() {
    var text = state.text.toLowerCase().trim(), rule = state.rule, sev = state.sev,
      gen = state.gen, only = state.only, each = byFinding();
    var out = [];
    for (var i = 0; i < ROWS.length; i++) {
      var r = ROWS[i];
      if (only && !total(r)) continue;
      if (rule && r[CODES].indexOf(rule) < 0) continue;
      if (sev && !r[SEV_COL[sev]]) continue;
      if (each && !(DETAILS[i] && DETAILS[i].findings.some(matchFinding))) continue;
      if (gen && r[GEN] !== gen) continue;
      if (text && haystack(i).indexOf(text) < 0) continue;
      out.push(i);
    }
    sortRows(out);
    matches = out;
  }

  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function sortRows(list) {
    var col = state.sort, sign = state.desc ? -1 : 1;
    list.sort(function (a, b) {
      var ra = ROWS[a], rb = ROWS[b], c = 0;
      if (state.group) c = cmp(ra[PMCID], rb[PMCID]);
      if (!c && col !== null) c = sign * cmp(ra[col], rb[col]);
      return c || a - b;
    });
  }

  function countFindings(list) {
    var n = 0, base = 0;
    list.forEach(function (i) {
      var r = ROWS[i];
      if (!byFinding()) { n += total(r); base += r[BASE] || 0; return; }
      var d = DETAILS[i];
      if (!d) return;
      d.findings.forEach(function (f) {
        if (matchFinding(f)) { n++; if (f.base) base++; }
      });
    });
    return [n, base];
  }

  // -- the state in the URL: #q=…&rule=…&sev=…&gen=…&base=…&all=1&group=1&sort=8&desc=1&page=2
  var KEYS = { text: "q", rule: "rule", sev: "sev", gen: "gen", base: "base" };
  function stateHash() {
    var p = [];
    function put(k, v) { p.push(k + "=" + encodeURIComponent(v)); }
    for (var k in KEYS) if (state[k]) put(KEYS[k], state[k]);
    if (!state.only) put("all", "1");
    if (state.group) put("group", "1");
    if (state.sort !== null) { put("sort", state.sort); put("desc", state.desc ? "1" : "0"); }
    if (state.page) put("page", state.page + 1);
    return p.join("&");
  }
  function readHash(hash) {
    var s = copy(DEFAULTS);
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("="), k = eq < 0 ? part : part.slice(0, eq), v = "";
      try { v = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " ")); } catch (e) { return; }
      for (var key in KEYS) if (KEYS[key] === k) s[key] = v;
      if (k === "all") s.only = v !== "1";
      if (k === "group") s.group = v === "1";
      if (k === "sort" && /^\d+$/.test(v) && document.querySelector("th[data-sort='" + v + "']")) s.sort = +v;
      if (k === "desc") s.desc = v === "1";
      if (k === "page" && /^\d+$/.test(v)) s.page = Math.max(0, +v - 1);
    });
    if (s.sev && !SEV_COL[s.sev]) s.sev = "";
    if (s.base && s.base !== "new" && s.base !== "baselined") s.base = "";
    if (!BASELINE) s.base = "";
    if (s.sort === null) s.desc = false;
    return s;
  }
  function showControls() {
    $("f-text").value = state.text;
    setSelect("f-rule", state.rule);
    setSelect("f-sev", state.sev);
    setSelect("f-gen", state.gen);
    if ($("f-base")) setSelect("f-base", state.base);
    $("f-only").checked = state.only;
    $("f-group").checked = state.group;
  }
  function setSelect(id, value) {
    var sel = $(id);
    sel.value = value;
    if (sel.value !== value) { sel.value = ""; }
    state[{ "f-rule": "rule", "f-sev": "sev", "f-gen": "gen", "f-base": "base" }[id]] = sel.value;
  }
  var lastHash = "";
  function saveHash() {
    lastHash = stateHash();
    var url = location.href.split("#")[0] + (lastHash ? "#" + lastHash : "");
    try { history.replaceState(null, "", url); } catch (e) { /* a file: URL that refuses: the state still works */ }
  }

  // -- table ----------------------------------------------------------------------
  function render() {
    var body = $("rows");
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * PAGE, slice = matches.slice(start, start + PAGE);
    var frag = document.createDocumentFragment();
    var lastPaper = null;
    slice.forEach(function (i) {
      var r = ROWS[i];
      if (state.group && r[PMCID] !== lastPaper) {
        lastPaper = r[PMCID];
        var g = el("tr", "paper");
        var td = el("td");
        td.colSpan = BASELINE ? 10 : 9;
        var figs = 0;
        for (var k = 0; k < matches.length; k++) if (ROWS[matches[k]][PMCID] === lastPaper) figs++;
        td.appendChild(el("strong", null, lastPaper || "no pmcid"));
        td.appendChild(document.createTextNode(" " + (r[PAPER] || "") + " — " + figs + " figure(s)"));
        g.appendChild(td);
        frag.appendChild(g);
      }
      var tr = el("tr");
      tr.dataset.index = i;
      tr.id = "row-" + ANCHORS[i];
      var a = el("a", null, r[FIGID]);
      a.href = recordHref(i);
      var first = el("td");
      first.appendChild(a);
      tr.appendChild(first);
      tr.appendChild(el("td", null, r[TITLE]));
      tr.appendChild(el("td", null, r[YEAR]));
      tr.appendChild(el("td", null, r[ORG]));
      tr.appendChild(el("td", null, r[GEN]));
      tr.appendChild(el("td", "num" + (r[ERR] ? " error" : ""), r[ERR]));
      tr.appendChild(el("td", "num" + (r[WARN] ? " warning" : ""), r[WARN]));
      tr.appendChild(el("td", "num" + (r[INFO] ? " info" : ""), r[INFO]));
      if (BASELINE) tr.appendChild(el("td", "num base", r[BASE]));
      tr.appendChild(el("td", "codes", r[CODES].join(" ")));
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    var counted = countFindings(matches), n = counted[0];
    $("count").textContent = matches.length + " of " + ROWS.length + " records, " + n +
      " finding" + (n === 1 ? "" : "s") + (BASELINE ? " (" + counted[1] + " baselined)" : "");
    Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (th) {
      var on = state.sort === +th.dataset.sort;
      th.setAttribute("aria-sort", on ? (state.desc ? "descending" : "ascending") : "none");
    });
    $("page").textContent = "page " + (state.page + 1) + " of " + pages;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
  }

  function update() { filter(); render(); }

  // -- record view ----------------------------------------------------------------
  var PMC = "https://www.ncbi.nlm.nih.gov";
  function figureUrl(figlink, pmcid) {
    var m = /^\/?(pmc\/articles\/PMC\d+\/figure\/[A-Za-z0-9_.-]+)\/?$/.exec(figlink || "");
    if (m) return PMC + "/" + m[1] + "/";
    if (/^PMC\d+$/.test(pmcid || "")) return PMC + "/pmc/articles/" + pmcid + "/";
    return null;
  }
  function link(url, text) {
    var a = el("a", null, text);
    a.href = url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  function markedLine(text, mark) {
    var span = el("span", "src");
    if (!mark) { span.textContent = text; return span; }
    span.appendChild(document.createTextNode(text.slice(0, mark[0])));
    span.appendChild(el("mark", null, text.slice(mark[0], mark[1]) || " "));
    span.appendChild(document.createTextNode(text.slice(mark[1])));
    return span;
  }

  function frame(f) {
    var pre = el("pre", "frame");
    f.frame.forEach(function (ln) {
      var row = el("span", "ln" + (ln[2] ? " hit" : ""));
      row.appendChild(el("span", "no", ln[0] ? ln[0] : "…"));
      row.appendChild(markedLine(ln[1], ln[2]));
      pre.appendChild(row);
      pre.appendChild(document.createTextNode("\n"));
    });
    return pre;
  }

  function diff(text) {
    var pre = el("pre", "diff");
    text.split("\n").forEach(function (ln) {
      if (!ln) return;
      var c = ln[0] === "+" ? "add" : ln[0] === "-" ? "del" : ln[0] === "@" ? "hunk" : "";
      if (ln.slice(0, 3) === "+++" || ln.slice(0, 3) === "---") c = "hdr";
      pre.appendChild(el("span", c, ln));
      pre.appendChild(document.createTextNode("\n"));
    });
    return pre;
  }

  function highlightCaption(caption, findings) {
    // ranges to mark: what the findings carry, else every occurrence of the
    // abbreviation and its long form
    var marks = [];
    findings.forEach(function (f) {
      var h = f.highlight;
      if (!h) return;
      (h.ranges || []).forEach(function (r) { marks.push([r[0], r[1], r[2] || "def", 1]); });
      [["abbr", "abbr"], ["long", "long"]].forEach(function (k) {
        var word = h[k[0]];
        if (!word) return;
        var from = 0, at, hay = k[0] === "long" ? caption.toLowerCase() : caption,
          needle = k[0] === "long" ? word.toLowerCase() : word;
        while ((at = hay.indexOf(needle, from)) >= 0) {
          marks.push([at, at + word.length, k[1]]);
          from = at + word.length;
        }
      });
    });
    // where the finding says the definition is comes first, then the longest
    marks.sort(function (a, b) { return a[0] - b[0] || (b[3] || 0) - (a[3] || 0) || b[1] - a[1]; });
    var p = el("p", "caption"), pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return; // overlapping: the first wins
      p.appendChild(document.createTextNode(caption.slice(pos, m[0])));
      p.appendChild(el("mark", m[2] + (m[3] ? " defined" : ""), caption.slice(m[0], m[1])));
      pos = m[1];
    });
    p.appendChild(document.createTextNode(caption.slice(pos)));
    return p;
  }

  function showRecord(i) {
    var r = ROWS[i], d = DETAILS[i] || { findings: [], doi: "", figlink: "", caption: "" };
    var sec = $("record");
    sec.replaceChildren();
    var back = link("#" + lastHash, "← all records");
    back.removeAttribute("target");
    back.className = "back";
    sec.appendChild(back);
    sec.appendChild(el("h2", null, r[FIGID]));
    if (r[TITLE]) sec.appendChild(el("p", "title", r[TITLE]));
    var facts = el("dl", "facts");
    function fact(name, value) {
      facts.appendChild(el("dt", null, name));
      var dd = el("dd");
      if (value instanceof Node) dd.appendChild(value); else dd.textContent = value || "–";
      facts.appendChild(dd);
    }
    var fig = figureUrl(d.figlink, r[PMCID]);
    fact("figure", fig ? link(fig, "figure on PMC") : "no usable figlink");
    fact("paper", /^PMC\d+$/.test(r[PMCID]) ? link(PMC + "/pmc/articles/" + r[PMCID] + "/", r[PMCID]) : r[PMCID]);
    if (r[PAPER]) fact("paper title", r[PAPER]);
    fact("doi", /^10\.\d+\/\S+$/.test(d.doi) ? link("https://doi.org/" + encodeURI(d.doi), d.doi) : d.doi);
    fact("year", r[YEAR]);
    fact("organisms", r[ORG]);
    fact("generation", DATA.generations[r[GEN]] || r[GEN]);
    fact("file", r[FILE]);
    sec.appendChild(facts);
    if (d.caption) {
      sec.appendChild(el("h3", null, "Caption"));
      sec.appendChild(highlightCaption(d.caption, d.findings));
    }
    sec.appendChild(el("h3", null, d.findings.length + " finding" + (d.findings.length === 1 ? "" : "s")));
    var explained = {};
    d.findings.forEach(function (f) {
      var box = el("article", "finding " + f.sev + (f.base ? " baselined" : ""));
      var head = el("div", "head");
      head.appendChild(el("span", "sev " + f.sev, f.sev));
      if (f.base) head.appendChild(el("span", "badge base", "baselined"));
      head.appendChild(el("strong", "code", f.code));
      head.appendChild(el("span", "name", (RULES[f.code] || {}).name || ""));
      var file = f.file || r[FILE];
      head.appendChild(el("span", "where", file + (f.line ? ":" + f.line + ":" + f.col : "")));
      box.appendChild(head);
      box.appendChild(el("p", "msg", f.msg));
      if (f.frame.length) box.appendChild(frame(f));
      if (f.fix) {
        var fx = el("div", "fix");
        fx.appendChild(el("span", "safety " + f.fix.safety, f.fix.safety + " fix"));
        fx.appendChild(document.createTextNode(" " + f.fix.msg));
        if (f.fix.diff) fx.appendChild(diff("--- a/" + file + "\n+++ b/" + file + "\n" + f.fix.diff));
        fx.appendChild(el("code", "cmd", f.fix.cmd));
        box.appendChild(fx);
      }
      var text = (RULES[f.code] || {}).text;
      if (text) {
        var det = el("details", "explain");
        det.appendChild(el("summary", null, explained[f.code] ? "rule " + f.code + " (explained above)" : "rule " + f.code + ": what, why, how to fix"));
        if (!explained[f.code]) det.appendChild(el("pre", null, text));
        explained[f.code] = true;
        box.appendChild(det);
      }
      sec.appendChild(box);
    });
    sec.hidden = false;
    $("summary").hidden = true;
    $("records").hidden = true;
    window.scrollTo(0, 0);
  }

  function recordOf(hash) {
    var m = /^#record\/(.+)$/.exec(hash);
    if (!m) return null;
    var key;
    try { key = decodeURIComponent(m[1]); } catch (e) { return null; }
    if (Object.prototype.hasOwnProperty.call(BY_ANCHOR, key)) return BY_ANCHOR[key];
    if (/^\d+$/.test(key) && ROWS[+key]) return +key; // the row number of older pages
    return null;
  }
  function route() {
    var i = recordOf(location.hash);
    if (i !== null) { showRecord(i); return; }
    // the filters the address names (an unknown record: the last filters)
    state = readHash(/^#record\//.test(location.hash) ? "#" + lastHash : location.hash);
    showControls();
    update();
    lastHash = stateHash();
    var wasHidden = $("records").hidden;
    $("record").hidden = true;
    $("summary").hidden = false;
    $("records").hidden = false;
    if (wasHidden && location.hash.length > 1) $("records").scrollIntoView();
  }

  // -- wiring ---------------------------------------------------------------------
  function bind(id, key, ev, read) {
    if (!$(id)) return;
    $(id).addEventListener(ev, function () {
      state[key] = read($(id)); state.page = 0; update(); saveHash();
    });
  }
  fillSelects();
  bind("f-text", "text", "input", function (e) { return e.value; });
  bind("f-rule", "rule", "change", function (e) { return e.value; });
  bind("f-sev", "sev", "change", function (e) { return e.value; });
  bind("f-gen", "gen", "change", function (e) { return e.value; });
  bind("f-base", "base", "change", function (e) { return e.value; });
  bind("f-only", "only", "change", function (e) { return e.checked; });
  bind("f-group", "group", "change", function (e) { return e.checked; });
  Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (th) {
    th.addEventListener("click", function () {
      var col = +th.dataset.sort;
      state.desc = state.sort === col ? !state.desc : col >= ERR;
      state.sort = col;
      update();
      saveHash();
    });
  });
  $("prev").addEventListener("click", function () { state.page--; render(); saveHash(); });
  $("next").addEventListener("click", function () { state.page++; render(); saveHash(); });
  window.addEventListener("hashchange", route);
  route();
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
})();
