import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** For tests: a self-signed RSA certificate valid for `days` days from now, and its key, made with openssl. */
export function certificateValidFor(days: number, name = 'expiry-test'): { pem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cu-expiry-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certificateFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days), '-keyout', keyFile].concat([
      '-out',
      certificateFile,
      '-subj',
      `/CN=${name}`,
    ]),
    { stdio: 'ignore' },
  );
  return { pem: readFileSync(certificateFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}
