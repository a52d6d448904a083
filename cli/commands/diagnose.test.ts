import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DiagnoseResult,
  DiagnoseResultSchema,
  DiagnosticsBundleResultSchema,
} from '../../shared/common/diagnostics/diagnosis';
import {
  directoryRefused,
  onlineBothSides,
} from '../../shared/node/diagnostics/bundle/fixtures/diagnose-results';
import { unzipWithOtherTools } from '../../shared/node/diagnostics/bundle/fixtures/marker-scan';
import {
  directoryConnection,
  standInHost,
} from '../../shared/node/diagnostics/bundle/fixtures/stand-in-host';
import { runCliInProcess } from '../run-cli-in-process';
import { diagnosisText } from './diagnose-text';

// The CLI's diagnose through the real router, store and Export diagnostics; diagnostics:run answers with results
// built in the fixtures (the engine's own tests measure real stages).

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const fabrikam = {
  kind: 'microsoftOnline',
  name: 'Fabrikam',
  tenantDomain: 'fabrikam.test',
  authMode: 'clientSecret',
  clientId: '6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10',
  secret: 'not-a-real-secret',
};

/** contoso.test (AD, refused at TCP 636) and fabrikam.test (Microsoft Online: by default both sides, the agent
 * host failing at TLS). */
async function setUp(onlineResult: (id: string) => DiagnoseResult = onlineBothSides) {
  const results = new Map<string, (id: string) => DiagnoseResult>();
  const host = standInHost({ host: 'cli', results });
  closers.push(host.close);
  const contoso = await host.save(directoryConnection('contoso.test', 'Contoso AD'));
  const online = await host.save(fabrikam);
  results.set(online, onlineResult);
  return { host, contoso, online, cli: (...argv: string[]) => runCliInProcess(host.router, argv) };
}

const zipTarget = () => join(mkdtempSync(join(tmpdir(), 'cu-cli-bundle-')), 'support.zip');

describe('diagnose --domain', () => {
  it('prints the stages as a text waterfall and exits 1 when a stage fails', async () => {
    const { cli, host, contoso } = await setUp();
    const run = await cli('diagnose', '--domain', 'CONTOSO.test');
    expect(run.code).toBe(1);
    expect(host.requests).toEqual([{ connectionId: contoso, agent: false }]);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('contoso.test (Active Directory), this computer: FAILED in 17 ms');
    expect(lines[1]).toMatch(/^ {2}ok {4}DNS SRV _ldap\._tcp\.dc\._msdcs +12 ms {2}#{24} {2}1 controller$/);
    expect(lines[2]).toBe('  dc1.contoso.test');
    expect(lines[3]).toMatch(/^ {4}ok {4}DNS A +3 ms {2}#{6} +127\.0\.0\.1$/);
    expect(lines[4]).toMatch(/^ {4}FAIL {2}TCP 636 +2 ms {2}#{4}$/);
    expect(lines[5]).toBe(
      '          Error (ad.connectionRefused): dc1.contoso.test refused the connection on port 636.',
    );
    expect(lines[6]).toBe(
      '          Next step: Check that the domain controller runs LDAPS and that no firewall blocks port 636.',
    );
    expect(lines[7]).toMatch(/^ {4}skip {2}TLS +0 ms$/);
    // The columns line up: every duration ends at the same place.
    const ends = lines
      .filter((line) => / ms( |$)/.test(line) && /^ +(ok|FAIL|skip|WARN)/.test(line))
      .map((line) => line.indexOf(' ms') + 3);
    expect(new Set(ends).size).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('--agent --json prints the DiagnoseResult: both sides, the agent and the difference', async () => {
    const { cli, host, online } = await setUp();
    const run = await cli('diagnose', '--domain', 'fabrikam.test', '--agent', '--json');
    // The agent host's TLS failed: that is a failed stage too.
    expect(run.code).toBe(1);
    expect(host.requests).toEqual([{ connectionId: online, agent: true }]);
    const result = DiagnoseResultSchema.parse(JSON.parse(run.stdout));
    expect(result).toEqual(onlineBothSides(online));

    const text = await cli('diagnose', '--domain', 'fabrikam.test', '--agent');
    expect(text.stdout).toContain(
      'fabrikam.test (Microsoft Online), this computer: ok with warnings in 490 ms',
    );
    expect(text.stdout).toContain(
      'fabrikam.test (Remote Agent), the Remote Agent, probed from this computer: ok in 13 ms',
    );
    expect(text.stdout).toContain(
      'fabrikam.test (Microsoft Online), the Remote Agent host: FAILED in 130 ms',
    );
    expect(text.stdout).toMatch(/ {2}WARN {2}Clock skew +0 ms +skew 150 s\n {8}Warning \(entra\.clockSkew\)/);
    expect(text.stdout).toContain(
      "Difference: Works here, fails on the agent host at TLS: the certificate is issued by 'Corp Proxy CA'",
    );
  });

  it('exits 0 when no stage failed, warnings and all', async () => {
    const { cli } = await setUp((id) => ({
      ...onlineBothSides(id),
      remoteAgent: null,
      agentHost: null,
      difference: null,
    }));
    const run = await cli('diagnose', '--domain', 'fabrikam.test');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('this computer: ok with warnings');
    expect(run.stdout).not.toContain('Remote Agent');
  });

  it('refuses a domain that names two connections (exit 2), listing them with the --kind that selects each', async () => {
    const { cli, host } = await setUp();
    const adFabrikam = await host.save(directoryConnection('fabrikam.test', 'Fabrikam AD'));
    const run = await cli('diagnose', '--domain', 'fabrikam.test');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fabrikam.test names 2 connections: add --kind ad or --kind entra');
    expect(run.stderr).toContain('  --domain fabrikam.test --kind ad  (Fabrikam AD)');
    expect(run.stderr).toContain('  --domain fabrikam.test --kind entra  (Fabrikam)');
    expect(host.requests).toEqual([]);
    const chosen = await cli('diagnose', '--domain', 'fabrikam.test', '--kind', 'ad');
    expect(chosen.code).toBe(1);
    expect(host.requests).toEqual([{ connectionId: adFabrikam, agent: false }]);
  });

  it('refuses a domain with no connection (exit 2), listing the stored ones', async () => {
    const { cli, host } = await setUp();
    const run = await cli('diagnose', '--domain', 'nowhere.test');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('there is no stored connection for nowhere.test');
    expect(run.stderr).toContain('--domain contoso.test --kind ad  (Contoso AD)');
    expect(host.requests).toEqual([]);
  });

  it.each([
    [[], 'diagnose needs --domain DOMAIN, or --bundle FILE'],
    [
      ['--domain', 'contoso.test', '--domain', 'fabrikam.test'],
      'diagnose takes one --domain; several only with --bundle',
    ],
    [
      ['--domain', 'contoso.test', '--kind', 'printer'],
      "option '--kind <kind>' got a value it does not take",
    ],
  ])('usage error (exit 2) for diagnose %j', async (argv, message) => {
    const { cli, host } = await setUp();
    const run = await cli('diagnose', ...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run "connection-utility diagnose --help"');
    expect(host.requests).toEqual([]);
  });
});

describe('diagnose --bundle', () => {
  it('diagnoses every connection and writes the zip, listing its files', async () => {
    const { cli, host, contoso, online } = await setUp();
    const target = zipTarget();
    const run = await cli('diagnose', '--bundle', target);
    expect(run.code).toBe(0);
    expect(host.asked).toEqual([]);
    expect(host.diagnosed().sort()).toEqual([contoso, online].sort());
    expect(run.stdout).toMatch(
      new RegExp(`^OK: wrote ${target} \\([\\d,]+ bytes\\):\\n {2}manifest\\.json\\n`),
    );
    expect(run.stdout).toContain(`  diagnoses/contoso.test-activeDirectory-${contoso}.html\n`);
    expect(run.stdout).toContain(`  diagnoses/fabrikam.test-microsoftOnline-${online}.html\n`);
    // Progress for a person, on stderr.
    expect(run.stderr).toContain('Writing the bundle');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const { test, files } = unzipWithOtherTools(target);
    expect(test).toMatch(/No errors detected/);
    expect(files).toHaveLength(9);
  });

  it('--domain picks the connections; --json prints the result', async () => {
    const { cli, host, online } = await setUp();
    const target = zipTarget();
    const run = await cli('diagnose', '--bundle', target, '--domain', 'fabrikam.test', '--agent', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(host.requests).toEqual([expect.objectContaining({ connectionId: online, agent: true })]);
    const result = DiagnosticsBundleResultSchema.parse(JSON.parse(run.stdout));
    expect(result).toMatchObject({ saved: true, file: target });
    expect(result.saved && result.entries.filter((entry) => entry.startsWith('diagnoses/'))).toEqual([
      `diagnoses/fabrikam.test-microsoftOnline-${online}.json`,
      `diagnoses/fabrikam.test-microsoftOnline-${online}.html`,
    ]);
  });

  it('exits 1 with the error when the folder does not exist', async () => {
    const { cli } = await setUp();
    const target = join(mkdtempSync(join(tmpdir(), 'cu-cli-bundle-')), 'missing', 'support.zip');
    const run = await cli('diagnose', '--bundle', target);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Error (diagnostics.bundleIoFailed): The diagnostics bundle could not be written to ${target}.`,
    );
  });

  it('exits 2 when there is nothing to diagnose', async () => {
    const host = standInHost({ host: 'cli' });
    closers.push(host.close);
    const run = await runCliInProcess(host.router, ['diagnose', '--bundle', zipTarget()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('there is nothing to diagnose\nThere are no stored connections.');
  });
});

describe('diagnosisText', () => {
  it('scales the bars to the longest stage of the whole result', () => {
    const text = diagnosisText(onlineBothSides('6f1c3a52-8f0e-4a43-9b53-2f0b1b7c9d10'));
    // Sign-in, 300 ms, is the longest: the full 24; TLS on the agent host, 70 ms: 6.
    expect(text).toMatch(/ok {4}Sign-in +300 ms {2}#{24}\n/);
    expect(text).toMatch(
      /FAIL {2}TLS to login\.microsoftonline\.com +70 ms {2}#{6} +issued by 'Corp Proxy CA'\n/,
    );
    expect(directoryRefused('x').thisComputer.status).toBe('fail');
  });
});
