import type { AdTestResult } from '../../shared/common/directory/directory-test';
import type { DiscoverResult } from '../../shared/common/directory/discovery';
import { vouchedByLabel } from '../../shared/common/directory/vouched-by-label';
import type { CliCommand } from '../cli-command';
import { UsageError } from '../cli-io';
import { passwordFromStdin, positiveInt, readPemFile } from '../cli-secrets';
import { formatTable } from '../format-table';
import { printResult } from '../print-result';
import { contextWithTrust, systemTrustOption, systemTrustUsage } from '../system-trust-flag';

const tlsLabel = { ldaps: 'LDAPS', starttls: 'StartTLS', none: 'plaintext' } as const;

function tlsMode(value: unknown): 'ldaps' | 'starttls' {
  if (value === undefined || value === 'ldaps') return 'ldaps';
  if (value === 'starttls') return 'starttls';
  throw new UsageError('--tls takes ldaps or starttls');
}

async function trustFrom(values: Record<string, unknown>) {
  const pins = values.pin === undefined ? [] : ([] as unknown[]).concat(values.pin).map(String);
  return {
    ...(typeof values.ca === 'string' ? { caPem: await readPemFile(values.ca) } : {}),
    pinnedFingerprints: pins,
  };
}

/** What both commands take: how to connect, whom to trust, whom to sign in as. */
const connectionOptions = {
  tls: { type: 'string' },
  ca: { type: 'string' },
  pin: { type: 'string', multiple: true },
  user: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
  ...systemTrustOption,
} as const;

function testSummary(result: AdTestResult): string {
  return [
    `OK: signed in to ${result.rootDse.dnsHostName ?? result.host} (${result.host}:${result.port}, ${tlsLabel[result.tls]}) as ${result.boundAs} in ${result.elapsedMs} ms`,
    `Domain:      ${result.rootDse.defaultNamingContext}`,
    `Site:        ${result.rootDse.site ?? 'unknown'}`,
    ...(result.certificate
      ? [
          `Certificate: ${result.certificate.subject}`,
          `Fingerprint: ${result.certificate.fingerprint}`,
          ...(result.certificate.vouchedBy
            ? [`Trust:       ${vouchedByLabel[result.certificate.vouchedBy]}`]
            : []),
        ]
      : []),
    '',
  ].join('\n');
}

export const adTestCommand: CliCommand = {
  words: ['ad', 'test'],
  summary: 'Connect to a domain controller over LDAPS or StartTLS and sign in as the service account.',
  usage: `ad test --host H [--port P] [--tls ldaps|starttls] [--ca FILE] [--pin SHA256] ${systemTrustUsage} --user U --password-stdin [--timeout-ms N] [--json]`,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    ...connectionOptions,
  },
  async run({ values }, { io, router }) {
    if (typeof values.host !== 'string') throw new UsageError('ad test needs --host');
    if (typeof values.user !== 'string') throw new UsageError('ad test needs --user');
    if (values['password-stdin'] !== true)
      throw new UsageError(
        'ad test needs --password-stdin (passwords are never taken from the command line)',
      );
    const tls = tlsMode(values.tls);
    const timeoutMs = positiveInt(values['timeout-ms'], '--timeout-ms');
    const result = await router.invoke(
      'ad:test',
      {
        target: {
          host: values.host,
          port: positiveInt(values.port, '--port') ?? (tls === 'ldaps' ? 636 : 389),
          tls,
        },
        trust: await trustFrom(values),
        bindUser: values.user,
        password: await passwordFromStdin(io),
        ...(timeoutMs ? { timeoutMs } : {}),
      },
      contextWithTrust(values),
    );
    return printResult(result, values.json === true, io, testSummary);
  },
};

function discoverSummary(result: DiscoverResult): string {
  const rows = [
    ['HOST', 'ADDRESSES', 'PORT', 'SITE', 'GC', 'OS', 'REACHABLE', 'LATENCY'],
    ...result.controllers.map((dc) => [
      dc.hostName,
      dc.addresses.join(',') || '-',
      String(dc.port),
      dc.site ?? '-',
      dc.globalCatalog === null ? '-' : dc.globalCatalog ? 'yes' : 'no',
      dc.operatingSystem ?? '-',
      dc.reachable ? 'yes' : `no (${dc.error?.code ?? 'unknown'})`,
      dc.latencyMs === null ? '-' : `${dc.latencyMs} ms`,
    ]),
  ];
  const table = formatTable(rows);
  return [
    `${result.controllers.length} domain controller(s) of ${result.domain} in ${result.elapsedMs} ms`,
    ...(result.controllers.length ? [table] : []),
    ...result.warnings.map((warning) => `Warning (${warning.code}): ${warning.message}`),
    '',
  ].join('\n');
}

export const adDiscoverCommand: CliCommand = {
  words: ['ad', 'discover'],
  summary:
    'Find the domain controllers of a domain (DNS SRV, and the directory with credentials) and probe them.',
  usage: `ad discover --domain D [--dns-server IP[:PORT]] [--site S] [--tls ldaps|starttls] [--user U --password-stdin] [--ca FILE] ${systemTrustUsage} [--timeout-ms N] [--json]`,
  options: {
    domain: { type: 'string' },
    'dns-server': { type: 'string' },
    site: { type: 'string' },
    ...connectionOptions,
  },
  async run({ values }, { io, router }) {
    if (typeof values.domain !== 'string') throw new UsageError('ad discover needs --domain');
    if ((typeof values.user === 'string') !== (values['password-stdin'] === true)) {
      throw new UsageError('--user and --password-stdin go together');
    }
    const timeoutMs = positiveInt(values['timeout-ms'], '--timeout-ms');
    const result = await router.invoke(
      'ad:discoverControllers',
      {
        domain: values.domain,
        ...(typeof values['dns-server'] === 'string' ? { dnsServer: values['dns-server'] } : {}),
        ...(typeof values.site === 'string' ? { site: values.site } : {}),
        tls: tlsMode(values.tls),
        trust: await trustFrom(values),
        ...(typeof values.user === 'string'
          ? { bindUser: values.user, password: await passwordFromStdin(io) }
          : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      },
      contextWithTrust(values),
    );
    return printResult(result, values.json === true, io, discoverSummary);
  },
};
