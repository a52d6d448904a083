import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificateFacts } from '../app-certificate';
import { recordedApplication } from './app-registration';
import type { GraphAnswer } from './graph-calls';

const answers: GraphAnswer[] = [];
vi.mock('./graph-calls', async (original) => ({
  ...(await original<typeof import('./graph-calls')>()),
  graphSend: vi.fn(async () => answers.shift()),
}));

const graph = { graphHost: 'https://graph.example', accessToken: 't', timeoutMs: 1000 };
const certificate = { keyIdentifier: 'c2hhMQ==' } as CertificateFacts;
const recorded = { objectId: 'object-1', appId: 'app-1' };
const answer = (status: number, body: Record<string, unknown> = {}): GraphAnswer => ({
  status,
  body,
  graphCode: null,
  graphMessage: null,
});

beforeEach(() => {
  answers.length = 0;
});

describe('recordedApplication', () => {
  it('waits out a 404 right after the creation (replication) instead of forgetting the application', async () => {
    answers.push(
      answer(404),
      answer(404),
      answer(200, {
        id: 'object-1',
        appId: 'app-1',
        keyCredentials: [{ keyId: 'key-1', customKeyIdentifier: 'c2hhMQ==' }],
      }),
    );
    await expect(recordedApplication(graph, recorded, certificate, [1, 1, 1])).resolves.toEqual({
      ...recorded,
      keyId: 'key-1',
    });
    expect(answers).toHaveLength(0);
  });

  it('forgets it only when Graph keeps answering 404', async () => {
    answers.push(answer(404), answer(404), answer(404));
    await expect(recordedApplication(graph, recorded, certificate, [1, 1])).resolves.toBeNull();
    expect(answers).toHaveLength(0);
  });

  it('does not take another application under that object id for it', async () => {
    answers.push(answer(200, { id: 'object-1', appId: 'app-2' }));
    await expect(recordedApplication(graph, recorded, certificate, [1])).resolves.toBeNull();
  });
});
