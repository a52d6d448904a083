import type { z } from 'zod';

/**
 * Turns zod issues into "path: message" lines for AppError.detail. Only paths and zod's own
 * messages are kept: received values are left out because a rejected field may be a password.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.slice(0, 20).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(request)';
    return `${path}: ${issue.message}`;
  });
}
