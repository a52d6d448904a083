import { z } from 'zod';
import { AppErrorSchema } from '../errors/app-error';

const { code, message, hint, detail } = AppErrorSchema.shape;

/**
 * What the Remote Agent answers when a request fails: application/problem+json (RFC 9457) carrying the AppError,
 * beside the standard type, title and status. Its OpenAPI document names it once, as the component `Problem`,
 * and every 4xx and 5xx response refers to it. Extending AppErrorSchema keeps a new AppError field in both.
 */
export const ProblemSchema = AppErrorSchema.extend({
  code: code.describe('A stable dotted error code to branch on, e.g. agent.unknownDomain.'),
  message: message.describe('One sentence for the administrator.'),
  hint: hint.describe('The next step the administrator can take.'),
  detail: detail.describe(
    'Safe facts (codes, hosts, elapsed ms, the issues of an invalid request); never a secret.',
  ),
  type: z.string().min(1).describe('The code as a URI: urn:connection-utility:error:<code>.'),
  title: z.string().min(1).describe('The same sentence as message.'),
  status: z.number().int().min(400).max(599).describe('The HTTP status of the answer.'),
}).meta({
  id: 'Problem',
  description: 'A failed request, as application/problem+json (RFC 9457) carrying the AppError.',
});

export type AgentProblem = z.output<typeof ProblemSchema>;
