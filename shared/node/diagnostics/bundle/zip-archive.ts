import { crc32, deflateRawSync } from 'node:zlib';

/** One file of a zip archive: a relative path with forward slashes, and its bytes. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

// A plain zip (no ZIP64): the support bundle holds a few thousand small files at most, far under its limits of
// 65,535 entries and 4 GiB, which zipArchive checks rather than writing an archive no tool could read.
const maxEntries = 0xffff;
const maxOffset = 0xffffffff;

const localHeaderSignature = 0x04034b50;
const centralHeaderSignature = 0x02014b50;
const endSignature = 0x06054b50;
/** 2.0: deflate. */
const versionNeeded = 20;
/** Made on Unix (3), so unzip applies the file mode below. */
const versionMadeBy = (3 << 8) | versionNeeded;
/** Bit 11: the names are UTF-8. */
const utf8Names = 0x0800;
const deflated = 8;
/** A regular file, 0600: extracted, the bundle's files are readable by their owner only. */
const externalAttributes = (0o100600 << 16) >>> 0;

/** MS-DOS date and time, the only timestamp a plain zip header has: local time, two-second steps, 1980 on. */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** A name unzip extracts where it belongs: relative, forward slashes, no `..`, no empty or dot segments. */
function checkedName(name: string): Buffer {
  const segments = name.split('/');
  if (
    name.length === 0 ||
    name.includes('\\') ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..')
  )
    throw new Error(`not a relative zip entry name: ${JSON.stringify(name)}`);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > 0xffff) throw new Error('zip entry name too long');
  return bytes;
}

interface FileFields {
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  name: Buffer;
}

/**
 * The run both headers of a file repeat, from "version needed" to the name's length: the format has the central
 * header restate the local one so a reader can list the archive from its end without reading every file.
 */
function writeFileFields(header: Buffer, at: number, fields: FileFields): void {
  header.writeUInt16LE(versionNeeded, at);
  header.writeUInt16LE(utf8Names, at + 2);
  header.writeUInt16LE(deflated, at + 4);
  header.writeUInt16LE(fields.time, at + 6);
  header.writeUInt16LE(fields.date, at + 8);
  header.writeUInt32LE(fields.crc, at + 10);
  header.writeUInt32LE(fields.compressedSize, at + 14);
  header.writeUInt32LE(fields.size, at + 18);
  header.writeUInt16LE(fields.name.length, at + 22);
}

/**
 * A zip archive of `entries`, each deflated, as the chunks to write one after the other. Throws (a plain Error:
 * the caller's bug, not the admin's) on a duplicate or unsafe name, or past the format's limits.
 */
export function zipArchive(entries: readonly ZipEntry[], modified = new Date()): Buffer[] {
  if (entries.length > maxEntries) throw new Error('too many entries for a zip without ZIP64');
  const seen = new Set<string>();
  const { time, date } = dosDateTime(modified);
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new Error(`duplicate zip entry name: ${JSON.stringify(entry.name)}`);
    seen.add(entry.name);
    const name = checkedName(entry.name);
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const fields = { time, date, crc, compressedSize: compressed.length, size: entry.data.length, name };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(localHeaderSignature, 0);
    writeFileFields(local, 4, fields);
    // Extra field length stays 0.

    const header = Buffer.alloc(46);
    header.writeUInt32LE(centralHeaderSignature, 0);
    header.writeUInt16LE(versionMadeBy, 4);
    writeFileFields(header, 6, fields);
    // Extra field, comment, disk number and internal attributes stay 0.
    header.writeUInt32LE(externalAttributes, 38);
    header.writeUInt32LE(offset, 42);

    chunks.push(local, name, compressed);
    central.push(header, name);
    offset += local.length + name.length + compressed.length;
    if (offset > maxOffset || entry.data.length > maxOffset)
      throw new Error('too large for a zip without ZIP64');
  }
  const centralSize = central.reduce((sum, chunk) => sum + chunk.length, 0);
  if (offset + centralSize > maxOffset) throw new Error('too large for a zip without ZIP64');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(endSignature, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return [...chunks, ...central, end];
}
