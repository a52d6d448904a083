import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { isIPv6, Socket } from 'node:net';

// Node's resolveSrv (c-ares 1.34.x) answers EBADRESP to valid SRV responses (nodejs/node#66173; seen here with
// Samba's DNS on Node 24.21 while dig reads the same bytes). DC discovery cannot wait for that fix, so SRV
// queries are made here: one question, RD set, UDP with a TCP retry when the answer is truncated.

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

const typeSrv = 33;
/** More DCs than any domain has: a hostile server cannot make discovery probe thousands of hosts. */
const maxRecords = 64;
const classIn = 1;

/** An error with the same codes Node's resolver uses, so callers and messages stay as they were. */
function dnsError(code: string, name: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`querySrv ${code} ${name}`);
  error.code = code;
  return error;
}

/** `host`, `host:port` or `[v6]:port`, as DnsServerSchema allows; Node's own list for the machine's resolver. */
export function parseDnsServer(server: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(server);
  if (bracketed) return { host: bracketed[1] ?? '', port: Number(bracketed[2]) };
  const v4WithPort = /^([\d.]+):(\d+)$/.exec(server);
  if (v4WithPort) return { host: v4WithPort[1] ?? '', port: Number(v4WithPort[2]) };
  return { host: server, port: 53 };
}

export async function querySrv(
  name: string,
  options: { dnsServer?: string; timeoutMs: number; tries: number },
): Promise<SrvRecord[]> {
  const servers = options.dnsServer ? [options.dnsServer] : getServers();
  if (servers.length === 0) throw dnsError('ECONNREFUSED', name);
  let last: unknown = dnsError('ETIMEOUT', name);
  for (const server of servers) {
    for (let attempt = 0; attempt < options.tries; attempt += 1) {
      try {
        return await ask(name, parseDnsServer(server), options.timeoutMs);
      } catch (error) {
        last = error;
        const code = (error as NodeJS.ErrnoException).code;
        // An answer (even "no such name") is final; only silence or a refused socket moves on.
        if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EBADRESP') throw error;
      }
    }
  }
  throw last;
}

async function ask(
  name: string,
  server: { host: string; port: number },
  timeoutMs: number,
): Promise<SrvRecord[]> {
  const id = randomInt(0, 0x10000);
  const query = encodeQuery(id, name);
  let response = await overUdp(query, server, timeoutMs, id, name);
  // TC: the answer did not fit a datagram; ask again over TCP.
  if ((response.readUInt16BE(2) & 0x0200) !== 0) response = await overTcp(query, server, timeoutMs, name);
  return decodeSrvResponse(response, id, name);
}

export function encodeQuery(id: number, name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.');
  const parts = [Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length === 0 || bytes.length > 63) throw dnsError('EBADNAME', name);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0, 0, typeSrv, 0, classIn]));
  return Buffer.concat(parts);
}

function overUdp(
  query: Buffer,
  server: { host: string; port: number },
  timeoutMs: number,
  id: number,
  name: string,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    const done = (error: Error | null, response?: Buffer) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(response as Buffer);
    };
    const timer = setTimeout(() => done(dnsError('ETIMEOUT', name)), timeoutMs);
    socket.on('error', () => done(dnsError('ECONNREFUSED', name)));
    socket.on('message', (message, from) => {
      // Only the server asked, only this question's id: anything else on the port is ignored.
      const address = from.address.replace(/^::ffff:/, '').toLowerCase();
      if (address !== server.host.toLowerCase() || from.port !== server.port) return;
      if (message.length < 12 || message.readUInt16BE(0) !== id) return;
      done(null, message);
    });
    socket.send(query, server.port, server.host);
  });
}

function overTcp(
  query: Buffer,
  server: { host: string; port: number },
  timeoutMs: number,
  name: string,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const done = (error: Error | null, response?: Buffer) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response as Buffer);
    };
    const timer = setTimeout(() => done(dnsError('ETIMEOUT', name)), timeoutMs);
    socket.on('error', () => done(dnsError('ECONNREFUSED', name)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0))
        done(null, received.subarray(2, 2 + received.readUInt16BE(0)));
    });
    socket.on('end', () => done(dnsError('EBADRESP', name)));
    socket.connect(server.port, server.host, () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
  });
}

/** The SRV records of a response; throws ENOTFOUND (NXDOMAIN), ENODATA (none), ESERVFAIL/EREFUSED, EBADRESP. */
export function decodeSrvResponse(message: Buffer, id: number, name: string): SrvRecord[] {
  const reader = new MessageReader(message, name);
  if (message.length < 12 || message.readUInt16BE(0) !== id || (message.readUInt16BE(2) & 0x8000) === 0)
    throw dnsError('EBADRESP', name);
  const rcode = message.readUInt16BE(2) & 0x000f;
  if (rcode === 3) throw dnsError('ENOTFOUND', name);
  if (rcode === 2) throw dnsError('ESERVFAIL', name);
  if (rcode === 5) throw dnsError('EREFUSED', name);
  if (rcode !== 0) throw dnsError('EBADRESP', name);
  const questions = message.readUInt16BE(4);
  const answers = message.readUInt16BE(6);
  reader.offset = 12;
  // The answer must be to the question asked: one question, this name, SRV, IN.
  if (questions !== 1) throw dnsError('EBADRESP', name);
  const asked = name.replace(/\.$/, '').toLowerCase();
  if (reader.name().toLowerCase() !== asked || reader.u16() !== typeSrv || reader.u16() !== classIn)
    throw dnsError('EBADRESP', name);
  const records: SrvRecord[] = [];
  for (let a = 0; a < answers; a += 1) {
    const owner = reader.name().toLowerCase();
    const type = reader.u16();
    const klass = reader.u16();
    reader.skip(4);
    const length = reader.u16();
    const end = reader.offset + length;
    if (end > message.length) throw dnsError('EBADRESP', name);
    if (type === typeSrv && klass === classIn && owner === asked && records.length < maxRecords) {
      const priority = reader.u16();
      const weight = reader.u16();
      const port = reader.u16();
      const target = reader.name();
      // "." means "no such service here" (RFC 2782): not a host to connect to.
      if (target !== '') records.push({ priority, weight, port, name: target });
    }
    reader.offset = end;
  }
  if (records.length === 0) throw dnsError('ENODATA', name);
  return records;
}

class MessageReader {
  offset = 0;
  constructor(
    private readonly message: Buffer,
    private readonly query: string,
  ) {}

  u16(): number {
    if (this.offset + 2 > this.message.length) throw dnsError('EBADRESP', this.query);
    const value = this.message.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  skip(bytes: number): void {
    this.offset += bytes;
    if (this.offset > this.message.length) throw dnsError('EBADRESP', this.query);
  }

  /** A domain name, following compression pointers (at most 64, so a loop cannot hang us). */
  name(): string {
    const labels: string[] = [];
    let at = this.offset;
    let resumeAt: number | null = null;
    let jumps = 0;
    let octets = 1;
    for (;;) {
      const length = this.message[at];
      if (length === undefined) throw dnsError('EBADRESP', this.query);
      if ((length & 0xc0) === 0xc0) {
        const low = this.message[at + 1];
        jumps += 1;
        if (low === undefined || jumps > 64) throw dnsError('EBADRESP', this.query);
        const target = ((length & 0x3f) << 8) | low;
        // Pointers only point back, so following them always ends.
        if (target >= at) throw dnsError('EBADRESP', this.query);
        resumeAt ??= at + 2;
        at = target;
        continue;
      }
      if ((length & 0xc0) !== 0) throw dnsError('EBADRESP', this.query);
      if (length === 0) {
        this.offset = resumeAt ?? at + 1;
        return labels.join('.');
      }
      if (at + 1 + length > this.message.length) throw dnsError('EBADRESP', this.query);
      labels.push(this.message.toString('latin1', at + 1, at + 1 + length));
      octets += 1 + length;
      if (octets > 255) throw dnsError('EBADRESP', this.query);
      at += 1 + length;
    }
  }
}
