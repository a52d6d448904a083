import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../../../cli/run-cli-in-process';
import { openBrowserAs } from '../../../../e2e/fixtures/entra-emulator/browser-stand-in';
import { emulatorHosts } from '../../../../e2e/fixtures/entra-emulator/cli-sign-in';
import { ownEmulator, userOf } from '../../../../e2e/fixtures/entra-emulator/emulator-test-client';
import type { EventPayloadOf } from '../../../common/ipc/event-map';
import type { BrowserOpener } from '../../entra/browser-sign-in';
import { forgetSignIns } from '../../entra/sign-in';
import { nodeHostDependencies } from '../node-host-dependencies';
import { createRouter } from '../router';
import { createHandlers } from './create-handlers';

// Browser sign-in (authorization code + PKCE) through the real router, real msal-node and the emulator's pages,
// driven the way a person would in the browser main opened.

let stack: Awaited<ReturnType<typeof ownEmulator>>;
/** What the "system browser" does with the page main opens; set per test. */
let browser: BrowserOpener = async () => {};
const deps = nodeHostDependencies({
  host: 'devHost',
  userDataDir: mkdtempSync(join(tmpdir(), 'cu-ipc-browser-')),
  openBrowser: (url) => browser(url),
});
const router = createRouter(createHandlers(deps), { operations: deps.operations });

beforeAll(async () => {
  stack = await ownEmulator();
});
afterAll(async () => {
  await deps.connectionStores.close();
  await stack.emulator.stop();
});

function browserTest(upn: string, operationId: string) {
  return {
    operationId,
    domain: stack.tenant.domain,
    authMode: 'browser' as const,
    userPrincipalName: upn,
    authorityHost: stack.emulator.url,
    graphHost: stack.emulator.url,
    caPem: stack.caPem,
    timeoutMs: 30_000,
  };
}

function recorder() {
  const events: EventPayloadOf<'progress'>[] = [];
  return {
    events,
    context: {
      emit: (_event: string, payload: unknown) => events.push(payload as EventPayloadOf<'progress'>),
    },
  };
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('browser sign-in over IPC', () => {
  it('signs a Global Administrator in through the pages main opened, and says which page it opened', async () => {
    forgetSignIns();
    const admin = userOf(stack.tenant, 'globalAdmin');
    const opened: string[] = [];
    browser = async (url) => {
      opened.push(url);
      await openBrowserAs({ caPem: stack.caPem, upn: admin.upn, password: admin.password })(url);
    };
    const { events, context } = recorder();
    const result = await router.dispatch('entra:test', browserTest(admin.upn, 'browser-1'), context);
    expect(result).toMatchObject({
      ok: true,
      value: { principal: { kind: 'user', name: admin.upn }, globalAdministrator: true },
    });
    expect(opened).toHaveLength(1);
    const page = new URL(opened[0] ?? '');
    expect(page.origin).toBe(new URL(stack.emulator.url).origin);
    expect(page.pathname).toBe(`/${stack.tenant.domain}/oauth2/v2.0/authorize`);
    expect(page.searchParams.get('code_challenge_method')).toBe('S256');
    expect(page.searchParams.get('login_hint')).toBe(admin.upn);
    expect(events).toContainEqual(
      expect.objectContaining({ operationId: 'browser-1', browser: { url: opened[0] } }),
    );
  });

  it('passes the MFA step of a user who must use it', async () => {
    forgetSignIns();
    const mfa = userOf(stack.tenant, 'mfaRequired');
    browser = openBrowserAs({ caPem: stack.caPem, upn: mfa.upn, password: mfa.password });
    const result = await router.dispatch('entra:test', browserTest(mfa.upn, 'browser-2'), recorder().context);
    expect(result).toMatchObject({ ok: true, value: { principal: { kind: 'user', name: mfa.upn } } });
    expect(stack.events.some((event) => JSON.stringify(event).includes(mfa.upn))).toBe(true);
  });

  it('Cancel ends the wait and closes the loopback listener', async () => {
    forgetSignIns();
    const admin = userOf(stack.tenant, 'globalAdmin');
    let redirect = '';
    // A person who never finishes: the page is open, nothing comes back.
    browser = async (url) => {
      redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
    };
    const { context } = recorder();
    const running = router.dispatch('entra:test', browserTest(admin.upn, 'browser-3'), context);
    await expect.poll(() => redirect, { timeout: 10_000 }).not.toBe('');
    const port = Number(new URL(redirect).port);
    expect(await refused(port)).toBe(false);
    expect(await router.dispatch('operation:cancel', { cancels: 'browser-3' }, context)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await running).toMatchObject({ ok: false, error: { code: 'operation.cancelled' } });
    await expect.poll(() => refused(port), { timeout: 5_000 }).toBe(true);
  });

  it('a device code blocked by Conditional Access suggests Browser sign-in', async () => {
    forgetSignIns();
    const admin = userOf(stack.tenant, 'globalAdmin');
    await stack.client.call('POST', '/_emulator/conditional-access', {
      json: { blockDeviceCodeFlow: true },
    });
    try {
      const { context } = recorder();
      const request = { ...browserTest(admin.upn, 'device-1'), authMode: 'deviceCode' as const };
      const running = router.dispatch('entra:startDeviceCode', request, {
        emit: (event: string, payload: unknown) => {
          const code = (payload as EventPayloadOf<'progress'>).deviceCode?.userCode;
          if (code)
            void stack.client.call('POST', `/_emulator/devicecode/${code}/approve`, {
              json: { upn: admin.upn },
            });
          context.emit(event, payload);
        },
      });
      expect(await running).toMatchObject({
        ok: false,
        error: {
          code: 'entra.blockedByConditionalAccess',
          hint: expect.stringContaining('Browser sign-in'),
          detail: { aadsts: 53003 },
        },
      });
    } finally {
      await stack.client.call('POST', '/_emulator/conditional-access', {
        json: { blockDeviceCodeFlow: false },
      });
    }
  });
});

describe('where a browser sign-in’s token may go', () => {
  it('a Graph host other than Microsoft’s with Microsoft’s sign-in is refused before any page opens', async () => {
    let opened = 0;
    browser = async () => {
      opened += 1;
    };
    const admin = userOf(stack.tenant, 'globalAdmin');
    const { authorityHost: _authority, ...towardsMicrosoft } = browserTest(admin.upn, 'browser-4');
    const result = await router.dispatch(
      'entra:test',
      { ...towardsMicrosoft, graphHost: stack.emulator.url },
      recorder().context,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(opened).toBe(0);
  });
});

describe('browser sign-in on the command line', () => {
  it('--no-browser prints the sign-in address and opens nothing; the sign-in completes when a person uses it', async () => {
    forgetSignIns();
    const admin = userOf(stack.tenant, 'globalAdmin');
    let openedBySystem = 0;
    browser = async () => {
      openedBySystem += 1;
    };
    const cliDeps = { ...deps, openBrowser: browser };
    const cliRouter = createRouter(createHandlers({ ...cliDeps, caller: 'terminal' }), {
      operations: deps.operations,
    });
    const printed: string[] = [];
    // The person: reads the address from stderr and signs in with it.
    const run = runCliInProcess(
      cliRouter,
      [
        'entra',
        'test',
        '--domain',
        stack.tenant.domain,
        '--no-browser',
        '--user',
        admin.upn,
        ...emulatorHosts(stack.emulator, 'hostsAndCa'),
      ],
      undefined,
      (text) => {
        printed.push(text);
        const url = /https:\/\/\S+/.exec(text)?.[0];
        if (url) void openBrowserAs({ caPem: stack.caPem, upn: admin.upn, password: admin.password })(url);
      },
    );
    const { code, stdout, stderr } = await run;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`OK: ${admin.upn} signed in`);
    expect(printed.join('')).toContain('To sign in, open this address in a browser');
    expect(openedBySystem).toBe(0);
  });
});
