import {
  type CredentialExpiry,
  credentialKindLabel,
  describeDaysLeft,
  type ExpiryStateName,
  judgeExpiries,
} from '../../../../shared/common/connections/expiry';

// The panel's Expires column: the credential of a connection that needs attention first, in a few words, and
// every recorded one for its tooltip.

export type ExpiryTone = ExpiryStateName | 'never';

export interface ExpiryCellView {
  /** "in 23 days", "today", "expired 2 days ago", "never", "unknown". */
  text: string;
  tone: ExpiryTone;
  /** Said before the text where colour and icon mark it: "Expires soon", "Expired". */
  label: string | null;
  /** One line per recorded credential, the one needing attention first. */
  lines: string[];
}

const nothingRecorded =
  'Nothing recorded yet: saving a certificate or testing the connection records when what it depends on expires.';

/** A date as the admin's locale writes it, or what stands in for one. */
function dateOf(notAfter: CredentialExpiry['notAfter']): string {
  if (notAfter === null) return 'date unknown';
  if (notAfter === 'never') return 'does not expire';
  return new Date(notAfter).toLocaleDateString();
}

function shortText(tone: ExpiryTone, daysLeft: number | null): string {
  switch (tone) {
    case 'unknown':
      return 'unknown';
    case 'never':
      return 'never';
    case 'expired':
      return !daysLeft ? 'expired' : `expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
    default:
      if (!daysLeft) return 'today';
      return `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
  }
}

const labelOf: Record<ExpiryTone, string | null> = {
  expired: 'Expired',
  warning: 'Expires soon',
  ok: null,
  never: null,
  unknown: null,
};

/** The Expires cell of a connection at `now`. */
export function expiryCell(
  expiries: readonly CredentialExpiry[] | undefined,
  now: Date,
  warnDays?: number,
): ExpiryCellView {
  const judged = judgeExpiries(expiries, now, warnDays);
  const first = judged[0];
  if (!first) return { text: 'unknown', tone: 'unknown', label: null, lines: [nothingRecorded] };
  const tone: ExpiryTone =
    first.state === 'ok' && first.credential.notAfter === 'never' ? 'never' : first.state;
  const lines = judged.map(({ credential, ...state }) => {
    const when = describeDaysLeft(state, credential.notAfter);
    const note = credential.note ? ` ${credential.note}` : '';
    return `${credentialKindLabel[credential.what]}: ${when} (${dateOf(credential.notAfter)}), ${credential.source}.${note}`;
  });
  return { text: shortText(tone, first.daysLeft), tone, label: labelOf[tone], lines };
}
