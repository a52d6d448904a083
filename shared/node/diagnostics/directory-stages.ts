import type { ActiveDirectoryConnection } from '../../common/connections/connection';
import { expiryState } from '../../common/connections/expiry';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';
import { withDeadline } from '../directory/deadline';
import { directoryError } from '../directory/directory-errors';
import type { DirectorySession } from '../directory/directory-session';
import { type PasswordExpiry, readPasswordExpiry } from '../directory/expiry-password';
import { querySrv, type SrvRecord } from '../directory/srv-query';
import { controllerStages, type LiveController, planControllers } from './directory/controller-stages';
import { type StageLane, StageRun } from './stage-runner';

export interface DirectoryDiagnosisInput {
  connection: ActiveDirectoryConnection;
  /** The password bound to this connection; null when none is stored (the bind then fails, saying so). */
  password: string | null;
  trustSystemStore: boolean;
  /** Per network stage. */
  timeoutMs?: number;
}

export interface DiagnosisOptions {
  signal?: AbortSignal;
  onStage?: (stage: Stage) => void;
}

const defaultTimeoutMs = 8000;

/** The locator record every AD client asks for; discovery and failover depend on it. */
const locatorName = (domain: string) => `_ldap._tcp.dc._msdcs.${domain}`;

/**
 * The domain's SRV records. The connection names its domain controllers itself, so missing records are a
 * warning: the saved targets still work, discovery and failover do not.
 */
async function srvStage(lane: StageLane, connection: ActiveDirectoryConnection, timeoutMs: number) {
  const name = locatorName(connection.domain);
  await lane.stage(
    'dns.srv',
    'DNS SRV',
    async (): Promise<{ records: SrvRecord[]; problem: string }> => {
      try {
        const records = await querySrv(name, {
          ...(connection.dnsServer ? { dnsServer: connection.dnsServer } : {}),
          timeoutMs: Math.max(200, Math.floor(timeoutMs / 2)),
          tries: 2,
        });
        return { records, problem: 'no records' };
      } catch (error) {
        return { records: [], problem: (error as NodeJS.ErrnoException).code ?? 'no answer' };
      }
    },
    {
      finding: ({ records, problem }) => {
        const hosts = [...new Set(records.map((record) => record.name.toLowerCase().replace(/\.$/, '')))];
        if (hosts.length) {
          const unlisted = [...new Set(connection.targets.map((target) => target.host.toLowerCase()))].filter(
            (host) => !hosts.includes(host),
          );
          return {
            detail: `${hosts.length} controller(s): ${hosts.join(', ')}${unlisted.length ? `; targets not listed: ${unlisted.join(', ')}` : ''}`,
          };
        }
        return {
          detail: `${name}: ${problem}`,
          warning: {
            code: AppErrorCode.adDnsFailed,
            message: `DNS has no domain controller records for ${connection.domain} (${problem}).`,
            hint: connection.dnsServer
              ? `Check that the DNS server ${connection.dnsServer} serves the zone of ${connection.domain}; the saved domain controllers are still tried.`
              : 'Enter the domain’s DNS server in the connection, or point this computer at it; the saved domain controllers are still tried.',
            detail: {
              name,
              problem,
              ...(connection.dnsServer ? { dnsServer: connection.dnsServer } : {}),
            },
          },
        };
      },
    },
  );
}

/** Why the bind cannot be tried with what is stored, or null when it can. */
function cannotBind(input: DirectoryDiagnosisInput, live: LiveController): AppFailure | null {
  if (input.password === null)
    return new AppFailure({
      code: AppErrorCode.adNoPassword,
      message:
        'There is no stored password to sign in with: none was saved, or the targets or trust changed since.',
      hint: 'Open the connection, type the service account’s password on the General page and save it.',
    });
  if (live.plan.target.tls === 'none')
    return new AppFailure({
      code: AppErrorCode.adSslRequired,
      message: 'A stored password is never sent over plaintext LDAP.',
      hint: 'Turn on Enable SSL (LDAPS on port 636, or StartTLS on 389).',
      detail: { host: live.plan.target.host, port: live.plan.target.port },
    });
  return null;
}

async function bindStages(
  run: StageRun,
  input: DirectoryDiagnosisInput,
  live: LiveController | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
) {
  const { connection } = input;
  const bindName = `Bind as ${connection.bindUser}`;
  if (!live) {
    run.skip('bind', bindName, 'no domain controller answered up to its rootDSE');
    run.skip('account', 'Service account', 'not signed in');
    return;
  }
  const { target } = live.plan;
  const client = live.session.client;
  const bound = await run.stage(
    'bind',
    bindName,
    async () => {
      const refused = cannotBind(input, live);
      if (refused) throw refused;
      const started = performance.now();
      try {
        await withDeadline(
          () => client.bind(connection.bindUser, input.password ?? ''),
          timeoutMs,
          signal,
          () => live.session.close(),
        );
      } catch (error) {
        throw new AppFailure(
          directoryError(error, {
            host: target.host,
            port: target.port,
            elapsedMs: performance.now() - started,
          }),
        );
      }
      return true;
    },
    { finding: () => ({ detail: `signed in on ${target.host}:${target.port}` }) },
  );
  if (!bound) {
    run.skip('account', 'Service account', 'not signed in');
    return;
  }
  await run.stage<PasswordExpiry>(
    'account',
    'Service account',
    () =>
      withDeadline(
        () => readPasswordExpiry(client, connection.bindUser, live.rootDse.defaultNamingContext),
        timeoutMs,
        signal,
        () => live.session.close(),
      ),
    { finding: (expiry) => accountFinding(connection.bindUser, expiry) },
  );
}

/** The account's password expiry: a warning within 30 days; it cannot have expired, the bind just worked. */
function accountFinding(bindUser: string, expiry: PasswordExpiry) {
  if (!expiry)
    return {
      detail: 'the directory does not show when the password expires (msDS-UserPasswordExpiryTimeComputed)',
    };
  if (expiry.notAfter === 'never') return { detail: `${expiry.account}: the password never expires` };
  const state = expiryState(expiry.notAfter, new Date());
  const on = expiry.notAfter.slice(0, 10);
  const detail = `${expiry.account}: the password expires on ${on}`;
  if (state.state === 'ok' || state.state === 'unknown') return { detail };
  return {
    detail,
    warning: {
      code: AppErrorCode.adPasswordExpiresSoon,
      message: `The password of ${bindUser} expires in ${state.daysLeft} day(s), on ${on}.`,
      hint: 'Set a new password in Active Directory (or "password never expires" for the service account), then save it in the connection and Update Remote Agent where it is used.',
      detail: { account: expiry.account, notAfter: expiry.notAfter, daysLeft: state.daysLeft },
    },
  };
}

/**
 * An Active Directory connection from this computer: DNS SRV beside every saved domain controller's own stages
 * (all in parallel), then the bind with the stored password on the first controller that answered, in the
 * saved order, and the service account's password expiry.
 */
export async function diagnoseDirectory(
  input: DirectoryDiagnosisInput,
  options: DiagnosisOptions = {},
): Promise<Diagnosis> {
  const { connection } = input;
  const timeoutMs = input.timeoutMs ?? defaultTimeoutMs;
  const run = new StageRun('activeDirectory', 'local', connection.domain, options.onStage, options.signal);
  const plans = planControllers(connection.targets);
  const [srvLane, ...dcLanes] = run.fork(1 + plans.length) as [StageLane, ...StageLane[]];
  const sessions: DirectorySession[] = [];
  const scope = {
    dnsServer: connection.dnsServer,
    trust: { ...connection.trust, trustSystemStore: input.trustSystemStore },
    timeoutMs,
    signal: options.signal,
    sessions,
  };
  try {
    const [, ...controllers] = await Promise.all([
      srvStage(srvLane, connection, timeoutMs),
      ...plans.map((plan, index) => controllerStages(dcLanes[index] as StageLane, plan, scope)),
    ]);
    const live = controllers.find((controller): controller is LiveController => controller !== null);
    await bindStages(run, input, live, timeoutMs, options.signal);
    return run.finish();
  } finally {
    for (const session of sessions) session.close();
  }
}
