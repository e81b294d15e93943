// The search page: Pagefind's index of every transcript, queried in the browser. The query and
// filters live in the URL (?q=…&speaker=…&show=…&year=…), so a search can be shared.
// Each episode found lists the turns that match, each linking to that turn on the episode page.
//
// What a search downloads grows with the archive, so it is kept to what the search needs: the
// show and year lists come with the page, the names of the speakers (speakers.json) only once
// the speaker field is used, and results five at a time, as in Pagefind's own interface. Each
// result loads its whole transcript for the excerpts (about 25 KB for an hour of talk), so
// within those five a result is loaded only once the end of the list comes within half a screen
// below the window: two at first in a phone's window, three in a laptop's.
//
// A large archive's index comes in parts (pagefind/parts.json), each a whole Pagefind index of a
// run of episodes, newest first: part 0 in pagefind/, the others in pagefind/part-K/. A part is
// loaded only once the list needs more than the parts searched so far found, so a common word
// costs one part. Pagefind's scores are not comparable between two indexes, so results are
// listed part by part, by relevance within each; without words, newest first is exact, since
// the parts are runs of dates.

const root = new URL("./", import.meta.url);
const PER_PAGE = 5;
const TURNS_PER_EPISODE = 3;
// Words of each turn shown when a speaker's own turns are listed without search words.
const OWN_WORDS = 30;

const form = document.getElementById("search-form");
const query = document.getElementById("search-q");
const speaker = document.getElementById("search-speaker");
const speakers = document.getElementById("search-speakers");
const show = document.getElementById("search-show");
const year = document.getElementById("search-year");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const end = document.getElementById("search-end");

// The index's parts, as parts.json lists them, each with the Pagefind loaded for it, if any.
let parts = [];
// The words and filters of the search being listed, and the parts it has yet to search, in order.
let asked = { words: "", chosen: {} };
let unsearched = [];
let results = [];
let shown = 0;
// How many episodes the list may hold until "More results" is pressed again.
let pageEnd = 0;
// The search whose results are being listed, and the one whose listing is running (0: none):
// one runs at a time, so that results are listed in order.
let listing = 0;
let filling = 0;
// Asked to list more while a listing runs: that listing looks at the room again when it ends,
// or the window's reaching the end of the list while results load would be lost.
let again = false;
let saidBy = "";
// With a speaker and no words: that person, whose own turns each result lists.
let ownBy = "";
let generation = 0;

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

let speakerNames = null;

// Every part's speakers in one small file, rather than every part's filter index.
function fillSpeakers() {
  speakerNames ||= fetchJson("pagefind/speakers.json").then(
    (names) => speakers.replaceChildren(...names.map((name) => element("option", { value: name }))),
    (error) => console.warn("The speakers could not be loaded:", error),
  );
  return speakerNames;
}

async function fetchJson(path) {
  const response = await fetch(new URL(path, root));
  if (!response.ok) throw new Error(`${response.status} ${response.url}`);
  return response.json();
}

// A part's own Pagefind: each part's pagefind.js is its own module, so its own instance.
function pagefindOf(part) {
  part.pagefind ||= (async () => {
    const pagefind = await import(new URL(`${part.path}pagefind.js`, root).href);
    // Searching in the page itself spares the download of Pagefind's worker script.
    await pagefind.options({ baseUrl: root.pathname, noWorker: true });
    await pagefind.init();
    return pagefind;
  })();
  return part.pagefind;
}

// The parts that can hold a result: with a year chosen, only those whose dates reach it.
function partsFor(chosen) {
  if (!chosen.year) return parts.slice();
  const reaches = (part) =>
    part.newest && part.oldest.slice(0, 4) <= chosen.year && chosen.year <= part.newest.slice(0, 4);
  return parts.filter(reaches);
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  speaker.value = params.get("speaker") || "";
  show.value = params.get("show") || "";
  year.value = params.get("year") || "";
}

function writeUrl() {
  const params = new URLSearchParams();
  for (const [name, input] of [["q", query], ["speaker", speaker], ["show", show], ["year", year]]) {
    if (input.value.trim()) params.set(name, input.value.trim());
  }
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

function filters() {
  const chosen = {};
  if (speaker.value.trim()) chosen.speaker = speaker.value.trim();
  if (show.value) chosen.show = show.value;
  if (year.value) chosen.year = year.value;
  return chosen;
}

// Pagefind's excerpts are its own escaped text with <mark> around the matches.
function excerpt(html) {
  const span = element("span", { class: "search-excerpt" });
  span.innerHTML = html;
  return span;
}

// A turn's excerpt can begin with its heading, the speaker's name, already shown beside it.
function withoutName(span, name) {
  const first = span.firstChild;
  const prefix = `${name}. `;
  if (first && first.nodeType === Node.TEXT_NODE && first.data.startsWith(prefix)) {
    first.data = first.data.slice(prefix.length);
  }
  return span;
}

async function run() {
  writeUrl();
  const mine = ++generation;
  const words = query.value.trim();
  const chosen = filters();
  if (!words && Object.keys(chosen).length === 0) {
    results = [];
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  // The first part is searched before the list is replaced, so that typing does not blank it.
  const pending = partsFor(chosen);
  let found = [];
  try {
    if (pending.length > 0) found = await searchPart(pending[0], words, chosen);
  } catch (error) {
    failed(mine, error);
    return;
  }
  if (mine !== generation || !found) return;
  results = found;
  asked = { words, chosen };
  unsearched = pending.slice(1);
  shown = 0;
  // The speaker filter picks the episodes they are heard in; "what they said" means only the
  // episodes where one of their own turns has the words. That is known once an episode's data
  // is loaded, so episodes are loaded a page at a time and the others skipped.
  saidBy = words && chosen.speaker ? chosen.speaker : "";
  ownBy = !words && chosen.speaker ? chosen.speaker : "";
  list.replaceChildren();
  pageEnd = PER_PAGE;
  listing = mine;
  await fill(mine);
}

// How many episodes match: known once every part is searched, except when only the turns of a
// speaker count; then it is known when every episode is loaded. A lower bound until then.
function count() {
  const n = saidBy ? list.children.length : results.length;
  const more = unsearched.length > 0 || (saidBy && shown < results.length) ? "+" : "";
  if (n === 0 && !more) return "No episode matches.";
  return `${n.toLocaleString("en")}${more} episode${n === 1 ? "" : "s"}.`;
}

// A file of the index that cannot be fetched (the network gone, or the site rebuilt under an
// open page) fails the search: say so, rather than search for ever.
function failed(mine, error) {
  if (mine !== generation) return;
  status.textContent = "The search failed. Reload the page to search again.";
  console.warn("Search failed:", error);
}

// The next part's results, added to those listed so far; false when no part is left, or when
// another search has begun.
async function searchNext(mine) {
  if (unsearched.length === 0) return false;
  const found = await searchPart(unsearched[0], asked.words, asked.chosen);
  if (mine !== generation || !found) return false;
  unsearched.shift();
  results = results.concat(found);
  return true;
}

// A part's results; its Pagefind is loaded first if need be. A part of several holds a page of
// every word of the archive, so that it widens a word as one whole index would: no episode.
async function searchPart(part, words, chosen) {
  const pagefind = await pagefindOf(part);
  await catchUp(pagefind, part, words);
  const found = await find(pagefind, words, chosen);
  return found && found.filter((result) => result.id !== part.vocabulary);
}

// Every query with words searched on this page, in order.
const queries = [];

// Pagefind widens a word typed without quotes among the words of every index chunk loaded so
// far, so one index widens it among the chunks of every earlier search on the page too. A part
// the earlier searches did not reach first loads their chunks (Pagefind's preload), so that it
// widens a word as one index would; the parts cut their chunks alike.
async function catchUp(pagefind, part, words) {
  part.queries ||= new Set();
  if (words && !queries.includes(words)) queries.push(words);
  for (const earlier of queries) {
    if (part.queries.has(earlier)) continue;
    part.queries.add(earlier);
    if (earlier !== words) await pagefind.preload(earlier);
  }
}

// A part's results, newest first when there are no words to rank by.
async function find(pagefind, words, chosen) {
  if (words) {
    const search = await pagefind.search(words, { filters: chosen });
    return search && search.results;
  }
  // Pagefind leaves out pages without the sort key, so the undated episodes come from an
  // unsorted search, after the dated ones.
  const [dated, all] = await Promise.all([
    pagefind.search(null, { filters: chosen, sort: { date: "desc" } }),
    pagefind.search(null, { filters: chosen }),
  ]);
  if (!dated || !all) return null;
  const seen = new Set(dated.results.map((result) => result.id));
  return dated.results.concat(all.results.filter((result) => !seen.has(result.id)));
}

// The turns of a result that match, as Pagefind's sub-results: one per turn heading.
function turnsOf(data, who) {
  return (data.sub_results || [])
    .filter((sub) => sub.anchor && sub.anchor.id.startsWith("t-"))
    .filter((sub) => !who || sub.title === who);
}

// How far below the window results are loaded ahead of scrolling, in screens.
const AHEAD = 0.5;

// Pixels from the end of the list to AHEAD below the window: room to fill.
function room() {
  return innerHeight * (1 + AHEAD) - end.getBoundingClientRect().top;
}

// How many results to load next: one to begin with, since nothing shows until it comes; then
// as many as the room takes at the height of those listed. Without the turns of the speaker
// asked for, a result is skipped, so then a whole page is loaded at a time.
function nextBatch() {
  const slots = pageEnd - list.children.length;
  if (saidBy) return slots;
  if (list.children.length === 0) return 1;
  const height = list.getBoundingClientRect().height / list.children.length;
  return Math.max(1, Math.min(slots, Math.ceil(room() / height)));
}

// Lists the results that fit in the page and the room, loading each one's data; the first
// whatever the room, so that a search always shows what it found.
async function fill(mine) {
  if (!listing || mine !== listing) return;
  if (mine === filling) {
    again = true;
    return;
  }
  filling = mine;
  again = false;
  try {
    const wanted = () => list.children.length === 0 || room() > 0;
    while (list.children.length < pageEnd && wanted()) {
      if (shown === results.length) {
        if (await searchNext(mine)) continue;
        if (mine !== generation) return;
        break;
      }
      const batch = results.slice(shown, shown + nextBatch());
      shown += batch.length;
      const data = await Promise.all(batch.map((result) => result.data()));
      if (mine !== generation) return;
      for (const item of data) {
        if (saidBy && turnsOf(item, saidBy).length === 0) continue;
        list.append(card(item));
      }
    }
    const exhausted = shown === results.length && unsearched.length === 0;
    more.hidden = exhausted || list.children.length < pageEnd;
    status.textContent = count();
  } catch (error) {
    failed(mine, error);
  } finally {
    if (filling === mine) filling = 0;
  }
  if (again && mine === generation) fill(mine);
}

// A speaker's own turns in a result when there are no words to match: Pagefind has no
// sub-results then, but its record has each turn's heading as an anchor (its text the speaker's
// name, its location a word of `content`), and the turn's words follow it up to the next anchor.
function ownTurns(data, who) {
  const words = data.content.split(/\s+/);
  const anchors = data.anchors || [];
  const turns = [];
  for (let i = 0; i < anchors.length && turns.length < TURNS_PER_EPISODE; i++) {
    const anchor = anchors[i];
    if (!anchor.id.startsWith("t-") || anchor.text !== who) continue;
    const from = anchor.location + who.split(/\s+/).length;
    const to = i + 1 < anchors.length ? anchors[i + 1].location : words.length;
    const said = words.slice(from, Math.min(to, from + OWN_WORDS)).join(" ");
    const text = to > from + OWN_WORDS ? `${said}…` : said;
    turns.push({ url: `${data.url}#${anchor.id}`, title: who, text });
  }
  return turns;
}

function card(data) {
  const turns = ownBy
    ? ownTurns(data, ownBy)
    : turnsOf(data, filters().speaker).slice(0, TURNS_PER_EPISODE);
  const item = element("li", { class: "search-result" });
  const heading = element("h2");
  heading.append(element("a", { href: turns.length ? turns[0].url : data.url }, data.meta.title));
  item.append(heading);
  const meta = [data.meta.show, data.meta.date].filter(Boolean).join(" · ");
  if (meta) item.append(element("p", { class: "meta" }, meta));
  if (turns.length === 0) {
    const p = element("p");
    p.append(excerpt(data.excerpt));
    item.append(p);
    return item;
  }
  const quotes = element("ul", { class: "search-turns" });
  for (const turn of turns) {
    const li = element("li");
    const link = element("a", { href: turn.url, class: "search-speaker" }, turn.title);
    const said = turn.text === undefined
      ? withoutName(excerpt(turn.excerpt), turn.title)
      : element("span", { class: "search-excerpt" }, turn.text);
    li.append(link, " ", said);
    quotes.append(li);
  }
  item.append(quotes);
  return item;
}

async function start() {
  readUrl();
  // Part 0 is always in pagefind/: it is loaded beside the list of parts, as the search that
  // opens the page needs it, unless a year it does not reach is asked for.
  const first = { path: "pagefind/" };
  if (!year.value) pagefindOf(first).catch(() => {});
  // The speakers need no part: a reader may reach the field before parts.json has come.
  speaker.addEventListener("focus", fillSpeakers, { once: true });
  if (document.activeElement === speaker) fillSpeakers();
  try {
    parts = (await fetchJson("pagefind/parts.json")).parts;
  } catch (error) {
    status.textContent = "The search index could not be loaded. Search needs the site to be served over HTTP.";
    return;
  }
  if (parts[0]?.path === first.path) parts[0].pagefind = first.pagefind;
  let timer = 0;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  query.addEventListener("input", soon);
  speaker.addEventListener("change", run);
  show.addEventListener("change", run);
  year.addEventListener("change", run);
  more.addEventListener("click", () => {
    pageEnd = list.children.length + PER_PAGE;
    fill(generation);
  });
  // The window reaching the end of the list lists more of the page.
  new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) fill(generation);
  }, { rootMargin: `0px 0px ${AHEAD * 100}% 0px` }).observe(end);
  // The observer speaks only when the end crosses its edge. A scroll that ends where the end was
  // already seen, while a listing ran, is caught here.
  addEventListener("scroll", () => {
    const unlisted = shown < results.length || unsearched.length > 0;
    if (unlisted && list.children.length < pageEnd && room() > 0) fill(generation);
  }, { passive: true });
  await run();
}

start();
