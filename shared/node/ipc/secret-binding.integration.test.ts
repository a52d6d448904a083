import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Rogue,
  startAgentImpostor,
  startDnsSink,
  startHttpsRelay,
  startLdapRelay,
  type TlsRogue,
} from '../../../e2e/fixtures/rogue/rogue-servers';
import { isAllowedExternal } from '../../../electron/security/navigation';
import { ConnectionSchema } from '../../common/connections/connection';
import type { Result } from '../../common/result';
import { agentBinding, bindingDigest } from '../connections/secret-binding';
import { emulatorAdminConnection } from './fixtures/emulator-connection';
import { testHost } from './fixtures/test-host';

// The window is untrusted. Each test plays a compromised window against the real router, with rogue listeners
// on loopback: a stored secret must never arrive there, the request must get a typed error, and the same
// request with the secret typed in must arrive (so the path stays open for legitimate use).

const dc = inject('samba');
const svc = dc.users.find((user) => user.name === 'svc-idm');
const entra = inject('entra');
const tenant = entra.tenants[0];
const admin = tenant?.users.find((user) => user.scenario === 'globalAdmin');
const entraCa = readFileSync(entra.caFile, 'utf8');
if (!svc || !tenant || !admin) throw new Error('the Samba and Entra fixtures lack their seeded accounts');

const host = (userDataDir?: string) => testHost(userDataDir ? { userDataDir } : {});

type Host = ReturnType<typeof host>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

/** The secret in any form a wire would carry it: as is, URL- or form-encoded. */
function expectAbsent(rogue: Rogue, secret: string, since = 0) {
  const seen = rogue.received().slice(since);
  for (const form of [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ]) {
    expect(seen).not.toContain(form);
  }
}
function expectArrived(rogue: Rogue, secret: string) {
  const seen = rogue.received();
  expect(
    [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)].some((f) =>
      seen.includes(f),
    ),
  ).toBe(true);
}

const ldaps = { host: dc.host, port: 636, tls: 'ldaps' as const };
const samba = { caPem: dc.tls.caPem, pinnedFingerprints: [] as string[] };

function adConnection(extra: Record<string, unknown> = {}) {
  return {
    kind: 'activeDirectory',
    name: 'Contoso AD',
    domain: dc.domain,
    targets: [ldaps],
    trust: samba,
    bindUser: svc?.upn,
    dnsServer: dc.dnsServer,
    password: svc?.password,
    ...extra,
  };
}

const onlineConnection = (extra: Record<string, unknown> = {}) => emulatorAdminConnection(entra, extra);

describe('Active Directory: the stored password goes only to the saved DCs', () => {
  let app: Host;
  let id = '';
  let plain: Rogue;
  let tls: TlsRogue;
  const password = svc.password;

  beforeAll(async () => {
    app = host();
    id = value<{ id: string }>(await app.call('connections:save', adConnection())).id;
    plain = await startLdapRelay({ host: dc.host, port: 389 }, { tls: false });
    tls = (await startLdapRelay({ host: dc.host, port: 389 }, { tls: true })) as TlsRogue;
  });
  afterAll(async () => {
    await Promise.all([plain.stop(), tls.stop(), app.deps.connectionStores.close()]);
  });

  it('the saved target still works with the stored password', async () => {
    expect(
      await app.call('ad:test', { connectionId: id, target: ldaps, trust: samba, bindUser: svc.upn }),
    ).toMatchObject({
      ok: true,
      value: { boundAs: svc.upn },
    });
  });

  it('ad:test to a rogue plaintext LDAP server: refused, even with "allow insecure"; typed, it arrives', async () => {
    const target = { host: plain.host, port: plain.port, tls: 'none' };
    const attack = { connectionId: id, target, trust: samba, bindUser: svc.upn, allowInsecure: true };
    expect(await app.call('ad:test', attack)).toMatchObject({ ok: false, error: { code: 'ad.sslRequired' } });
    expectAbsent(plain, password);
    await app.call('ad:test', { ...attack, connectionId: undefined, password });
    expectArrived(plain, password);
  });

  it('ad:test to a rogue LDAPS server whose certificate the request pins: refused; typed, it arrives', async () => {
    const target = { host: tls.host, port: tls.port, tls: 'ldaps' };
    const pinned = { pinnedFingerprints: [tls.tls.fingerprint] };
    const viaPin = await app.call('ad:test', { connectionId: id, target, trust: pinned, bindUser: svc.upn });
    expect(viaPin).toMatchObject({ ok: false, error: { code: 'secret.destinationNotBound' } });
    const viaCa = await app.call('ad:test', {
      connectionId: id,
      target,
      trust: { caPem: tls.tls.caPem, pinnedFingerprints: [] },
      bindUser: svc.upn,
    });
    expect(viaCa).toMatchObject({ ok: false, error: { code: 'secret.destinationNotBound' } });
    // A saved target with the request's own trust is refused too: trust comes from the record.
    const ownTrust = await app.call('ad:test', {
      connectionId: id,
      target: ldaps,
      trust: pinned,
      bindUser: svc.upn,
    });
    expect(ownTrust).toMatchObject({ ok: false, error: { code: 'secret.destinationNotBound' } });
    expectAbsent(tls, password);

    await app.call('ad:test', {
      target,
      trust: { caPem: tls.tls.caPem, pinnedFingerprints: [] },
      bindUser: svc.upn,
      password,
    });
    expectArrived(tls, password);
  });

  it('the stored password signs in only as the account it was saved for', async () => {
    const other = dc.admin.upn;
    expect(
      await app.call('ad:test', { connectionId: id, target: ldaps, trust: samba, bindUser: other }),
    ).toMatchObject({ ok: false, error: { code: 'secret.destinationNotBound' } });
    expect(
      await app.call('ad:discoverControllers', {
        connectionId: id,
        domain: dc.domain,
        dnsServer: dc.dnsServer,
        trust: samba,
        bindUser: other,
      }),
    ).toMatchObject({ ok: false, error: { code: 'secret.destinationNotBound' } });
  });

  it('a pin the request makes up is refused; one main saw at that host:port is accepted', async () => {
    const made = { pinnedFingerprints: [tls.tls.fingerprint] };
    expect(
      await app.call('ad:test', { target: ldaps, trust: made, bindUser: svc.upn, password }),
    ).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
    // Without trust, the DC's certificate is shown (and seen by main); pinning that one works.
    expect(await app.call('ad:test', { target: ldaps, bindUser: svc.upn, password })).toMatchObject({
      ok: false,
      error: { code: 'ad.tlsUntrusted', detail: { fingerprint: dc.tls.fingerprint } },
    });
    const seen = { pinnedFingerprints: [dc.tls.fingerprint] };
    expect(
      await app.call('ad:test', { target: ldaps, trust: seen, bindUser: svc.upn, password }),
    ).toMatchObject({ ok: true });
    // A certificate seen at another host:port does not count here.
    expect(
      await app.call('ad:test', {
        target: { host: 'localhost', port: 636, tls: 'ldaps' },
        trust: seen,
        bindUser: svc.upn,
        password,
      }),
    ).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });

  it('ad:trustCertificate pins only a certificate main saw at one of the connection’s DCs', async () => {
    const untrusting = value<{ id: string }>(
      await app.call('connections:save', adConnection({ name: 'No CA', trust: { pinnedFingerprints: [] } })),
    ).id;
    expect(
      await app.call('ad:trustCertificate', { connectionId: untrusting, fingerprint: tls.tls.fingerprint }),
    ).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
    // The rogue's certificate was seen, but at the rogue, not at this connection's DC.
    await app.call('ad:test', {
      target: { host: tls.host, port: tls.port, tls: 'ldaps' },
      bindUser: svc.upn,
      password: 'x',
    });
    expect(
      await app.call('ad:trustCertificate', { connectionId: untrusting, fingerprint: tls.tls.fingerprint }),
    ).toMatchObject({
      ok: false,
      error: { code: 'input.invalid' },
    });
    const test = { connectionId: untrusting, target: ldaps, bindUser: svc.upn };
    expect(await app.call('ad:test', { ...test, trust: { pinnedFingerprints: [] } })).toMatchObject({
      ok: false,
      error: { code: 'ad.tlsUntrusted' },
    });
    expect(
      await app.call('ad:trustCertificate', { connectionId: untrusting, fingerprint: dc.tls.fingerprint }),
    ).toMatchObject({
      ok: true,
      value: { hasPassword: true, trust: { pinnedFingerprints: [dc.tls.fingerprint] } },
    });
    expect(
      await app.call('ad:test', { ...test, trust: { pinnedFingerprints: [dc.tls.fingerprint] } }),
    ).toMatchObject({ ok: true });
  });

  it('ad:discoverControllers never sends a stored password in clear, nor asks a DNS server the request names', async () => {
    const stored = {
      connectionId: id,
      domain: dc.domain,
      dnsServer: dc.dnsServer,
      trust: samba,
      bindUser: svc.upn,
      timeoutMs: 1500,
    };
    expect(
      await app.call('ad:discoverControllers', { ...stored, tls: 'none', allowInsecure: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'ad.sslRequired' },
    });
    const dns = await startDnsSink();
    try {
      const rogueDns = { ...stored, dnsServer: `${dns.host}:${dns.port}` };
      expect(await app.call('ad:discoverControllers', rogueDns)).toMatchObject({
        ok: false,
        error: { code: 'secret.destinationNotBound' },
      });
      expect(dns.received()).toBe('');
      // Typed, the same discovery goes to the DNS server it names.
      await app.call('ad:discoverControllers', { ...rogueDns, connectionId: undefined, password });
      expect(dns.received()).toContain('_msdcs');
    } finally {
      await dns.stop();
    }
    // Typed over plaintext needs the switch.
    expect(
      await app.call('ad:discoverControllers', { ...stored, connectionId: undefined, password, tls: 'none' }),
    ).toMatchObject({ ok: false, error: { code: 'ad.sslRequired' } });
  });
});

describe('Active Directory: changing a destination unbinds the password', () => {
  let app: Host;
  let rogue: Rogue;
  beforeAll(async () => {
    app = host();
    rogue = await startLdapRelay({ host: dc.host, port: 389 }, { tls: true });
  });
  afterAll(async () => {
    await Promise.all([rogue.stop(), app.deps.connectionStores.close()]);
  });

  it('retargeting through connections:save drops the password; re-typing it binds it to the new targets', async () => {
    const saved = value<{ id: string }>(await app.call('connections:save', adConnection()));
    const { password: _typed, ...withoutPassword } = adConnection({ id: saved.id });
    const rogueTarget = { host: rogue.host, port: rogue.port, tls: 'ldaps' };
    const retargeted = await app.call('connections:save', { ...withoutPassword, targets: [rogueTarget] });
    expect(retargeted).toMatchObject({ ok: true, value: { hasPassword: false } });
    expect(
      await app.call('ad:test', {
        connectionId: saved.id,
        target: rogueTarget,
        trust: samba,
        bindUser: svc.upn,
      }),
    ).toMatchObject({ ok: false, error: { code: 'ad.noPassword' } });
    expectAbsent(rogue, svc.password);
    // Going back does not bring the old password back: it was dropped, not hidden.
    expect(await app.call('connections:save', withoutPassword)).toMatchObject({
      ok: true,
      value: { hasPassword: false },
    });
    expect(await app.call('connections:save', adConnection({ id: saved.id }))).toMatchObject({
      ok: true,
      value: { hasPassword: true },
    });
    expect(
      await app.call('ad:test', { connectionId: saved.id, target: ldaps, trust: samba, bindUser: svc.upn }),
    ).toMatchObject({ ok: true });
    // A change of trust unbinds as well.
    expect(
      await app.call('connections:save', { ...withoutPassword, trust: { pinnedFingerprints: [] } }),
    ).toMatchObject({ ok: true, value: { hasPassword: false } });
  });

  it('adding a DC main discovered itself for the same domain keeps the password; one added by hand does not', async () => {
    const saved = value<{ id: string }>(
      await app.call('connections:save', adConnection({ name: 'Discovered' })),
    );
    const { password: _typed, ...withoutPassword } = adConnection({ id: saved.id, name: 'Discovered' });
    const found = value<{ controllers: { hostName: string; reachable: boolean }[] }>(
      await app.call('ad:discoverControllers', {
        domain: dc.domain,
        dnsServer: dc.dnsServer,
        trust: samba,
        timeoutMs: 3000,
      }),
    );
    expect(found.controllers.find((c) => c.hostName === dc.hostName)).toMatchObject({ reachable: true });
    const discovered = { host: dc.hostName, port: 636, tls: 'ldaps' };
    expect(
      await app.call('connections:save', { ...withoutPassword, targets: [ldaps, discovered] }),
    ).toMatchObject({
      ok: true,
      value: { hasPassword: true },
    });
    // The dead DC was discovered too, but it never answered, so nothing vouches for it.
    const dead = { host: dc.deadDc.address, port: 636, tls: 'ldaps' };
    expect(
      await app.call('connections:save', { ...withoutPassword, targets: [ldaps, discovered, dead] }),
    ).toMatchObject({
      ok: true,
      value: { hasPassword: false },
    });
  });

  it('a hand-edited store that retargets a connection cannot unseal its password (password needed, not corruption)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-binding-file-'));
    const first = host(dir);
    const id = value<{ id: string }>(await first.call('connections:save', adConnection())).id;
    await first.deps.connectionStores.close();

    // As another program with the database could: retarget the record, leave its sealed password in place.
    const record = { targets: [{ host: rogue.host, port: rogue.port, tls: 'ldaps' as const }] };
    editStore(dir, (db) => {
      db.prepare("UPDATE connections SET record = json_set(record, '$.targets', json(?)) WHERE id = ?").run(
        JSON.stringify(record.targets),
        id,
      );
    });
    const second = host(dir);
    expect(
      await second.call('ad:test', {
        connectionId: id,
        target: record.targets[0],
        trust: samba,
        bindUser: svc.upn,
      }),
    ).toMatchObject({ ok: false, error: { code: 'ad.noPassword' } });
    await second.deps.connectionStores.close();

    // Forging the binding digest as well does not help: the digest is sealed into the secret.
    editStore(dir, (db) => {
      const row = db.prepare('SELECT record, secret FROM connections WHERE id = ?').get(id) as {
        record: string;
        secret: string;
      };
      const binding = bindingDigest(ConnectionSchema.parse(JSON.parse(row.record)));
      db.prepare('UPDATE connections SET secret = ? WHERE id = ?').run(
        JSON.stringify({ ...JSON.parse(row.secret), binding }),
        id,
      );
    });
    const third = host(dir);
    expect(
      await third.call('ad:test', {
        connectionId: id,
        target: record.targets[0],
        trust: samba,
        bindUser: svc.upn,
      }),
    ).toMatchObject({ ok: false, error: { code: 'ad.noPassword' } });
    expectAbsent(rogue, svc.password);
    // Re-typed against the real DC, it works again.
    expect(await third.call('connections:save', adConnection({ id }))).toMatchObject({
      ok: true,
      value: { hasPassword: true },
    });
    expect(
      await third.call('ad:test', { connectionId: id, target: ldaps, trust: samba, bindUser: svc.upn }),
    ).toMatchObject({ ok: true });
    await third.deps.connectionStores.close();
  });
});

describe('Microsoft Online: the stored secret signs in only where it was saved', () => {
  let app: Host;
  let id = '';
  let rogue: TlsRogue;
  const password = admin.password;
  const test = () => ({
    connectionId: id,
    domain: tenant.domain,
    authMode: 'password',
    userPrincipalName: admin.upn,
    authorityHost: entra.url,
    graphHost: entra.url,
    caPem: entraCa,
    timeoutMs: 15_000,
  });

  beforeAll(async () => {
    app = host();
    id = value<{ id: string }>(await app.call('connections:save', onlineConnection())).id;
    rogue = await startHttpsRelay({ url: entra.url, caPem: entraCa });
  });
  afterAll(async () => {
    await Promise.all([rogue.stop(), app.deps.connectionStores.close()]);
  });

  it('the saved destination still works with the stored secret', async () => {
    expect(await app.call('entra:test', test())).toMatchObject({ ok: true, value: { user: admin.upn } });
  });

  it('entra:test and entra:listDomains with a rogue authority: refused; typed, the password arrives there', async () => {
    const attack = { ...test(), authorityHost: rogue.url, graphHost: rogue.url, caPem: rogue.tls.caPem };
    for (const channel of ['entra:test', 'entra:listDomains'] as const) {
      expect(await app.call(channel, attack)).toMatchObject({
        ok: false,
        error: { code: 'secret.destinationNotBound' },
      });
    }
    expectAbsent(rogue, password);
    await app.call('entra:test', { ...attack, connectionId: undefined, secret: password });
    expectArrived(rogue, password);
  });

  it('a Graph host of the request’s choosing never receives a token minted from the stored password', async () => {
    const attack = { ...test(), graphHost: rogue.url, caPem: `${entraCa}\n${rogue.tls.caPem}` };
    const before = rogue.received().length;
    expect(await app.call('entra:test', attack)).toMatchObject({
      ok: false,
      error: { code: 'secret.destinationNotBound' },
    });
    expect(rogue.received().slice(before)).not.toMatch(/bearer/i);
    await app.call('entra:test', { ...attack, connectionId: undefined, secret: password });
    expect(rogue.received().slice(before)).toMatch(/"authorization":"Bearer /);
  });

  it('saving another authority without the secret unbinds it', async () => {
    const before = rogue.received().length;
    const { secret: _typed, ...withoutSecret } = onlineConnection({ id });
    expect(await app.call('connections:save', { ...withoutSecret, authorityHost: rogue.url })).toMatchObject({
      ok: true,
      value: { hasSecret: false },
    });
    expect(await app.call('entra:test', { ...test(), authorityHost: rogue.url })).toMatchObject({
      ok: false,
      error: { code: 'entra.missingSecret' },
    });
    expectAbsent(rogue, password, before);
  });
});

describe('Remote Agent: the secret goes to the saved agent, keys are remembered once accepted', () => {
  let app: Host;
  let impostor: Rogue;
  beforeAll(async () => {
    app = host();
    impostor = await startAgentImpostor();
  });
  afterAll(async () => {
    await Promise.all([impostor.stop(), app.deps.connectionStores.close()]);
  });

  it('agent:update to an endpoint the request names: refused; saved with that agent and the secret typed, it arrives', async () => {
    const id = value<{ id: string }>(await app.call('connections:save', onlineConnection())).id;
    const endpoint = { host: impostor.host, port: impostor.port, useTls: false };
    expect(await app.call('agent:update', { connectionId: id, apiKey: 'made-up', endpoint })).toMatchObject({
      ok: false,
      error: { code: 'secret.destinationNotBound' },
    });
    expectAbsent(impostor, admin.password);
    // Saving the connection with that agent without the secret unbinds it: still nothing to send.
    const { secret: _typed, ...withoutSecret } = onlineConnection({ id });
    await app.call('connections:save', { ...withoutSecret, remoteAgent: endpoint });
    expect(await app.call('agent:update', { connectionId: id, apiKey: 'made-up' })).toMatchObject({
      ok: false,
      error: { code: 'entra.missingSecret' },
    });
    expectAbsent(impostor, admin.password);
    await app.call('connections:save', onlineConnection({ id, remoteAgent: endpoint }));
    await app.call('agent:update', { connectionId: id, apiKey: 'made-up' });
    expectArrived(impostor, admin.password);
  });

  it('agent:status with an unreachable agent does not replace the remembered key; a refused key is never remembered', async () => {
    const agent = await startAgentImpostor({ key: 'the-right-key' });
    const endpoint = { host: agent.host, port: agent.port, useTls: false };
    const remembered = async () =>
      (await app.deps.connectionStores.forReading()).readAgentKey(agentBinding(endpoint));
    expect(await app.call('agent:status', { ...endpoint, apiKey: 'wrong-key' })).toMatchObject({
      ok: true,
      value: { authorized: false },
    });
    expect(await remembered()).toBeNull();
    expect(await app.call('agent:status', { ...endpoint, apiKey: 'the-right-key' })).toMatchObject({
      ok: true,
      value: { authorized: true },
    });
    expect(await remembered()).toBe('the-right-key');
    await agent.stop();
    expect(await app.call('agent:status', { ...endpoint, apiKey: 'overwrite' })).toMatchObject({
      ok: false,
      error: { code: 'agent.unreachable' },
    });
    expect(await remembered()).toBe('the-right-key');
  });

  it('opens a Swagger page only of an agent that accepted its key, not of any saved host', async () => {
    const origins = async () =>
      (await app.deps.connectionStores.forReading()).agentKeyBindings().map((b) => b.split('#')[0] as string);
    const swagger = (port: number) => `http://127.0.0.9:${port}/swagger`;
    await app.call(
      'connections:save',
      onlineConnection({ name: 'Elsewhere', remoteAgent: { host: '127.0.0.9', port: 40002 } }),
    );
    expect(isAllowedExternal(swagger(40002), await origins())).toBe(false);
    const agent = await startAgentImpostor({ key: 'k' });
    try {
      await app.call('agent:status', { host: agent.host, port: agent.port, apiKey: 'k' });
      expect(isAllowedExternal(`http://127.0.0.1:${agent.port}/swagger`, await origins())).toBe(true);
    } finally {
      await agent.stop();
    }
  });
});

/** Changes the connection store behind the app's back. */
function editStore(dir: string, edit: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(join(dir, 'connections.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
}
