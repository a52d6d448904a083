import { connect } from 'node:net';

/** Where a TCP connection got to: the address and port it reached. */
export interface TcpReached {
  address: string;
  port: number;
}

/**
 * Opens a TCP connection and closes it at once: whether anything listens there. Rejects with the socket's own
 * error (ECONNREFUSED, EHOSTUNREACH…) or ETIMEDOUT when nothing answered in time, so callers map errno as
 * they already do. Nothing is ever written to the socket.
 */
export function tcpConnect(
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TcpReached> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
      return;
    }
    const socket = connect({ host, port });
    const onAbort = () => socket.destroy(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    socket.once('connect', () => {
      const reached = { address: socket.remoteAddress ?? host, port: socket.remotePort ?? port };
      done();
      socket.destroy();
      resolve(reached);
    });
    socket.once('error', (error) => {
      done();
      reject(error);
    });
  });
}
