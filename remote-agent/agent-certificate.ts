import { createPrivateKey, KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import { lookup, lookupService } from 'node:dns/promises';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isLoopbackHost } from '../shared/common/agent/loopback-host';
import { loadX509 } from '../shared/node/crypto/x509-library';
import { assertPrivateFile, openPrivateFolder } from '../shared/node/storage/private-folder';
import { agentCertificateFiles, tlsFolderName } from './agent-certificate-files';
import { isAnyAddress } from './agent-transport';

// With --tls (or beyond loopback) the agent serves HTTPS with a certificate of its own, made on first use and
// kept in the data folder, so an admin can pin its fingerprint in the utility instead of running a CA.

const validDays = 730;
/** A certificate closer to its end than this is replaced at start, before clients meet an expired one. */
export const renewWithinDays = 30;
const day = 24 * 60 * 60 * 1000;

/** SHA-256 of the certificate (the first of a PEM chain), as `AB:CD:…`: what clients pin. */
export const fingerprintOf = (certPem: string | Buffer): string =>
  new X509Certificate(certPem).fingerprint256;

/** The fully qualified name of this host, when DNS knows one (within a second); else null. */
export async function fullyQualifiedHostName(short = hostname()): Promise<string | null> {
  if (short.includes('.')) return short.toLowerCase();
  const timeout = new Promise<null>((done) => setTimeout(done, 1000, null).unref());
  const found = (async () => {
    try {
      const { address } = await lookup(short);
      const { hostname: name } = await lookupService(address, 0);
      return name.toLowerCase().startsWith(`${short.toLowerCase()}.`) ? name.toLowerCase() : null;
    } catch {
      return null;
    }
  })();
  return Promise.race([found, timeout]);
}

/** The names the certificate covers for an agent bound to `host`, without duplicates (DNS names lower-case). */
export function certificateNames(
  host: string,
  extra: readonly string[],
  machine: { hostname: string; fqdn: string | null },
): string[] {
  const bound = host.trim().replace(/^\[(.*)\]$/, '$1');
  const names = [machine.hostname, machine.fqdn ?? ''];
  if (!isAnyAddress(host)) names.push(bound);
  if (isAnyAddress(host) || isLoopbackHost(host)) names.push('localhost', '127.0.0.1', '::1');
  names.push(...extra);
  return [...new Set(names.map((name) => (isIP(name) ? name : name.toLowerCase())).filter(Boolean))];
}

export type CertificateOutcome = 'created' | 'reused' | 'renewed';

export interface AgentCertificate {
  certFile: string;
  keyFile: string;
  fingerprint: string;
  outcome: CertificateOutcome;
  /** When a renewal happened, why: shown in the log. */
  reason?: string;
  validTo: Date;
}

/**
 * The agent's own certificate in `<dataDir>/tls`: reused while it has more than 30 days left, covers the asked-for
 * names and matches its key; otherwise made anew (ECDSA P-256, self-signed, two years).
 */
export async function ensureAgentCertificate(
  dataDir: string,
  names: readonly string[],
  now: Date = new Date(),
): Promise<AgentCertificate> {
  const files = agentCertificateFiles(dataDir);
  await openPrivateFolder(join(dataDir, tlsFolderName));
  const existing = await readExisting(files.certFile, files.keyFile);
  let reason: string | undefined;
  if (existing) {
    const missing = names.filter((name) => !covers(existing.cert, name));
    const validTo = new Date(existing.cert.validTo);
    if (!existing.cert.checkPrivateKey(existing.key)) reason = 'its key file does not match it';
    else if (validTo.getTime() - now.getTime() < renewWithinDays * day)
      reason = `it expires on ${validTo.toISOString()}`;
    else if (missing.length) reason = `it does not cover ${missing.join(', ')}`;
    else return { ...files, fingerprint: existing.cert.fingerprint256, outcome: 'reused', validTo };
  }
  const made = await makeCertificate(names, now);
  // The key first, each through a temporary file: a crash never leaves a certificate beside another's key.
  await replaceFile(files.keyFile, made.keyPem, 0o600);
  await replaceFile(files.certFile, made.certPem, 0o644);
  const cert = new X509Certificate(made.certPem);
  return {
    ...files,
    fingerprint: cert.fingerprint256,
    outcome: existing ? 'renewed' : 'created',
    ...(reason ? { reason } : {}),
    validTo: new Date(cert.validTo),
  };
}

/** The fingerprint of the certificate in `<dataDir>/tls`, or null when the agent has not made one yet. */
export async function readAgentFingerprint(dataDir: string): Promise<string | null> {
  try {
    return fingerprintOf(await readFile(agentCertificateFiles(dataDir).certFile));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readExisting(certFile: string, keyFile: string) {
  let certPem: Buffer;
  let keyPem: Buffer;
  try {
    certPem = await readFile(certFile);
    // A private key others could read is refused, not silently used: the admin must know it may have leaked.
    await assertPrivateFile(keyFile);
    keyPem = await readFile(keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const cert = new X509Certificate(certPem);
    return { cert, key: createPrivateKey(keyPem) };
  } catch {
    // Unreadable files are made anew: nothing but this agent ever wrote them.
    return null;
  }
}

function covers(cert: X509Certificate, name: string): boolean {
  return isIP(name)
    ? cert.checkIP(name) !== undefined
    : cert.checkHost(name, { wildcards: false }) !== undefined;
}

async function makeCertificate(names: readonly string[], now: Date) {
  const x509 = await loadX509();
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  // A positive serial number: the top bit clear.
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const commonName = (names[0] ?? 'localhost').replace(/[,+"\\<>;=]/g, '');
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: `CN=${commonName}, O=Connection Utility Remote Agent`,
      // A little in the past: a client whose clock runs behind still accepts it right away.
      notBefore: new Date(now.getTime() - 60 * 60 * 1000),
      notAfter: new Date(now.getTime() + validDays * day),
      signingAlgorithm: algorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(
          names.map((value) => ({ type: isIP(value) ? 'ip' : 'dns', value })),
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certPem: cert.toString('pem'), keyPem };
}

async function replaceFile(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  // The mode given to writeFile only holds for a new file; a leftover from a crash keeps its own.
  await chmod(temporary, mode);
  await rename(temporary, path);
}
