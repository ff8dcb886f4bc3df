// Starts the real `beamline serve` on port 0 for the tests, and mints tokens for it.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const SECRET = "js-client-secret-0123456789abcdef-0123";
const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.BEAMLINE_BIN || join(here, "..", "..", "..", "target", "debug", "beamline");

export function token(sub = "js", scopes = ["design", "analyze"], ttl = 600) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub, exp: now + ttl, iat: now, scopes })}`;
  return `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}

export async function startServer(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "beamline-js-"));
  const child = spawn(binary, ["serve", "--bind", "127.0.0.1:0"], {
    env: { ...process.env, BEAMLINE_JWT_SECRET: SECRET, BEAMLINE_DATA_DIR: dataDir, BEAMLINE_RATE_LIMIT_REQUESTS: "100000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume();
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/[0-9.:]+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    url,
    stop() {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
