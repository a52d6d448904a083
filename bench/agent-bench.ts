import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import type { Row } from './measure';

const root = resolve(import.meta.dirname, '..');

/** Starts a TypeScript entry as its own process and returns it with the JSON line it prints once listening. */
export function startChild(
  entry: string,
  args: string[],
): Promise<{ child: ChildProcess; line: Record<string, string> }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout?.once('data', (data: Buffer) =>
      done({ child, line: JSON.parse(data.toString().split('\n')[0] ?? '{}') }),
    );
    child.once('exit', (code) => fail(new Error(`${entry} exited with ${code}`)));
  });
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

export function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((done, fail) => {
    autocannon(options, (error, result) => (error ? fail(error) : done(result)));
  });
}

/** The emulator's first tenant as an agent connection (its global admin, by password): domain and PUT body. */
export function emulatorConnection(emulator: Record<string, string>): { domain: string; body: string } {
  const tenants = emulator.tenants as unknown as {
    domain: string;
    users: { upn: string; password: string; scenario: string }[];
  }[];
  const tenant = tenants[0];
  const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
  if (!tenant || !admin)
    throw new Error(
      'The Entra emulator lists no tenant with a global admin: check tools/entra-emulator.ts seeding.',
    );
  const body = JSON.stringify({
    authMode: 'password',
    userPrincipalName: admin.upn,
    secret: admin.password,
    authorityHost: emulator.url,
    graphHost: emulator.url,
    caPem: readFileSync(String(emulator.caFile), 'utf8'),
  });
  return { domain: tenant.domain, body };
}

export interface AgentBenchResult {
  rows: Row[];
  soak: {
    seconds: number;
    connections: number;
    requests: number;
    errors: number;
    non2xx: number;
    rssBeforeKb: number;
    rssAfterKb: number;
  };
}

/**
 * All on loopback, bounded in time: /api/health against a bare Fastify baseline; TestConnection with a warm
 * token against the emulator; then a soak at 100 connections, watching errors and the agent's memory.
 */
export async function agentBench(seconds: number, soakSeconds: number): Promise<AgentBenchResult> {
  const emulator = await startChild('tools/entra-emulator.ts', []);
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-bench-agent-'));
  const agent = await startChild('remote-agent/main.ts', ['--port', '0', '--data', dataDir]);
  const hello = await startChild('bench/hello-fastify.ts', []);
  try {
    const apiKey = readFileSync(join(dataDir, 'api-key'), 'utf8').trim();
    const connection = emulatorConnection(emulator.line);
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const put = await fetch(`${agent.line.url}/api/connections/${connection.domain}`, {
      method: 'PUT',
      headers,
      body: connection.body,
    });
    if (put.status !== 200) throw new Error(`PUT failed: ${put.status}`);
    const testBody = JSON.stringify(connection.domain);
    const warm = await fetch(`${agent.line.url}/api/Connections/TestConnection`, {
      method: 'POST',
      headers,
      body: testBody,
    });
    if (warm.status !== 200) throw new Error(`TestConnection failed: ${warm.status}`);

    const health = await load({ url: `${agent.line.url}/api/health`, connections: 50, duration: seconds });
    const baseline = await load({ url: `${hello.line.url}/api/health`, connections: 50, duration: seconds });
    const tests = await load({
      url: `${agent.line.url}/api/Connections/TestConnection`,
      method: 'POST',
      headers,
      body: testBody,
      connections: 50,
      duration: seconds,
    });

    const rssBeforeKb = rssKb(agent.child.pid ?? 0);
    const soak = await load({
      url: `${agent.line.url}/api/Connections/TestConnection`,
      method: 'POST',
      headers,
      body: testBody,
      connections: 100,
      duration: soakSeconds,
    });
    const rssAfterKb = rssKb(agent.child.pid ?? 0);

    return {
      rows: [
        {
          case: '/api/health, requests/s (higher is better)',
          medianMs: health.requests.average,
          baseline: 'bare Fastify hello-world, requests/s',
          baselineMs: baseline.requests.average,
          target: 'ratio ≥ 0.7',
        },
        {
          case: `TestConnection, warm token: p99 latency ms (${Math.round(tests.requests.average)} requests/s)`,
          medianMs: tests.latency.p99,
          baseline: 'p50 latency ms',
          baselineMs: tests.latency.p50,
          target: '≥ 1,000 req/s, p99 ≤ 50 ms',
        },
      ],
      soak: {
        seconds: soakSeconds,
        connections: 100,
        requests: soak.requests.total,
        errors: soak.errors + soak.timeouts,
        non2xx: soak.non2xx,
        rssBeforeKb,
        rssAfterKb,
      },
    };
  } finally {
    for (const process_ of [agent, hello, emulator]) process_.child.kill('SIGTERM');
  }
}
