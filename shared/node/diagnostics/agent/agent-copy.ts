import type { AgentConnection } from '../../../common/agent/agent-api';
import type { MicrosoftOnlineConnection } from '../../../common/connections/connection';
import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';
import type { StageFinding } from '../stage-runner';

export type CopyFinding = StageFinding;

const updateHint =
  'Use Update Remote Agent on the connection’s Remote Agent tab (CLI: "agent update --domain D"), or Repair in the Agents view.';

/**
 * The agent's copy of a domain against the connection: none is a failure (the agent cannot sign in for it);
 * one without the secret too. A copy of another revision works, perhaps with old settings: a warning.
 */
export function copyFinding(
  copy: AgentConnection | null,
  connection: MicrosoftOnlineConnection,
  url: string,
): CopyFinding {
  const domain = connection.tenantDomain;
  const revision = connection.updatedAt;
  const interactive = connection.authMode === 'deviceCode' || connection.authMode === 'browser';
  if (!copy && interactive)
    throw new AppFailure({
      code: AppErrorCode.agentUnknownDomain,
      message: `The Remote Agent at ${url} has no copy of ${domain}, and cannot have one: a ${connection.authMode === 'browser' ? 'browser' : 'device-code'} sign-in needs a person at the screen.`,
      hint: 'Use a certificate or a client secret for the agent (Set up certificate sign-in), then Update Remote Agent.',
      detail: { url, domain, authMode: connection.authMode },
    });
  if (!copy)
    throw new AppFailure({
      code: AppErrorCode.agentUnknownDomain,
      message: `The Remote Agent at ${url} has no copy of ${domain}.`,
      hint: updateHint,
      detail: { url, domain },
    });
  if (!copy.hasSecret)
    throw new AppFailure({
      code: AppErrorCode.agentCopyStale,
      message: `The Remote Agent’s copy of ${domain} has no secret to sign in with.`,
      hint: updateHint,
      detail: { url, domain, revision: copy.revision ?? null },
    });
  const held = copy.revision ?? null;
  if (held === revision) return { detail: `revision ${held}, the same as this computer’s` };
  const newer = held !== null && Date.parse(held) > Date.parse(revision);
  return {
    detail: `revision ${held ?? 'none'}; this computer’s is ${revision}`,
    warning: {
      code: AppErrorCode.agentCopyStale,
      message:
        held === null
          ? `The Remote Agent’s copy of ${domain} carries no revision (an older utility pushed it), so it may differ from this computer’s.`
          : newer
            ? `The Remote Agent’s copy of ${domain} is newer than this computer’s connection: another computer pushed it.`
            : `The Remote Agent’s copy of ${domain} is older than this computer’s connection, so it signs in with older settings.`,
      hint: newer
        ? 'Update Remote Agent from the computer that has the current connection, or import it here first.'
        : updateHint,
      detail: { url, domain, agentRevision: held, revision },
    },
  };
}
