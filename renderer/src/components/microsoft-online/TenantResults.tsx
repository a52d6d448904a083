import {
  Badge,
  Checkbox,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  globalAdministratorRoleTemplateId,
  type TenantTestResult,
} from '../../../../shared/common/entra/tenant-test';
import { Facts } from '../Facts';

const useStyles = makeStyles({
  roles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    listStyleType: 'none',
    margin: 0,
    padding: 0,
  },
  domains: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

export interface TenantResultsProps {
  result: TenantTestResult;
  summary: [string, string | undefined][];
  /** Other verified domains of the tenant, and which of them also get a connection. */
  extraDomains: string[];
  alsoCreate: ReadonlySet<string>;
  onToggle(domain: string, on: boolean): void;
}

/** "Configuration Results": what will be saved, and what the tenant check found. */
export function TenantResults({ result, summary, extraDomains, alsoCreate, onToggle }: TenantResultsProps) {
  const styles = useStyles();
  const licences = result.licences.map((l) => `${l.sku} (${l.available} of ${l.enabled} free)`).join(', ');
  return (
    <>
      <Facts
        rows={[
          ...summary,
          ['Tenant id', result.tenantId],
          ['Organisation', result.organization],
          ['Domain verified', result.domainVerified ? 'yes' : 'NO'],
          ['Signed in as', result.user],
          ['Licences', licences || 'none'],
          ['Checked in', `${result.durationMs} ms`],
        ]}
      />
      <div>
        <Text weight="semibold">Roles</Text>
        <ul className={styles.roles} aria-label="Roles">
          {result.roles.length === 0 && (
            <li>
              <Text>none</Text>
            </li>
          )}
          {result.roles.map((role) => (
            <li key={role.name}>
              <Badge
                appearance={role.templateId === globalAdministratorRoleTemplateId ? 'filled' : 'outline'}
                color={role.templateId === globalAdministratorRoleTemplateId ? 'success' : 'informative'}
              >
                {role.name}
              </Badge>
            </li>
          ))}
        </ul>
      </div>
      {result.globalAdministrator ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Global Administrator</MessageBarTitle>
            {result.user} holds the role the host needs to manage mailboxes and licences.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{result.user} is not a Global Administrator</MessageBarTitle>
            The host manages users, mailboxes and licences through this connection, which needs the Global
            Administrator role. Assign it in the Entra admin center (Roles and administrators), or go Back and
            use another account. {result.warnings.join(' ')}
          </MessageBarBody>
        </MessageBar>
      )}
      {!result.domainVerified && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {result.domain} is not a verified domain of this tenant: verify it in the Microsoft 365 admin
            center first.
          </MessageBarBody>
        </MessageBar>
      )}
      {extraDomains.length > 0 && (
        <fieldset className={styles.domains}>
          <legend>
            <Text weight="semibold">Also create connections for:</Text>
          </legend>
          {extraDomains.map((domain) => (
            <Checkbox
              key={domain}
              label={domain}
              checked={alsoCreate.has(domain)}
              onChange={(_, d) => onToggle(domain, d.checked === true)}
            />
          ))}
          <Text size={200}>One connection per domain the host will manage, with the same sign-in.</Text>
        </fieldset>
      )}
    </>
  );
}
