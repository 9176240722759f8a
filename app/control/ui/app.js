// isosim's dashboard: plain JavaScript over the control API (/_isosim), no build step, nothing
// fetched from elsewhere. Every failure is shown on the page, never thrown to the console.
"use strict";

const API = "/_isosim";
const state = { lastId: 0, entries: [], timer: null };

function headers(extra) {
  const token = document.getElementById("token").value;
  return Object.assign(token ? { Authorization: "Bearer " + token } : {}, extra || {});
}

async function call(method, path, body) {
  const options = { method, headers: headers(body ? { "Content-Type": "application/json" } : {}) };
  if (body) options.body = JSON.stringify(body);
  const answer = await fetch(API + path, options);
  if (!answer.ok) throw new Error(method + " " + path + ": " + answer.status + " " + (await answer.text()).slice(0, 200));
  return answer.status === 204 ? null : answer.json();
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text == null ? "" : String(text);
  if (cls) td.className = cls;
  return td;
}

function say(text) {
  document.getElementById("status").textContent = text;
}

async function refreshClock() {
  const clock = await call("GET", "/clock");
  document.getElementById("clock-now").textContent = clock.now;
  document.getElementById("clock-mode").textContent = clock.mode + (clock.mode === "frozen" ? "" : " ×" + clock.rate);
}

async function refreshPacks() {
  const [packs, tenants] = await Promise.all([call("GET", "/packs"), call("GET", "/tenants")]);
  const body = document.getElementById("packs");
  body.replaceChildren();
  for (const pack of packs) {
    const row = body.insertRow();
    cell(row, pack.name);
    cell(row, pack.iso + " " + pack.environment);
    cell(row, (tenants[pack.name] || []).join(", "));
  }
}

async function refreshFaults() {
  const faults = await call("GET", "/faults");
  const body = document.getElementById("faults");
  body.replaceChildren();
  for (const fault of faults) {
    const row = body.insertRow();
    cell(row, fault.id);
    const what = [fault.action, fault.status || "", fault.latency_ms != null ? fault.latency_ms + " ms" : "", fault.path];
    cell(row, what.filter(Boolean).join(" ") + (fault.tenant ? " (tenant " + fault.tenant + ")" : ""));
    cell(row, fault.fired);
    const button = document.createElement("button");
    button.textContent = "remove";
    button.addEventListener("click", () => run(async () => { await call("DELETE", "/faults/" + fault.id); await refreshFaults(); }));
    row.insertCell().appendChild(button);
  }
}

function matches(entry) {
  const want = (id) => document.getElementById(id).value.trim();
  return (!want("filter-pack") || entry.pack === want("filter-pack"))
    && (!want("filter-tenant") || entry.tenant === want("filter-tenant"))
    && (!want("filter-identity") || entry.identity === want("filter-identity"))
    && (!want("filter-status") || String(entry.status) === want("filter-status"));
}

function renderJournal() {
  const body = document.getElementById("journal");
  body.replaceChildren();
  for (const entry of state.entries.filter(matches).slice(-100).reverse()) {
    const row = body.insertRow();
    cell(row, entry.id);
    cell(row, entry.time.replace("T", " ").slice(0, 19));
    cell(row, entry.pack);
    cell(row, entry.tenant);
    cell(row, entry.identity);
    cell(row, entry.method + " " + entry.path + (entry.query ? "?" + entry.query : ""));
    cell(row, entry.status, "s" + String(entry.status).charAt(0));
    cell(row, entry.duration_ms);
  }
  drawTraffic();
}

async function refreshJournal() {
  const found = await call("GET", "/journal?since_id=" + state.lastId);
  if (found.entries.length) {
    state.entries = state.entries.concat(found.entries).slice(-2000);
    state.lastId = found.entries[found.entries.length - 1].id;
  }
  renderJournal();
}

function drawTraffic() {
  // requests per 10 seconds of real time over the last 5 minutes, stacked by status class
  const canvas = document.getElementById("traffic");
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const now = Date.now() / 1000, buckets = 30, span = 10;
  const counts = Array.from({ length: buckets }, () => ({ ok: 0, client: 0, server: 0 }));
  for (const entry of state.entries) {
    const age = now - (entry.real_time || 0);
    if (age < 0 || age >= buckets * span) continue;
    const bucket = counts[buckets - 1 - Math.floor(age / span)];
    const kind = entry.status >= 500 || entry.status === 0 ? "server" : entry.status >= 400 ? "client" : "ok";
    bucket[kind] += 1;
  }
  const top = Math.max(1, ...counts.map((c) => c.ok + c.client + c.server));
  const width = canvas.width / buckets;
  const colors = { ok: "#2da44e", client: "#d4a72c", server: "#cf222e" };
  counts.forEach((c, n) => {
    let y = canvas.height - 14;
    for (const kind of ["ok", "client", "server"]) {
      const h = (c[kind] / top) * (canvas.height - 24);
      g.fillStyle = colors[kind];
      g.fillRect(n * width + 1, y - h, width - 2, h);
      y -= h;
    }
  });
  g.fillStyle = "#555";
  g.font = "11px system-ui";
  g.fillText("requests per 10 s, last 5 minutes (max " + top + ")", 4, canvas.height - 2);
}

async function refreshPrices() {
  const found = await call("GET", "/prices");
  const title = document.getElementById("prices-title");
  const canvas = document.getElementById("prices");
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (!found.hours.length) { title.textContent = "no market with day-ahead prices is served"; return; }
  title.textContent = found.name + " (" + found.pack + "), " + found.day + ", $/MWh";
  const values = found.hours.map((h) => h.lmp);
  const low = Math.min(0, ...values), high = Math.max(...values, 1);
  const x = (n) => 30 + (n / Math.max(1, values.length - 1)) * (canvas.width - 40);
  const y = (v) => canvas.height - 16 - ((v - low) / (high - low)) * (canvas.height - 30);
  g.strokeStyle = "#1f3b57";
  g.lineWidth = 2;
  g.beginPath();
  values.forEach((v, n) => (n ? g.lineTo(x(n), y(v)) : g.moveTo(x(n), y(v))));
  g.stroke();
  g.fillStyle = "#555";
  g.font = "11px system-ui";
  g.fillText(high.toFixed(0), 2, y(high) + 4);
  g.fillText(low.toFixed(0), 2, y(low));
  g.fillText("hour beginning 0 … " + (values.length - 1), 30, canvas.height - 2);
}

async function report(event) {
  event.preventDefault();
  const identity = document.getElementById("conformance-identity").value.trim();
  if (!identity) return;
  const found = await call("GET", "/conformance?identity=" + encodeURIComponent(identity));
  const body = document.getElementById("conformance");
  body.replaceChildren();
  for (const rule of found.rules) {
    const row = body.insertRow();
    row.className = rule.status;
    cell(row, rule.id);
    cell(row, rule.title);
    cell(row, rule.status);
  }
  const link = document.getElementById("conformance-html");
  link.href = API + "/conformance?format=html&identity=" + encodeURIComponent(identity);
  link.hidden = false;
}

async function run(action) {
  try {
    await action();
    say("live");
  } catch (error) {
    say(error.message);
  }
}

async function tick() {
  await run(async () => { await refreshClock(); await refreshJournal(); });
}

document.getElementById("clock-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => { await call("PUT", "/clock", { frozen_at: document.getElementById("clock-at").value.trim() }); await refreshClock(); });
});
document.getElementById("clock-real").addEventListener("click", () => run(async () => { await call("PUT", "/clock", {}); await refreshClock(); }));
document.getElementById("fault-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const action = document.getElementById("fault-action").value;
  const spec = { action, path: document.getElementById("fault-path").value || "*" };
  if (action === "error") spec.status = Number(document.getElementById("fault-status").value);
  if (action === "latency") spec.latency_ms = Number(document.getElementById("fault-latency").value);
  run(async () => { await call("POST", "/faults", spec); await refreshFaults(); });
});
document.getElementById("journal-filter").addEventListener("input", renderJournal);
document.getElementById("conformance-form").addEventListener("submit", (event) => run(() => report(event)));

run(async () => {
  await Promise.all([refreshClock(), refreshPacks(), refreshFaults(), refreshJournal(), refreshPrices()]);
  state.timer = setInterval(tick, 1000);
  setInterval(() => run(async () => { await refreshPacks(); await refreshFaults(); }), 5000);
});
