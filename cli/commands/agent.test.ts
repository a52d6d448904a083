import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentStatusSchema } from '../../shared/common/agent/agent-requests';
import { SettingsSchema } from '../../shared/common/settings';
import { testHost } from '../../shared/node/ipc/fixtures/test-host';
import { writeSettings } from '../../shared/node/settings/settings-file';
import { runCliInProcess } from '../run-cli-in-process';

// `agent status` finds the Remote Agent the data folder's Settings name, as the app's Welcome page does.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Answers /api/health like a Remote Agent, and counts the calls. */
async function standInAgent(): Promise<{ port: number; calls: () => number }> {
  let calls = 0;
  const server: Server = createServer((request, response) => {
    calls += 1;
    response.setHeader('content-type', 'application/json');
    response.end(
      request.url === '/api/health'
        ? JSON.stringify({ status: 'ok', version: '9.8.7', connections: 3 })
        : '{}',
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  closers.push(() => new Promise((closed) => server.close(() => closed())));
  return { port: (server.address() as AddressInfo).port, calls: () => calls };
}

async function cliOver(settings: unknown) {
  const host = testHost({ host: 'cli' });
  closers.push(host.close);
  await writeSettings(host.userDataDir, SettingsSchema.parse(settings));
  return (...argv: string[]) => runCliInProcess(host.router, argv);
}

describe('agent status and Settings', () => {
  it('asks the Remote Agent that Settings name, without --host or --port', async () => {
    const agent = await standInAgent();
    const cli = await cliOver({ remoteAgent: { host: '127.0.0.1', port: agent.port } });
    const run = await cli('agent', 'status', '--json');
    expect(run.code, run.stdout).toBe(0);
    expect(AgentStatusSchema.parse(JSON.parse(run.stdout))).toMatchObject({
      url: `http://127.0.0.1:${agent.port}`,
      health: { version: '9.8.7', connections: 3 },
      authorized: null,
    });
    expect(agent.calls()).toBe(1);
  });

  it('--port wins over Settings', async () => {
    const settingsAgent = await standInAgent();
    const namedAgent = await standInAgent();
    const cli = await cliOver({ remoteAgent: { host: '127.0.0.1', port: settingsAgent.port } });
    const run = await cli('agent', 'status', '--port', String(namedAgent.port));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `the Remote Agent at http://127.0.0.1:${namedAgent.port} answers (version 9.8.7`,
    );
    expect(settingsAgent.calls()).toBe(0);
  });
});
