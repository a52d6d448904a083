import { z } from 'zod';

/** RFC 1123 host name or dotted domain; lower-cased so "Contoso.COM" and "contoso.com" are one domain. */
export const DnsNameSchema = z
  .string()
  .trim()
  .min(1, 'enter a DNS name')
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    'not a valid DNS name',
  )
  .transform((name) => name.toLowerCase());

const ipv4 = z.ipv4();
const ipv6 = z.ipv6();

/** A domain controller or Remote Agent address: DNS name, IPv4 or IPv6. */
export const HostSchema = z
  .string()
  .trim()
  .min(1, 'enter a host name or IP address')
  .refine(
    (value) =>
      DnsNameSchema.safeParse(value).success ||
      ipv4.safeParse(value).success ||
      ipv6.safeParse(value).success,
    'not a valid host name or IP address',
  )
  .transform((value) => value.toLowerCase());

export const PortSchema = z.number().int().min(1).max(65535);

export const ConnectionIdSchema = z.uuid();

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
