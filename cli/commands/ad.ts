import { TlsModeSchema } from '../../shared/common/connections/connection';
import { DnsServerSchema } from '../../shared/common/connections/fields';
import type { AdTestResult } from '../../shared/common/directory/directory-test';
import type { DiscoverResult } from '../../shared/common/directory/discovery';
import { vouchedByLabel } from '../../shared/common/directory/vouched-by-label';
import { defineCommand } from '../cli-command';
import { UsageError } from '../cli-io';
import { flag, oneOfOr, repeated, requiredText, tcpPort, text, wholeNumber } from '../cli-options';
import { passwordFromStdin, readNamedFile } from '../cli-secrets';
import { formatTable } from '../format-table';
import { jsonOption } from '../json-option';
import { printResult } from '../print-result';
import { contextWithTrust, noSystemTrustOption } from '../system-trust-flag';

const tlsLabel: Record<AdTestResult['tls'], string> = {
  ldaps: 'LDAPS',
  starttls: 'StartTLS',
  none: 'plaintext',
};

/** The CLI never connects in plaintext: a typed password would cross the network in clear. */
const cliTlsModes = TlsModeSchema.exclude(['none']).options;

/** What both commands take: how to connect, whom to trust, whom to sign in as. */
const connectionOptions = {
  tls: oneOfOr('--tls <mode>', 'LDAPS (port 636) or StartTLS (port 389)', cliTlsModes, 'ldaps'),
  ca: text('--ca <file>', 'a PEM file of CA certificates to trust for this connection'),
  pin: repeated('--pin <sha256>', 'accept the certificate with this SHA-256 fingerprint, whatever its chain'),
  dnsServer: text('--dns-server <ip[:port]>', "resolve names through the domain's DNS server"),
  user: text('--user <account>', 'the service account: user@domain, DOMAIN\\user or a DN'),
  passwordStdin: flag('--password-stdin', "read the account's password from standard input"),
  timeoutMs: wholeNumber('--timeout-ms <ms>', 'give up after this many milliseconds'),
  noSystemTrust: noSystemTrustOption('--ca/--pin'),
  json: jsonOption,
};

async function trustFrom(values: { ca: string | undefined; pin: string[] }) {
  return {
    ...(values.ca === undefined ? {} : { caPem: await readNamedFile(values.ca) }),
    pinnedFingerprints: values.pin,
  };
}

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

export const adTestCommand = defineCommand({
  words: ['ad', 'test'],
  summary: 'Connect to a domain controller over LDAPS or StartTLS and sign in as the service account.',
  help: `Example:
  echo "$PASSWORD" | connection-utility ad test --host dc1.contoso.com --user svc@contoso.com \\
      --password-stdin`,
  options: {
    host: requiredText('--host <host>', 'the domain controller: a name or an address'),
    port: tcpPort('--port <port>', 'default 636 for LDAPS, 389 for StartTLS'),
    ...connectionOptions,
    user: requiredText('--user <account>', 'the service account: user@domain, DOMAIN\\user or a DN'),
  },
  async run(values, { io, router }) {
    if (!values.passwordStdin)
      throw new UsageError(
        'ad test needs --password-stdin (passwords are never taken from the command line)',
      );
    const dnsServer =
      values.dnsServer === undefined ? undefined : DnsServerSchema.safeParse(values.dnsServer);
    if (dnsServer && !dnsServer.success)
      throw new UsageError('--dns-server takes an IP address, IP:PORT or [IPv6]:PORT');
    const test = async () =>
      router.invoke(
        'ad:test',
        {
          target: {
            host: values.host,
            port: values.port ?? (values.tls === 'ldaps' ? 636 : 389),
            tls: values.tls,
          },
          trust: await trustFrom(values),
          bindUser: values.user,
          password: await passwordFromStdin(io),
          ...(values.timeoutMs ? { timeoutMs: values.timeoutMs } : {}),
        },
        contextWithTrust(values.noSystemTrust),
      );
    const result = dnsServer
      ? await (await import('../../shared/node/directory/name-resolution')).resolveNamesThrough(
          dnsServer.data,
          test,
        )
      : await test();
    return printResult(result, values.json, io, testSummary);
  },
});

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

export const adDiscoverCommand = defineCommand({
  words: ['ad', 'discover'],
  summary:
    'Find the domain controllers of a domain (DNS SRV, and the directory with credentials) and probe them.',
  options: {
    domain: requiredText('--domain <domain>', 'the Active Directory domain, e.g. contoso.com'),
    site: text('--site <site>', "this computer's site: its domain controllers come first"),
    ...connectionOptions,
  },
  async run(values, { io, router }) {
    if ((values.user !== undefined) !== values.passwordStdin) {
      throw new UsageError('--user and --password-stdin go together');
    }
    const result = await router.invoke(
      'ad:discoverControllers',
      {
        domain: values.domain,
        ...(values.dnsServer === undefined ? {} : { dnsServer: values.dnsServer }),
        ...(values.site === undefined ? {} : { site: values.site }),
        tls: values.tls,
        trust: await trustFrom(values),
        ...(values.user === undefined
          ? {}
          : { bindUser: values.user, password: await passwordFromStdin(io) }),
        ...(values.timeoutMs ? { timeoutMs: values.timeoutMs } : {}),
      },
      contextWithTrust(values.noSystemTrust),
    );
    return printResult(result, values.json, io, discoverSummary);
  },
});
