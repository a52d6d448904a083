import { describe, expect, it } from 'vitest';
import { ConnectionSchema, ConnectionViewSchema } from './connection';
import { type CredentialExpiry, describeDaysLeft, expiryState, judgeExpiries, soonestExpiry } from './expiry';

const now = new Date('2026-06-01T12:00:00.000Z');
const day = 86_400_000;
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

const credential = (
  what: CredentialExpiry['what'],
  notAfter: CredentialExpiry['notAfter'],
): CredentialExpiry => ({
  what,
  notAfter,
  source: what,
  checkedAt: now.toISOString(),
});

describe('expiryState', () => {
  it.each([
    ['unknown', null, { state: 'unknown', daysLeft: null }],
    ['never', 'never' as const, { state: 'ok', daysLeft: null }],
    ['100 days left', at(100 * day), { state: 'ok', daysLeft: 100 }],
    ['exactly 30 days left', at(30 * day), { state: 'ok', daysLeft: 30 }],
    ['a second under 30 days', at(30 * day - 1000), { state: 'warning', daysLeft: 29 }],
    ['10 days left', at(10 * day), { state: 'warning', daysLeft: 10 }],
    ['an hour left', at(3_600_000), { state: 'warning', daysLeft: 0 }],
    ['at its very instant', at(0), { state: 'expired', daysLeft: 0 }],
    ['an hour ago', at(-3_600_000), { state: 'expired', daysLeft: 0 }],
    ['a day and a half ago', at(-1.5 * day), { state: 'expired', daysLeft: -1 }],
  ] as const)('%s', (_label, notAfter, expected) => {
    expect(expiryState(notAfter, now)).toEqual(expected);
  });

  it('takes its own warning window', () => {
    expect(expiryState(at(45 * day), now, 60).state).toBe('warning');
    expect(expiryState(at(45 * day), now, 7).state).toBe('ok');
  });

  it('calls an unreadable date unknown rather than ok', () => {
    expect(expiryState('not a date', now)).toEqual({ state: 'unknown', daysLeft: null });
  });
});

describe('soonestExpiry and judgeExpiries', () => {
  it('puts the expired one first, then warnings, then ok by date, unknown last', () => {
    const judged = judgeExpiries(
      [
        credential('clientSecret', null),
        credential('ldapsCertificate', at(200 * day)),
        credential('certificate', at(100 * day)),
        credential('password', at(5 * day)),
        credential('agentCertificate', at(-2 * day)),
      ],
      now,
    );
    expect(judged.map((entry) => entry.credential.what)).toEqual([
      'agentCertificate',
      'password',
      'certificate',
      'ldapsCertificate',
      'clientSecret',
    ]);
  });

  it('is null without any recorded expiry', () => {
    expect(soonestExpiry(undefined, now)).toBeNull();
    expect(soonestExpiry([], now)).toBeNull();
  });

  it('describes the days left in words', () => {
    expect(describeDaysLeft(expiryState(at(10 * day + 5), now), at(10 * day + 5))).toBe('expires in 10 days');
    expect(describeDaysLeft(expiryState(at(1.5 * day), now), at(1.5 * day))).toBe('expires in 1 day');
    expect(describeDaysLeft(expiryState(at(-3 * day), now), at(-3 * day))).toBe('expired 3 days ago');
    expect(describeDaysLeft(expiryState('never', now), 'never')).toBe('never expires');
    expect(describeDaysLeft(expiryState(null, now), null)).toBe('unknown');
  });
});

describe('the record and the view carry expiries', () => {
  const record = {
    kind: 'activeDirectory',
    id: '0b5b7d7e-3c2a-4f4e-9a57-6f0e2b1f8a11',
    name: 'Contoso AD',
    domain: 'contoso.com',
    targets: [{ host: 'dc1.contoso.com', port: 636, tls: 'ldaps' }],
    bindUser: 'svc@contoso.com',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiries: [credential('password', 'never'), credential('ldapsCertificate', at(90 * day))],
  };

  it('accepts them on both, strictly', () => {
    expect(ConnectionSchema.parse(record).expiries).toHaveLength(2);
    expect(ConnectionViewSchema.parse({ ...record, hasPassword: true }).expiries).toHaveLength(2);
    expect(
      ConnectionSchema.safeParse({
        ...record,
        expiries: [{ ...credential('password', null), secret: 'x' }],
      }).success,
    ).toBe(false);
    expect(
      ConnectionSchema.safeParse({ ...record, expiries: [{ ...credential('password', null), what: 'pin' }] })
        .success,
    ).toBe(false);
  });
});
