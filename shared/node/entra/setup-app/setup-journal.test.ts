import { describe, expect, it, vi } from 'vitest';
import { SetupAppRequestSchema } from '../../../common/entra/setup-app';
import { setUpCertificateSignIn } from './set-up-certificate-sign-in';
import { journalApplies, type SetupJournal, type SetupJournalStore } from './setup-journal';

const request = (extra: Record<string, unknown> = {}) =>
  SetupAppRequestSchema.parse({ operationId: 'op-1', domain: 'contoso.com', ...extra });

const journal = (extra: Partial<SetupJournal> = {}): SetupJournal => ({
  version: 1,
  domain: 'contoso.com',
  cloud: 'global',
  displayName: 'Connection Utility – host',
  certificate: { pem: 'PEM', privateKeyPem: 'KEY' },
  application: { objectId: 'object-1', appId: 'app-1' },
  grantedPermissions: [],
  startedAt: '2025-01-01T00:00:00.000Z',
  ...extra,
});

describe('journalApplies', () => {
  it('treats the cloud’s own hosts, written out or with a trailing slash, as no hosts', () => {
    for (const hosts of [
      {},
      { authorityHost: 'https://login.microsoftonline.com/' },
      { authorityHost: 'https://LOGIN.microsoftonline.com', graphHost: 'https://graph.microsoft.com/' },
    ]) {
      expect(journalApplies(journal(), request(hosts))).toBe(true);
      expect(journalApplies(journal(hosts), request())).toBe(true);
    }
  });

  it('tells another cloud or another directory apart', () => {
    expect(journalApplies(journal(), request({ cloud: 'usgov' }))).toBe(false);
    const emulator = { authorityHost: 'https://127.0.0.1:8443', graphHost: 'https://127.0.0.1:8443' };
    expect(journalApplies(journal(), request(emulator))).toBe(false);
    expect(journalApplies(journal(emulator), request(emulator))).toBe(true);
  });
});

function memoryJournals(initial: SetupJournal | null) {
  let stored = initial;
  const store: SetupJournalStore = {
    read: async () => stored,
    save: vi.fn(async (next: SetupJournal) => {
      stored = next;
    }),
    clear: vi.fn(async () => {
      stored = null;
    }),
  };
  return { store, current: () => stored };
}

const noDependencies = (journals: SetupJournalStore) => ({
  journals,
  connections: { find: vi.fn(), save: vi.fn() },
  test: vi.fn(),
  openBrowser: vi.fn(),
  defaultRemoteAgent: vi.fn(),
  trustSystemStore: true,
  hostName: 'host',
});

describe('an unfinished setup for other endpoints', () => {
  const elsewhere = journal({ authorityHost: 'https://127.0.0.1:8443', graphHost: 'https://127.0.0.1:8443' });

  it('is refused before anyone signs in, naming its app and how to go on, and is kept', async () => {
    const journals = memoryJournals(elsewhere);
    const deps = noDependencies(journals.store);
    const refused = setUpCertificateSignIn(request(), deps);
    await expect(refused).rejects.toMatchObject({
      appError: {
        code: 'entra.setupPending',
        message: expect.stringContaining('app id app-1'),
        hint: expect.stringContaining('discardPending: true'),
        detail: { appId: 'app-1', authorityHost: 'https://127.0.0.1:8443' },
      },
    });
    expect(deps.openBrowser).not.toHaveBeenCalled();
    expect(journals.store.save).not.toHaveBeenCalled();
    expect(journals.current()).toBe(elsewhere);
  });

  it('is discarded on request, and the setup starts anew', async () => {
    const journals = memoryJournals(elsewhere);
    const deps = noDependencies(journals.store);
    // Past the journal, the first step signs in: stopping it there shows the check let the setup through.
    const controller = new AbortController();
    controller.abort();
    const outcome = setUpCertificateSignIn(request({ discardPending: true, timeoutMs: 1000 }), {
      ...deps,
      signal: controller.signal,
    });
    await expect(outcome).rejects.not.toMatchObject({ appError: { code: 'entra.setupPending' } });
    expect(journals.store.clear).toHaveBeenCalledWith('contoso.com');
    expect(journals.current()).toBeNull();
  });
});
