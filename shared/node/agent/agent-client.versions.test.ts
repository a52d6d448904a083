import { afterEach, describe, expect, it } from 'vitest';
import { failureOf } from '../fixtures/failure-of';
import { AgentClient } from './agent-client';
import { type HostileAgent, startHostileAgent } from './fixtures/hostile-agent';

// A Remote Agent of another version may put facts in an error's detail under a key this version refuses (older
// agents named the TLS verify error `authorizationError`, which reads as a secret's name now). The answer must
// still be read, without that key; a problem keeps its code, message and hint even when its detail is unreadable.

let agent: HostileAgent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

const olderDiagnosis = {
  kind: 'microsoftOnline',
  side: 'agentHost',
  domain: 'contoso.test',
  startedAt: '2026-11-27T07:00:00.000Z',
  durationMs: 12,
  status: 'fail',
  stages: [
    {
      id: 'online.tls',
      name: 'TLS to login.contoso.test',
      status: 'fail',
      startMs: 0,
      durationMs: 12,
      error: {
        code: 'entra.tlsUntrusted',
        message:
          'The certificate of login.contoso.test is issued by Corp Proxy CA, which this host does not trust.',
        hint: 'Add its CA, or bypass the proxy for this host (NO_PROXY).',
        detail: {
          host: 'login.contoso.test',
          issuer: 'Corp Proxy CA',
          authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN',
        },
      },
    },
  ],
};

const clientOf = (port: number) => new AgentClient({ host: '127.0.0.1', port, useTls: false, apiKey: 'k' });

describe('answers of a Remote Agent of another version', () => {
  it('reads an older agent’s diagnosis, leaving out the detail key this version refuses', async () => {
    agent = await startHostileAgent({ '/api/diagnostics': { kind: 'json', body: olderDiagnosis } });
    const diagnosis = await clientOf(agent.port).diagnose('contoso.test');
    expect(diagnosis.stages[0]?.error).toEqual({
      ...olderDiagnosis.stages[0]?.error,
      detail: { host: 'login.contoso.test', issuer: 'Corp Proxy CA' },
    });
  });

  it('keeps a problem’s code, message and hint when its detail names a secret or cannot be read', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'agent.connectionNotFound',
      message: 'This agent holds no connection for contoso.test.',
      hint: 'Choose Update Remote Agent.',
    };
    for (const detail of [{ password: 'Sup3r-Secret!', domain: 'contoso.test' }, { domain: { nested: 1 } }]) {
      agent = await startHostileAgent({
        '/api/diagnostics': { kind: 'json', status: 404, body: { ...problem, detail } },
      });
      const error = await failureOf(clientOf(agent.port).diagnose('contoso.test'));
      expect(error).toMatchObject({ code: problem.code, message: problem.message, hint: problem.hint });
      expect(JSON.stringify(error)).not.toContain('Sup3r-Secret!');
      await agent.stop();
      agent = undefined;
    }
  });

  it('asks to update the agent when a success answer is of a shape this version does not read', async () => {
    agent = await startHostileAgent({
      '/api/diagnostics': { kind: 'json', body: { ...olderDiagnosis, kind: 'later' } },
    });
    expect(await failureOf(clientOf(agent.port).diagnose('contoso.test'))).toMatchObject({
      code: 'agent.unreachable',
      hint: expect.stringContaining('update it to the version of this app'),
    });
  });
});
