// The member panel: a member designed for the whole live session (design_member), drawn in elevation
// to scale along its length — spans, supports, zones, bars with their cut-offs and laps, stirrup
// zones — with its zones as a table and its bar bending schedule.

const SVG = "http://www.w3.org/2000/svg";

/** A two-span example: DL 20 and LL 10 kN/m, −0.1 w l² over the middle support. */
export function exampleMember() {
  const span = (w, ml, mr) =>
    Array.from({ length: 11 }, (_, k) => {
      const xm = 0.6 * k;
      const M = (w * xm * (6 - xm)) / 2 + ml * (1 - xm / 6) + (mr * xm) / 6;
      return { x: 600 * k, M: Math.round(M * 100) / 100, V: Math.round((w * (3 - xm) + (mr - ml) / 6) * 100) / 100 };
    });
  const kase = (w) => [span(w, 0, -3.6 * w), span(w, -3.6 * w, 0)];
  return {
    id: "B12",
    section: { width: 300, depth: 500, fck: 25, fy: 500 },
    spans: [{ length: 6000, support_width: 300 }, { length: 6000, support_width: 300 }],
    ends: ["discontinuous", "discontinuous"],
    cases: { DL: kase(20), LL: kase(10) },
    ductile: false,
  };
}

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Draws the member: x to scale along the length; the depth is exaggerated for legibility. */
export function drawElevation(svg, member, result) {
  svg.replaceChildren();
  const spans = member.spans;
  const starts = [0];
  for (const s of spans) starts.push(starts[starts.length - 1] + s.length);
  const total = starts[starts.length - 1];
  const left = 40, right = 960, top = 60, depth = 90;
  const X = (span, x) => left + ((starts[span] + x) / total) * (right - left);
  const bottom = top + depth;
  // Concrete and supports.
  svg.append(el("rect", { x: X(0, 0), y: top, width: right - left, height: depth, fill: "#eef1f4", stroke: "#667", "data-part": "concrete" }));
  for (let j = 0; j <= spans.length; j++) {
    const span = Math.min(j, spans.length - 1);
    const w = spans[span].support_width || 0;
    const free = (j === 0 && member.ends?.[0] === "free") || (j === spans.length && member.ends?.[1] === "free");
    if (free) continue;
    const at = j === spans.length ? X(span, spans[span].length) : X(j, 0);
    const half = Math.max((w / total) * (right - left) / 2, 3);
    svg.append(el("rect", { x: at - half, y: bottom, width: 2 * half, height: 40, fill: "#c9ced6", stroke: "#667", "data-part": "support" }));
  }
  // Stirrup zones as hatched bands, with their callouts.
  result.spans.forEach((s, i) => {
    s.stirrups.forEach((z, k) => {
      const x1 = X(i, z.from), x2 = X(i, z.to);
      svg.append(el("rect", { x: x1, y: top + 4, width: Math.max(x2 - x1, 1), height: depth - 8, fill: k % 2 ? "#e3ecf7" : "#d5e3f5", opacity: 0.7, "data-part": "stirrup-zone" }));
      // A callout only where it fits; every zone is in the table below and in the result.
      if (x2 - x1 > 6 * z.text.length) {
        svg.append(el("text", { x: (x1 + x2) / 2, y: top + depth / 2 + 4, "text-anchor": "middle", "font-size": 10, fill: "#345" }, z.text));
      }
    });
    svg.append(el("text", { x: (X(i, 0) + X(i, s.length)) / 2, y: 250, "text-anchor": "middle", "font-size": 12 }, `span ${i + 1}: ${s.length} mm`));
  });
  // Bars: continuous at the faces, extras stacked inside them, each with its mark.
  const rows = { top: 0, bottom: 0 };
  for (const b of result.bars) {
    const k = b.continuous ? 0 : 1 + (rows[b.face]++ % 3);
    const y = b.face === "top" ? top + 8 + 7 * k : bottom - 8 - 7 * k;
    const x1 = X(b.start.span, b.start.x), x2 = X(b.end.span, b.end.x);
    svg.append(el("line", { x1, y1: y, x2, y2: y, stroke: b.face === "top" ? "#b03030" : "#2a5db0", "stroke-width": b.continuous ? 2.5 : 2, "data-part": "bar", "data-mark": b.mark }));
    if (b.legs[0] > 0) svg.append(el("line", { x1, y1: y, x2: x1, y2: b.face === "top" ? y + 14 : y - 14, stroke: "#555", "stroke-width": 2 }));
    if (b.legs[1] > 0) svg.append(el("line", { x1: x2, y1: y, x2, y2: b.face === "top" ? y + 14 : y - 14, stroke: "#555", "stroke-width": 2 }));
    const labelY = b.face === "top" ? top - 6 - 12 * (k % 3) : bottom + 58 + 12 * (k % 3);
    svg.append(el("text", { x: (x1 + x2) / 2, y: labelY, "text-anchor": "middle", "font-size": 10 }, `${b.mark} ${b.text}`));
  }
  // Cut-off and lap positions.
  result.spans.forEach((s, i) => {
    for (const c of s.cut_offs) svg.append(el("line", { x1: X(i, c.x), y1: top - 2, x2: X(i, c.x), y2: bottom + 2, stroke: "#999", "stroke-dasharray": "3 3", "data-part": "cut-off" }));
    for (const l of s.laps) {
      const x1 = X(i, l.x - l.length / 2), x2 = X(i, l.x + l.length / 2);
      const y = l.face === "top" ? top + 2 : bottom - 6;
      svg.append(el("rect", { x: x1, y, width: x2 - x1, height: 4, fill: "#f0b030", "data-part": "lap" }));
    }
  });
  svg.setAttribute("aria-label", `Elevation of ${result.id ?? "the member"}: ${spans.length} spans, ${result.bars.length} bar groups, ${result.status}`);
}

function renderZones(table, result) {
  const body = table.querySelector("tbody");
  body.replaceChildren();
  result.spans.forEach((s, i) => {
    for (const z of s.zones) {
      const tr = document.createElement("tr");
      tr.dataset.status = z.status;
      for (const v of [i + 1, z.zone.replace("_", " "), z.top, z.bottom, z.stirrups, z.utilization.toFixed(3)]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.append(td);
      }
      body.append(tr);
    }
  });
  table.hidden = false;
}

/** Wires the panel to the page: `getSession()` gives the live session, `client` the REST client. */
export function initMembers({ client, getSession }) {
  const $ = (id) => document.getElementById(id);
  let shown = null;
  $("member-json").value = JSON.stringify(exampleMember());
  const status = $("member-status");

  function render(member, result) {
    shown = member;
    $("member-error").hidden = true;
    status.dataset.status = result.status;
    status.textContent = `${result.status === "SUCCESS" ? "✔" : "✘"} ${result.status} ${result.utilization.toFixed(3)} · governing ${result.governing_check} (span ${result.governing_station.span + 1}, x ${result.governing_station.x} mm)`;
    drawElevation($("elevation"), member, result);
    renderZones($("member-zones"), result);
    $("member-schedule").textContent = `Bar bending schedule: ${result.bbs.rows.length} marks, ${result.bbs.total_weight} kg (${result.bbs.by_diameter.map((d) => `${d.dia}φ ${d.weight} kg`).join(", ")})`;
    $("member-bbs").disabled = false;
    $("member-report").disabled = false;
  }

  function fail(message) {
    const p = $("member-error");
    p.textContent = message;
    p.hidden = false;
    status.dataset.status = "stale";
    status.textContent = "The drawing is of the last valid member";
  }

  $("member-run").addEventListener("click", async () => {
    let member;
    try {
      member = JSON.parse($("member-json").value);
    } catch (e) {
      fail(`The member is not valid JSON: ${e.message}`);
      return;
    }
    const session = getSession();
    try {
      if (session && !session.closed) {
        await session.designMember(member);
      } else {
        const answer = await client.designMember(member);
        render(answer.member, answer.result);
      }
    } catch (e) {
      const errors = e.errors ?? e.body?.errors ?? [];
      fail(errors.length ? errors.map((x) => `${x.field}: ${x.message}`).join("; ") : e.message ?? String(e));
    }
  });

  function download(blob, name) {
    const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }

  $("member-bbs").addEventListener("click", async () => {
    if (!shown) return;
    const csv = await client.memberSchedule(shown);
    download(new Blob([csv], { type: "text/csv" }), `${shown.id ?? "member"}-bbs.csv`);
  });

  // The report route takes a member as it takes a beam (docs/report.md).
  $("member-report").addEventListener("click", async () => {
    if (!shown) return;
    const pdf = await client.report(shown, { format: "pdf" });
    download(new Blob([pdf], { type: "application/pdf" }), `${shown.id ?? "member"}-calculation.pdf`);
  });

  return {
    /** A member_result or a session_state holding a member, from the live session. */
    show(message) {
      if (message.member && message.result) {
        $("member-json").value = JSON.stringify(message.member);
        render(message.member, message.result);
      }
    },
  };
}
