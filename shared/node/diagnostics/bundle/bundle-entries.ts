import type { AppInfo } from '../../../common/app-info';
import type { ConnectionView } from '../../../common/connections/connection';
import { type DiagnoseResult, DiagnoseResultSchema } from '../../../common/diagnostics/diagnosis';
import type { AppError } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { redact } from '../../logs/redact';
import { diagnosisReportHtml } from './html-report';
import { readLogTail } from './log-tail';
import { proxyFacts } from './proxy-facts';
import { trustFacts } from './trust-facts';
import { versionFacts } from './versions';
import type { ZipEntry } from './zip-archive';

/** One selected connection: its last diagnosis, or why there is none. */
export interface BundledDiagnosis {
  connectionId: string;
  /** The stored connection; null when it was deleted after its diagnosis. */
  connection: ConnectionView | null;
  result: DiagnoseResult | null;
  /** `session`: diagnosed earlier this session; `bundle`: diagnosed for this bundle. */
  diagnosedFor: 'session' | 'bundle' | null;
  /** Why it could not be diagnosed (or was not found). */
  error: AppError | null;
}

export interface BundleInputs {
  appInfo: AppInfo;
  createdAt: Date;
  diagnoses: readonly BundledDiagnosis[];
  systemStore: () => Promise<boolean>;
  agentKeyBindings: readonly string[];
}

/**
 * The last word on every byte that goes into the bundle: the log's own redaction (secret-named fields at any
 * depth; private keys, bearer tokens, JWTs, URL passwords and `password=…` inside any string), applied to the
 * values and then once more to the finished text.
 */
const redactedText = (text: string) => String(redact(text));
const jsonFile = (name: string, value: unknown): ZipEntry => ({
  name,
  data: Buffer.from(redactedText(`${JSON.stringify(redact(value), null, 2)}\n`), 'utf8'),
});
const textFile = (name: string, text: string): ZipEntry => ({
  name,
  data: Buffer.from(redactedText(text), 'utf8'),
});

/** A file name from the domain, the kind and the id: readable, unique, and only [a-z0-9.-]. */
function baseName(item: BundledDiagnosis): string {
  const domain = (item.result?.domain ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 80);
  const kind = item.result?.thisComputer.kind ?? 'connection';
  return `diagnoses/${domain ? `${domain}-` : ''}${kind}-${item.connectionId.toLowerCase()}`;
}

const domainOf = (connection: ConnectionView) =>
  connection.kind === 'activeDirectory' ? connection.domain : connection.tenantDomain;

const brokeContract: AppError = {
  code: AppErrorCode.internal,
  message: 'Its last diagnosis does not match the diagnosis contract, so it was left out of the bundle.',
  hint: 'Diagnose this connection again, then export again.',
};

/** The files of the support bundle, in the order they are listed; the manifest first, naming the rest. */
export async function bundleEntries(inputs: BundleInputs): Promise<ZipEntry[]> {
  const createdAt = inputs.createdAt.toISOString();
  const connections = inputs.diagnoses.flatMap((item) => (item.connection ? [item.connection] : []));
  const files: ZipEntry[] = [];
  const listed = inputs.diagnoses.map((item) => {
    const facts = {
      connectionId: item.connectionId,
      name: item.connection?.name ?? null,
      kind: item.connection?.kind ?? null,
      domain: item.connection ? domainOf(item.connection) : (item.result?.domain ?? null),
    };
    if (!item.result) return { ...facts, diagnosis: null, report: null, error: item.error };
    // Redacted, then read back through the contract: what goes in is a DiagnoseResult, nothing more. One that
    // breaks it (an agent's stage naming a secret in its detail) is left out, and the manifest says so.
    const parsed = DiagnoseResultSchema.safeParse(redact(item.result));
    if (!parsed.success) return { ...facts, diagnosis: null, report: null, error: brokeContract };
    const result = parsed.data;
    const base = baseName(item);
    files.push(
      jsonFile(`${base}.json`, result),
      textFile(
        `${base}.html`,
        diagnosisReportHtml(result, {
          connectionName: item.connection ? redactedText(item.connection.name) : null,
          appName: inputs.appInfo.appName,
          appVersion: inputs.appInfo.appVersion,
          createdAt,
        }),
      ),
    );
    return {
      ...facts,
      status: result.thisComputer.status,
      checkedAt: result.checkedAt,
      diagnosedFor: item.diagnosedFor,
      diagnosis: `${base}.json`,
      report: `${base}.html`,
      error: null,
    };
  });
  const log = await readLogTail(inputs.appInfo.userDataDir);
  const logName = 'logs/main.log';
  const environment = [
    jsonFile('versions.json', versionFacts(inputs.appInfo)),
    jsonFile('proxy.json', proxyFacts(connections)),
    jsonFile(
      'trust.json',
      await trustFacts({
        systemStore: inputs.systemStore,
        userDataDir: inputs.appInfo.userDataDir,
        connections,
        agentKeyBindings: inputs.agentKeyBindings,
      }),
    ),
    textFile(logName, log.text),
  ];
  const manifest = jsonFile('manifest.json', {
    bundle: `${inputs.appInfo.appName} diagnostics`,
    createdAt,
    connections: listed,
    log: { file: logName, from: log.files, linesLeftOut: log.linesLeftOut },
    files: [...environment, ...files].map((file) => file.name),
  });
  return [manifest, ...environment, ...files];
}
