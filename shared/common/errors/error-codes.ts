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
} as const;
