/**
 * A deliberately separate ClientHello parser for the tests (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2),
 * so the builder is checked against an independent reading of the grammar rather than against the
 * codec's own Reader. It is strict: every vector must be consumed exactly, and anything left over
 * or missing throws a plain Error naming the field.
 */

class Cursor {
  private at = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  take(n: number, field: string): Uint8Array {
    if (this.at + n > this.bytes.length) throw new Error(`${this.what}: ${field} needs ${n} byte(s), ${this.remaining} left`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  uint(width: 1 | 2 | 3, field: string): number {
    return this.take(width, field).reduce((v, b) => v * 256 + b, 0);
  }

  /** A `width`-byte length, then that many bytes as a new cursor. */
  vector(width: 1 | 2 | 3, field: string): Cursor {
    return new Cursor(this.take(this.uint(width, `${field} length`), field), `${this.what} ${field}`);
  }

  end(): void {
    if (this.remaining !== 0) throw new Error(`${this.what}: ${this.remaining} trailing byte(s)`);
  }

  u16List(): number[] {
    const out: number[] = [];
    while (this.remaining > 0) out.push(this.uint(2, 'entry'));
    return out;
  }
}

export interface RawExtension {
  type: number;
  body: Uint8Array;
}

export interface ParsedClientHello {
  /** The handshake length field (excluding the 4-byte header). */
  length: number;
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  /** null: no extensions block at all (SSLv3-style hello). */
  extensions: RawExtension[] | null;
}

/** Parses a handshake message (4-byte header included) that must be a ClientHello. */
export function parseClientHello(message: Uint8Array): ParsedClientHello {
  const outer = new Cursor(message, 'ClientHello');
  const msgType = outer.uint(1, 'msg_type');
  if (msgType !== 1) throw new Error(`ClientHello: msg_type ${msgType}`);
  const length = outer.uint(3, 'length');
  const c = new Cursor(outer.take(length, 'body'), 'ClientHello');
  outer.end();

  const legacyVersion = c.uint(2, 'legacy_version');
  const random = c.take(32, 'random');
  const sessionIdVector = c.vector(1, 'legacy_session_id');
  const sessionId = sessionIdVector.take(sessionIdVector.remaining, 'legacy_session_id');
  if (sessionId.length > 32) throw new Error(`ClientHello: session id of ${sessionId.length} bytes`);
  const suites = c.vector(2, 'cipher_suites');
  if (suites.remaining % 2 !== 0 || suites.remaining === 0) throw new Error('ClientHello: bad cipher_suites length');
  const cipherSuites = suites.u16List();
  const compression = c.vector(1, 'legacy_compression_methods');
  const compressionMethods = [...compression.take(compression.remaining, 'methods')];
  // RFC 5246 §7.4.1.2: the extensions block may be absent altogether.
  let extensions: RawExtension[] | null = null;
  if (c.remaining > 0) {
    extensions = [];
    const block = c.vector(2, 'extensions');
    while (block.remaining > 0) {
      const type = block.uint(2, 'extension_type');
      const body = block.vector(2, `extension ${type}`);
      extensions.push({ type, body: body.take(body.remaining, 'extension_data') });
    }
  }
  c.end();
  return { length, legacyVersion, random, sessionId, cipherSuites, compressionMethods, extensions };
}

/** The body of extension `type`, or undefined; throws if it appears twice (RFC 8446 §4.2). */
export function extensionBody(hello: ParsedClientHello, type: number): Uint8Array | undefined {
  const matches = (hello.extensions ?? []).filter((e) => e.type === type);
  if (matches.length > 1) throw new Error(`extension ${type} appears ${matches.length} times`);
  return matches[0]?.body;
}

/** Typed readings of the extension bodies the builder writes. Each consumes its body exactly. */
export const read = {
  /** RFC 6066 §3: the host_name entries. */
  serverName(body: Uint8Array): string[] {
    const list = new Cursor(body, 'server_name').vector(2, 'server_name_list');
    const names: string[] = [];
    while (list.remaining > 0) {
      const nameType = list.uint(1, 'name_type');
      if (nameType !== 0) throw new Error(`server_name: name_type ${nameType}`);
      const name = list.vector(2, 'host_name');
      names.push(new TextDecoder().decode(name.take(name.remaining, 'host_name')));
    }
    return names;
  },
  /** supported_groups, signature_algorithms: a u16 list behind a 2-byte length. */
  u16Vector(body: Uint8Array): number[] {
    const c = new Cursor(body, 'u16 list');
    const list = c.vector(2, 'list');
    c.end();
    if (list.remaining % 2 !== 0) throw new Error('u16 list of odd length');
    return list.u16List();
  },
  /** supported_versions in a ClientHello: a u16 list behind a 1-byte length (RFC 8446 §4.2.1). */
  supportedVersions(body: Uint8Array): number[] {
    const c = new Cursor(body, 'supported_versions');
    const list = c.vector(1, 'versions');
    c.end();
    return list.u16List();
  },
  /** RFC 8446 §4.2.8: client_shares. */
  keyShare(body: Uint8Array): { group: number; keyExchange: Uint8Array }[] {
    const c = new Cursor(body, 'key_share');
    const list = c.vector(2, 'client_shares');
    c.end();
    const shares: { group: number; keyExchange: Uint8Array }[] = [];
    while (list.remaining > 0) {
      const group = list.uint(2, 'group');
      const key = list.vector(2, 'key_exchange');
      shares.push({ group, keyExchange: key.take(key.remaining, 'key_exchange') });
    }
    return shares;
  },
  /** A list of 1-byte values behind a 1-byte length (ec_point_formats, psk_key_exchange_modes). */
  u8Vector(body: Uint8Array): number[] {
    const c = new Cursor(body, 'u8 list');
    const list = c.vector(1, 'list');
    c.end();
    return [...list.take(list.remaining, 'entries')];
  },
  /** RFC 7301 §3.1: protocol names. */
  alpn(body: Uint8Array): string[] {
    const c = new Cursor(body, 'alpn');
    const list = c.vector(2, 'protocol_name_list');
    c.end();
    const names: string[] = [];
    while (list.remaining > 0) {
      const name = list.vector(1, 'protocol_name');
      names.push(new TextDecoder().decode(name.take(name.remaining, 'name')));
    }
    return names;
  },
  /** RFC 8446 §4.2.2: the cookie. */
  cookie(body: Uint8Array): Uint8Array {
    const c = new Cursor(body, 'cookie');
    const cookie = c.vector(2, 'cookie');
    c.end();
    return cookie.take(cookie.remaining, 'cookie');
  },
  /** RFC 5746 §3.2: renegotiated_connection (empty in an initial hello). */
  renegotiationInfo(body: Uint8Array): Uint8Array {
    const c = new Cursor(body, 'renegotiation_info');
    const v = c.vector(1, 'renegotiated_connection');
    c.end();
    return v.take(v.remaining, 'renegotiated_connection');
  },
};
