// The README's example runs to its end against the real server, as a program of its own: it must
// exit by itself (no session or stream left open) and print what it says.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { startServer, token } from "./server.js";

const here = dirname(fileURLToPath(import.meta.url));
let server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

test("the README example runs and exits by itself", async () => {
  const readme = readFileSync(join(here, "..", "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1);
  const dir = mkdtempSync(join(tmpdir(), "beamline-readme-"));
  try {
    for (const [i, block] of blocks.entries()) {
      const program = `const token = ${JSON.stringify(token())};\n` +
        block
          .replace('"./beamline.js"', JSON.stringify(pathToFileURL(join(here, "..", "beamline.js")).href))
          .replaceAll("http://127.0.0.1:8000", server.url);
      const file = join(dir, `example-${i}.mjs`);
      writeFileSync(file, program);
      const { stdout } = await new Promise((resolve, reject) => {
        execFile(process.execPath, ["--experimental-websocket", file], { timeout: 20_000 }, (error, out, err) =>
          error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out }));
      });
      assert.match(stdout, /SUCCESS/);
      assert.match(stdout, /100%/);
      assert.match(stdout, /designed:/);
      assert.match(stdout, /true\n?$/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
