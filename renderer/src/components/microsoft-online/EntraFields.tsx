import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Radio,
  RadioGroup,
  tokens,
} from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { type ReactNode, useState } from 'react';
import { AuthModeSchema, CloudSchema } from '../../../../shared/common/connections/connection';
import type { FieldErrors } from '../../forms/field-errors';
import {
  type AuthMode,
  authModeAdvice,
  authModeLabel,
  authModes,
  isInteractive,
  secretNoun,
  usesUser,
} from './auth-modes';
import type { MicrosoftOnlineDraft } from './microsoft-online-draft';
import { PemFileButton } from './PemFileButton';

const useStyles = makeStyles({
  advanced: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  toggle: { alignSelf: 'flex-start' },
});

export interface EntraFieldsProps {
  draft: MicrosoftOnlineDraft;
  errors: FieldErrors;
  update(patch: Partial<MicrosoftOnlineDraft>): void;
  /**
   * Fields of a saved connection: the domain is fixed, an empty secret keeps the stored one, unless the draft
   * changed where it goes (`unbinding` names what changed): then saving without it drops it.
   */
  editing?: { hasSecret: boolean; unbinding: string | null };
  /**
   * The new-connection wizard's "Set up certificate sign-in for me", after the fields of the mode: it uses the
   * domain and the e-mail typed above it, and the keyboard reaches it after them.
   */
  setupOffer?: ReactNode;
}

/** The note under the secret field of a saved connection: needed, about to be dropped, or kept if left empty. */
function secretNote(
  mode: AuthMode,
  typed: boolean,
  editing: EntraFieldsProps['editing'],
): { warning?: string; hint?: string } {
  if (!editing || typed || isInteractive(mode)) return {};
  const noun = secretNoun[mode];
  const verb = mode === 'certificate' ? 'choose' : 'type';
  if (!editing.hasSecret) {
    const needed = `${noun.charAt(0).toUpperCase()}${noun.slice(1)} needed`;
    return { warning: `${needed}: ${verb} it to use this connection.` };
  }
  if (editing.unbinding) {
    return {
      warning: `The ${editing.unbinding} changed: ${verb} the ${noun} again, or saving drops the stored one.`,
    };
  }
  return { hint: 'Leave empty to keep the stored one.' };
}

/** "Provide Azure AD Information": the tenant domain, how to sign in, and the fields of that mode. */
export function EntraFields({ draft, errors, update, editing, setupOffer }: EntraFieldsProps) {
  const styles = useStyles();
  const [advanced, setAdvanced] = useState(
    Boolean(draft.authorityHost || draft.graphHost || draft.cloud !== 'global'),
  );
  const showAdvanced = advanced || Boolean(errors.cloud || errors.authorityHost || errors.graphHost);
  const mode = draft.authMode;
  const note = secretNote(mode, Boolean(draft.secret), editing);
  const keep = note.hint;
  const secretField = {
    required: !keep,
    validationState: errors.secret
      ? ('error' as const)
      : note.warning
        ? ('warning' as const)
        : ('none' as const),
    validationMessage: errors.secret ?? note.warning,
    hint: keep,
  };

  return (
    <>
      <Field
        label="Domain name"
        required
        validationMessage={errors.tenantDomain}
        hint="The tenant domain this connection manages, e.g. contoso.com"
      >
        <Input
          value={draft.tenantDomain}
          disabled={Boolean(editing)}
          onChange={(_, d) => update({ tenantDomain: d.value })}
          autoFocus={!editing}
        />
      </Field>
      <Field label="Authentication" validationMessage={errors.authMode} hint={authModeAdvice}>
        <RadioGroup
          value={mode}
          onChange={(_, d) => update({ authMode: AuthModeSchema.parse(d.value), secret: '' })}
        >
          {authModes.map((value) => (
            <Radio key={value} value={value} label={authModeLabel[value]} />
          ))}
        </RadioGroup>
      </Field>
      {mode === 'password' && (
        <MessageBar intent="warning">
          <MessageBarBody>
            Password sign-in cannot pass multi-factor authentication, which Microsoft now requires of
            administrators. Prefer Browser sign-in for a user with MFA, or a certificate for unattended use.
          </MessageBarBody>
        </MessageBar>
      )}
      {usesUser(mode) && (
        <Field
          label="Connection user’s e-mail"
          required
          validationMessage={errors.userPrincipalName}
          hint={
            mode === 'browser'
              ? 'A user of the tenant with the Global Administrator role; the browser’s sign-in page starts with it'
              : 'A user of the tenant with the Global Administrator role'
          }
        >
          <Input
            type="email"
            value={draft.userPrincipalName}
            onChange={(_, d) => update({ userPrincipalName: d.value })}
          />
        </Field>
      )}
      {(mode === 'certificate' || mode === 'clientSecret') && (
        <Field
          label="Application (client) id"
          required
          validationMessage={errors.clientId}
          hint="The app registration's id in Entra ID"
        >
          <Input value={draft.clientId} onChange={(_, d) => update({ clientId: d.value })} />
        </Field>
      )}
      {mode === 'password' && (
        <Field label="Password" {...secretField}>
          <Input type="password" value={draft.secret} onChange={(_, d) => update({ secret: d.value })} />
        </Field>
      )}
      {mode === 'clientSecret' && (
        <Field label="Client secret" {...secretField}>
          <Input type="password" value={draft.secret} onChange={(_, d) => update({ secret: d.value })} />
        </Field>
      )}
      {mode === 'certificate' && (
        <>
          <Field label="Certificate (PEM)" required validationMessage={errors.certificatePem}>
            <PemFileButton
              label="Choose certificate..."
              loaded={Boolean(draft.certificatePem)}
              onLoad={(text) => update({ certificatePem: text })}
            />
          </Field>
          <Field label="Private key (PEM)" {...secretField}>
            <PemFileButton
              label="Choose private key..."
              loaded={Boolean(draft.secret)}
              onLoad={(text) => update({ secret: text })}
            />
          </Field>
        </>
      )}
      {setupOffer}
      <Button
        appearance="transparent"
        className={styles.toggle}
        icon={showAdvanced ? <ChevronDownRegular /> : <ChevronRightRegular />}
        aria-expanded={showAdvanced}
        onClick={() => setAdvanced(!showAdvanced)}
      >
        Cloud (advanced)
      </Button>
      {showAdvanced && (
        <div className={styles.advanced}>
          <Field label="Cloud" validationMessage={errors.cloud}>
            <RadioGroup
              layout="horizontal"
              value={draft.cloud}
              onChange={(_, d) => update({ cloud: CloudSchema.parse(d.value) })}
            >
              <Radio value="global" label="Global" />
              <Radio value="usgov" label="US Government" />
              <Radio value="china" label="China (21Vianet)" />
            </RadioGroup>
          </Field>
          <Field
            label="Sign-in host (optional)"
            validationMessage={errors.authorityHost}
            hint="Only for a private proxy or a test emulator"
          >
            <Input value={draft.authorityHost} onChange={(_, d) => update({ authorityHost: d.value })} />
          </Field>
          <Field label="Graph host (optional)" validationMessage={errors.graphHost}>
            <Input value={draft.graphHost} onChange={(_, d) => update({ graphHost: d.value })} />
          </Field>
        </div>
      )}
    </>
  );
}
