// Beamline client for browsers and Node (18+): an ES module with no dependencies.
//
//   import { Beamline } from "./beamline.js";
//   const client = new Beamline({ baseUrl: "http://127.0.0.1:8000", token });
//   const { result } = await client.design({ width: 300, depth: 450, Mu: 150 });
//
// Live sessions use the platform's WebSocket (Node 22+, or Node 20 with --experimental-websocket);
// batch jobs read Server-Sent Events through fetch and resume with Last-Event-ID by themselves.

/** An error answer from the server (docs/http.md), or a failure to reach it. */
export class BeamlineError extends Error {
  constructor(status, body = {}, headers = null) {
    super(body.detail || `HTTP ${status}`);
    this.name = "BeamlineError";
    this.status = status;
    this.code = body.code || "http_error";
    this.detail = body.detail || "";
    this.errors = body.errors || [];
    this.requestId = body.request_id || (headers && headers.get("x-request-id")) || null;
    const retry = headers && headers.get("retry-after");
    /** Seconds to wait before retrying (429 only). */
    this.retryAfter = retry ? Number(retry) : null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error of a failed response, from its JSON body when it has one. */
async function errorFrom(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // A body that is not JSON: the status says enough.
  }
  return new BeamlineError(response.status, body, response.headers);
}

/** Splits a text/event-stream into events: { id, event, data } with `data` parsed as JSON. */
export async function* readEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = { id: null, event: "message", data: null };
        for (const line of block.split("\n")) {
          if (line.startsWith("id: ")) event.id = Number(line.slice(4));
          else if (line.startsWith("event: ")) event.event = line.slice(7);
          else if (line.startsWith("data: ")) event.data = JSON.parse(line.slice(6));
        }
        if (event.id !== null) yield event;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * A beam as the API takes it (docs/api.md); units mm, kN, kN·m, N/mm². Aliases are accepted too.
 * @typedef {object} Beam
 * @property {number} width
 * @property {number} depth
 * @property {number} Mu negative is hogging (tension at the top face)
 * @property {number} [Vu]
 * @property {number} [Tu]
 * @property {number} [fck]
 * @property {number} [fy]
 * @property {number} [fy_stirrup]
 * @property {number} [cover] nominal cover to the stirrups
 * @property {number} [effective_depth] used only where the bars reach it
 * @property {number} [length]
 * @property {"simply_supported"|"continuous"|"cantilever"} [support]
 * @property {number} [stirrup_dia]
 * @property {number} [main_bar_dia]
 * @property {number} [aggregate]
 * @property {"mild"|"moderate"|"severe"|"very_severe"|"extreme"} [exposure] default "moderate"
 * @property {number} [fire_rating] hours, 0.5–4
 * @property {number} [lateral_restraint_spacing] mm, default the span
 * @property {boolean} [allow_low_grade]
 * @property {"rectangular"|"T"|"L"} [section] default "rectangular"
 * @property {number} [flange_width] bf, mm; default from the span (Cl 23.1.2)
 * @property {number} [flange_thickness] Df, mm; required for T and L
 * @property {number} [web_spacing] clear distance to the next beam, mm
 * @property {boolean} [isolated_flange] flange_width is the actual flange of an isolated beam
 * @property {number} [Ms] service moment, kN·m; default |Mu|/1.5 (assumed)
 * @property {number} [permanent_fraction] 0–1, default 0.6
 * @property {number} [av] distance of a concentrated load from the support face, mm
 */

/** The exposure classes of `Beam.exposure`, mildest first. */
export const EXPOSURES = ["mild", "moderate", "severe", "very_severe", "extreme"];

export class Beamline {
  /**
   * @param {object} options
   * @param {string} [options.baseUrl] the server, e.g. "http://127.0.0.1:8000" ("" in a page it serves)
   * @param {string|null} [options.token] a bearer token with the scopes you need
   */
  constructor({ baseUrl = "", token = null, fetch: fetchImpl, WebSocket: WebSocketImpl } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.token = token;
    this._fetch = fetchImpl || globalThis.fetch.bind(globalThis);
    this._WebSocket = WebSocketImpl || globalThis.WebSocket;
  }

  _headers(extra = {}) {
    const headers = { ...extra };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return headers;
  }

  async _request(method, path, body, { accept = "application/json" } = {}) {
    const init = { method, headers: this._headers({ accept }) };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await this._fetch(this.baseUrl + path, init);
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async _json(method, path, body) {
    return (await this._request(method, path, body)).json();
  }

  /** OAuth2 password grant; keeps the token for later calls and returns the server's answer. */
  async login(username, password, scope) {
    const answer = await this._json("POST", "/api/v1/auth/token", { grant_type: "password", username, password, scope });
    this.token = answer.access_token;
    return answer;
  }

  /**
   * Designs one beam: `{ beam, result }` (the normalized input and the result).
   * @param {Beam} beam
   */
  design(beam) {
    return this._json("POST", "/api/v1/design/beam", beam);
  }

  /**
   * Designs a member along its spans (docs/members.md): `{ member, result }`.
   * @param {object} member
   */
  designMember(member) {
    return this._json("POST", "/api/v1/design/member", member);
  }

  /**
   * The bar bending schedule of a member, as CSV text.
   * @param {object} member
   */
  async memberSchedule(member) {
    const response = await this._request("POST", "/api/v1/design/member?format=csv", member, { accept: "text/csv" });
    return response.text();
  }

  /**
   * Checks one section under several load cases with one set of bars and stirrups:
   * `{ status, governing_case, cases }`, each case with its `utilization` under those bars.
   * @param {Beam} beam the section (its own Mu may be left out)
   */
  check(beam, cases) {
    return this._json("POST", "/api/v1/check/beam", { beam, cases });
  }

  /**
   * The calculation report of one beam: the HTML page as a string, or with `{ format: "pdf" }` the PDF
   * as a `Uint8Array`. `project` is printed in the title block.
   * @param {Beam} beam
   */
  async report(beam, { format = "html", project } = {}) {
    const accept = format === "pdf" ? "application/pdf" : "text/html";
    const body = project === undefined ? beam : { beam, project };
    const response = await this._request("POST", "/api/v1/report", body, { accept });
    return format === "pdf" ? new Uint8Array(await response.arrayBuffer()) : response.text();
  }

  /**
   * An invitation to a live session: `{ session_id, token, expires_in, share_path }`, the token
   * opening that session only (docs/sessions.md, "Invitations").
   */
  invite(sessionId) {
    return this._json("POST", `/api/v1/sessions/${encodeURIComponent(sessionId)}/invite`);
  }

  /**
   * Members from an analysis program's force tables (docs/import.md): `source` is `etabs`, `staad`
   * or `csv`; `files` maps `forces` (and `sections`, `connectivity`) to a string, a `Blob` or bytes
   * (CSV or XLSX); `options` are the query parameters (`combinations`, `units`, `group`, `job`…).
   * Resolves to `{ members, groups, warnings }` (with `job: true`, the new job's links too).
   */
  async importMembers(source, files, options = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(files)) {
      if (value === undefined || value === null) continue;
      // A File keeps its own name, which the server's messages then cite.
      form.append(name, value instanceof Blob ? value : new Blob([value]), value.name || name);
    }
    const query = new URLSearchParams(Object.entries(options).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    const path = `/api/v1/import/${encodeURIComponent(source)}${query.size ? `?${query}` : ""}`;
    const response = await this._fetch(this.baseUrl + path, { method: "POST", headers: this._headers({ accept: "application/json" }), body: form });
    if (!response.ok) throw await errorFrom(response);
    return response.json();
  }

  /** The DXF drawing (text) of a beam, a member, or an array of members (docs/drawings.md). */
  async drawing(beamOrMembers) {
    const body = Array.isArray(beamOrMembers) ? { members: beamOrMembers } : beamOrMembers;
    return (await this._request("POST", "/api/v1/drawing", body, { accept: "application/dxf" })).text();
  }

  /** Every member of a job on one DXF sheet set (text). */
  async jobDrawings(jobId) {
    const path = `/api/v1/jobs/${encodeURIComponent(jobId)}/drawings.dxf`;
    return (await this._request("GET", path, undefined, { accept: "application/dxf" })).text();
  }

  createJob(beams) {
    return this._json("POST", "/api/v1/jobs", { beams });
  }

  job(jobId) {
    return this._json("GET", `/api/v1/jobs/${encodeURIComponent(jobId)}`);
  }

  cancelJob(jobId) {
    return this._json("DELETE", `/api/v1/jobs/${encodeURIComponent(jobId)}`);
  }

  /** All results so far: an object, or with `{ format: "csv" }` the CSV text. */
  async results(jobId, { format = "json" } = {}) {
    const path = `/api/v1/jobs/${encodeURIComponent(jobId)}/results?format=${format}`;
    const response = await this._request("GET", path, undefined, { accept: format === "csv" ? "text/csv" : "application/json" });
    return format === "csv" ? response.text() : response.json();
  }

  /**
   * The URL for a browser's EventSource (which cannot send headers): the token goes in the query.
   * `{ detail: "summary" }` asks for each result's summary only (docs/jobs.md).
   */
  eventSourceUrl(jobId, lastEventId, { detail } = {}) {
    const query = new URLSearchParams();
    if (this.token) query.set("token", this.token);
    if (lastEventId) query.set("last_event_id", String(lastEventId));
    if (detail) query.set("detail", detail);
    return `${this.baseUrl}/stream/jobs/${encodeURIComponent(jobId)}?${query}`;
  }

  /**
   * Runs a batch and yields its events ({ id, event, data }) until `complete`. Pass `beams` to create
   * a job, or `{ jobId, lastEventId }` to follow one. A dropped connection is resumed with
   * Last-Event-ID, so no event is missed or repeated.
   */
  async *batch(beams, { jobId = null, lastEventId = 0, retries = 10, signal } = {}) {
    if (!jobId) jobId = (await this.createJob(beams)).job_id;
    let last = lastEventId;
    let failures = 0;
    for (;;) {
      let response;
      try {
        const headers = this._headers({ accept: "text/event-stream" });
        if (last) headers["last-event-id"] = String(last);
        response = await this._fetch(`${this.baseUrl}/stream/jobs/${encodeURIComponent(jobId)}`, { headers, signal });
      } catch (error) {
        if (signal && signal.aborted) throw error;
        if (++failures > retries) throw error;
        await sleep(Math.min(200 * 2 ** failures, 5000));
        continue;
      }
      if (!response.ok) throw await errorFrom(response);
      try {
        for await (const event of readEvents(response.body)) {
          failures = 0;
          last = event.id;
          yield { jobId, ...event };
          if (event.event === "complete") return;
        }
      } catch (error) {
        if (signal && signal.aborted) throw error;
      }
      // The stream ended before `complete`: reconnect after the last event seen.
      if (++failures > retries) throw new BeamlineError(0, { code: "stream_lost", detail: "the event stream kept dropping" });
      await sleep(Math.min(200 * 2 ** failures, 5000));
    }
  }

  /** A live design session over WebSocket. Call `await session.ready` before sending. */
  session(sessionId) {
    return new Session(this, sessionId);
  }
}

/** A member of a live design session (docs/sessions.md). */
export class Session {
  constructor(client, sessionId) {
    if (!client._WebSocket) throw new Error("no WebSocket in this environment");
    const base = client.baseUrl || (typeof location !== "undefined" ? location.origin : "");
    const url = new URL(`${base.replace(/^http/, "ws")}/ws/design/${encodeURIComponent(sessionId)}`);
    if (client.token) url.searchParams.set("token", client.token);
    // A session_state on joining even before the first design: it says we are in, and how many are.
    url.searchParams.set("welcome", "1");
    this.sessionId = sessionId;
    /** The last session_state or design_result: the session's current beam and result. */
    this.beam = null;
    this.result = null;
    this.members = 0;
    this._handlers = new Map();
    this._queue = [];
    this._waiters = [];
    this._pending = new Map();
    this._counter = 0;
    this.closed = null;
    this.socket = new client._WebSocket(url.toString());
    this.ready = new Promise((resolve, reject) => {
      this._readyResolve = resolve;
      this._readyReject = reject;
    });
    // Callers who never await `ready` should not see an unhandled rejection when the socket closes.
    this.ready.catch(() => {});
    this.socket.onmessage = (e) => this._receive(JSON.parse(e.data));
    this.socket.onclose = (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this._readyReject(Object.assign(new Error(`closed ${e.code} ${e.reason}`), this.closed));
      this._emit("close", this.closed);
      for (const w of this._waiters.splice(0)) w(null);
      for (const [, p] of this._pending) p.reject(Object.assign(new Error(`closed ${e.code}`), this.closed));
      this._pending.clear();
    };
  }

  _receive(message) {
    if (message.type === "session_state" || message.type === "design_result") {
      this.beam = message.beam;
      this.result = message.result;
    }
    // A session that holds a member (docs/members.md).
    if (message.type === "member_result" || (message.type === "session_state" && message.member)) {
      this.member = message.member;
      this.result = message.result;
    }
    if (message.type === "session_state" || message.type === "presence") this.members = message.members;
    if (message.type === "session_state") this._readyResolve(message);
    const waiting = message.request_id !== undefined && this._pending.get(message.request_id);
    if (waiting) {
      this._pending.delete(message.request_id);
      if (message.type === "error") waiting.reject(Object.assign(new Error(message.message), message));
      else waiting.resolve(message);
    }
    this._emit(message.type, message);
    this._emit("message", message);
    const waiter = this._waiters.shift();
    if (waiter) waiter(message);
    else this._queue.push(message);
  }

  _emit(type, payload) {
    for (const handler of this._handlers.get(type) || []) handler(payload);
  }

  /** Calls `handler` for every message of `type` ("design_result", "presence", …, or "message"). */
  on(type, handler) {
    if (!this._handlers.has(type)) this._handlers.set(type, []);
    this._handlers.get(type).push(handler);
    return () => this._handlers.set(type, this._handlers.get(type).filter((h) => h !== handler));
  }

  /** Every incoming message, in order, until the session closes. */
  async *messages() {
    for (;;) {
      const next = this._queue.length ? this._queue.shift() : await new Promise((r) => this._waiters.push(r));
      if (next === null) return;
      yield next;
    }
  }

  _send(message) {
    const requestId = message.request_id ?? `r${++this._counter}`;
    const full = { ...message, request_id: requestId };
    const answer = new Promise((resolve, reject) => this._pending.set(requestId, { resolve, reject }));
    this.socket.send(JSON.stringify(full));
    return answer;
  }

  /** Designs `beam` for the whole session; resolves with this request's design_result. */
  design(beam, requestId) {
    return this._send({ action: "design", beam, request_id: requestId });
  }

  /** Designs a member for the whole session; resolves with this request's member_result. */
  designMember(member, requestId) {
    return this._send({ action: "design_member", member, request_id: requestId });
  }

  /** Changes some fields of the current beam or member (`null` restores a default). */
  update(changes, requestId) {
    return this._send({ action: "update", changes, request_id: requestId });
  }

  /** Checks a section under load cases; the answer goes to this member only. */
  check(beam, cases, requestId) {
    return this._send({ action: "check", beam, cases, request_id: requestId });
  }

  ping() {
    return this._send({ action: "ping" });
  }

  close() {
    this.socket.close(1000);
  }
}
