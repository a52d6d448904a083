/**
 * Codes are part of the contract: the UI, the CLI's --json output and scripts match on them,
 * so they only ever gain members. Dotted, lower camel case, area first.
 * Kept free of zod so the sandboxed preload can use it without bundling zod.
 */
export const AppErrorCode = {
  inputInvalid: 'input.invalid',
  internal: 'internal',
  ipcUnknownChannel: 'ipc.unknownChannel',
  ipcForbiddenSender: 'ipc.forbiddenSender',
  bridgeUnavailable: 'bridge.unavailable',
  storeCorrupt: 'store.corrupt',
  storeLocked: 'store.locked',
  storeTooNew: 'store.tooNew',
  storeIoFailed: 'store.ioFailed',
  storeReadOnly: 'store.readOnly',
  storeSecretUnreadable: 'store.secretUnreadable',
  storeInsecurePermissions: 'store.insecurePermissions',
  storeMigrated: 'store.migrated',
  secretDestinationNotBound: 'secret.destinationNotBound',
  vaultUnavailable: 'vault.unavailable',
  vaultMismatch: 'vault.mismatch',
  vaultInsecureKeyFile: 'vault.insecureKeyFile',
  connectionsNotFound: 'connections.notFound',
  operationCancelled: 'operation.cancelled',
  adInvalidCredentials: 'ad.invalidCredentials',
  adNoSuchUser: 'ad.noSuchUser',
  adLogonRestricted: 'ad.logonRestricted',
  adPasswordExpired: 'ad.passwordExpired',
  adMustChangePassword: 'ad.mustChangePassword',
  adAccountDisabled: 'ad.accountDisabled',
  adAccountLocked: 'ad.accountLocked',
  adSslRequired: 'ad.sslRequired',
  adTlsUntrusted: 'ad.tlsUntrusted',
  adTlsFailed: 'ad.tlsFailed',
  adConnectionRefused: 'ad.connectionRefused',
  adHostNotFound: 'ad.hostNotFound',
  adTimeout: 'ad.timeout',
  adConnectionLost: 'ad.connectionLost',
  adNotActiveDirectory: 'ad.notActiveDirectory',
  adNoPassword: 'ad.noPassword',
  adDnsFailed: 'ad.dnsFailed',
  adNoControllers: 'ad.noControllers',
  adLdapError: 'ad.ldapError',
  /** The service account's password expires within 30 days (a diagnosis' warning). */
  adPasswordExpiresSoon: 'ad.passwordExpiresSoon',
  /** A server's TLS certificate (a domain controller's, an agent's) expires within 30 days. */
  tlsCertificateExpiresSoon: 'tls.certificateExpiresSoon',
  entraInvalidCredentials: 'entra.invalidCredentials',
  entraMfaRequired: 'entra.mfaRequired',
  entraUserNotFound: 'entra.userNotFound',
  entraTenantNotFound: 'entra.tenantNotFound',
  entraInvalidClientSecret: 'entra.invalidClientSecret',
  entraInvalidClientAssertion: 'entra.invalidClientAssertion',
  entraAppNotFound: 'entra.appNotFound',
  entraConsentRequired: 'entra.consentRequired',
  entraAccountLocked: 'entra.accountLocked',
  entraPasswordExpired: 'entra.passwordExpired',
  entraBlockedByConditionalAccess: 'entra.blockedByConditionalAccess',
  entraWrongEndpoint: 'entra.wrongEndpoint',
  entraSignInFailed: 'entra.signInFailed',
  entraDomainNotVerified: 'entra.domainNotVerified',
  entraGraphUnauthorized: 'entra.graphUnauthorized',
  entraInsufficientPrivileges: 'entra.insufficientPrivileges',
  entraGraphNotFound: 'entra.graphNotFound',
  entraGraphError: 'entra.graphError',
  entraThrottled: 'entra.throttled',
  entraUnreachable: 'entra.unreachable',
  entraTlsUntrusted: 'entra.tlsUntrusted',
  entraTimeout: 'entra.timeout',
  entraMissingSecret: 'entra.missingSecret',
  entraDeviceCodeDeclined: 'entra.deviceCodeDeclined',
  entraDeviceCodeExpired: 'entra.deviceCodeExpired',
  /** This host's clock differs from the sign-in service's `Date` by over 2 minutes (a warning) or 5 (a failure). */
  entraClockSkew: 'entra.clockSkew',
  /** "Set up certificate sign-in" stopped at a step: detail names it and what was already created (appId…). */
  entraSetupFailed: 'entra.setupFailed',
  /** The administrator who signed in for the setup may not register applications or grant their permissions. */
  entraSetupNotPermitted: 'entra.setupNotPermitted',
  /** An unfinished setup of the domain for another cloud or other hosts: continue it there, or discard it. */
  entraSetupPending: 'entra.setupPending',
  /** A setup of the same domain is already running in this process (a double click, a second window). */
  entraSetupRunning: 'entra.setupRunning',
  /** Graph refused addKey's or removeKey's proof of possession (signed by a key the app does not have, …). */
  entraKeyProofRefused: 'entra.keyProofRefused',
  /** Renew certificate needs a current certificate: an expired one can no longer prove possession. */
  entraCertificateExpired: 'entra.certificateExpired',
  agentUnauthorized: 'agent.unauthorized',
  agentUnknownDomain: 'agent.unknownDomain',
  agentUnreachable: 'agent.unreachable',
  /** The agent's answers to an unknown route and to a request while it stops. */
  agentNotFound: 'agent.notFound',
  agentShuttingDown: 'agent.shuttingDown',
  /** Too many failed API keys from one client address; and a Host header not in --allowed-host. */
  agentTooManyFailures: 'agent.tooManyFailures',
  agentHostNotAllowed: 'agent.hostNotAllowed',
  /** Plain HTTP to an agent beyond loopback without "Allow insecure connection": the key would travel in clear. */
  agentInsecureTransport: 'agent.insecureTransport',
  /** An agent's certificate that nothing vouches for and no pin names yet: first contact, "Trust this agent". */
  agentCertificateUntrusted: 'agent.certificateUntrusted',
  /** An agent that presents another certificate than the one pinned for it (like SSH's changed host key). */
  agentCertificateChanged: 'agent.certificateChanged',
  /** An answer larger than any Remote Agent answer (1 MiB): cut off, so no server can fill this process's memory. */
  agentAnswerTooLarge: 'agent.answerTooLarge',
  weRoutesInvalid: 'we.routesInvalid',
  weRoutesBusy: 'we.routesBusy',
  weRoutesIoFailed: 'we.routesIoFailed',
  weUnknownConnection: 'we.unknownConnection',
  /** The agent's copy of a domain is older than the connection (or carries no revision): Update Remote Agent. */
  agentCopyStale: 'agent.copyStale',
  /** The Workflow Engine has no route for the domain, one to another agent, or one to an agent without it. */
  weRouteMissing: 'we.routeMissing',
  weRouteToOtherAgent: 'we.routeToOtherAgent',
  weRouteToAgentWithoutDomain: 'we.routeToAgentWithoutDomain',
  settingsInvalid: 'settings.invalid',
  settingsNoFileDialog: 'settings.noFileDialog',
  /** Export diagnostics…: the zip could not be written where the admin chose (a missing or read-only folder). */
  diagnosticsBundleIoFailed: 'diagnostics.bundleIoFailed',
  /** A diagnosis stage that did not finish within its deadline: stopped, its sockets closed. */
  diagnosticsStageTimeout: 'diagnostics.stageTimeout',
} as const;
