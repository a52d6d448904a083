// Whether an address only reaches this computer decides two things: where plain HTTP is acceptable for the
// Remote Agent, and which default TLS setting the window proposes. The window runs this too, so no node:net;
// the WHATWG URL parser (the same in Chromium and Node) brings every spelling of an address to one form.

/** Whether `host` only reaches this computer: 127.0.0.0/8, ::1 (any spelling, IPv4-mapped too) or localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  if (name === '' || /[/?#@\s]/.test(name)) return false;
  const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  let canonical: string;
  try {
    canonical = new URL(`http://${bracketed}/`).hostname;
  } catch {
    return false;
  }
  if (canonical === 'localhost' || canonical === 'localhost.') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(canonical)) return true;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}
