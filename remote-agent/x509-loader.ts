/**
 * @peculiar/x509 wires its algorithms with tsyringe, which needs the Reflect metadata API. The polyfill is loaded
 * only here, just before x509: an agent that never makes a certificate leaves the global Reflect alone.
 */
export async function loadX509(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  return import('@peculiar/x509');
}
