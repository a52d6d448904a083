import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSrvResponse, encodeQuery, querySrv } from './srv-query';

// The SRV client that replaces Node's resolveSrv (EBADRESP on valid answers with c-ares 1.34.x), against a
// DNS server on loopback that answers with bytes written out here.

const name = '_ldap._tcp.dc._msdcs.contoso.test';

/** An answer to `query` with SRV records whose targets point back into the question (compression). */
function answer(
  query: Buffer,
  options: { rcode?: number; truncated?: boolean; records?: number } = {},
): Buffer {
  const header = Buffer.from(query.subarray(0, 12));
  const records = options.records ?? 2;
  header.writeUInt16BE(0x8500 | (options.truncated ? 0x0200 : 0) | (options.rcode ?? 0), 2);
  header.writeUInt16BE(records, 6);
  const question = query.subarray(12);
  // "contoso.test" starts after _ldap(6) _tcp(5) dc(3) _msdcs(7) in the question at offset 12: 12 + 21 = 33.
  const rdata = (n: number) =>
    Buffer.concat([
      Buffer.from([0, n, 0, 100, 0x01, 0x85, `dc${n}`.length]),
      Buffer.from(`dc${n}`),
      Buffer.from([0xc0, 33]),
    ]);
  const answers = Array.from({ length: records }, (_, i) => {
    const data = rdata(i + 1);
    const fixed = Buffer.from([0xc0, 12, 0, 33, 0, 1, 0, 0, 3, 0x84, 0, data.length]);
    return Buffer.concat([fixed, data]);
  });
  return Buffer.concat([header, question, ...answers]);
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function udpServer(
  reply: (query: Buffer) => Buffer | null,
): Promise<{ server: string; queries: Buffer[] }> {
  const socket: UdpSocket = createSocket('udp4');
  const queries: Buffer[] = [];
  socket.on('message', (message, from) => {
    queries.push(message);
    const response = reply(message);
    if (response) socket.send(response, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  closers.push(() => socket.close());
  return { server: `127.0.0.1:${socket.address().port}`, queries };
}

describe('querySrv', () => {
  it('reads SRV records with compressed names, as Samba and Windows DNS send them', async () => {
    const { server } = await udpServer((query) => answer(query));
    expect(await querySrv(name, { dnsServer: server, timeoutMs: 1000, tries: 1 })).toEqual([
      { priority: 1, weight: 100, port: 389, name: 'dc1.contoso.test' },
      { priority: 2, weight: 100, port: 389, name: 'dc2.contoso.test' },
    ]);
  });

  it('asks again over TCP on the same port when the UDP answer is truncated', async () => {
    const { server } = await udpServer((query) => answer(query, { truncated: true, records: 0 }));
    const port = Number(server.split(':')[1]);
    const tcp: Server = createServer((socket) => {
      socket.once('data', (data: Buffer) => {
        const response = answer(data.subarray(2), { records: 3 });
        const length = Buffer.alloc(2);
        length.writeUInt16BE(response.length);
        socket.end(Buffer.concat([length, response]));
      });
    });
    await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve));
    closers.push(() => tcp.close());
    expect(await querySrv(name, { dnsServer: server, timeoutMs: 1000, tries: 1 })).toHaveLength(3);
  });

  it('says ENOTFOUND for NXDOMAIN, ENODATA for no records, ETIMEOUT for silence, after the tries', async () => {
    const nx = await udpServer((query) => answer(query, { rcode: 3, records: 0 }));
    await expect(querySrv(name, { dnsServer: nx.server, timeoutMs: 500, tries: 2 })).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
    const empty = await udpServer((query) => answer(query, { records: 0 }));
    await expect(querySrv(name, { dnsServer: empty.server, timeoutMs: 500, tries: 2 })).rejects.toMatchObject(
      {
        code: 'ENODATA',
      },
    );
    const silent = await udpServer(() => null);
    await expect(
      querySrv(name, { dnsServer: silent.server, timeoutMs: 200, tries: 2 }),
    ).rejects.toMatchObject({
      code: 'ETIMEOUT',
    });
    expect(silent.queries).toHaveLength(2);
  });

  it('refuses an answer to another question, and caps what a hostile server can list', async () => {
    const other = encodeQuery(9, '_ldap._tcp.dc._msdcs.contoso.tesu');
    expect(() => decodeSrvResponse(answer(other), 9, name)).toThrow(
      expect.objectContaining({ code: 'EBADRESP' }),
    );
    const many = answer(encodeQuery(9, name), { records: 200 });
    expect(decodeSrvResponse(many, 9, name)).toHaveLength(64);
  });

  it('ignores an answer with another id and refuses a compression loop as EBADRESP', async () => {
    const { server } = await udpServer((query) => {
      const wrong = answer(query);
      wrong.writeUInt16BE((query.readUInt16BE(0) + 1) & 0xffff, 0);
      return wrong;
    });
    await expect(querySrv(name, { dnsServer: server, timeoutMs: 200, tries: 1 })).rejects.toMatchObject({
      code: 'ETIMEOUT',
    });
    const query = encodeQuery(7, name);
    const looped = answer(query, { records: 1 });
    // The answer's owner name points at itself.
    looped.writeUInt16BE(0xc000 | (12 + query.length - 12), 12 + query.length - 12);
    expect(() => decodeSrvResponse(looped, 7, name)).toThrow(expect.objectContaining({ code: 'EBADRESP' }));
  });
});
