import type { DiagnosisKind } from './diagnosis';

/** A diagnosis kind in words, as the CLI's text and the support bundle's report name it. */
export const diagnosisKindNames: Record<DiagnosisKind, string> = {
  activeDirectory: 'Active Directory',
  microsoftOnline: 'Microsoft Online',
  remoteAgent: 'Remote Agent',
};
