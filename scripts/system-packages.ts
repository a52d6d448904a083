import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A Debian package the tests need, recognised by a file it installs. */
export interface SystemRequirement {
  package: string;
  provides: string;
}

/** A real Active Directory domain controller for the directory tests (e2e/fixtures/samba). */
export const sambaRequirements: readonly SystemRequirement[] = [
  { package: 'samba', provides: '/usr/sbin/samba' },
  { package: 'samba-ad-dc', provides: '/usr/share/doc/samba-ad-dc' },
  { package: 'samba-ad-provision', provides: '/usr/share/doc/samba-ad-provision' },
  { package: 'samba-dsdb-modules', provides: '/usr/share/doc/samba-dsdb-modules' },
  { package: 'winbind', provides: '/usr/sbin/winbindd' },
  { package: 'ldap-utils', provides: '/usr/bin/ldapsearch' },
  { package: 'openssl', provides: '/usr/bin/openssl' },
];

export const testRequirements: readonly SystemRequirement[] = [
  { package: 'chromium', provides: '/usr/bin/chromium' },
  // systemd-analyze verify checks the Remote Agent's service unit (remote-agent/systemd-unit.test.ts).
  { package: 'systemd', provides: '/usr/bin/systemd-analyze' },
  ...sambaRequirements,
];

/**
 * Installs what is missing when we may (root on Debian/Ubuntu), otherwise says exactly what to run.
 * Returns false when the caller must stop.
 */
export function ensureSystemPackages(
  requirements: readonly SystemRequirement[],
  log = console.error,
): boolean {
  const missing = requirements.filter((requirement) => !existsSync(requirement.provides));
  if (missing.length === 0) return true;
  const names = missing.map((requirement) => requirement.package).join(' ');
  const installLine = `apt-get install -y ${names}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    log(
      `The tests need Debian packages that are not installed: ${names}.\nInstall them with:\n  sudo ${installLine}`,
    );
    return false;
  }
  log(`Installing missing Debian packages: ${names}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...missing.map((r) => r.package)],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      log(`"apt-get ${args.join(' ')}" failed. Run it yourself and retry:\n  ${installLine}`);
      return false;
    }
  }
  return missing.every((requirement) => existsSync(requirement.provides));
}
