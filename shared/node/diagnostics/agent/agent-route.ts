import { basename } from 'node:path';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import { AgentClient } from '../../agent/agent-client';
import { targetOfUrl } from '../../fleet/agent-target';
import { readRoutes } from '../../workflow-engine/routes-file';
import type { StageFinding } from '../stage-runner';

/** What this computer stores for one agent: the key it sends and the certificate pinned for it. */
export interface AgentAccess {
  apiKey: string | null;
  pinnedFingerprint: string | null;
}

export interface RouteCheck {
  domain: string;
  connectionId: string;
  /** The connection's agent and whether it holds the domain (null: it could not be asked). */
  own: { url: string; held: boolean | null };
  routesFile: string;
  timeoutMs: number;
  trustSystemStore: boolean;
  accessFor: (endpoint: { host: string; port: number; useTls: boolean }) => Promise<AgentAccess>;
  /** The stage's own: aborted on cancel or at its deadline, it ends the request to the route's agent. */
  signal?: AbortSignal;
}

const registerHint =
  'Use Update Agent in WE on the connection’s Remote Agent tab (CLI: "we register"), or Repair in the Agents view.';

/** Whether another agent holds the domain: true, false, or the sentence saying why it could not be told. */
async function otherAgentHolds(
  check: RouteCheck,
  endpoint: { host: string; port: number; useTls: boolean },
): Promise<boolean | string> {
  const access = await check.accessFor(endpoint);
  if (!access.apiKey) return 'no API key is stored for it';
  try {
    const { connections } = await new AgentClient({
      ...endpoint,
      apiKey: access.apiKey,
      timeoutMs: check.timeoutMs,
      trustSystemStore: check.trustSystemStore,
      pinnedFingerprint: endpoint.useTls ? access.pinnedFingerprint : null,
      ...(check.signal ? { signal: check.signal } : {}),
    }).list();
    return connections.some((copy) => copy.domain.toLowerCase() === check.domain.toLowerCase());
  } catch (error) {
    return error instanceof AppFailure ? error.appError.message : 'it could not be asked';
  }
}

/**
 * The routes file, its failures naming the file without its folder: a stage's facts go into the support
 * bundle, and the local path (a user name, a folder layout) is none of support's business.
 */
async function routesOf(routesFile: string): ReturnType<typeof readRoutes> {
  try {
    return await readRoutes(routesFile);
  } catch (error) {
    if (!(error instanceof AppFailure)) throw error;
    const name = basename(routesFile);
    const { hint, detail } = error.appError;
    throw new AppFailure({
      ...error.appError,
      ...(hint ? { hint: hint.replaceAll(routesFile, name) } : {}),
      ...(detail ? { detail: { ...detail, ...(detail.file === routesFile ? { file: name } : {}) } } : {}),
    });
  }
}

/**
 * The Workflow Engine's route for the domain: present, pointing at the connection's agent, and that agent
 * holding the domain. A route elsewhere works only if that agent holds the domain (a warning); else it fails.
 */
export async function routeStageBody(check: RouteCheck): Promise<StageFinding> {
  const { domain, own } = check;
  const { document } = await routesOf(check.routesFile);
  const key = Object.keys(document.routes).find((name) => name.toLowerCase() === domain.toLowerCase());
  const route = key === undefined ? undefined : document.routes[key];
  const facts = { domain, routesFile: basename(check.routesFile), agentUrl: own.url };
  if (!route)
    throw new AppFailure({
      code: AppErrorCode.weRouteMissing,
      message: `The Workflow Engine has no route for ${domain}, so it cannot reach any agent for it.`,
      hint: registerHint,
      detail: facts,
    });
  const routed = targetOfUrl(route.agentUrl);
  const otherConnection =
    route.connectionId === check.connectionId ? '' : ` (the route names connection ${route.connectionId})`;
  if (routed?.url === own.url) {
    if (own.held === false)
      throw new AppFailure({
        code: AppErrorCode.weRouteToAgentWithoutDomain,
        message: `The Workflow Engine routes ${domain} to ${own.url}, which has no copy of it.`,
        hint: 'Use Update Remote Agent on the connection to give the agent its copy.',
        detail: { ...facts, routedTo: route.agentUrl },
      });
    return { detail: `routes to ${own.url}, this connection’s agent${otherConnection}` };
  }
  const routedFacts = { ...facts, routedTo: route.agentUrl };
  if (!routed)
    throw new AppFailure({
      code: AppErrorCode.weRouteToOtherAgent,
      message: `The Workflow Engine’s route for ${domain} names "${route.agentUrl.slice(0, 200)}", which is not an agent’s address.`,
      hint: registerHint,
      detail: routedFacts,
    });
  const holds = await otherAgentHolds(check, routed);
  if (holds === true)
    return {
      detail: `routes to ${routed.url}${otherConnection}`,
      warning: {
        code: AppErrorCode.weRouteToOtherAgent,
        message: `The Workflow Engine routes ${domain} to ${routed.url}, not to this connection’s agent ${own.url}.`,
        hint: `${registerHint} That routes it to ${own.url}; or make ${routed.url} the connection’s Remote Agent.`,
        detail: routedFacts,
      },
    };
  if (holds === false)
    throw new AppFailure({
      code: AppErrorCode.weRouteToAgentWithoutDomain,
      message: `The Workflow Engine routes ${domain} to ${routed.url}, which has no copy of it.`,
      hint: `${registerHint} That routes it to ${own.url}, this connection’s agent.`,
      detail: routedFacts,
    });
  throw new AppFailure({
    code: AppErrorCode.weRouteToOtherAgent,
    message: `The Workflow Engine routes ${domain} to ${routed.url}, not to this connection’s agent, and that agent could not be asked: ${holds}`,
    hint: `${registerHint} That routes it to ${own.url}.`,
    detail: routedFacts,
  });
}
