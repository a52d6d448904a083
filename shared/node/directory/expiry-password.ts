import { type Client, EqualityFilter, type Filter } from 'ldapts';

/** msDS-UserPasswordExpiryTimeComputed of an account whose password never expires (or that has none). */
const neverFileTime = 0x7fffffffffffffffn;
/** 100-nanosecond intervals between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
const epochOffset = 116444736000000000n;

export type PasswordExpiry = { notAfter: string | 'never'; account: string } | null;

/**
 * The constructed attribute's FILETIME as an ISO timestamp, 'never', or null when it is no number. 0 (the password
 * must be changed) is its own expiry: the epoch, long past.
 */
export function passwordExpiryFromFileTime(value: string): string | 'never' | null {
  if (!/^-?\d+$/.test(value.trim())) return null;
  const fileTime = BigInt(value.trim());
  if (fileTime >= neverFileTime || fileTime < 0n) return 'never';
  const ms = Number((fileTime - epochOffset) / 10_000n);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? 'never' : date.toISOString();
}

/** How to find the bound account's own entry from the name it bound with: DN, UPN, DOMAIN\user or a bare name. */
function lookupFor(
  bindUser: string,
  baseDn: string,
): { base: string; scope: 'base' | 'sub'; filter: Filter | string }[] {
  const name = bindUser.trim();
  const sam = (value: string) => ({
    base: baseDn,
    scope: 'sub' as const,
    filter: new EqualityFilter({ attribute: 'sAMAccountName', value }),
  });
  if (/^[A-Za-z]+=/.test(name) && name.includes(','))
    return [{ base: name, scope: 'base', filter: '(objectClass=*)' }];
  const slash = name.indexOf('\\');
  if (slash >= 0) return [sam(name.slice(slash + 1))];
  const at = name.lastIndexOf('@');
  if (at > 0) {
    // An account without an explicit UPN still binds as sam@domain (its implicit UPN).
    return [
      {
        base: baseDn,
        scope: 'sub',
        filter: new EqualityFilter({ attribute: 'userPrincipalName', value: name }),
      },
      sam(name.slice(0, at)),
    ];
  }
  return [sam(name)];
}

/**
 * When the bound account's password expires, read from its own entry after the bind. Never throws: a directory
 * that does not answer this (an old DC, an account without read access to itself) leaves it unknown (null).
 */
export async function readPasswordExpiry(
  client: Client,
  bindUser: string,
  baseDn: string,
): Promise<PasswordExpiry> {
  for (const lookup of lookupFor(bindUser, baseDn)) {
    try {
      const { searchEntries } = await client.search(lookup.base, {
        scope: lookup.scope,
        filter: lookup.filter,
        sizeLimit: 2,
        attributes: ['msDS-UserPasswordExpiryTimeComputed'],
      });
      // Two accounts for one name would make the answer a guess.
      if (searchEntries.length !== 1) continue;
      const [entry] = searchEntries;
      // Attribute names come back as the server spells them.
      const name = Object.keys(entry ?? {}).find(
        (key) => key.toLowerCase() === 'msds-userpasswordexpirytimecomputed',
      );
      const raw = name ? entry?.[name] : undefined;
      const value = Array.isArray(raw) ? raw[0] : raw;
      const text = Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : null;
      const notAfter = text === null ? null : passwordExpiryFromFileTime(text);
      if (notAfter !== null && entry) return { notAfter, account: entry.dn };
    } catch {
      // Unknown rather than a failed test: the bind itself succeeded.
    }
  }
  return null;
}
