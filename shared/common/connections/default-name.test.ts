import { describe, expect, it } from 'vitest';
import { defaultConnectionName } from './default-name';
import { ConnectionNameSchema } from './fields';

describe('defaultConnectionName', () => {
  it('names the kind, so one domain’s AD and Microsoft 365 connections differ in the panel', () => {
    const ad = defaultConnectionName('activeDirectory', 'contoso.test');
    const online = defaultConnectionName('microsoftOnline', 'contoso.test');
    expect(ad).toBe('contoso.test (Active Directory)');
    expect(online).toBe('contoso.test (Microsoft 365)');
    expect(ConnectionNameSchema.parse(ad)).toBe(ad);
  });

  it('spells the domain as it is stored, and gives no name before there is a domain', () => {
    expect(defaultConnectionName('activeDirectory', '  Contoso.TEST ')).toBe(
      'contoso.test (Active Directory)',
    );
    expect(defaultConnectionName('microsoftOnline', '   ')).toBe('');
  });
});
