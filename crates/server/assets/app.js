// The live design page: a beam form designed over the session's WebSocket, the result with its
// checks, a to-scale cross-section, and a batch panel fed by EventSource. Uses the Beamline client.
import { Beamline } from "/static/beamline.js";
import { initMembers } from "/static/member.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

// The session comes from the link (or a new one is made); the token from the link or this browser.
let sessionId = params.get("session");
if (!sessionId || !/^[A-Za-z0-9_-]{1,64}$/.test(sessionId)) {
  sessionId = "s-" + Math.random().toString(36).slice(2, 10);
}
// A token in the fragment (#token=…) never reaches a server or its logs; one in the query (older
// links) is taken too. Either way it is removed from the address bar and from history at once.
const fragment = new URLSearchParams(location.hash.slice(1));
let token = fragment.get("token") || params.get("token") || sessionStorage.getItem("beamline-token") || "";
if (token) sessionStorage.setItem("beamline-token", token);
{
  const url = new URL(location.href);
  url.searchParams.set("session", sessionId);
  url.searchParams.delete("token");
  fragment.delete("token");
  url.hash = fragment.toString();
  history.replaceState(null, "", url);
}
$("session-id").textContent = sessionId;
$("token").value = token;
if (!token) $("auth").open = true;

const client = new Beamline({ baseUrl: "", token });
let session = null;
const members = initMembers({ client, getSession: () => session });
let reconnectDelay = 500;

// ---------- the form ----------
const form = $("beam");
const NUMBER_FIELDS = ["width", "depth", "length", "Mu", "Vu", "Tu", "fck", "fy", "cover"];

// By name attribute, not form.elements[name]: `form.elements.length` is the number of controls.
const control = (name) => form.querySelector(`[name="${name}"]`);

function beamFromForm() {
  const beam = {};
  for (const name of NUMBER_FIELDS) {
    const value = control(name).value;
    if (value !== "") beam[name] = Number(value);
  }
  beam.support = control("support").value;
  beam.exposure = control("exposure").value;
  // Detailing preferences: left to the engine unless chosen.
  for (const name of ["main_bar_dia", "stirrup_dia"]) {
    const value = control(name).value;
    if (value !== "") beam[name] = Number(value);
  }
  const section = control("section").value;
  form.dataset.section = section;
  if (section !== "rectangular") {
    beam.section = section;
    for (const name of ["flange_thickness", "flange_width"]) {
      const value = control(name).value;
      if (value !== "") beam[name] = Number(value);
    }
  }
  return beam;
}

function setField(name, value) {
  const field = form.querySelector(`[data-name="${name}"]`);
  if (!field || value === undefined || value === null) return;
  const input = control(name);
  if (document.activeElement === input) return; // never overwrite what someone is typing
  input.value = String(value);
  const range = field.querySelector('input[type="range"]');
  if (range && document.activeElement !== range) range.value = String(value);
}

function fillForm(beam) {
  if (!beam) return;
  for (const name of NUMBER_FIELDS) setField(name, beam[name]);
  setField("support", beam.support);
  setField("exposure", beam.exposure);
  setField("main_bar_dia", beam.main_bar_dia ?? "");
  setField("stirrup_dia", beam.stirrup_dia ?? "");
  setField("section", beam.section ?? "rectangular");
  setField("flange_thickness", beam.flange_thickness);
  setField("flange_width", beam.flange_width);
  form.dataset.section = control("section").value;
}

let timer = null;
function scheduleDesign() {
  clearTimeout(timer);
  timer = setTimeout(sendDesign, 120);
}

async function sendDesign() {
  if (!session || session.closed) return;
  try {
    await session.design(beamFromForm());
    $("error").hidden = true;
  } catch (e) {
    if (e.errors) markStale(e.errors);
    showError(e);
  }
}

// A result that no longer matches the form is never shown as if it did: it is marked stale, and each
// field's error is shown beside the field.
function markStale(errors) {
  clearFieldErrors();
  $("result").dataset.stale = "true";
  $("section").dataset.stale = "true";
  // No calculation of a beam that is not the one in the form.
  for (const id of ["report-pdf", "report-html"]) $(id).disabled = true;
  const status = $("status");
  status.dataset.status = "STALE";
  status.textContent = "Not designed — the form has errors; the result and drawing below are of the last valid beam";
  for (const { field, message } of errors) {
    const box = form.querySelector(`[data-name="${CSS.escape(field)}"]`);
    if (!box) continue;
    const note = Object.assign(document.createElement("small"), { className: "field-error", textContent: message });
    note.setAttribute("role", "alert");
    box.append(note);
    control(field)?.setAttribute("aria-invalid", "true");
  }
}

function clearFieldErrors() {
  for (const note of form.querySelectorAll(".field-error")) note.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  delete $("result").dataset.stale;
  delete $("section").dataset.stale;
}

for (const field of form.querySelectorAll(".field")) {
  const number = field.querySelector('input[type="number"], select');
  const range = field.querySelector('input[type="range"]');
  if (range) {
    range.addEventListener("input", () => {
      number.value = range.value;
      scheduleDesign();
    });
    number.addEventListener("input", () => {
      if (number.value !== "") range.value = number.value;
    });
  }
  number.addEventListener("input", scheduleDesign);
  number.addEventListener("change", scheduleDesign);
}
form.addEventListener("submit", (e) => {
  e.preventDefault();
  sendDesign();
});

// ---------- the result ----------
function showError(e) {
  const el = $("error");
  const details = (e.errors || []).map((x) => `${x.field}: ${x.message}`).join("; ");
  el.textContent = details || e.message || String(e);
  el.hidden = false;
}

function list(container, items) {
  const ul = container.querySelector("ul");
  ul.replaceChildren(...items.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  container.hidden = items.length === 0;
}

// The numbers behind each check, as the result gives them (the calculation sheet has them all).
function renderDetails(result) {
  const f = result.flexure, s = result.shear, sv = result.serviceability, c = result.crack_width;
  const rows = [
    ["Flexure", `d ${f.d} mm, xu ${f.xu_as_built} ≤ xu,max ${f.xu_max} mm, Mu ${f.Mu} ≤ Mu,cap ${f.Mu_capacity} kN·m, Mu,lim ${f.Mu_lim} kN·m, pt ${f.pt} %${f.bf ? `, bf ${f.bf} mm, neutral axis in the ${f.neutral_axis ?? "web (hogging)"}` : ""}`],
    ["Shear", `τv ${s.tau_v}, τc ${s.tau_c}, τc,max ${s.tau_c_max} N/mm², Vus ${s.Vus} kN, sv ≤ ${s.spacing_required} mm, Vu,cap ${s.Vu_capacity} kN`],
  ];
  if (result.torsion) rows.push(["Torsion", `Ve ${result.torsion.Ve} kN, τve ${result.torsion.tau_ve} N/mm², Me1 ${result.torsion.Me1} kN·m`]);
  if (sv) {
    rows.push(["Span/depth", `${sv["actual_L/d"]} ≤ ${sv["allowable_L/d"]} (kt ${sv.kt}, kc ${sv.kc}, kf ${sv.kf})`]);
    if (sv.calculated) rows.push(["Deflection (Annex C)", `${sv.calculated.total} mm of ${sv.calculated.total_limit}; after finishes ${sv.calculated.after_finishes} of ${sv.calculated.after_finishes_limit} mm`]);
  }
  if (c) rows.push(["Crack width", `${c.width} mm (limit ${c.limit}) at Ms ${c.Ms} kN·m${c.ms_assumed ? " (assumed)" : ""}`]);
  rows.push(["Development", `Ld ${result.detailing.Ld_tension} mm in tension, ${result.detailing.Ld_compression} mm in compression`]);
  $("details-list").replaceChildren(...rows.flatMap(([k, v]) => [
    Object.assign(document.createElement("dt"), { textContent: k }),
    Object.assign(document.createElement("dd"), { textContent: v }),
  ]));
}

// The beam of the result on show: what the calculation report is made for.
let shownBeam = null;

function render(beam, result, latency) {
  if (!result) return;
  clearFieldErrors();
  renderDetails(result);
  shownBeam = beam;
  for (const id of ["report-pdf", "report-html"]) $(id).disabled = !beam;
  const status = $("status");
  status.dataset.status = result.status;
  status.textContent = `${result.status === "SUCCESS" ? "✔ SUCCESS" : "✖ FAIL"} — utilization ${result.utilization.toFixed(3)}, governed by ${result.governing_check}`;
  $("bars").textContent = result.bars_provided;
  $("compression").textContent = result.compression_bars;
  $("stirrups").textContent = result.stirrups;
  $("side").textContent = result.detailing.side_face ? result.detailing.side_face.bars : "none needed";
  $("steel-area").textContent = `Ast ${result.Ast_provided} mm² provided / ${result.Ast_required} required`;
  $("d").textContent = `${result.flexure.d} mm (${result.flexure.section} reinforced)`;
  const checks = $("checks");
  checks.replaceChildren(
    ...result.checks.map((c) => {
      const li = document.createElement("li");
      li.dataset.passed = String(c.passed);
      const width = Math.min(100, c.utilization * 100);
      li.innerHTML = `<span>${c.check.replace(/_/g, " ")}</span><span class="bar" role="meter" aria-valuemin="0" aria-valuemax="1" aria-valuenow="${c.utilization}" aria-label="${c.check} utilization"><span style="width:${width}%"></span></span><span>${c.utilization.toFixed(3)}</span><span class="clause">${c.clause}</span>`;
      return li;
    }),
  );
  list($("failed"), result.failed_checks.map((f) => `${f.check} (${f.clause}): ${f.message}`));
  list($("warnings"), result.warnings);
  $("latency").textContent = latency !== undefined ? `designed in ${latency} ms · input ${result.provenance.input_hash}` : "";
  drawSection(beam, result);
}

// ---------- the cross-section ----------
const SVG = "http://www.w3.org/2000/svg";
function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text) node.textContent = text;
  return node;
}

// The diameters of a layer from left to right: the larger group at the corners and in pairs from
// the outside in, an odd bar of either group on the centre line (the engine's layers are symmetric).
function layerOrder(groups) {
  const [big, small] = [groups[0], groups[1] ?? { count: 0, dia: 0 }];
  const n = big.count + small.count;
  const order = new Array(n).fill(small.dia);
  let placed = 0;
  for (let k = 0; placed + 1 < big.count; k++, placed += 2) {
    order[k] = big.dia;
    order[n - 1 - k] = big.dia;
  }
  if (placed < big.count) order[Math.floor(n / 2)] = big.dia;
  return order;
}

// One layer at depth `y` (centroid from its face) on the face at `face` (0 top, D bottom).
function layer(svg, l, faceY, sign, inner, b, fill) {
  const order = layerOrder(l.bars);
  const maxDia = Math.max(...order);
  const left = inner + maxDia / 2, right = b - inner - maxDia / 2;
  order.forEach((dia, i) => {
    const x = order.length === 1 ? b / 2 : left + ((right - left) * i) / (order.length - 1);
    svg.append(el("circle", { cx: x, cy: faceY + sign * l.y, r: dia / 2, fill, "data-bar": dia }));
  });
}

function drawSection(beam, result) {
  const svg = $("section");
  const b = beam.width, D = beam.depth, c = beam.cover ?? 30;
  const st = result.shear.stirrup_dia;
  // A T or L beam: its effective flange (Cl 23.1.2) at the top, to scale; an L's flange on the right.
  const bf = result.flexure.bf ?? b, Df = result.flexure.Df ?? 0;
  const flangeLeft = beam.section === "L" ? 0 : (b - bf) / 2;
  const left = Math.min(0, flangeLeft), right = Math.max(b, flangeLeft + bf);
  const m = Math.max(right - left, D) * 0.12;
  svg.setAttribute("viewBox", `${left - m} ${-m} ${right - left + 2 * m} ${D + 2 * m}`);
  svg.replaceChildren();
  const font = Math.max(right - left, D) / 22;
  const concrete = { fill: "#e9ecef", stroke: "#6b7785", "stroke-width": font / 6 };
  if (Df > 0) {
    svg.append(el("path", { ...concrete, "data-flange": bf,
      d: `M ${flangeLeft} 0 h ${bf} v ${Df} H ${b} V ${D} H 0 V ${Df} H ${flangeLeft} Z` }));
  } else {
    svg.append(el("rect", { x: 0, y: 0, width: b, height: D, ...concrete }));
  }
  svg.append(el("rect", { x: c + st / 2, y: c + st / 2, width: b - 2 * c - st, height: D - 2 * c - st, rx: 2 * st, fill: "none", stroke: "#1f5fbf", "stroke-width": st }));
  const inner = c + st;
  // Tension bars at the bottom, or at the top under a hogging moment.
  const hogging = result.flexure.tension_face === "top";
  const { tension_layers: tension = [], compression_layers: compression = [] } = result.detailing;
  const [bottom, top] = hogging ? [compression, tension] : [tension, compression];
  for (const l of tension) layer(svg, l, hogging ? 0 : D, hogging ? 1 : -1, inner, b, "#c62828");
  for (const l of compression) layer(svg, l, hogging ? D : 0, hogging ? -1 : 1, inner, b, "#1a7f37");
  const side = result.detailing.side_face;
  if (side) {
    const topDia = Math.max(12, ...(top[0]?.bars ?? []).map((g) => g.dia));
    const bottomDia = Math.max(12, ...(bottom[0]?.bars ?? []).map((g) => g.dia));
    const y0 = inner + topDia, y1 = D - inner - bottomDia;
    for (let i = 1; i <= side.per_face; i++) {
      const yy = y0 + ((y1 - y0) * i) / (side.per_face + 1);
      for (const x of [inner + side.dia / 2, b - inner - side.dia / 2]) svg.append(el("circle", { cx: x, cy: yy, r: side.dia / 2, fill: "#9a6700" }));
    }
  }
  svg.append(el("text", { x: b / 2, y: D + m * 0.7, "font-size": font, "text-anchor": "middle", fill: "#18202b" }, `b = ${b} mm`));
  svg.append(el("text", { x: right + m * 0.55, y: D / 2, "font-size": font, "text-anchor": "middle", fill: "#18202b", transform: `rotate(90 ${right + m * 0.55} ${D / 2})` }, `D = ${D} mm`));
  if (Df > 0) {
    svg.append(el("text", { x: flangeLeft + bf / 2, y: -m * 0.3, "font-size": font, "text-anchor": "middle", fill: "#18202b" }, `bf = ${bf} mm, Df = ${Df} mm`));
  }
  const faces = hogging ? ["top", "bottom"] : ["bottom", "top"];
  svg.setAttribute("aria-label", `Cross-section ${b} by ${D} mm${Df > 0 ? `, flange ${bf} by ${Df} mm` : ""}: ${result.bars_provided} ${faces[0]}, ${result.compression_bars} ${faces[1]}, stirrups ${result.stirrups}`);
}

// ---------- the live session ----------
function setConnection(state, text) {
  const pill = $("connection");
  pill.dataset.state = state;
  pill.textContent = text;
}

function connect() {
  client.token = token;
  setConnection("connecting", "connecting…");
  const s = client.session(sessionId);
  session = s;
  s.on("presence", (m) => ($("members").textContent = `${m.members} member${m.members === 1 ? "" : "s"}`));
  s.on("design_result", (m) => {
    fillForm(m.beam);
    render(m.beam, m.result, m.latency_ms);
  });
  s.on("member_result", (m) => members.show(m));
  s.on("close", (e) => {
    if (session !== s) return;
    if (e.code === 4401 || e.code === 4403) {
      // The server says which: no token, an expired one, an invalid one, or one for another session.
      setConnection("closed", e.reason || (e.code === 4401 ? "token needed" : "not allowed here"));
      $("auth").open = true;
      return;
    }
    setConnection("closed", "reconnecting…");
    setTimeout(connect, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, 10000);
  });
  s.ready
    .then((state) => {
      reconnectDelay = 500;
      setConnection("open", "live");
      $("members").textContent = `${state.members} member${state.members === 1 ? "" : "s"}`;
      if (state.member) {
        members.show(state);
      } else if (state.beam) {
        fillForm(state.beam);
        render(state.beam, state.result);
      } else {
        sendDesign();
      }
    })
    .catch(() => {});
}

$("connect").addEventListener("click", () => {
  token = $("token").value.trim();
  sessionStorage.setItem("beamline-token", token);
  if (session && !session.closed) session.close();
  connect();
});

// The share link carries an invitation: a token that opens this session only, for a few hours, in
// the URL fragment (which browsers never send to the server).
$("share").addEventListener("click", async () => {
  let link;
  try {
    const invitation = await client.invite(sessionId);
    link = `${location.origin}${invitation.share_path}`;
  } catch (e) {
    showError(e);
    return;
  }
  $("share").dataset.link = link;
  try {
    await navigator.clipboard.writeText(link);
    $("share").textContent = "Link copied";
  } catch {
    prompt("Share this link: it opens this session for 8 hours.", link);
  }
  setTimeout(() => ($("share").textContent = "Copy share link"), 2000);
});

// ---------- the batch panel ----------
let batchBeams = null;
let job = null; // { id, last, source }

// The beam's field names and aliases, from the server (the engine's one list).
let fieldNames = null;
async function loadFieldNames() {
  if (!fieldNames) fieldNames = await (await fetch("/static/fields.json")).json();
  return fieldNames;
}

// A column name as written (any letter case, any alias) to its field; a spelling that could be two
// fields (d_MM) is neither.
function fieldOf(header, fields) {
  for (const [name, aliases] of Object.entries(fields)) if (name === header || aliases.includes(header)) return name;
  const lower = header.toLowerCase();
  const found = Object.entries(fields).filter(([name, aliases]) =>
    name.toLowerCase() === lower || aliases.some((a) => a.toLowerCase() === lower));
  return found.length === 1 ? found[0][0] : null;
}

function nearestField(header, fields) {
  const distance = (a, b) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = row[j];
        row[j] = next;
      }
    }
    return row[b.length];
  };
  let best = null;
  for (const [name, aliases] of Object.entries(fields)) {
    for (const spelling of [name, ...aliases]) {
      const d = distance(header.toLowerCase(), spelling.toLowerCase());
      if (d <= 2 && (!best || d < best.d)) best = { d, name };
    }
  }
  return best?.name;
}

// A CSV of beams (docs/jobs.md, "CSV input"): `,` or `;` (detected from the header), headers in any
// case, a decimal comma with `;`. Each beam keeps its line, for messages. The page is given back
// every LINES_PER_TASK lines, so that a file of 10 000 beams never blocks it.
const LINES_PER_TASK = 1000;
async function parseCsv(text, fields) {
  const lines = text.split(/\r?\n/);
  const headerLine = lines[0] || "";
  const delimiter = (headerLine.match(/;/g) || []).length > (headerLine.match(/,/g) || []).length ? ";" : ",";
  const split = (line) => {
    const cells = [];
    let cell = "", quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === delimiter) cells.push(cell.trim()), (cell = "");
      else cell += ch;
    }
    cells.push(cell.trim());
    return cells;
  };
  const header = split(headerLine).map((h) => {
    const name = fieldOf(h, fields);
    if (name) return name;
    const near = nearestField(h, fields);
    throw new Error(`line 1: unknown column "${h}"${near ? `; did you mean "${near}"?` : "; columns are the beam's field names"}`);
  });
  const beams = [], lineOf = [];
  for (let k = 1; k < lines.length; k++) {
    if (k % LINES_PER_TASK === 0) await new Promise((resolve) => setTimeout(resolve));
    const line = lines[k];
    if (line.trim() === "") continue;
    const cells = split(line);
    const at = k + 1;
    if (cells.length !== header.length) {
      throw new Error(`line ${at} has ${cells.length} cells where the header has ${header.length}: check for a missing or extra ${delimiter === ";" ? "semicolon" : "comma"}`);
    }
    const beam = {};
    cells.forEach((cell, i) => {
      if (cell === "") return;
      const name = header[i];
      const number = Number(delimiter === ";" && /^-?\d+,\d+$/.test(cell) ? cell.replace(",", ".") : cell);
      beam[name] = ["id", "support", "exposure", "section"].includes(name) || Number.isNaN(number) ? cell : number;
    });
    beams.push(beam);
    lineOf.push(`line ${at}`);
  }
  return { beams, lineOf };
}

// A JSON batch: an array of beam objects, or {"beams": [...]}.
function parseJsonBatch(text) {
  const parsed = JSON.parse(text);
  const beams = Array.isArray(parsed) ? parsed : parsed && parsed.beams;
  if (!Array.isArray(beams)) throw new Error('a JSON batch is an array of beams or {"beams": [...]}');
  const bad = beams.findIndex((b) => !b || typeof b !== "object" || Array.isArray(b));
  if (bad >= 0) throw new Error(`beam ${bad + 1} is not an object`);
  return { beams, lineOf: beams.map((_, i) => `beam ${i + 1}`) };
}

let batchOrigins = [];

// An ETABS export: a workbook (a ZIP archive), or CSV tables under `TABLE:` titles.
async function isEtabsExport(file, text) {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return (head[0] === 0x50 && head[1] === 0x4b) || /^\s*"?TABLE:/i.test(text);
}

// The server imports the export (docs/import.md): members, one per group of typical beams.
async function importEtabs(file) {
  const imported = await client.importMembers("etabs", { forces: file });
  const beams = imported.groups.reduce((n, g) => n + g.members.length, 0);
  const warnings = imported.warnings.length ? ` Warnings: ${imported.warnings.join(" ")}` : "";
  return {
    parsed: { beams: imported.members, lineOf: imported.groups.map((g) => g.members.join(", ")) },
    status: `${imported.members.length} members ready from ${file.name} (${beams} beam lines, typical beams grouped).${warnings}`,
  };
}

$("batch-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  const text = await file.text();
  try {
    let parsed;
    let status;
    if (await isEtabsExport(file, text)) {
      ({ parsed, status } = await importEtabs(file));
    } else {
      parsed = /^\s*[[{]/.test(text) ? parseJsonBatch(text) : await parseCsv(text, await loadFieldNames());
      status = `${parsed.beams.length} beams ready in ${file.name}.`;
    }
    batchBeams = parsed.beams;
    batchOrigins = parsed.lineOf;
    $("batch-status").textContent = status;
    $("batch-run").disabled = batchBeams.length === 0;
  } catch (error) {
    batchBeams = null;
    const where = error.errors && error.errors.length > 1 ? " — " + error.errors.slice(0, 5).map((x) => `${x.field}: ${x.message}`).join("; ") : "";
    $("batch-status").textContent = `Cannot read ${file.name}: ${error.message}${where}`;
    $("batch-run").disabled = true;
  }
});

// Outcomes are kept as rows of cells and the table shows one page of them, so that a job of 10 000
// beams costs the page the layout of PAGE_ROWS rows, whatever its size. Rows, the pager and the
// progress are drawn once a frame.
const PAGE_ROWS = 100;
const batchRows = [];
let pageStart = 0;
let pendingStatus = null;
let drawing = false;
function scheduleDraw() {
  if (drawing) return;
  drawing = true;
  requestAnimationFrame(() => {
    drawing = false;
    drawPage();
    if (pendingStatus) {
      $("batch-progress").value = pendingStatus.percent;
      $("batch-status").textContent = pendingStatus.text;
      pendingStatus = null;
    }
  });
}

function rowOf(cells) {
  const tr = document.createElement("tr");
  tr.dataset.status = cells[2];
  cells.forEach((value, i) => {
    const td = tr.insertCell();
    td.textContent = value;
    if (i === 6) td.className = "note";
  });
  return tr;
}

// The rows of the page not yet in the table are added (a page is redrawn whole when it changes).
function drawPage() {
  const body = $("batch-table").tBodies[0];
  const page = batchRows.slice(pageStart, pageStart + PAGE_ROWS);
  if (body.rows.length > page.length) body.replaceChildren();
  body.append(...page.slice(body.rows.length).map(rowOf));
  const total = batchRows.length;
  $("batch-pager").hidden = total <= PAGE_ROWS;
  $("batch-rows").textContent = total ? `Rows ${pageStart + 1}–${pageStart + page.length} of ${total}` : "";
  $("batch-prev").disabled = pageStart === 0;
  $("batch-next").disabled = pageStart + PAGE_ROWS >= total;
}

function turnPage(by) {
  const last = Math.max(0, Math.floor((batchRows.length - 1) / PAGE_ROWS) * PAGE_ROWS);
  pageStart = Math.min(last, Math.max(0, pageStart + by * PAGE_ROWS));
  $("batch-table").tBodies[0].replaceChildren();
  drawPage();
}
$("batch-prev").addEventListener("click", () => turnPage(-1));
$("batch-next").addEventListener("click", () => turnPage(1));

function addRow(index, id, status, bars, stirrups, utilization, note) {
  batchRows.push([index, id ?? "", status, bars ?? "", stirrups ?? "", utilization, note]);
  scheduleDraw();
}

// Where to resume after a reload, written at most once a frame: a write per event (20 000 for a
// 10 000-beam job, many delivered in one task) would block the page.
let resumeQueued = false;
function saveResumePoint() {
  if (resumeQueued) return;
  resumeQueued = true;
  requestAnimationFrame(() => {
    resumeQueued = false;
    if (job) sessionStorage.setItem("beamline-job", JSON.stringify({ id: job.id, last: job.last }));
  });
}

function follow() {
  if (job.source) job.source.close();
  // The table needs each result's summary, not the whole result (docs/jobs.md): a tenth of the bytes.
  const source = new EventSource(client.eventSourceUrl(job.id, job.last, { detail: "summary" }));
  job.source = source;
  const fresh = (e) => {
    const id = Number(e.lastEventId);
    if (id <= job.last) return null; // already shown (a replay after reconnecting)
    job.last = id;
    saveResumePoint();
    return JSON.parse(e.data);
  };
  source.addEventListener("start", (e) => {
    const d = fresh(e);
    if (d) $("batch-status").textContent = `Job ${d.job_id}: ${d.total_beams} beams.`;
  });
  source.addEventListener("design_result", (e) => {
    const d = fresh(e);
    if (!d) return;
    const r = d.result;
    addRow(d.index, d.beam.id, r.status, r.bars_provided, r.stirrups, r.utilization.toFixed(3), r.failed_checks.map((f) => f.message).join("; "));
  });
  source.addEventListener("error", (e) => {
    if (!e.data) return; // a connection error, not an `error` event: EventSource reconnects by itself
    const d = fresh(e);
    if (!d) return;
    // The id and the line of the file it came from, when this page uploaded the batch.
    const origin = batchOrigins[d.beam_index];
    const id = d.id ?? batchBeams?.[d.beam_index]?.id ?? "";
    const problems = d.error.errors.map((x) => `${x.field}: ${x.message}`).join("; ");
    addRow(d.beam_index, id, "INVALID", "", "", "", origin ? `${origin}: ${problems}` : problems);
  });
  source.addEventListener("progress", (e) => {
    const d = fresh(e);
    if (!d) return;
    pendingStatus = { percent: d.percent, text: `${d.current} of ${d.total} beams (${d.percent}%)` };
    scheduleDraw();
  });
  source.addEventListener("complete", (e) => {
    const d = fresh(e);
    source.close();
    sessionStorage.removeItem("beamline-job");
    $("batch-cancel").hidden = true;
    $("batch-download").hidden = false;
    $("batch-drawings").hidden = !(batchBeams || []).some((b) => b && b.spans);
    $("batch-run").disabled = !batchBeams;
    if (!d) return;
    pendingStatus = null;
    $("batch-progress").value = 100;
    const s = d.summary;
    $("batch-status").textContent = `${d.status === "done" ? "Done" : d.status}: ${s.succeeded} pass, ${s.failed} fail a check, ${s.errors} invalid, in ${s.duration_ms} ms.`;
  });
  source.onerror = () => {
    // Closed for good (an HTTP error, or the server went away for long): reopen from the last id seen.
    if (source.readyState === EventSource.CLOSED && job && job.source === source) setTimeout(follow, 2000);
  };
}

function startFollowing(id, last = 0) {
  job = { id, last, source: null };
  $("batch-table").hidden = false;
  $("batch-progress").hidden = false;
  $("batch-cancel").hidden = false;
  $("batch-download").hidden = true;
  $("batch-drawings").hidden = true;
  $("batch-run").disabled = true;
  follow();
}

$("batch-run").addEventListener("click", async () => {
  if (!batchBeams) return;
  $("batch-table").tBodies[0].replaceChildren();
  batchRows.length = 0;
  pageStart = 0;
  $("batch-progress").value = 0;
  try {
    const created = await client.createJob(batchBeams);
    startFollowing(created.job_id, 0);
  } catch (e) {
    $("batch-status").textContent = `The batch was refused: ${e.message}${e.errors && e.errors.length ? " — " + e.errors.map((x) => `${x.field}: ${x.message}`).join("; ") : ""}`;
  }
});

$("batch-cancel").addEventListener("click", () => job && client.cancelJob(job.id).catch(showError));

function save(text, type, name) {
  const a = Object.assign(document.createElement("a"), {
    href: URL.createObjectURL(new Blob([text], { type })),
    download: name,
  });
  document.body.append(a);
  a.click();
  a.remove();
}

$("batch-download").addEventListener("click", async () => {
  if (!job) return;
  save(await client.results(job.id, { format: "csv" }), "text/csv", `${job.id}.csv`);
});

// Every member of the job on one DXF sheet set (docs/drawings.md).
$("batch-drawings").addEventListener("click", async () => {
  if (!job) return;
  try {
    save(await client.jobDrawings(job.id), "application/dxf", `${job.id}-drawings.dxf`);
  } catch (e) {
    showError(e);
  }
});

// A batch that was running when the page was closed or reloaded goes on where it stopped.
const unfinished = JSON.parse(sessionStorage.getItem("beamline-job") || "null");
if (unfinished && token) startFollowing(unfinished.id, 0);

window.beamline = { client, get session() { return session; }, sessionId };
connect();

// ---------- the calculation report ----------
async function downloadReport(format) {
  if (!shownBeam) return;
  try {
    const report = await client.report(shownBeam, { format });
    const type = format === "pdf" ? "application/pdf" : "text/html";
    const url = URL.createObjectURL(new Blob([report], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${shownBeam.id ?? "beam"}-calculation.${format}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    showError(e);
  }
}
$("report-pdf").addEventListener("click", () => downloadReport("pdf"));
$("report-html").addEventListener("click", () => downloadReport("html"));
