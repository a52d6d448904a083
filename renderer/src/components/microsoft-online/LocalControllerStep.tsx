import { Field, MessageBar, MessageBarBody, Select, Text } from '@fluentui/react-components';
import type { ActiveDirectoryConnection } from '../../../../shared/common/connections/connection';
import type { FieldErrors } from '../../forms/field-errors';
import { ControllerPicker } from '../ad/ControllerPicker';

export interface LocalControllerStepProps {
  adConnections: ActiveDirectoryConnection[];
  adConnectionId: string;
  dcHost: string;
  errors: FieldErrors;
  onChange(patch: { adConnectionId?: string; dcHost?: string }): void;
}

/** "Choose Local Domain Controller": the AD domain that holds the users, then one of its DCs. */
export function LocalControllerStep({
  adConnections,
  adConnectionId,
  dcHost,
  errors,
  onChange,
}: LocalControllerStepProps) {
  const ad = adConnections.find((connection) => connection.id === adConnectionId);
  if (adConnections.length === 0) {
    return (
      <MessageBar intent="warning">
        <MessageBarBody>
          There is no Active Directory connection yet. Finish without one and add it later, or Cancel and
          create it first (New Connection... → Microsoft Active Directory).
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <>
      <Field label="Active Directory connection" validationMessage={errors.adConnectionId}>
        <Select
          value={adConnectionId}
          autoFocus
          onChange={(_, d) => onChange({ adConnectionId: d.value, dcHost: '' })}
        >
          {adConnections.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {connection.name} ({connection.domain})
            </option>
          ))}
        </Select>
      </Field>
      <Text>
        Domain controller: <strong>{dcHost || 'none chosen yet'}</strong>
      </Text>
      {ad && (
        <ControllerPicker
          key={ad.id}
          autoStart
          actionLabel="Choose"
          request={{
            domain: ad.domain,
            ...(ad.dnsServer ? { dnsServer: ad.dnsServer } : {}),
            tls: ad.targets[0]?.tls ?? 'ldaps',
            trust: ad.trust,
            bindUser: ad.bindUser,
            connectionId: ad.id,
            timeoutMs: 3000,
          }}
          onPick={(dc) => onChange({ dcHost: dc.hostName })}
        />
      )}
      {errors.dcHost && <Text role="alert">{errors.dcHost}</Text>}
    </>
  );
}
