import type { AppError } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';

/** Over this, a warning: tokens and assertions start to be refused at 5 minutes, Entra's own tolerance. */
export const warnSkewSeconds = 120;
export const failSkewSeconds = 300;

/** One answer's `Date` with when it was asked for and received, by this host's clock (ms since the epoch). */
export interface DatedAnswer {
  date: string | undefined;
  sentAt: number;
  receivedAt: number;
}

/**
 * Seconds the authority's clock is ahead of this host's (negative: behind), against the middle of the round trip;
 * null when the answer had no readable `Date`. `Date` has whole seconds, so ±1 s is noise.
 */
export function skewSeconds(answer: DatedAnswer): number | null {
  const server = answer.date ? Date.parse(answer.date) : Number.NaN;
  if (!Number.isFinite(server)) return null;
  const local = (answer.sentAt + answer.receivedAt) / 2;
  // The server's clock read some time within its whole second: half a second is its expected lag.
  return Math.round((server + 500 - local) / 1000);
}

const spoken = (seconds: number) => {
  const size = Math.abs(seconds);
  const amount = size >= 120 ? `${Math.round(size / 60)} min` : `${size} s`;
  return seconds > 0
    ? `this host is ${amount} behind`
    : seconds < 0
      ? `this host is ${amount} ahead`
      : 'in step';
};

/** What the clock stage reports: ok, a warning over 2 minutes, a failure over 5. */
export function skewVerdict(
  skew: number,
  host: string,
): { detail: string; warning?: AppError; failure?: AppError } {
  const detail = `skew ${skew} s against ${host} (${spoken(skew)})`;
  const size = Math.abs(skew);
  if (size <= warnSkewSeconds) return { detail };
  const error: AppError = {
    code: AppErrorCode.entraClockSkew,
    message: `This host’s clock is ${Math.round(size / 60)} minutes ${skew > 0 ? 'behind' : 'ahead of'} ${host}.`,
    hint:
      size > failSkewSeconds
        ? 'Set the clock right (turn on time synchronisation, NTP): sign-in tokens and certificate sign-ins are refused beyond 5 minutes.'
        : 'Turn on time synchronisation (NTP) before the skew reaches 5 minutes, where sign-ins start to fail.',
    detail: { host, skewSeconds: skew, stageDetail: detail },
  };
  return size > failSkewSeconds ? { detail, failure: error } : { detail, warning: error };
}
