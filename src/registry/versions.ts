/**
 * Protocol versions a scanner can speak, oldest first, with the version number each puts on the
 * wire: SSL 3.0 and TLS use {major, minor} (RFC 6101 §5.2.1, RFC 8446 §4.1.2), TLS 1.3 shows
 * itself only in supported_versions (RFC 8446 §4.2.1), and SSL 2.0 uses its own record format
 * whose CLIENT-HELLO carries version 0x0002. The names are the ones the rest of fipscan reports.
 */

export type ProtocolName = 'SSLv2' | 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface Protocol {
  readonly name: ProtocolName;
  /** The 16-bit version number on the wire. */
  readonly wire: number;
}

/** Every protocol version, oldest first. */
export const PROTOCOLS: readonly Protocol[] = Object.freeze([
  { name: 'SSLv2', wire: 0x0002 },
  { name: 'SSLv3', wire: 0x0300 },
  { name: 'TLSv1.0', wire: 0x0301 },
  { name: 'TLSv1.1', wire: 0x0302 },
  { name: 'TLSv1.2', wire: 0x0303 },
  { name: 'TLSv1.3', wire: 0x0304 },
] as const);

const BY_WIRE: ReadonlyMap<number, Protocol> = new Map(PROTOCOLS.map((p) => [p.wire, p]));
const BY_NAME: ReadonlyMap<ProtocolName, Protocol> = new Map(PROTOCOLS.map((p) => [p.name, p]));

/** The protocol a wire version number stands for, or undefined (e.g. a TLS 1.3 draft 0x7f1c). */
export function protocolByWire(wire: number): Protocol | undefined {
  return BY_WIRE.get(wire);
}

/** The wire version number of a protocol. */
export function wireVersion(name: ProtocolName): number {
  const p = BY_NAME.get(name);
  if (p === undefined) throw new RangeError(`unknown protocol name ${JSON.stringify(name)}`);
  return p.wire;
}

/** Wire version numbers by protocol name, for code that compares a ServerHello's version: `WireVersion['TLSv1.3']`. */
export const WireVersion: Readonly<Record<ProtocolName, number>> = Object.freeze(
  Object.fromEntries(PROTOCOLS.map((p) => [p.name, p.wire])) as Record<ProtocolName, number>,
);

/**
 * The last 8 bytes of ServerHello.random when a TLS 1.3 server negotiates TLS 1.2 ("DOWNGRD" 01)
 * or TLS 1.1 and below ("DOWNGRD" 00), RFC 8446 §4.1.3.
 */
export const DOWNGRADE_SENTINEL = Object.freeze({
  tls12: Object.freeze([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01]),
  tls11: Object.freeze([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00]),
});
