import type { Socket } from 'node:net';
import type { MicrosoftOnlineConnection } from '../../common/connections/connection';
import type { Diagnosis, Stage } from '../../common/diagnostics/diagnosis';
import { AppFailure } from '../../common/errors/app-error';
import { type Endpoints, endpointsFor } from '../entra/cloud-endpoints';
import type { SignedIn } from '../entra/sign-in';
import { tenantGraphOptions } from '../entra/tenant-graph-reads';
import type { TrustSources } from '../tls/trust-anchors';
import { fetchTenantMetadata, type MetadataAnswer, tenantMetadataOf } from './online/authority-metadata';
import { skewSeconds, skewVerdict } from './online/clock-skew';
import { resolvedSentence, resolveHost } from './online/dns-stage';
import { freshSignIn, isUnattended } from './online/fresh-sign-in';
import { graphStageNames, graphStagesFor, runGraphStages } from './online/graph-stages';
import { type ProxyChoice, proxyChoice } from './online/proxy-choice';
import { endpointOf, openConnection, openTunnel } from './online/tcp-probe';
import { tlsHandshake, tlsVerdict } from './online/tls-probe';
import { StageRun } from './stage-runner';

/** The Microsoft Online fields a diagnosis reads: the utility's connection, or the agent's copy mapped to it. */
export type OnlineConnectionFields = Pick<
  MicrosoftOnlineConnection,
  | 'tenantDomain'
  | 'authMode'
  | 'userPrincipalName'
  | 'clientId'
  | 'certificatePem'
  | 'cloud'
  | 'authorityHost'
  | 'graphHost'
  | 'caPem'
>;

export interface OnlineDiagnosisInput {
  connection: OnlineConnectionFields;
  /** Password, client secret or PEM private key, by auth mode; null: none stored. Never reported. */
  secret: string | null;
  /** False: only the bundled roots and the connection's CA count (Settings, or the agent's --no-system-trust). */
  trustSystemStore?: boolean;
  /** Per network step; 15 s unless said. */
  timeoutMs?: number;
}

export interface OnlineDiagnosisOptions {
  side: Diagnosis['side'];
  signal?: AbortSignal;
  onStage?: (stage: Stage) => void;
}

const modeNames: Record<OnlineConnectionFields['authMode'], string> = {
  password: 'password',
  clientSecret: 'client secret',
  certificate: 'certificate',
  deviceCode: 'device code',
  browser: 'browser',
};

/**
 * The Microsoft Online stages from this host (the utility's computer, or the Remote Agent's host): DNS, the proxy
 * and how it was chosen, TCP and TLS to the authority (naming the issuer; a TLS-inspecting proxy as such), the
 * tenant's OpenID metadata, the clock against the authority's `Date`, a sign-in with the stored credential, and
 * each Graph call of the tenant test, those that do not depend on each other at once. A stage that fails skips
 * those that need it; the diagnosis itself fails only when cancelled.
 */
export async function diagnoseOnline(
  input: OnlineDiagnosisInput,
  options: OnlineDiagnosisOptions,
): Promise<Diagnosis> {
  const { connection } = input;
  const run = new StageRun(
    'microsoftOnline',
    options.side,
    connection.tenantDomain,
    options.onStage,
    options.signal,
  );
  const timeoutMs = input.timeoutMs ?? 15_000;
  const signal = options.signal;
  const trust: TrustSources = {
    ...(connection.caPem ? { caPem: connection.caPem } : {}),
    ...(input.trustSystemStore === false ? { trustSystemStore: false } : {}),
  };
  const userKind =
    connection.authMode === 'clientSecret' || connection.authMode === 'certificate' ? 'app' : 'user';
  const graphPlan = graphStagesFor(userKind, connection.userPrincipalName);
  const skipFrom = (ids: readonly string[], names: Record<string, string>, reason: string) => {
    for (const id of ids) run.skip(id, names[id] ?? id, reason);
  };

  let endpoints: Endpoints;
  try {
    endpoints = endpointsFor(connection.cloud, {
      ...(connection.authorityHost ? { authorityHost: connection.authorityHost } : {}),
      ...(connection.graphHost ? { graphHost: connection.graphHost } : {}),
    });
  } catch (error) {
    await run.stage('online.dns', 'DNS', async () => {
      throw error;
    });
    return run.finish();
  }
  const authority = new URL(endpoints.authorityHost);
  const graphUrl = new URL(endpoints.graphHost);
  const host = authority.host;
  const choice = proxyChoice(authority);
  const graphChoice = proxyChoice(graphUrl);
  const names: Record<string, string> = {
    'online.tcp': choice.proxy
      ? `TCP to the proxy ${new URL(choice.proxy).host}`
      : `TCP ${endpointOf(authority).port} to ${authority.hostname}`,
    'online.tls': `TLS to ${host}`,
    'online.metadata': `OpenID metadata of ${connection.tenantDomain}`,
    'online.clock': `Clock against ${host}`,
    'online.signIn': `Sign-in (${modeNames[connection.authMode]})`,
    ...graphStageNames,
  };
  const afterTcp = ['online.tls', 'online.metadata', 'online.clock', 'online.signIn', ...graphPlan];

  const hosts = [...new Set([authority.hostname, graphUrl.hostname])];
  const resolved = await run.stage(
    'online.dns',
    `DNS: ${hosts.join(' and ')}`,
    () =>
      Promise.all(
        hosts.map((name) =>
          resolveHost(name, {
            viaProxy: (name === authority.hostname ? choice : graphChoice).proxy !== null,
            timeoutMs,
          }),
        ),
      ),
    { finding: (found) => ({ detail: resolvedSentence(found) }) },
  );

  await run.stage('online.proxy', 'Proxy', async () => [choice, graphChoice], {
    finding: ([forAuthority, forGraph]: ProxyChoice[]) => ({
      detail:
        forGraph && forGraph.sentence !== forAuthority?.sentence
          ? `${authority.hostname}: ${forAuthority?.sentence}; ${graphUrl.hostname}: ${forGraph.sentence}`
          : (forAuthority?.sentence ?? ''),
    }),
  });
  if (!resolved) {
    skipFrom(['online.tcp', ...afterTcp], names, 'needs DNS');
    return run.finish();
  }

  const target = endpointOf(authority);
  const socket = await run.stage<Socket>(
    'online.tcp',
    names['online.tcp'] ?? 'TCP',
    async () => {
      if (!choice.proxy || !choice.proxyUrl)
        return openConnection(target, { timeoutMs, proxy: null, ...(signal ? { signal } : {}) });
      const proxyUrl = new URL(
        choice.proxyUrl.includes('://') ? choice.proxyUrl : `http://${choice.proxyUrl}`,
      );
      const viaProxy = await openConnection(
        {
          host: proxyUrl.hostname.replace(/^\[|\]$/g, ''),
          port: Number(proxyUrl.port) || (proxyUrl.protocol === 'https:' ? 443 : 80),
        },
        {
          timeoutMs,
          proxy: choice.proxy,
          ...(proxyUrl.protocol === 'https:' ? { proxyTls: trust } : {}),
          ...(signal ? { signal } : {}),
        },
      );
      return openTunnel(viaProxy, target, choice.proxyUrl, { timeoutMs, ...(signal ? { signal } : {}) });
    },
    {
      finding: () => ({
        detail: choice.proxy
          ? `connected to ${choice.proxy}; it opened a tunnel to ${host}`
          : `connected to ${target.host}:${target.port}`,
      }),
    },
  );
  if (!socket) {
    skipFrom(afterTcp, names, choice.proxy ? 'needs the tunnel through the proxy' : 'needs a TCP connection');
    return run.finish();
  }

  const tls = await run
    .stage(
      'online.tls',
      names['online.tls'] ?? 'TLS',
      async () =>
        tlsVerdict(await tlsHandshake(socket, target, trust, { timeoutMs, ...(signal ? { signal } : {}) }), {
          host,
          side: options.side,
          proxy: choice.proxy,
          trustSystemStore: input.trustSystemStore !== false,
        }),
      { finding: (detail) => ({ detail }) },
    )
    .finally(() => socket.destroy());
  if (tls === undefined) {
    skipFrom(afterTcp.slice(1), names, 'needs a trusted TLS session');
    return run.finish();
  }

  const request = {
    authorityHost: endpoints.authorityHost,
    tenantDomain: connection.tenantDomain,
    timeoutMs,
    ...trust,
    ...(signal ? { signal } : {}),
  };
  let answer: MetadataAnswer | undefined;
  const metadata = await run.stage(
    'online.metadata',
    names['online.metadata'] ?? 'OpenID metadata',
    async () => {
      answer = await fetchTenantMetadata(request);
      return tenantMetadataOf(answer, request);
    },
    { finding: (found) => ({ detail: found.tenantId ? `tenant ${found.tenantId}` : 'found' }) },
  );

  // The answer's Date is read whatever the answer said: an unknown tenant still tells the time.
  const dated = answer;
  const skew = dated ? skewSeconds(dated) : null;
  if (skew === null)
    run.skip(
      'online.clock',
      names['online.clock'] ?? 'Clock',
      dated ? `${host} sent no Date header` : 'needs an answer from the authority',
    );
  else
    await run.stage(
      'online.clock',
      names['online.clock'] ?? 'Clock',
      async () => {
        const verdict = skewVerdict(skew, host);
        if (verdict.failure) throw new AppFailure(verdict.failure);
        return verdict;
      },
      {
        finding: (verdict) => ({
          detail: verdict.detail,
          ...(verdict.warning ? { warning: verdict.warning } : {}),
        }),
      },
    );

  if (!metadata) {
    skipFrom(['online.signIn', ...graphPlan], names, 'needs the tenant’s OpenID metadata');
    return run.finish();
  }
  const mode = connection.authMode;
  if (!isUnattended(mode)) {
    run.skip(
      'online.signIn',
      names['online.signIn'] ?? 'Sign-in',
      `${modeNames[mode]} sign-in needs a person at the screen: test the connection to sign in`,
    );
    skipFrom(graphPlan, names, 'needs a sign-in');
    return run.finish();
  }
  const session = await run.stage<SignedIn>(
    'online.signIn',
    names['online.signIn'] ?? 'Sign-in',
    () =>
      freshSignIn({
        mode,
        domain: connection.tenantDomain,
        ...(connection.clientId ? { clientId: connection.clientId } : {}),
        ...(connection.userPrincipalName ? { userPrincipalName: connection.userPrincipalName } : {}),
        ...(input.secret ? { secret: input.secret } : {}),
        ...(connection.certificatePem ? { certificatePem: connection.certificatePem } : {}),
        endpoints,
        ...trust,
        timeoutMs,
        ...(signal ? { signal } : {}),
      }),
    { finding: (signedIn) => ({ detail: `as ${signedIn.principal.name}` }) },
  );
  if (!session) {
    skipFrom(graphPlan, names, 'needs a sign-in');
    return run.finish();
  }

  // One try each: a throttled or unavailable Graph is a finding here, not something to wait out.
  const graph = tenantGraphOptions(
    { timeoutMs, ...trust, ...(signal ? { signal } : {}), maxTries: 1 },
    endpoints,
    session.accessToken,
  );
  await runGraphStages(run, graph, session, connection);
  return run.finish();
}
