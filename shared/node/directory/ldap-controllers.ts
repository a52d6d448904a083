import type { Client } from 'ldapts';
import { siteOfServerDn } from './directory-session';

export interface DirectoryController {
  hostName: string;
  site: string | null;
  globalCatalog: boolean | null;
  operatingSystem: string | null;
}

const serverTrustAccount = '(&(objectCategory=computer)(userAccountControl:1.2.840.113556.1.4.803:=8192))';

function text(value: unknown): string | null {
  const item = Array.isArray(value) ? value[0] : value;
  return item === undefined || item === null ? null : String(item);
}

/**
 * DCs as the directory itself lists them: computer objects with SERVER_TRUST_ACCOUNT, their server object
 * (serverReferenceBL) naming the site, and that server's NTDS Settings `options` bit 1 marking a global catalog.
 */
export async function readControllersFromDirectory(
  client: Client,
  defaultNamingContext: string,
  configurationNamingContext: string | null,
): Promise<DirectoryController[]> {
  const { searchEntries: computers } = await client.search(defaultNamingContext, {
    filter: serverTrustAccount,
    attributes: ['dNSHostName', 'serverReferenceBL', 'operatingSystem'],
  });
  const globalCatalogs = new Map<string, boolean>();
  if (configurationNamingContext) {
    const { searchEntries: settings } = await client.search(`CN=Sites,${configurationNamingContext}`, {
      filter: '(objectClass=nTDSDSA)',
      attributes: ['options'],
    });
    for (const entry of settings) {
      const serverDn = entry.dn.replace(/^CN=NTDS Settings,/i, '').toLowerCase();
      globalCatalogs.set(serverDn, (Number.parseInt(text(entry.options) ?? '0', 10) & 1) === 1);
    }
  }
  return computers.flatMap((entry) => {
    const hostName = text(entry.dNSHostName)?.toLowerCase();
    if (!hostName) return [];
    const serverDn = text(entry.serverReferenceBL);
    return [
      {
        hostName,
        site: siteOfServerDn(serverDn),
        globalCatalog: serverDn ? (globalCatalogs.get(serverDn.toLowerCase()) ?? false) : null,
        operatingSystem: text(entry.operatingSystem),
      },
    ];
  });
}
