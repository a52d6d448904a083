import { secretKey } from '../../common/secret-names';

/** Deeper than any answer of the agent's contract nests an AppError (a diagnosis: answer → stages → error). */
const maxDepth = 8;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An agent's answer with every AppError detail key that names a secret left out. This version refuses such keys
 * (shared/common/secret-names.ts); an agent of another version may still send one (older agents named the TLS
 * verify error `authorizationError`), and one such fact must not cost the admin the whole answer, nor be shown.
 */
export function withoutSecretDetailKeys(value: unknown, depth = 0): unknown {
  if (depth > maxDepth) return value;
  if (Array.isArray(value)) return value.map((item) => withoutSecretDetailKeys(item, depth + 1));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === 'detail' && typeof value.code === 'string' && isPlainObject(item)
        ? Object.fromEntries(Object.entries(item).filter(([name]) => !secretKey.test(name)))
        : withoutSecretDetailKeys(item, depth + 1),
    ]),
  );
}
