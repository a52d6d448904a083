import { describe, expect, it } from 'vitest';
import type { CredentialExpiry } from '../../../../shared/common/connections/expiry';
import { expiryCell } from './expiry-cell';

const now = new Date('2026-03-01T12:00:00Z');
const day = 24 * 60 * 60 * 1000;
// A minute past the whole days, away from now: whole days count towards zero.
const inDays = (days: number) =>
  new Date(now.getTime() + days * day + Math.sign(days) * 60_000).toISOString();
const entry = (what: CredentialExpiry['what'], notAfter: CredentialExpiry['notAfter'], source = 'x') => ({
  what,
  notAfter,
  source,
  checkedAt: now.toISOString(),
});

describe('the panel’s Expires cell', () => {
  it('says "unknown" when nothing is recorded, and why in its tooltip', () => {
    const cell = expiryCell(undefined, now);
    expect(cell).toMatchObject({ text: 'unknown', tone: 'unknown', label: null });
    expect(cell.lines[0]).toMatch(/Nothing recorded yet/);
  });

  it('shows the credential needing attention first: a warning under 30 days, labelled, not by colour alone', () => {
    const cell = expiryCell(
      [entry('clientSecret', inDays(200), 'secret'), entry('certificate', inDays(10), 'ABCDEF')],
      now,
    );
    expect(cell).toMatchObject({ text: 'in 10 days', tone: 'warning', label: 'Expires soon' });
    expect(cell.lines).toHaveLength(2);
    expect(cell.lines[0]).toMatch(/^Certificate: expires in 10 days \(.+\), ABCDEF\.$/);
    expect(cell.lines[1]).toMatch(/^Client secret: expires in 200 days/);
  });

  it('puts an expired credential first and says how long ago, as an error', () => {
    const cell = expiryCell(
      [entry('password', 'never'), entry('ldapsCertificate', inDays(-3), 'dc1.contoso.test:636')],
      now,
    );
    expect(cell).toMatchObject({ text: 'expired 3 days ago', tone: 'expired', label: 'Expired' });
    expect(cell.lines[1]).toMatch(/^Service account password: never expires \(does not expire\), x\.$/);
  });

  it('says "in 1 day", "today" and "never" in the singular and plain words, with no warning label when far', () => {
    expect(expiryCell([entry('certificate', inDays(1))], now).text).toBe('in 1 day');
    expect(
      expiryCell([entry('certificate', new Date(now.getTime() + 3_600_000).toISOString())], now).text,
    ).toBe('today');
    expect(expiryCell([entry('password', 'never')], now)).toMatchObject({ text: 'never', tone: 'never' });
    expect(expiryCell([entry('certificate', inDays(300))], now)).toMatchObject({
      text: 'in 300 days',
      tone: 'ok',
      label: null,
    });
  });

  it('carries an unreadable date’s note into the tooltip', () => {
    const cell = expiryCell(
      [{ ...entry('clientSecret', null), note: 'Grant Application.Read.All to see it.' }],
      now,
    );
    expect(cell.text).toBe('unknown');
    expect(cell.lines[0]).toBe(
      'Client secret: unknown (date unknown), x. Grant Application.Read.All to see it.',
    );
  });
});
