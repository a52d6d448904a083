import { z } from 'zod';

const dnsName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

// Direct regex tests rather than nested schemas: a store of 10,000 connections validates every host on load.
function isHost(value: string): boolean {
  return dnsName.test(value) || z.regexes.ipv4.test(value) || z.regexes.ipv6.test(value);
}

/** RFC 1123 host name or dotted domain; lower-cased so "Contoso.COM" and "contoso.com" are one domain. */
export const DnsNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'enter a DNS name')
  .regex(dnsName, 'not a valid DNS name');

/** A domain controller or Remote Agent address: DNS name, IPv4 or IPv6. */
export const HostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'enter a host name or IP address')
  .refine(isHost, 'not a valid host name or IP address');

export const PortSchema = z.number().int().min(1).max(65535);

// z.guid(): any 8-4-4-4-12 hex id; the strict RFC 9562 pattern of z.uuid() costs 5x more per record on load.
export const ConnectionIdSchema = z.guid();

export const TimestampSchema = z.iso.datetime({ offset: true });

/** SHA-256 of a DER certificate, upper-case hex pairs joined by colons (as Windows and OpenSSL show it). */
export const Sha256FingerprintSchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'not a SHA-256 fingerprint (32 hex pairs)'));

export const PemCertificatesSchema = z
  .string()
  .max(256 * 1024)
  .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'not a PEM certificate');

/** A name the admin reads in the panel. */
export const ConnectionNameSchema = z.string().trim().min(1, 'enter a name').max(200);

/** User names as typed: UPN, DOMAIN\user or a DN; validated by the directory, not here. */
export const AccountNameSchema = z.string().trim().min(1, 'enter a user name').max(1024);

/** `IP[:PORT]`, `[IPv6]:PORT` or a bare IPv6 address, as Node's resolver takes it. */
export const DnsServerSchema = z
  .string()
  .trim()
  .refine(
    (value) =>
      z.regexes.ipv4.test(value) ||
      z.regexes.ipv6.test(value) ||
      /^(\d{1,3}\.){3}\d{1,3}:\d{1,5}$/.test(value) ||
      /^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(value),
    'enter an IP address, optionally with :port',
  );

/** Sign-in, Graph and proxy hosts: https only. */
export const HttpsUrlSchema = z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).max(2048);
