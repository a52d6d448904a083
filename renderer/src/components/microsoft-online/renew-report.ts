import type { RenewCertificateReport } from '../../../../shared/common/connections/expiry-renewal';

// Renew certificate's report as the edit window shows it: what changed, and what is left for the admin to do.

const dateOf = (timestamp: string) => new Date(timestamp).toLocaleDateString();

/** The new certificate and the application it is registered on. */
export function renewedFacts(report: RenewCertificateReport): [string, string][] {
  return [
    ['New certificate thumbprint', report.newThumbprint],
    ['Valid until', dateOf(report.notAfter)],
    ['Previous thumbprint', report.oldThumbprint],
    ['Application (client) id', report.appId],
  ];
}

export interface AgentLine {
  url: string;
  updated: boolean;
  /** Why not, and what to do about it. */
  text: string;
}

/** One line per Remote Agent: given the new certificate, or not, with why and the next step. */
export function agentLines(report: RenewCertificateReport): AgentLine[] {
  return [
    ...report.agentsUpdated.map((url) => ({ url, updated: true, text: `${url} has the new certificate.` })),
    ...report.agentsNotUpdated.map(({ url, reason }) => ({
      url,
      updated: false,
      text: `${url} still has the old certificate: ${reason} Once it can be reached, use 1. Update Remote Agent on the Remote Agent tab, then remove the old certificate in the Entra admin center.`,
    })),
  ];
}

/** When no agent was asked: what the agent step found (no API key here, or the agent does not hold the domain). */
export function noAgentNote(report: RenewCertificateReport): string | null {
  if (report.agentsUpdated.length || report.agentsNotUpdated.length) return null;
  const step = report.steps.find((entry) => entry.step === 'Updating the Remote Agent');
  return step?.detail ?? 'No Remote Agent holds this domain: there was none to update.';
}

/** The old certificate: removed from the application, or kept, and why. */
export function oldCertificateLine(report: RenewCertificateReport): { removed: boolean; text: string } {
  if (report.removedOld)
    return {
      removed: true,
      text: `The old certificate (${report.oldThumbprint}) was removed from the application.`,
    };
  return {
    removed: false,
    text:
      report.oldKeyNote ??
      `The old certificate (${report.oldThumbprint}) stays registered on the application: remove it in the Entra admin center once nothing uses it.`,
  };
}
