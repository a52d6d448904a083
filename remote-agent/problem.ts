import type { FastifyReply } from 'fastify';
import type { AppError } from '../shared/common/errors/app-error';

/** Every error the agent sends: application/problem+json (RFC 9457) carrying the AppError. */
export function sendProblem(reply: FastifyReply, status: number, error: AppError): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `urn:connection-utility:error:${error.code}`, title: error.message, status, ...error });
}
