import { join } from 'node:path';

// Where the agent keeps its own certificate: apart from agent-certificate.ts, so that readers of the files (the
// benchmark, `fingerprint`) need not load the X.509 library that makes them.

export const tlsFolderName = 'tls';

export const agentCertificateFiles = (dataDir: string) => ({
  certFile: join(dataDir, tlsFolderName, 'agent.crt'),
  keyFile: join(dataDir, tlsFolderName, 'agent.key'),
});
