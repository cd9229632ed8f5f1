// The document list of the report's index page: search and pagination over index chunks.
// A chunk (index/chunk-00001.js) is a script calling ctkIndexChunk(number, entries): pages opened from
// file:// cannot fetch() JSON, but they can load scripts. Corpus text is only ever set as textContent.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("report-config").textContent);
  const chunks = new Map(); // chunk number -> entries
  const loading = new Map(); // chunk number -> promise
  const elements = {
    search: document.getElementById("search"),
    rows: document.getElementById("listing-rows"),
    status: document.getElementById("listing-status"),
    previous: document.getElementById("previous-page"),
    next: document.getElementById("next-page"),
  };
  const state = { query: "", page: 0, matches: null, generation: 0 };

  // Entry fields, in the order toolkit/report/pages.py writes them.
  const NUMBER = 0, TITLE = 1, SOURCE = 2, PART = 3, STATUS = 4, RAW_CHARS = 5, CHARS = 6, ID = 7, DETAILS = 8;

  function numbered(template, number) {
    return template.replace("{}", String(number).padStart(config.digits, "0"));
  }

  function documentHref(number) {
    return numbered(config.pageFile, Math.floor((number - 1) / config.documentsPerPage) + 1) + "#doc-" + number;
  }

  window.ctkIndexChunk = function (number, entries) {
    chunks.set(number, entries);
  };

  function loadChunk(number) {
    if (chunks.has(number)) return Promise.resolve(chunks.get(number));
    if (!loading.has(number)) {
      loading.set(number, new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = numbered(config.chunkFile, number);
        script.onload = function () { resolve(chunks.get(number)); };
        script.onerror = function () { reject(new Error("cannot load " + script.src)); };
        document.head.appendChild(script);
      }));
    }
    return loading.get(number);
  }

  function chunkCount() {
    return Math.ceil(config.total / config.entriesPerChunk);
  }

  function searchText(entry) {
    return [entry[TITLE], entry[SOURCE], entry[STATUS], entry[ID], entry[DETAILS]].join(" ").toLowerCase();
  }

  // Every entry matching the query, chunk after chunk (one chunk in memory per step of the loop).
  async function findMatches(query, generation) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = [];
    for (let number = 1; number <= chunkCount(); number++) {
      const entries = await loadChunk(number);
      if (generation !== state.generation) return null;
      for (const entry of entries) {
        const text = searchText(entry);
        if (words.every(function (word) { return text.includes(word); })) matches.push(entry);
      }
      elements.status.textContent = "searching… " + matches.length + " found";
    }
    return matches;
  }

  async function pageEntries() {
    const first = state.page * config.rowsPerPage;
    if (state.matches) return state.matches.slice(first, first + config.rowsPerPage);
    const end = Math.min(first + config.rowsPerPage, config.total);
    const entries = [];
    while (first + entries.length < end) {  // a page of the list may span two chunks
      const index = first + entries.length;
      const chunk = Math.floor(index / config.entriesPerChunk) + 1;
      const offset = index - (chunk - 1) * config.entriesPerChunk;
      const taken = (await loadChunk(chunk)).slice(offset, offset + end - index);
      if (taken.length === 0) throw new Error("index chunk " + chunk + " is shorter than expected");
      entries.push(...taken);
    }
    return entries;
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function renderRows(entries) {
    elements.rows.replaceChildren();
    for (const entry of entries) {
      const row = document.createElement("tr");
      cell(row, "#" + entry[NUMBER], "number");
      const link = document.createElement("a");
      link.href = documentHref(entry[NUMBER]);
      link.textContent = entry[TITLE];
      cell(row, "").appendChild(link);
      cell(row, entry[PART] ? entry[SOURCE] + " (part " + entry[PART] + ")" : entry[SOURCE]);
      cell(row, entry[STATUS], entry[STATUS] === "kept" ? "kept" : "dropped");
      cell(row, (entry[RAW_CHARS] === null ? "–" : entry[RAW_CHARS]) + " → " + entry[CHARS], "number");
      cell(row, entry[DETAILS], "details");
      elements.rows.appendChild(row);
    }
  }

  async function render() {
    const total = state.matches ? state.matches.length : config.total;
    const pages = Math.max(1, Math.ceil(total / config.rowsPerPage));
    state.page = Math.min(state.page, pages - 1);
    renderRows(await pageEntries());
    const first = total ? state.page * config.rowsPerPage + 1 : 0;
    const last = Math.min(total, (state.page + 1) * config.rowsPerPage);
    const scope = state.matches ? " matching “" + state.query + "”" : "";
    elements.status.textContent = first + "–" + last + " of " + total + " documents" + scope;
    elements.previous.disabled = state.page === 0;
    elements.next.disabled = state.page >= pages - 1;
  }

  async function search(query) {
    state.query = query.trim();
    state.page = 0;
    const generation = ++state.generation;
    state.matches = state.query ? await findMatches(state.query, generation) : null;
    if (generation !== state.generation) return;
    if (state.query || location.hash.startsWith("#q=")) {  // the query in the address, to link to a search
      history.replaceState(null, "", state.query ? "#q=" + encodeURIComponent(state.query) : "#documents");
    }
    await render();
  }

  function showError(error) {
    elements.status.textContent = "The document list cannot be shown: " + error.message;
  }

  let typing = null;
  elements.search.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { search(elements.search.value).catch(showError); }, 250);
  });
  elements.previous.addEventListener("click", function () { state.page--; render().catch(showError); });
  elements.next.addEventListener("click", function () { state.page++; render().catch(showError); });

  const initial = location.hash.startsWith("#q=") ? decodeURIComponent(location.hash.slice(3)) : "";
  elements.search.value = initial;
  search(initial).catch(showError);
})();
