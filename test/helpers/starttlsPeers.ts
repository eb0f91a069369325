/**
 * Scripted STARTTLS servers on loopback for the protocols whose real servers are too heavy to
 * start in a test (SMTP, IMAP, POP3, FTP, XMPP, LDAP, MySQL): each connection gets the
 * protocol's plaintext dialogue, byte for byte as the RFC (or MySQL's protocol docs) shows it,
 * and then the same socket is handed to a real node:tls server-side TLSSocket, so everything
 * after the upgrade is a real TLS stack. `refuse` scripts a server that does not offer the
 * upgrade. Also an HTTP CONNECT proxy that only tunnels to loopback.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { certPath, type CertName } from './servers.js';

export type PeerProtocol = 'smtp' | 'imap' | 'pop3' | 'ftp' | 'xmpp' | 'ldap' | 'postgres' | 'mysql';

export interface PeerOptions {
  cert?: CertName;
  /** Listen on 127.0.0.1 (default) or ::1. */
  host?: '127.0.0.1' | '::1';
  /** node:tls server options for after the upgrade (versions, ciphers, groups, client certificates). */
  tls?: Omit<tls.TlsOptions, 'cert' | 'key'>;
  /** Script a server that does not offer the upgrade. */
  refuse?: boolean;
}

export interface RunningPeer {
  host: string;
  port: number;
  /** `host:port` with IPv6 in brackets, ready for scan(). */
  target: string;
  /** Connections accepted, and those that got as far as the TLS handover. */
  readonly connections: number;
  readonly upgraded: number;
  close(): Promise<void>;
}

/** A line and byte reader over a server-side socket. */
class Script {
  #buffer = Buffer.alloc(0);
  #wake: (() => void) | null = null;
  #closed = false;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
    socket.on('error', () => {});
  }
  async #until(frame: (b: Buffer) => number | null): Promise<Buffer> {
    for (;;) {
      const n = frame(this.#buffer);
      if (n !== null) {
        const out = this.#buffer.subarray(0, n);
        this.#buffer = this.#buffer.subarray(n);
        return out;
      }
      if (this.#closed) throw new Error('client closed');
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
  async line(): Promise<string> {
    const b = await this.#until((buf) => (buf.indexOf(0x0a) === -1 ? null : buf.indexOf(0x0a) + 1));
    return b.toString('latin1').replace(/\r?\n$/, '');
  }
  bytes(n: number): Promise<Buffer> {
    return this.#until((buf) => (buf.length >= n ? n : null));
  }
  text(pattern: RegExp): Promise<string> {
    return this.#until((buf) => {
      const m = pattern.exec(buf.toString('latin1'));
      return m ? m.index + m[0].length : null;
    }).then((b) => b.toString('latin1'));
  }
  say(text: string | Buffer): void {
    this.socket.write(text);
  }
  /**
   * The socket from here on as a stream that starts with what was read past the dialogue: a
   * MySQL client sends its ClientHello right behind the SSL request, in the same segment.
   */
  release(): Duplex {
    const socket = this.socket;
    socket.removeAllListeners('data');
    const stream = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        socket.write(chunk, callback);
      },
      final(callback) {
        socket.end();
        callback();
      },
      destroy(err, callback) {
        socket.destroy();
        callback(err);
      },
    });
    if (this.#buffer.length > 0) stream.push(this.#buffer);
    socket.on('data', (chunk: Buffer) => stream.push(chunk));
    socket.on('end', () => stream.push(null));
    socket.on('close', () => stream.destroy());
    return stream;
  }
}

/** MySQL HandshakeV10 with CLIENT_SSL (0x0800) set, or cleared when refusing. */
function mysqlGreeting(ssl: boolean): Buffer {
  const capabilitiesLow = ssl ? 0xffff : 0xf7ff;
  const payload = Buffer.concat([
    Buffer.from([10]),
    Buffer.from('8.0.36-fipscan-test\0', 'latin1'),
    Buffer.from([1, 0, 0, 0]), // connection id
    Buffer.from('abcdefgh', 'latin1'), // auth-plugin-data-part-1
    Buffer.from([0]),
    Buffer.from([capabilitiesLow & 0xff, capabilitiesLow >> 8]),
    Buffer.from([33, 2, 0, 0xff, 0xdf, 21]), // charset, status, capabilities high, auth data length
    Buffer.alloc(10),
    Buffer.from('ijklmnopqrst\0', 'latin1'),
    Buffer.from('caching_sha2_password\0', 'latin1'),
  ]);
  const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, 0]);
  return Buffer.concat([header, payload]);
}

/** The server side of each dialogue; resolves true when the socket should now speak TLS. */
async function dialogue(protocol: PeerProtocol, s: Script, refuse: boolean): Promise<boolean> {
  switch (protocol) {
    case 'smtp': {
      s.say('220-mail.test ESMTP fipscan test peer\r\n220 mail.test ready\r\n');
      const ehlo = await s.line();
      if (!/^EHLO /i.test(ehlo)) return false;
      s.say(`250-mail.test greets you\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n${refuse ? '' : '250-STARTTLS\r\n'}250 8BITMIME\r\n`);
      if (refuse) return false;
      if ((await s.line()) !== 'STARTTLS') return false;
      s.say('220 2.0.0 Ready to start TLS\r\n');
      return true;
    }
    case 'imap': {
      s.say('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] fipscan test peer ready\r\n');
      const command = await s.line();
      if (command !== 'a1 STARTTLS') return false;
      if (refuse) {
        s.say('a1 BAD STARTTLS not available\r\n');
        return false;
      }
      s.say('a1 OK Begin TLS negotiation now\r\n');
      return true;
    }
    case 'pop3': {
      s.say('+OK fipscan test peer POP3 ready\r\n');
      if ((await s.line()) !== 'STLS') return false;
      if (refuse) {
        s.say('-ERR STLS not available\r\n');
        return false;
      }
      s.say('+OK Begin TLS negotiation\r\n');
      return true;
    }
    case 'ftp': {
      s.say('220-fipscan test peer\r\n welcome text without a code\r\n220 FTP ready\r\n');
      if ((await s.line()) !== 'AUTH TLS') return false;
      if (refuse) {
        s.say('502 AUTH TLS not implemented\r\n');
        return false;
      }
      s.say('234 AUTH TLS successful\r\n');
      return true;
    }
    case 'xmpp': {
      const header = await s.text(/<stream:stream[^>]*>/);
      const to = /to='([^']*)'/.exec(header)?.[1] ?? '';
      s.say(
        `<?xml version='1.0'?><stream:stream from='${to}' id='c2s-1' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>` +
          `<stream:features>${refuse ? '' : "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"}` +
          `<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>`,
      );
      if (refuse) return false;
      await s.text(/<starttls[^>]*\/>/);
      s.say("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
      return true;
    }
    case 'ldap': {
      const head = await s.bytes(2);
      const body = await s.bytes(head[1]!);
      if (!body.toString('latin1').includes('1.3.6.1.4.1.1466.20037')) return false;
      // ExtendedResponse { resultCode success (0) or protocolError (2), matchedDN "", diagnosticMessage "" }
      const resultCode = refuse ? 2 : 0;
      s.say(Buffer.from([0x30, 0x0c, 0x02, 0x01, body[2]!, 0x78, 0x07, 0x0a, 0x01, resultCode, 0x04, 0x00, 0x04, 0x00]));
      return !refuse;
    }
    case 'postgres': {
      const request = await s.bytes(8);
      if (request.readUInt32BE(4) !== 80877103) return false;
      s.say(refuse ? 'N' : 'S');
      return !refuse;
    }
    case 'mysql': {
      s.say(mysqlGreeting(!refuse));
      if (refuse) return false;
      const header = await s.bytes(4);
      const length = header[0]! | (header[1]! << 8) | (header[2]! << 16);
      const request = await s.bytes(length);
      return (request.readUInt32LE(0) & 0x0800) !== 0;
    }
  }
}

/** Starts a scripted STARTTLS peer for `protocol`. */
export async function startStarttlsPeer(protocol: PeerProtocol, options: PeerOptions = {}): Promise<RunningPeer> {
  const cert = options.cert ?? 'rsa2048';
  const context = tls.createSecureContext({ ...options.tls, cert: readFileSync(certPath(cert)), key: readFileSync(certPath(cert, 'key')) });
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let upgraded = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const script = new Script(socket);
    dialogue(protocol, script, options.refuse === true).then(
      (ok) => {
        if (!ok) {
          socket.end();
          return;
        }
        upgraded++;
        const secure = new tls.TLSSocket(script.release(), {
          isServer: true,
          secureContext: context,
          requestCert: options.tls?.requestCert ?? false,
          rejectUnauthorized: options.tls?.rejectUnauthorized ?? false,
        });
        secure.on('error', () => socket.destroy());
        secure.on('data', () => {});
      },
      () => socket.destroy(),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  server.unref();
  const port = (server.address() as net.AddressInfo).port;
  return {
    host,
    port,
    target: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    get connections() {
      return connections;
    },
    get upgraded() {
      return upgraded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export interface RunningProxy {
  port: number;
  /** CONNECT targets asked for, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** An HTTP CONNECT proxy on 127.0.0.1 that tunnels to loopback only and answers 403 to anything else. */
export async function startConnectProxy(): Promise<RunningProxy> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      client.off('data', onData);
      const m = /^CONNECT (\S+) HTTP\/1\.1\r\n/.exec(head.toString('latin1'));
      const target = m?.[1] ?? '';
      requests.push(target);
      const hp = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(target);
      const host = hp?.[1] ?? hp?.[2] ?? '';
      if (!hp || !['127.0.0.1', '::1', 'localhost'].includes(host)) {
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = net.connect({ host: host === 'localhost' ? '127.0.0.1' : host, port: Number(hp[3]) }, () => {
        client.write('HTTP/1.1 200 Connection established\r\nProxy-Agent: fipscan-test\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
