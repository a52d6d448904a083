import { describe, expect, it } from 'vitest';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { firstDifference } from './first-difference';

const stage = (id: string, name: string, status: Stage['status'], extra: Partial<Stage> = {}): Stage => ({
  id,
  name,
  status,
  startMs: 0,
  durationMs: 1,
  ...extra,
});

const diagnosis = (side: Diagnosis['side'], stages: Stage[]): Diagnosis => ({
  kind: 'microsoftOnline',
  side,
  domain: 'contoso.test',
  startedAt: '2030-01-01T00:00:00.000Z',
  durationMs: 10,
  status: 'ok',
  stages,
});

const proxyTls = stage('online.tls', 'TLS to login.microsoftonline.com', 'fail', {
  error: {
    code: 'entra.tlsUntrusted',
    message: "The certificate is issued by 'Corp Proxy CA', a TLS-inspecting proxy.",
    hint: 'Add its CA to the agent or bypass the proxy for login.microsoftonline.com.',
  },
});

describe('firstDifference', () => {
  it('names the first stage that works here and fails on the agent host, with its error and hint', () => {
    const here = diagnosis('local', [
      stage('online.dns', 'DNS', 'ok'),
      stage('online.tls', 'TLS to login.microsoftonline.com', 'ok'),
      stage('online.signIn', 'Sign-in', 'ok'),
    ]);
    const there = diagnosis('agentHost', [
      stage('online.dns', 'DNS', 'ok'),
      proxyTls,
      stage('online.signIn', 'Sign-in', 'skipped', { detail: 'needs TLS' }),
    ]);
    expect(firstDifference(here, there)).toEqual({
      stageId: 'online.tls',
      sentence:
        "Works here, fails on the agent host at TLS to login.microsoftonline.com: the certificate is issued by 'Corp Proxy CA', a TLS-inspecting proxy — add its CA to the agent or bypass the proxy for login.microsoftonline.com",
    });
  });

  it('explains with this computer’s error when it is this side that fails, and a warning counts as a difference', () => {
    const here = diagnosis('local', [
      stage('online.clock', 'Clock', 'warn', {
        error: {
          code: 'entra.clockSkew',
          message: 'This clock is 3 minutes behind.',
          hint: 'Sync the clock.',
        },
      }),
    ]);
    const there = diagnosis('agentHost', [stage('online.clock', 'Clock', 'ok')]);
    expect(firstDifference(here, there)?.sentence).toBe(
      'Needs attention here, works on the agent host at Clock: this clock is 3 minutes behind — sync the clock',
    );
  });

  it('is null when both sides agree, and names a stage only one side ran', () => {
    const same = [stage('online.dns', 'DNS', 'ok'), stage('graph.organization', 'Organization', 'fail')];
    expect(firstDifference(diagnosis('local', same), diagnosis('agentHost', same))).toBeNull();
    const extra = diagnosis('agentHost', [
      ...same,
      stage('online.proxy', 'Proxy', 'ok', { detail: 'via proxy:3128' }),
    ]);
    expect(firstDifference(diagnosis('local', same), extra)).toEqual({
      stageId: 'online.proxy',
      sentence: 'Proxy runs on the agent host but not here: via proxy:3128',
    });
  });
});
