import { readFile } from 'node:fs/promises';
import type { TenantTestResult } from '../../shared/common/entra/tenant-test';
import type { CliCommand } from '../cli-command';
import { UsageError } from '../cli-io';
import { passwordFromStdin, positiveInt, readPemFile } from '../cli-secrets';
import { printResult } from '../print-result';
import { contextWithTrust, systemTrustOption, systemTrustUsage } from '../system-trust-flag';

function summary(result: TenantTestResult): string {
  return [
    `OK: ${result.user} signed in to ${result.organization} (tenant ${result.tenantId}) in ${result.durationMs} ms`,
    `Domain:      ${result.domain} (verified)`,
    `Global Administrator: ${result.globalAdministrator ? 'yes' : 'no'}`,
    `Roles:       ${result.roles.map((role) => role.name).join(', ') || 'none'}`,
    `Licences:    ${result.licences.map((l) => `${l.sku} ${l.available}/${l.enabled} free`).join(', ') || 'none'}`,
    ...result.warnings.map((warning) => `Warning: ${warning}`),
    '',
  ].join('\n');
}

async function readKey(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
}

export const entraTestCommand: CliCommand = {
  words: ['aad', 'test'],
  summary:
    'Sign in to a Microsoft 365 tenant and check the domain, the Global Administrator role and licences.',
  usage: `aad test --domain D (--user U --password-stdin | --client-id C (--secret-stdin | --cert FILE --key FILE) | --device-code [--client-id C]) [--cloud global|usgov|china] [--authority-host URL] [--graph-host URL] [--ca FILE] ${systemTrustUsage} [--timeout-ms N] [--json]`,
  options: {
    domain: { type: 'string' },
    user: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'client-id': { type: 'string' },
    'secret-stdin': { type: 'boolean' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'device-code': { type: 'boolean' },
    cloud: { type: 'string' },
    'authority-host': { type: 'string' },
    'graph-host': { type: 'string' },
    ca: { type: 'string' },
    'timeout-ms': { type: 'string' },
    json: { type: 'boolean' },
    ...systemTrustOption,
  },
  async run({ values }, { io, router }) {
    if (typeof values.domain !== 'string') throw new UsageError('aad test needs --domain');
    const clientId = typeof values['client-id'] === 'string' ? values['client-id'] : undefined;
    const modes = [
      values['password-stdin'] === true && 'password',
      values['secret-stdin'] === true && 'clientSecret',
      typeof values.cert === 'string' && 'certificate',
      values['device-code'] === true && 'deviceCode',
    ].filter(Boolean);
    if (modes.length !== 1)
      throw new UsageError(
        'choose one sign-in: --password-stdin, --secret-stdin, --cert/--key or --device-code',
      );
    const mode = modes[0] as 'password' | 'clientSecret' | 'certificate' | 'deviceCode';
    if (mode === 'password' && typeof values.user !== 'string')
      throw new UsageError('--password-stdin needs --user');
    if ((mode === 'clientSecret' || mode === 'certificate') && !clientId)
      throw new UsageError(`${mode === 'certificate' ? '--cert' : '--secret-stdin'} needs --client-id`);
    if (mode === 'certificate' && typeof values.key !== 'string')
      throw new UsageError('--cert needs --key (the private key file)');
    const cloud = (values.cloud ?? 'global') as string;
    if (!['global', 'usgov', 'china'].includes(cloud))
      throw new UsageError('--cloud takes global, usgov or china');
    const timeoutMs = positiveInt(values['timeout-ms'], '--timeout-ms');

    const secret =
      mode === 'password' || mode === 'clientSecret'
        ? await passwordFromStdin(io)
        : mode === 'certificate'
          ? await readKey(String(values.key))
          : undefined;
    const operationId = `cli-${process.pid}`;
    const result = await router.invoke(
      'entra:test',
      {
        operationId,
        domain: values.domain,
        authMode: mode,
        ...(typeof values.user === 'string' ? { userPrincipalName: values.user } : {}),
        ...(clientId ? { clientId } : {}),
        ...(secret ? { secret } : {}),
        ...(mode === 'certificate' ? { certificatePem: await readPemFile(String(values.cert)) } : {}),
        cloud: cloud as 'global' | 'usgov' | 'china',
        ...(typeof values['authority-host'] === 'string' ? { authorityHost: values['authority-host'] } : {}),
        ...(typeof values['graph-host'] === 'string' ? { graphHost: values['graph-host'] } : {}),
        ...(typeof values.ca === 'string' ? { caPem: await readPemFile(values.ca) } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      },
      contextWithTrust(values, {
        // The device code is for a person: it goes to stderr even with --json.
        emit: (_event, payload) => {
          if ('deviceCode' in payload && payload.deviceCode) io.stderr(`${payload.deviceCode.message}\n`);
        },
      }),
    );
    return printResult(result, values.json === true, io, summary);
  },
};
