// The phone page: join with the room code, then vote live or play alone. No text of its own (the
// strings come from /api/strings), nothing from outside this server, and the per-phone token kept in
// localStorage so a reload or a dropped connection comes back to the same vote or game.
"use strict";

const store = {
  get(key) { try { return localStorage.getItem("crossroads." + key); } catch (e) { return null; } },
  set(key, value) { try { localStorage.setItem("crossroads." + key, value); } catch (e) { /* private mode */ } },
};

const state = { lang: "en", t: {}, token: null, room: null, mode: null, events: null, live: null, game: null };
const $ = (id) => document.getElementById(id);

function text(key, n) {
  const value = state.t[key] || key;
  return n === undefined ? value : value.replace("{n}", String(n));
}

function plural(base, n) {
  return text(n === 1 ? base + "_one" : base + "_other", n);
}

function status(message) { $("status").textContent = message || ""; }

function show(section) {
  for (const id of ["join", "intro", "live", "solo"]) $(id).hidden = id !== section;
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    cache: "no-store",
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  return { ok: response.ok, status: response.status, data };
}

async function loadStrings(lang) {
  const response = await fetch("/api/strings?lang=" + encodeURIComponent(lang), { cache: "no-store" });
  const data = await response.json();
  state.lang = data.lang;
  state.t = data.strings;
  document.documentElement.lang = state.lang === "zh" ? "zh-Hans" : "en";
  $("app-title").textContent = text("app_title");
  document.title = text("app_title");
  const sw = $("lang-switch");
  sw.textContent = text("language_switch");
  sw.lang = state.lang === "zh" ? "en" : "zh-Hans";
  $("join-heading").textContent = text("join_heading");
  $("join-help").textContent = text("join_help");
  $("room-code-label").textContent = text("room_code");
  $("join-button").textContent = text("join");
  $("undo-button").textContent = text("undo");
  $("restart-button").textContent = text("restart");
  $("intro-note-heading").textContent = text("content_note");
  $("start-button").textContent = text("start");
}

async function join(code) {
  status(text("joining"));
  const result = await post("/api/join", { room: code, token: state.token });
  if (!result.ok) {
    status(result.data.error === "full" ? text("room_full") : text("bad_code"));
    show("join");
    return;
  }
  status("");
  state.token = result.data.token;
  state.room = code;
  state.mode = result.data.mode;
  store.set("token", state.token);
  store.set("room", code);
  if (state.mode === "live") startLive(); else refreshGame("state");
}

// -- live votes ------------------------------------------------------------------------------------------

function startLive() {
  show("live");
  if (state.events) state.events.close();
  const url = "/api/events?token=" + encodeURIComponent(state.token) + "&lang=" + encodeURIComponent(state.lang);
  const events = new EventSource(url);
  state.events = events;
  events.addEventListener("state", (event) => {
    status("");
    state.live = JSON.parse(event.data);
    renderLive();
  });
  events.onerror = () => {
    status(text("connection_lost"));
    if (events.readyState === EventSource.CLOSED) setTimeout(() => join(state.room), 2000);
  };
}

function renderLive() {
  const live = state.live;
  const decision = live.decision;
  $("live-chapter").textContent = "";
  $("live-title").textContent = decision ? decision.title : text("app_title");
  $("live-waiting").textContent = live.phase === "waiting" ? text("waiting") : "";
  $("live-question").textContent = decision ? (decision.question || text("question")) : "";
  $("live-question").hidden = !decision;
  $("live-chapter").hidden = true;
  const list = $("live-options");
  list.replaceChildren();
  const summary = $("live-summary");
  summary.replaceChildren();
  if (live.phase === "finished") {
    const heading = document.createElement("h2");
    heading.textContent = text("finished");
    const body = document.createElement("div");
    body.className = "prose";
    body.innerHTML = live.summary_html || ""; // the debrief, rendered by the server with raw HTML escaped
    summary.append(heading, body);
    return;
  }
  if (!decision) return;
  const total = decision.options.reduce((sum, o) => sum + (o.count || 0), 0);
  for (const option of decision.options) {
    const [item, button] = optionItem(option.number, option.text);
    button.setAttribute("aria-pressed", String(live.my_vote === option.index));
    button.disabled = live.phase !== "open";
    button.addEventListener("click", () => vote(decision.id, option.index));
    if (option.count !== null && option.count !== undefined) {
      const result = document.createElement("span");
      result.className = "result";
      result.textContent = plural("votes", option.count);
      const bar = document.createElement("span");
      bar.className = "bar-chart";
      bar.style.width = (total ? Math.max(2, Math.round((100 * option.count) / total)) : 0) + "%";
      result.append(bar);
      button.append(result);
      for (const flag of option.red_flags) button.append(tag("flag", "⚑ " + text("red_flag") + ": " + flag));
      if (option.safe_exit) button.append(tag("safe", "✓ " + text("safe_exit")));
    }
    list.append(item);
  }
  if (live.phase === "open" && live.my_vote !== null && live.my_vote !== undefined) {
    const chosen = decision.options.find((o) => o.index === live.my_vote);
    if (chosen) status(text("your_vote", chosen.number));
  } else if (live.phase === "closed") {
    status(text("vote_closed"));
  }
}

// One numbered option of a vote or a scene: a list item holding a large button ("2. text").
function optionItem(number, label) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  const mark = document.createElement("span");
  mark.className = "number";
  mark.textContent = number + ".";
  button.append(mark, document.createTextNode(label));
  item.append(button);
  return [item, button];
}

function tag(kind, label) {
  const element = document.createElement("span");
  element.className = "tag " + kind;
  element.textContent = label;
  return element;
}

async function vote(decisionId, option) {
  const result = await post("/api/vote", { token: state.token, decision: decisionId, option });
  if (result.ok) {
    state.live.my_vote = result.data.my_vote;
    renderLive();
  } else if (result.status === 409) {
    status(text("vote_refused"));
  } else if (result.status === 401) {
    join(state.room);
  } else {
    status(text("error"));
  }
}

// -- individual play -------------------------------------------------------------------------------------

async function refreshGame(action, extra) {
  const result = await post("/api/play", Object.assign({ token: state.token, action, lang: state.lang }, extra || {}));
  if (result.status === 401) { join(state.room); return; }
  if (!result.ok) {
    if (result.status === 409) { refreshGame("state"); return; }
    status(text("error"));
    return;
  }
  state.game = result.data;
  renderGame();
}

function renderIntro(intro) {
  show("intro");
  $("intro-title").textContent = intro.story;
  $("intro-blurb").innerHTML = intro.blurb_html; // rendered by the server, raw HTML escaped
  $("intro-note").innerHTML = intro.content_note_html;
  $("intro-recap-heading").textContent = text("recap");
  $("intro-recap-heading").hidden = !intro.recap_html;
  $("intro-recap").hidden = !intro.recap_html;
  $("intro-recap").innerHTML = intro.recap_html; // the lesson's recap, rendered by the server
  $("start-button").focus();
}

function renderGame() {
  const game = state.game;
  if (game.intro) { renderIntro(game.intro); return; }
  show("solo");
  $("solo-chapter").textContent = game.chapter || "";
  $("solo-title").textContent = game.title;
  $("solo-text").innerHTML = game.html; // rendered by the server from story Markdown, raw HTML escaped
  const flags = $("solo-flags");
  flags.replaceChildren();
  flags.hidden = game.new_flags.length === 0;
  for (const flag of game.new_flags) flags.append(tag("flag", "⚑ " + text("red_flag") + ": " + flag));
  const question = $("solo-question");
  question.hidden = !game.ask;
  question.textContent = game.ask || "";
  const list = $("solo-choices");
  list.replaceChildren();
  list.setAttribute("aria-label", text("choices"));
  for (const choice of game.choices) {
    const [item, button] = optionItem(choice.number, choice.text);
    if (!choice.enabled) {
      button.disabled = true;
      const reason = document.createElement("span");
      reason.className = "reason";
      reason.textContent = choice.reason || "";
      button.append(reason);
    }
    button.addEventListener("click", () => refreshGame("choose", { step: game.step, choice: choice.number }));
    list.append(item);
  }
  const ending = $("solo-ending");
  ending.hidden = !game.ending;
  if (game.ending) {
    const heading = document.createElement("h2");
    heading.textContent = text("ending") + " · " + game.ending.title + " (" + text("kind_" + game.ending.kind) + ")";
    const body = document.createElement("div");
    body.className = "prose";
    body.innerHTML = game.ending.debrief_html; // rendered by the server, raw HTML escaped
    ending.replaceChildren(heading, body);
  }
  $("undo-button").hidden = !game.can_undo;
  $("restart-button").hidden = !game.ending;
  $("main").focus();
  window.scrollTo(0, 0);
}

// -- start -----------------------------------------------------------------------------------------------

async function start() {
  const params = new URLSearchParams(location.search);
  const saved = store.get("lang");
  await loadStrings(saved || document.documentElement.lang || "en");
  state.token = store.get("token");
  const code = params.get("room") || store.get("room");
  $("lang-switch").addEventListener("click", async () => {
    await loadStrings(state.lang === "zh" ? "en" : "zh");
    store.set("lang", state.lang);
    if (state.mode === "live") startLive(); else if (state.mode === "solo") refreshGame("state");
  });
  $("join-form").addEventListener("submit", (event) => { event.preventDefault(); join($("room-code").value); });
  $("undo-button").addEventListener("click", () => refreshGame("undo"));
  $("restart-button").addEventListener("click", () => refreshGame("restart"));
  $("start-button").addEventListener("click", () => refreshGame("start"));
  if (code) {
    $("room-code").value = code;
    await join(code);
  } else {
    show("join");
    $("room-code").focus();
  }
}

document.addEventListener("DOMContentLoaded", start);
