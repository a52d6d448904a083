import { describe, expect, it } from 'vitest';
import { SaveMicrosoftOnlineRequestSchema } from '../../../../shared/common/connections/save-request';
import { newDraft as newOnlineDraft, saveRequest } from '../microsoft-online/microsoft-online-draft';
import { newDraft, toRequest, withPatch } from './active-directory-draft';

describe('new connections’ default names', () => {
  it('the AD wizard names the connection after the domain and its kind until the admin types a name', () => {
    let draft = withPatch(newDraft(), { domain: 'Contoso.test' });
    expect(draft.name).toBe('contoso.test (Active Directory)');
    draft = withPatch(draft, { name: 'Head office', nameEdited: true });
    draft = withPatch(draft, { domain: 'fabrikam.test' });
    expect(toRequest(draft).name).toBe('Head office');
    // A name typed and then cleared falls back to the default rather than saving an empty name.
    expect(toRequest(withPatch(draft, { name: '  ' })).name).toBe('fabrikam.test (Active Directory)');
  });

  it('the Microsoft Online wizard gives the same domain a different name, one per ticked domain', () => {
    const draft = {
      ...newOnlineDraft(null),
      authMode: 'password' as const,
      userPrincipalName: 'admin@contoso.test',
    };
    const online = saveRequest(draft, 'contoso.test', undefined);
    const ad = toRequest(withPatch(newDraft(), { domain: 'contoso.test' }));
    expect(online.name).toBe('contoso.test (Microsoft 365)');
    expect(online.name).not.toBe(ad.name);
    expect(saveRequest(draft, 'sales.contoso.test', undefined).name).toBe(
      'sales.contoso.test (Microsoft 365)',
    );
    expect(SaveMicrosoftOnlineRequestSchema.safeParse({ ...online, secret: 'x' }).success).toBe(true);
  });
});
