import { randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import {
  type ActiveDirectoryConnection,
  ActiveDirectoryConnectionSchema,
} from '../../common/connections/connection';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { closedPort } from '../fixtures/closed-port';
import { diagnoseDirectory } from './directory-stages';

// Against the run's real Samba AD DC (e2e/fixtures/samba) on loopback: dc1 answers, and DNS also lists dc2 at
// 127.0.0.2, where nothing listens.
const dc = inject('samba');
const svc = dc.users?.find((user) => user.name === 'svc-idm');
const day = 24 * 60 * 60 * 1000;

function connection(fields: Partial<ActiveDirectoryConnection> = {}): ActiveDirectoryConnection {
  const now = new Date().toISOString();
  return ActiveDirectoryConnectionSchema.parse({
    kind: 'activeDirectory',
    id: randomUUID(),
    name: 'Contoso AD',
    createdAt: now,
    updatedAt: now,
    domain: dc.domain,
    dnsServer: dc.dnsServer,
    targets: [{ host: dc.hostName, port: 636, tls: 'ldaps' }],
    trust: { caPem: dc.tls.caPem, pinnedFingerprints: [] },
    bindUser: svc?.upn,
    ...fields,
  });
}

const diagnose = (conn: ActiveDirectoryConnection, password: string | null = svc?.password ?? null) =>
  diagnoseDirectory({ connection: conn, password, trustSystemStore: false, timeoutMs: 3000 });

const byId = (diagnosis: Diagnosis) => new Map(diagnosis.stages.map((stage) => [stage.id, stage]));
const summary = (stages: readonly (Stage | undefined)[]) =>
  stages.map((stage) => `${stage?.id}:${stage?.status}${stage?.error ? `:${stage.error.code}` : ''}`);

describe.skipIf(!dc.host)('diagnoseDirectory against Samba', () => {
  it('passes every stage of a healthy connection, in the planned order', async () => {
    const diagnosis = await diagnose(connection());
    const dcId = `dc.${dc.hostName}`;
    expect(diagnosis).toMatchObject({
      kind: 'activeDirectory',
      side: 'local',
      domain: dc.domain,
    });
    expect(diagnosis.status).not.toBe('fail');
    expect(diagnosis.stages.map((stage) => stage.id)).toEqual([
      'dns.srv',
      `${dcId}.dns`,
      `${dcId}.tcp.389`,
      `${dcId}.tcp.636`,
      `${dcId}.tcp.3268`,
      `${dcId}.tcp.3269`,
      `${dcId}.tls`,
      `${dcId}.rootdse`,
      'bind',
      'account',
    ]);
    const stages = byId(diagnosis);
    // The run's certificates live two days: the TLS stage says so, as it would of a real one near its end.
    const expiresSoon =
      new X509Certificate(readFileSync(dc.tls.certPath)).validToDate.getTime() < Date.now() + 30 * day;
    expect(stages.get(`${dcId}.tls`)).toMatchObject(
      expiresSoon ? { status: 'warn', error: { code: 'tls.certificateExpiresSoon' } } : { status: 'ok' },
    );
    expect(diagnosis.stages.filter((stage) => stage.id !== `${dcId}.tls` && stage.status !== 'ok')).toEqual(
      [],
    );
    expect(stages.get('dns.srv')?.detail).toContain(dc.hostName);
    expect(stages.get(`${dcId}.dns`)?.detail).toContain('127.0.0.1');
    expect(stages.get(`${dcId}.tls`)?.detail).toContain('vouched for by the connection’s CA');
    expect(stages.get(`${dcId}.tls`)?.group).toBe(dc.hostName);
    expect(stages.get(`${dcId}.rootdse`)?.detail).toContain(dc.baseDn);
    expect(stages.get('account')?.detail).toMatch(/password (never expires|expires on)/);
    expect(JSON.stringify(diagnosis)).not.toContain(svc?.password);
  });

  it('fails at TCP on a second DC whose name resolves to an address nobody listens on; the first still binds', async () => {
    const diagnosis = await diagnose(
      connection({
        targets: [
          { host: dc.hostName, port: 636, tls: 'ldaps' },
          { host: dc.deadDc.hostName, port: 636, tls: 'ldaps' },
        ],
      }),
    );
    const stages = byId(diagnosis);
    const dead = `dc.${dc.deadDc.hostName}`;
    expect(diagnosis.status).toBe('fail');
    expect(summary([stages.get(`${dead}.dns`), stages.get(`${dead}.tcp.636`)])).toEqual([
      `${dead}.dns:ok`,
      `${dead}.tcp.636:fail:ad.connectionRefused`,
    ]);
    expect(stages.get(`${dead}.dns`)?.detail).toContain(dc.deadDc.address);
    expect(stages.get(`${dead}.tcp.636`)?.error?.hint).toMatch(/firewall/);
    // The ports this connection does not use are reported, not failed.
    expect(stages.get(`${dead}.tcp.389`)).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('closed'),
    });
    expect(summary([stages.get(`${dead}.tls`), stages.get(`${dead}.rootdse`)])).toEqual([
      `${dead}.tls:skipped`,
      `${dead}.rootdse:skipped`,
    ]);
    expect(summary([stages.get('bind'), stages.get('account')])).toEqual(['bind:ok', 'account:ok']);
  });

  it('fails at TCP on a target on a loopback port nobody listens on, naming host and port', async () => {
    const port = await closedPort();
    const diagnosis = await diagnose(connection({ targets: [{ host: '127.0.0.1', port, tls: 'ldaps' }] }));
    const stages = byId(diagnosis);
    expect(stages.get(`dc.127.0.0.1.tcp.${port}`)).toMatchObject({
      status: 'fail',
      error: {
        code: 'ad.connectionRefused',
        message: expect.stringContaining(`127.0.0.1:${port}`),
        hint: expect.stringContaining('firewall'),
      },
    });
    expect(stages.get('dc.127.0.0.1.tcp.636')?.status).toBe('ok');
    expect(summary([stages.get('dc.127.0.0.1.tls'), stages.get('bind'), stages.get('account')])).toEqual([
      'dc.127.0.0.1.tls:skipped',
      'bind:skipped',
      'account:skipped',
    ]);
  });

  it('fails at TLS with ad.tlsUntrusted when the connection lacks the LDAPS certificate’s CA, and sends no password', async () => {
    const diagnosis = await diagnose(connection({ trust: { pinnedFingerprints: [] } }));
    const stages = byId(diagnosis);
    const tls = stages.get(`dc.${dc.hostName}.tls`);
    expect(tls).toMatchObject({
      status: 'fail',
      error: {
        code: 'ad.tlsUntrusted',
        hint: expect.stringContaining('Trust this certificate'),
        detail: { fingerprint: dc.tls.fingerprint, systemStoreTrusted: false },
      },
    });
    expect(
      summary([stages.get(`dc.${dc.hostName}.rootdse`), stages.get('bind'), stages.get('account')]),
    ).toEqual([`dc.${dc.hostName}.rootdse:skipped`, 'bind:skipped', 'account:skipped']);
  });

  it('diagnoses StartTLS on 389, and fails the bind with the reason when no password is stored or it is wrong', async () => {
    const startTls = connection({ targets: [{ host: dc.hostName, port: 389, tls: 'starttls' }] });
    const noPassword = byId(await diagnose(startTls, null));
    expect(noPassword.get(`dc.${dc.hostName}.tls`)).toMatchObject({
      name: 'TLS (StartTLS)',
      detail: expect.stringContaining('vouched for by the connection’s CA'),
    });
    expect(noPassword.get(`dc.${dc.hostName}.rootdse`)?.status).toBe('ok');
    expect(summary([noPassword.get('bind'), noPassword.get('account')])).toEqual([
      'bind:fail:ad.noPassword',
      'account:skipped',
    ]);
    const wrong = byId(await diagnose(startTls, 'not-the-password'));
    expect(wrong.get('bind')?.error).toMatchObject({
      code: 'ad.invalidCredentials',
      hint: expect.any(String),
    });
  });

  it('warns at DNS SRV when the domain’s DNS has no locator records, and still diagnoses the saved DC', async () => {
    const diagnosis = await diagnose(connection({ domain: 'nowhere.invalid' }));
    const stages = byId(diagnosis);
    expect(stages.get('dns.srv')).toMatchObject({ status: 'warn', error: { code: 'ad.dnsFailed' } });
    expect(stages.get(`dc.${dc.hostName}.rootdse`)?.status).toBe('ok');
  });
});
