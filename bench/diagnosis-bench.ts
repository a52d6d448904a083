import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentConnectionPut } from '../shared/common/agent/agent-api';
import type { Diagnosis } from '../shared/common/diagnostics/diagnosis';
import { AppFailure } from '../shared/common/errors/app-error';
import { AppErrorCode } from '../shared/common/errors/error-codes';
import { AgentClient } from '../shared/node/agent/agent-client';
import { fetchTenantMetadata } from '../shared/node/diagnostics/online/authority-metadata';
import { resolveHost } from '../shared/node/diagnostics/online/dns-stage';
import { freshSignIn } from '../shared/node/diagnostics/online/fresh-sign-in';
import { endpointOf, openConnection } from '../shared/node/diagnostics/online/tcp-probe';
import { tlsHandshake } from '../shared/node/diagnostics/online/tls-probe';
import { diagnoseOnline, type OnlineConnectionFields } from '../shared/node/diagnostics/online-stages';
import { endpointsFor } from '../shared/node/entra/cloud-endpoints';
import {
  readDirectoryRoles,
  readDomain,
  readLicences,
  readOrganization,
  tenantGraphOptions,
} from '../shared/node/entra/tenant-graph-reads';
import { emulatorConnection, startChild } from './agent-bench';
import { median, type Row } from './measure';

// Issue 16: a full diagnosis of one Microsoft Online connection on both sides at once (this process's
// diagnoseOnline and the agent's POST /api/diagnostics) against the sum of its stages' own round trips, each made
// bare, one after another. Parallel stages (the Graph calls) and the two sides running at once keep it under.

const timeoutMs = 10_000;
const target = 1.5;

export interface DiagnosisBenchResult {
  rows: Row[];
  /** The bare round trips the baseline adds up, by stage, median ms. */
  stages: Record<string, number>;
  ratio: number;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Each stage's own network work, made bare and one after another; the median of each, by stage. */
async function bareRoundTrips(connection: OnlineConnectionFields, secret: string, runs: number) {
  const endpoints = endpointsFor(connection.cloud, {
    authorityHost: connection.authorityHost,
    graphHost: connection.graphHost,
  });
  const authority = new URL(endpoints.authorityHost);
  const trust = { caPem: connection.caPem };
  const samples: Record<string, number[]> = {};
  const sample = async (stage: string, work: () => Promise<unknown>) => {
    const ms = await timed(work);
    samples[stage] = [...(samples[stage] ?? []), ms];
  };
  for (let run = 0; run < runs + 2; run += 1) {
    await sample('online.dns', () => resolveHost(authority.hostname, { viaProxy: false, timeoutMs }));
    // TCP alone, then a TLS handshake alone on a socket already open (the stages split them so).
    await sample('online.tcp', async () =>
      (await openConnection(endpointOf(authority), { timeoutMs, proxy: null })).destroy(),
    );
    const socket = await openConnection(endpointOf(authority), { timeoutMs, proxy: null });
    await sample('online.tls', () => tlsHandshake(socket, endpointOf(authority), trust, { timeoutMs }));
    await sample('online.metadata', () =>
      fetchTenantMetadata({
        authorityHost: endpoints.authorityHost,
        tenantDomain: connection.tenantDomain,
        timeoutMs,
        ...trust,
      }),
    );
    let token = '';
    await sample('online.signIn', async () => {
      token = (
        await freshSignIn({
          mode: 'password',
          domain: connection.tenantDomain,
          userPrincipalName: connection.userPrincipalName,
          secret,
          endpoints,
          ...trust,
          timeoutMs,
        })
      ).accessToken;
    });
    const graph = tenantGraphOptions({ timeoutMs, ...trust, maxTries: 1 }, endpoints, token);
    await sample('graph.organization', () => readOrganization(graph));
    await sample('graph.domain', () => readDomain(connection.tenantDomain, graph));
    await sample('graph.directoryRoles', () => readDirectoryRoles(graph));
    await sample('graph.subscribedSkus', () => readLicences(graph));
  }
  // The first two runs warm the process (module loading, TLS contexts) and are not counted.
  return Object.fromEntries(Object.entries(samples).map(([stage, times]) => [stage, median(times.slice(2))]));
}

export async function diagnosisBench(runs: number): Promise<DiagnosisBenchResult> {
  const emulator = await startChild('tools/entra-emulator.ts', []);
  const dataDir = mkdtempSync(join(tmpdir(), 'cu-bench-diagnose-'));
  const agent = await startChild('remote-agent/main.ts', ['--port', '0', '--data', dataDir]);
  try {
    const { domain, body } = emulatorConnection(emulator.line);
    const put = JSON.parse(body) as AgentConnectionPut & { userPrincipalName: string };
    const connection: OnlineConnectionFields = {
      tenantDomain: domain,
      authMode: 'password',
      userPrincipalName: put.userPrincipalName,
      cloud: 'global',
      authorityHost: emulator.line.url,
      graphHost: emulator.line.url,
      caPem: readFileSync(String(emulator.line.caFile), 'utf8'),
    };
    const client = new AgentClient({
      host: '127.0.0.1',
      port: Number(new URL(agent.line.url ?? '').port),
      useTls: false,
      apiKey: readFileSync(join(dataDir, 'api-key'), 'utf8').trim(),
      timeoutMs: 30_000,
    });
    await client.put(domain, { ...put, cloud: 'global' });

    const local = () => diagnoseOnline({ connection, secret: put.secret, timeoutMs }, { side: 'local' });
    const remote = () =>
      client.diagnose(domain).catch((error: unknown) => {
        if (error instanceof AppFailure && error.appError.code === AppErrorCode.agentNotFound)
          throw new Error(
            'The agent has no POST /api/diagnostics: register it in remote-agent/server.ts (registerDiagnosticsRoute).',
          );
        throw error;
      });
    const healthy = (diagnosis: Diagnosis) => {
      if (diagnosis.status !== 'ok')
        throw new Error(
          `The ${diagnosis.side} diagnosis did not pass (${diagnosis.stages.map((s) => `${s.id}: ${s.status}`).join(', ')}): a bench of failures measures nothing.`,
        );
    };
    const first = await Promise.all([local(), remote()]);
    first.forEach(healthy);

    const stages = await bareRoundTrips(connection, put.secret, runs);
    const baseline = Object.values(stages).reduce((sum, ms) => sum + ms, 0);
    const measure = async (work: () => Promise<Diagnosis[]>) => {
      const times: number[] = [];
      for (let run = 0; run < runs + 2; run += 1) {
        const started = performance.now();
        (await work()).forEach(healthy);
        times.push(performance.now() - started);
      }
      return median(times.slice(2));
    };
    const both = await measure(() => Promise.all([local(), remote()]));
    const localOnly = await measure(async () => [await local()]);
    const remoteOnly = await measure(async () => [await remote()]);
    const count = Object.keys(stages).length;
    // Both sides' stages make the same round trips to the same emulator from this one machine: the full
    // diagnosis has twice the stages, each side's measured bare here.
    const oneSide = `one side’s ${count} stages’ own round trips, bare, one after another`;
    return {
      rows: [
        {
          case: 'full diagnosis, both sides at once (diagnoseOnline + POST /api/diagnostics)',
          medianMs: both,
          baseline: `both sides’ ${2 * count} stages’ own round trips, bare, one after another`,
          baselineMs: 2 * baseline,
          target: `≤ ${target}×`,
        },
        {
          case: 'full diagnosis, both sides at once',
          medianMs: both,
          baseline: oneSide,
          baselineMs: baseline,
          target: 'shows how much the sides overlap',
        },
        {
          case: 'this computer only (diagnoseOnline)',
          medianMs: localOnly,
          baseline: oneSide,
          baselineMs: baseline,
        },
        {
          case: 'agent host only (POST /api/diagnostics, HTTP included)',
          medianMs: remoteOnly,
          baseline: oneSide,
          baselineMs: baseline,
        },
      ],
      stages,
      ratio: both / (2 * baseline),
    };
  } finally {
    agent.child.kill('SIGTERM');
    emulator.child.kill('SIGTERM');
  }
}

/** The table, the bare round trips it adds up, and the issue's target, met or not. */
export function printDiagnosis(
  result: DiagnosisBenchResult,
  print: (title: string, rows: Row[]) => void,
): void {
  print(
    'Diagnosis of one Microsoft Online connection against the emulator, both sides (issue 16)',
    result.rows,
  );
  const parts = Object.entries(result.stages).map(([stage, ms]) => `${stage} ${ms.toFixed(1)}`);
  console.log(`\nBare round trips (median ms): ${parts.join(', ')}.`);
  console.log(
    `Target: a full diagnosis on both sides ≤ ${target}× the sum of its stages’ own round trips: ${result.ratio.toFixed(2)}× ${result.ratio <= target ? 'met' : 'NOT met'}. ` +
      'Both sides share this machine’s cores with the emulator: where they are busy, the sides’ work queues instead of overlapping.',
  );
}
