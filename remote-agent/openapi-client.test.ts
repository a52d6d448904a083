import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { OpenAPIV3 } from 'openapi-types';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownEmulator, userOf } from '../e2e/fixtures/entra-emulator/emulator-test-client';
import { killAgents, type RunningAgent, startAgent, stopAgents } from './fixtures/agent-process';
import type * as Usage from './fixtures/openapi-client-usage';

// What a stranger's tooling makes of the agent: openapi-typescript generates types from the document a real
// agent serves, tsc compiles a client written against them (fixtures/openapi-client-usage.ts), and that client,
// through openapi-fetch, puts a connection, reads it, tests it against the Entra emulator and deletes it.

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const usageFile = join(import.meta.dirname, 'fixtures', 'openapi-client-usage.ts');

let stack: Awaited<ReturnType<typeof ownEmulator>>;
let agent: RunningAgent;
let document: OpenAPIV3.Document;
/** The generated types and the client beside them, with the repository's node_modules linked in. */
const folder = mkdtempSync(join(tmpdir(), 'cu-openapi-client-'));

beforeAll(async () => {
  stack = await ownEmulator();
  agent = await startAgent(['--port', '0', '--data', mkdtempSync(join(tmpdir(), 'cu-openapi-agent-'))]);
  document = (await (await fetch(`${agent.ready.url}/swagger/json`)).json()) as OpenAPIV3.Document;
  writeFileSync(join(folder, 'agent-api.ts'), astToString(await openapiTS(document as never)));
  writeFileSync(
    join(folder, 'usage.ts'),
    readFileSync(usageFile, 'utf8').replace(/^\/\/ @ts-nocheck.*\n.*\n/, ''),
  );
  symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023', 'DOM'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: true,
        // Only the libraries' declarations are skipped: the generated file is .ts, so it is checked too.
        skipLibCheck: true,
        types: [],
        noEmit: true,
      },
      files: ['agent-api.ts', 'usage.ts'],
    }),
  );
}, 60_000);

afterAll(async () => {
  await stopAgents();
  killAgents();
  await stack?.emulator.stop();
  // The link first, so that removing the folder cannot reach the repository's node_modules.
  rmSync(join(folder, 'node_modules'), { force: true });
  rmSync(folder, { recursive: true, force: true });
});

const apiKey = () => readFileSync(join(agent.ready.dataDir, 'api-key'), 'utf8').trim();

describe('a client generated from the served OpenAPI document', { timeout: 60_000 }, () => {
  it('compiles strictly, and its types refuse what the agent refuses', async () => {
    const compiled = await run(process.execPath, [tsc, '-p', join(folder, 'tsconfig.json')]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(compiled).toBe('');
  });

  it('puts, reads, tests (against the Entra emulator) and deletes a connection, and gets a typed 404 problem', async () => {
    const usage = (await import(
      /* @vite-ignore */ pathToFileURL(join(folder, 'usage.ts')).href
    )) as typeof Usage;
    const admin = userOf(stack.tenant, 'globalAdmin');
    const domain = stack.tenant.domain;
    const exchanges: Usage.Exchange[] = [];
    const outcome = await usage.roundTrip(usage.agentClient(agent.ready.url, apiKey(), exchanges), domain, {
      authMode: 'password',
      userPrincipalName: admin.upn,
      secret: admin.password,
      authorityHost: stack.emulator.url,
      graphHost: stack.emulator.url,
      caPem: stack.caPem,
    });
    expect(outcome).toEqual({
      health: { status: 200, version: document.info.version },
      put: { status: 200, hasSecret: true, domain },
      got: { status: 200, userPrincipalName: admin.upn },
      tested: { status: 200, tenantId: stack.tenant.tenantId, globalAdministrator: true },
      deleted: { status: 204 },
      missing: {
        status: 404,
        code: 'agent.unknownDomain',
        message: `The agent has no connection for ${domain}.`,
      },
    });
    // Every answer was one the document announces for that call, with its media type and body schema.
    expect(exchanges).toHaveLength(6);
    for (const exchange of exchanges) expect(undocumented(exchange), JSON.stringify(exchange)).toBe('');
  });
});

/** Why an answer is not one the document announces for its operation; empty when it is. */
function undocumented({ method, schemaPath, status, contentType }: Usage.Exchange): string {
  const operation = document.paths[schemaPath]?.[method.toLowerCase() as OpenAPIV3.HttpMethods];
  if (!operation) return `no operation ${method} ${schemaPath}`;
  const response = operation.responses[String(status)] as OpenAPIV3.ResponseObject | undefined;
  if (!response) return `status ${status} not documented`;
  const mediaType = contentType.split(';')[0] ?? '';
  if (!response.content) return mediaType ? `a body (${mediaType}) where none is documented` : '';
  return mediaType in response.content ? '' : `media type ${mediaType} not documented`;
}
