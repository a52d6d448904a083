import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { AppError } from '../shared/common/errors/app-error';

/** What the agent answers when something failed: application/problem+json (RFC 9457) carrying the AppError. */
export interface Problem {
  status: number;
  error: AppError;
}

const problemType = 'application/problem+json';

const body = ({ status, error }: Problem) => ({
  type: `urn:connection-utility:error:${error.code}`,
  title: error.message,
  status,
  ...error,
});

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(problemType).send(body(problem));
}

/** For a request too broken to reach Fastify (bad HTTP): written on the socket, which is then closed. */
export function writeProblem(socket: Duplex, problem: Problem): void {
  const text = JSON.stringify(body(problem));
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\nContent-Type: ${problemType}\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
