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
  vaultUnavailable: 'vault.unavailable',
  vaultMismatch: 'vault.mismatch',
  vaultInsecureKeyFile: 'vault.insecureKeyFile',
  connectionsNotFound: 'connections.notFound',
} as const;
