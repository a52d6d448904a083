import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, stopAgents } from '../../../remote-agent/fixtures/agent-process';
import { AgentClient } from '../agent/agent-client';
import { targetOf } from './agent-target';
import { type ProbeOptions, probeAgent } from './probe-agent';

// Each state of the Agents view, from real agent processes (plain HTTP and HTTPS) and real sockets.

interface Started {
  port: number;
  apiKey: string;
  fingerprint?: string;
}

let plain: Started;
let https: Started;
let mute: Server;
let mutePort = 0;
const sockets: Socket[] = [];

async function started(tls: boolean): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-probe-agent-'));
  const agent = await startAgent(['--port', '0', '--data', dataDir, ...(tls ? ['--tls'] : [])]);
  return {
    port: Number(new URL(agent.ready.url).port),
    apiKey: readFileSync(join(dataDir, 'api-key'), 'utf8').trim(),
    ...(agent.ready.certificateFingerprint ? { fingerprint: agent.ready.certificateFingerprint } : {}),
  };
}

const options = (fields: Partial<ProbeOptions>): ProbeOptions => ({
  timeoutMs: 5000,
  apiKey: null,
  // Only the pin decides for the agent's self-made certificate, whatever this machine's store holds.
  trustSystemStore: false,
  pinnedFingerprint: null,
  ...fields,
});

const agentAt = (host: string, port: number, useTls: boolean) => ({
  ...targetOf({ host, port, useTls }),
  allowInsecure: false,
  sources: ['connection' as const],
});

beforeAll(async () => {
  [plain, https] = await Promise.all([started(false), started(true)]);
  await new AgentClient({ host: '127.0.0.1', port: plain.port, useTls: false, apiKey: plain.apiKey }).put(
    'contoso.test',
    {
      authMode: 'password',
      userPrincipalName: 'admin@contoso.test',
      secret: 'Probe-Secret-1!',
      cloud: 'global',
      revision: '2026-02-01T00:00:00.000Z',
    },
  );
  mute = createServer((socket) => {
    sockets.push(socket);
    socket.resume();
  });
  await new Promise<void>((done) => mute.listen(0, '127.0.0.1', done));
  const address = mute.address();
  mutePort = typeof address === 'object' && address ? address.port : 0;
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  if (mute) await new Promise((done) => mute.close(done));
  await stopAgents();
});

describe('probeAgent', () => {
  it('running: health and the copies with their revisions, with the stored key', async () => {
    const probe = await probeAgent(
      agentAt('127.0.0.1', plain.port, false),
      options({ apiKey: plain.apiKey }),
    );
    expect(probe).toMatchObject({ state: 'running', version: expect.any(String) });
    expect([...probe.copies]).toEqual([['contoso.test', '2026-02-01T00:00:00.000Z']]);
  });

  it('noKey answers health only; keyRejected when the agent refuses the key', async () => {
    const agent = agentAt('127.0.0.1', plain.port, false);
    expect(await probeAgent(agent, options({}))).toMatchObject({
      state: 'noKey',
      version: expect.any(String),
      copies: new Map(),
    });
    expect(await probeAgent(agent, options({ apiKey: 'not-the-key' }))).toMatchObject({
      state: 'keyRejected',
      version: expect.any(String),
      message: expect.any(String),
    });
  });

  it('HTTPS: untrusted without a pin, changed with another pin, running with its own', async () => {
    const agent = agentAt('127.0.0.1', https.port, true);
    const key = { apiKey: https.apiKey };
    expect(await probeAgent(agent, options(key))).toMatchObject({
      state: 'certificateUntrusted',
      version: null,
    });
    const otherPin = Array(32).fill('AB').join(':');
    expect(await probeAgent(agent, options({ ...key, pinnedFingerprint: otherPin }))).toMatchObject({
      state: 'certificateChanged',
    });
    expect(
      await probeAgent(agent, options({ ...key, pinnedFingerprint: https.fingerprint ?? null })),
    ).toMatchObject({ state: 'running', version: expect.any(String) });
  });

  it('plain HTTP beyond loopback is not contacted without Allow insecure connection', async () => {
    // TEST-NET-1: nothing there would answer; the refusal comes before any socket.
    const probe = await probeAgent(agentAt('192.0.2.1', 40002, false), options({ apiKey: 'key' }));
    expect(probe).toMatchObject({ state: 'insecure', version: null });
  });

  it('an agent that accepts TCP and never answers is unreachable once the probe’s timeout is over', async () => {
    const probe = await probeAgent(agentAt('127.0.0.1', mutePort, false), options({ timeoutMs: 300 }));
    expect(probe).toMatchObject({ state: 'unreachable', version: null });
    expect(probe.message).toMatch(/did not answer/);
  });
});
