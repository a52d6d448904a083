import { readFileSync } from 'node:fs';
import { startEntraEmulator } from '../e2e/fixtures/entra-emulator/emulator';
import { defaultSeed } from '../e2e/fixtures/entra-emulator/seed';
import { forgetSignIns } from '../shared/node/entra/sign-in';
import { testTenant } from '../shared/node/entra/test-tenant';
import { medianMs, type Row } from './measure';

/**
 * testTenant against the emulator: cold (a fresh MSAL client: metadata + token requests) versus warm (the token
 * comes from MSAL's in-memory cache and only Graph is called). Baseline: the warm run.
 */
export async function entraBench(
  runs: number,
): Promise<{ rows: Row[]; calls: { cold: number; warm: number } }> {
  const emulator = await startEntraEmulator({ seed: defaultSeed });
  try {
    const tenant = emulator.tenants[0];
    const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
    let calls = 0;
    const input = {
      mode: 'password' as const,
      domain: tenant?.domain ?? '',
      userPrincipalName: admin?.upn ?? '',
      secret: admin?.password ?? '',
      cloud: 'global' as const,
      authorityHost: emulator.url,
      graphHost: emulator.url,
      caPem: readFileSync(emulator.caFile, 'utf8'),
      timeoutMs: 10_000,
      onCall: () => {
        calls += 1;
      },
    };
    const counted = async (cold: boolean) => {
      if (cold) forgetSignIns();
      calls = 0;
      await testTenant(input);
      return calls;
    };
    const coldCalls = await counted(true);
    const warmCalls = await counted(false);
    const cold = await medianMs(() => counted(true), runs);
    const warm = await medianMs(() => counted(false), runs);
    return {
      rows: [
        {
          case: `testTenant cold (${coldCalls} HTTP calls)`,
          medianMs: cold,
          baseline: `warm, cached token (${warmCalls} calls)`,
          baselineMs: warm,
        },
      ],
      calls: { cold: coldCalls, warm: warmCalls },
    };
  } finally {
    await emulator.stop();
  }
}
