import { AppFailure } from '../../../common/errors/app-error';
import { AppErrorCode } from '../../../common/errors/error-codes';

/**
 * A request asked main to use a stored secret with a destination or trust the admin did not save with it.
 * The secret stays where it is; typing it again (or saving the connection with the new destination and the
 * secret re-typed) is the way forward.
 */
export function destinationNotBound(secret: string, differs: string, hint: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.secretDestinationNotBound,
    message: `The stored ${secret} is used only with the connection's saved destination; ${differs}.`,
    hint,
    detail: { differs },
  });
}

/** A certificate pin that main did not see being presented. */
export function pinNotObserved(fingerprint: string, where: string): AppFailure {
  return new AppFailure({
    code: AppErrorCode.inputInvalid,
    message: `The certificate ${fingerprint.slice(0, 23)}… was not presented by ${where} in this session, so it cannot be trusted.`,
    hint: 'Test the connection first: trust a certificate from the test result that shows it.',
    detail: { issues: [`trust.pinnedFingerprints: not seen at ${where}`] },
  });
}
