// A TypeScript client generated from the server's /openapi.json with openapi-typescript, and a
// program using it type-checked with tsc: every operation is there, with the types of what it answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

import { startServer } from "../../clients/js/test/server.js";

const here = dirname(fileURLToPath(import.meta.url));
let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

test("openapi-typescript generates every operation, and a program using the types compiles", async () => {
  const doc = await (await fetch(`${server.url}/openapi.json`)).json();
  const types = astToString(await openapiTS(doc));
  for (const path of Object.keys(doc.paths)) {
    assert.ok(types.includes(`"${path}": {`), `${path} is generated`);
  }
  const dir = mkdtempSync(join(tmpdir(), "beamline-ts-"));
  writeFileSync(join(dir, "api.d.ts"), types);
  // Reads the answers' fields through the generated types: a field the schema lacks fails to compile.
  writeFileSync(
    join(dir, "use.ts"),
    `import type { paths, components } from "./api";
type Design = paths["/api/v1/design/beam"]["post"]["responses"]["200"]["content"]["application/json"];
type Member = components["schemas"]["MemberResult"];
type Imported = paths["/api/v1/import/{source}"]["post"]["responses"]["200"]["content"]["application/json"];
export function summary(d: Design, m: Member, i: Imported): string {
  const bars: string = d.result.bars_provided;
  const status: string = d.result.status;
  const spans: number = m.spans.length;
  const marks: string[] = m.bars.map((b) => b.mark);
  const groups: number = i.groups?.length ?? 0;
  return [status, bars, spans, marks.join(","), groups].join(" ");
}
`,
  );
  const tsc = join(here, "node_modules", ".bin", "tsc");
  execFileSync(tsc, ["--noEmit", "--strict", "--target", "es2020", "--moduleResolution", "node", join(dir, "use.ts")], {
    stdio: "pipe",
  });
});
