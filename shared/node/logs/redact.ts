import { secretKey } from '../../common/secret-names';

const textPatterns: [RegExp, string][] = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[redacted private key]',
  ],
  [/\b(Bearer|Basic|NTLM|Negotiate)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  // The password in a URL's user info: ldap://user:secret@host, https://u:p@x.
  // Greedy up to the authority's last @: a password typed with a raw @ is still removed whole. Every part has a
  // bound, so a long text full of near misses ("a.a.a…", "a://b:a://b:…") costs linear time, not quadratic.
  [/\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/?#@]{0,256}):[^\s/?#]{0,256}@/gi, '$1:[redacted]@'],
  // JWTs (access and id tokens, client assertions).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted token]'],
  // A key that ends in a secret word, whatever comes before it (bindpassword=, userPassword:, my_secret=,
  // client_secret=, access_token=): the word is matched without a word boundary in front, the prefix is kept.
  [
    /(password|passwd|passphrase|pwd|bind_?pw|secret|api[_-]?key|private[_-]?key|token|credentials?|assertion|cookie)(["']?\s*[=:]\s*["']?)([^\s"'&;,]+)/gi,
    '$1$2[redacted]',
  ],
];

function redactText(text: string): string {
  return textPatterns.reduce(
    (current, [pattern, replacement]) => current.replace(pattern, replacement),
    text,
  );
}

/** How deep redact looks into objects and arrays; anything below is replaced, never written as it is. */
const maxDepth = 8;

/**
 * A copy of a log entry with every secret removed: values of secret-named fields down to `maxDepth` levels, and
 * bearer tokens, JWTs, private keys, URL passwords and `password=…` pairs inside any string. An object or array
 * nested deeper (or a cycle) becomes '[too deep]': its keys were not checked, so it cannot be written. Applied to
 * every entry before it is written.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > maxDepth) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      secretKey.test(key) && item !== null && item !== undefined && typeof item !== 'boolean'
        ? '[redacted]'
        : redact(item, depth + 1),
    ]),
  );
}
