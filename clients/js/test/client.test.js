import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { Beamline, BeamlineError } from "../beamline.js";
import { startServer, token } from "./server.js";

let server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

const beam = { width: 300, depth: 450, Mu: 150, Vu: 100 };

test("design and check over REST", async () => {
  const client = new Beamline({ baseUrl: server.url, token: token() });
  const { beam: normalized, result } = await client.design({ b: 300, D: 450, moment: 150 });
  assert.equal(normalized.width, 300);
  assert.equal(result.status, "SUCCESS");
  const check = await client.check({ width: 300, depth: 500 }, [{ id: "a", Mu: 80 }, { id: "b", Mu: 190 }]);
  assert.equal(check.governing_case, "b");
  // One reinforcement carries every case.
  assert.equal(check.cases[0].result.bars_provided, check.cases[1].result.bars_provided);
  const severe = await client.design({ width: 300, depth: 500, Mu: 100, exposure: "severe" });
  assert.equal(severe.result.status, "FAIL");
  assert.ok(severe.result.failed_checks.some((f) => f.check === "cover"));
  assert.ok(result.detailing.tension_layers[0].bars.every((g) => g.dia >= 12));
});

test("a calculation report as HTML and as PDF", async () => {
  const client = new Beamline({ baseUrl: server.url, token: token() });
  const html = await client.report({ ...beam, id: "J1" }, { project: "Depot" });
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /Depot/);
  assert.match(html, /IS 456 Cl 40/);
  const pdf = await client.report(beam, { format: "pdf" });
  assert.ok(pdf instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(pdf.slice(0, 5)), "%PDF-");
  await assert.rejects(client.report({ width: 50, depth: 450, Mu: 1 }), (e) => e instanceof BeamlineError && e.status === 422);
});

test("errors carry status, code, field errors and retry time", async () => {
  const anonymous = new Beamline({ baseUrl: server.url });
  await assert.rejects(anonymous.design(beam), (e) => e instanceof BeamlineError && e.status === 401 && e.code === "unauthorized");
  const analyst = new Beamline({ baseUrl: server.url, token: token("x", ["analyze"]) });
  await assert.rejects(analyst.design(beam), (e) => e.status === 403 && e.code === "insufficient_scope");
  const client = new Beamline({ baseUrl: server.url, token: token() });
  await assert.rejects(client.design({ width: 50, depth: 450, Mu: 1 }), (e) => {
    assert.equal(e.status, 422);
    assert.equal(e.errors[0].field, "width");
    return true;
  });
  const limited = await startServer({ BEAMLINE_RATE_LIMIT_REQUESTS: "1" });
  try {
    const c = new Beamline({ baseUrl: limited.url, token: token() });
    await c.design(beam);
    await assert.rejects(c.design(beam), (e) => e.status === 429 && e.code === "rate_limited" && e.retryAfter >= 1);
  } finally {
    limited.stop();
  }
});

test("a batch job streams to complete and resumes after a dropped connection", async () => {
  const client = new Beamline({ baseUrl: server.url, token: token() });
  const beams = Array.from({ length: 50 }, (_, i) => ({ id: `B${i}`, width: 300, depth: 500, Mu: 50 + i }));
  beams[7] = { width: 10 };
  const seen = [];
  let jobId;
  for await (const event of client.batch(beams)) {
    jobId = event.jobId;
    seen.push(event);
    if (seen.length === 20) break; // the connection drops here
  }
  for await (const event of client.batch(null, { jobId, lastEventId: 20 })) seen.push(event);
  assert.deepEqual(seen.map((e) => e.id), Array.from({ length: 102 }, (_, i) => i + 1));
  const complete = seen.at(-1);
  assert.equal(complete.event, "complete");
  assert.equal(complete.data.summary.errors, 1);
  const status = await client.job(jobId);
  assert.equal(status.status, "completed");
  const csv = await client.results(jobId, { format: "csv" });
  assert.equal(csv.trim().split("\n").length, 51);
  assert.match(client.eventSourceUrl(jobId, 5), /\/stream\/jobs\/job_[0-9a-f]+\?token=.+&last_event_id=5$/);
});

test("two members of a live session see each other's designs and updates", async () => {
  const a = new Beamline({ baseUrl: server.url, token: token("a") }).session("js-live");
  await a.ready;
  const b = new Beamline({ baseUrl: server.url, token: token("b") }).session("js-live");
  await b.ready;
  const seenByB = new Promise((resolve) => b.on("design_result", resolve));
  const mine = await a.design(beam);
  assert.equal(mine.type, "design_result");
  assert.equal((await seenByB).request_id, mine.request_id);
  const updated = await b.update({ Mu: 200 });
  assert.equal(updated.beam.Mu, 200);
  const check = await a.check({ width: 300, depth: 500 }, [{ Mu: 10 }]);
  assert.equal(check.type, "check_result");
  await assert.rejects(a.update({ mu: 1 }), (e) => e.code === "validation_error");
  assert.equal((await a.ping()).type, "pong");
  assert.equal(a.beam.Mu, 200);
  a.close();
  b.close();
  const bad = new Beamline({ baseUrl: server.url }).session("js-live");
  await assert.rejects(bad.ready, (e) => e.code === 4401);
});

/** Two 6 m spans under DL 20 and LL 10 kN/m with −0.1 w l² at the middle support. */
function member() {
  const span = (w, ml, mr) =>
    Array.from({ length: 11 }, (_, k) => {
      const xm = 0.6 * k;
      return { x: 600 * k, M: (w * xm * (6 - xm)) / 2 + ml * (1 - xm / 6) + (mr * xm) / 6, V: w * (3 - xm) + (mr - ml) / 6 };
    });
  const kase = (w) => [span(w, 0, -3.6 * w), span(w, -3.6 * w, 0)];
  return {
    id: "B12",
    section: { width: 300, depth: 500 },
    spans: [{ length: 6000, support_width: 300 }, { length: 6000, support_width: 300 }],
    cases: { DL: kase(20), LL: kase(10) },
  };
}

test("a member, its schedule, and a live session editing it", async () => {
  const client = new Beamline({ baseUrl: server.url, token: token() });
  const { result } = await client.designMember(member());
  assert.equal(result.status, "SUCCESS");
  assert.equal(result.spans.length, 2);
  const csv = await client.memberSchedule(member());
  assert.match(csv, /^member,mark,location,shape/);
  const s = client.session("js-member");
  await s.ready;
  const first = await s.designMember(member());
  assert.equal(first.type, "member_result");
  const wider = await s.update({ width: 350 });
  assert.equal(wider.member.section.width, 350);
  s.close();
  await assert.rejects(client.designMember({ ...member(), spans: [{ length: -1 }] }), (e) => e.status === 422);
});

test("an ETABS export imported as a job, followed, and drawn as DXF", async () => {
  const { readFile } = await import("node:fs/promises");
  const forces = await readFile(new URL("../../../docs/examples/etabs-two-storey.csv", import.meta.url), "utf8");
  const client = new Beamline({ baseUrl: server.url, token: token() });
  const imported = await client.importMembers("etabs", { forces });
  assert.equal(imported.members.length, 6);
  assert.deepEqual(imported.groups[0].members, ["Story1/B1-B2", "Story1/B3-B4"]);
  const job = await client.importMembers("etabs", { forces }, { job: true });
  assert.equal(job.total_beams, 6);
  for await (const _ of client.batch(undefined, { jobId: job.job_id })) {
    // Follow the job to its end.
  }
  const dxf = await client.jobDrawings(job.job_id);
  assert.match(dxf, /AC1009/);
  assert.match(dxf, /\nBEAM SCHEDULE\n/);
  const one = await client.drawing(imported.members[0]);
  assert.match(one, /Story1\/B1-B2/);
  await assert.rejects(
    client.importMembers("etabs", { forces: forces.replace(",M3,", ",X,") }),
    (e) => e instanceof BeamlineError && e.status === 422 && /M3/.test(e.errors[0].message),
  );
});
