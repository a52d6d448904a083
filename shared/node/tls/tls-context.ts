import { Agent } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { type TrustSources, trustAnchors, trustKey } from './trust-anchors';

// Building a context from a few hundred roots costs ~15 ms of CPU; discovery opens one connection per DC, and
// MSAL and Graph several, so each set of trust sources gets one context, and one HTTPS agent, per process.
const limit = 32;
const contexts = new Map<string, SecureContext>();
const agents = new Map<string, Agent>();

function remember<T>(cache: Map<string, T>, key: string, create: () => T): T {
  const found = cache.get(key);
  if (found !== undefined) {
    // Most recently used last, so the oldest is the one dropped.
    cache.delete(key);
    cache.set(key, found);
    return found;
  }
  const made = create();
  cache.set(key, made);
  if (cache.size > limit) cache.delete(cache.keys().next().value as string);
  return made;
}

/** A client context that verifies against exactly these sources (TLS 1.2 or newer). */
export function secureContextFor(sources: TrustSources): SecureContext {
  return remember(contexts, trustKey(sources), () =>
    createSecureContext({ ca: trustAnchors(sources), minVersion: 'TLSv1.2' }),
  );
}

/**
 * An HTTPS agent per set of trust sources: a kept-alive socket verified under one set is never reused for a
 * request made under another (Node's agents tell pools apart by `ca`, not by `secureContext`). A dropped agent
 * is not destroyed, since requests may still run on it; its idle sockets close after 5 s.
 */
export function httpsAgentFor(sources: TrustSources): Agent {
  return remember(
    agents,
    trustKey(sources),
    () => new Agent({ keepAlive: true, timeout: 5000, secureContext: secureContextFor(sources) }),
  );
}
