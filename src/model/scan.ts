/**
 * The result model of a TLS scan: what one endpoint was found to accept, as plain data (numbers,
 * strings, arrays), so that a result can be written to a report, read back and judged again.
 * The probing layer fills it in; the policy and report layers read it without knowing how it was
 * probed. Codepoints are numbers; names are looked up in src/registry by the layers that print them.
 */
import type { ProtocolName } from '../registry/versions.js';

export type { ProtocolName };

/** A yes / no / "could not be proven" answer. `null` is inconclusive, never "no". */
export type Tri = boolean | null;

/**
 * What a real client gets: one full node:tls handshake with OpenSSL's default client settings
 * (TLS 1.2 and 1.3), presenting the client identity when one was given.
 */
export interface Negotiated {
  protocol: ProtocolName | null;
  /** Cipher suite codepoint; null when the handshake failed. */
  suite: number | null;
  /** Key-exchange group codepoint; null when failed, not told (DHE) or unknown to the registry. */
  group: number | null;
  alpn: string | null;
  /** A client identity was offered for this handshake. */
  identity: boolean;
  /** The server accepted the handshake with our certificate; null without an identity or not proven. */
  clientCertificateAccepted: Tri;
  /** The server's chain verified against the identity's CA (no host name check); null without a CA. */
  serverChainVerified: Tri;
  /** Why the chain did not verify (OpenSSL's reason, e.g. UNABLE_TO_GET_ISSUER_CERT_LOCALLY). */
  serverChainError: string | null;
  /** The handshake failed (an alert is named in the code: ERR_SSL_..._ALERT_CERTIFICATE_REQUIRED). */
  error: ScanError | null;
}

/** Finite-field Diffie-Hellman parameters a server used with a DHE suite. */
export interface DhParameters {
  primeBits: number;
  /** The RFC 7919 group codepoint when the prime is one of the ffdhe primes. */
  namedGroup: number | null;
  /** The RFC 3526 MODP group number (5, 14-18) when the prime is one of those. */
  modpGroup?: number | null;
  /**
   * For a prime of neither kind: whether (p-1)/2 is prime too (a safe prime, checked with
   * node:crypto's checkPrime); null for a named group (safe by construction) or when unchecked.
   */
  safePrime?: Tri;
}

/** A signature scheme the server signed its handshake with, and the certificate whose key signed. */
export interface SignatureSchemeUse {
  /** SignatureScheme codepoint (RFC 8446 §4.2.3). */
  scheme: number;
  /** SHA-256 fingerprint of the leaf certificate sent with the signature; null when none was seen. */
  certificate: string | null;
}

/** One protocol version's findings. */
export interface ProtocolResult {
  protocol: ProtocolName;
  /** true accepted, false refused (proven), null inconclusive or not probed. */
  offered: Tri;
  /** Plain sentence: how the answer was reached when it is false or null. */
  reason: string | null;
  /** The catalogue code of `reason` (model/errors.ts: `fipscan explain CODE`); absent in results of older versions. */
  reasonCode?: string | null;
  /**
   * Accepted cipher suites (SSLv2: 24-bit cipher kinds), in the server's preference order when
   * `serverOrder` is true, else in the order found.
   */
  suites: number[];
  /** Whether the suite list is proven complete. */
  suitesComplete: boolean;
  /** true: server enforces its order; false: follows the client's; null: not known (< 2 suites). */
  serverOrder: Tri;
  /** Key-exchange groups accepted with this version (TLS 1.0-1.2: ECDHE curves, then the RFC 7919 groups DHE suites are negotiated with; TLS 1.3: all groups). */
  groups: number[];
  /** Whether the group list is proven complete (false also when groups do not apply). */
  groupsComplete: boolean;
  /** Server enforces its own group order (true), the client's (false), or unknown (null). */
  groupServerOrder: Tri;
  /** Candidates that could be neither confirmed nor refused. */
  inconclusiveSuites: number[];
  inconclusiveGroups: number[];
  /** DHE parameters seen with this version (TLS <= 1.2), deduplicated. */
  dhParameters: DhParameters[];
  /**
   * TLS 1.2 and 1.3: the signature schemes the server signs its handshake with (ServerKeyExchange,
   * CertificateVerify), each with the certificate it signed for, in the order found. Absent in
   * results of older versions; empty when the server signs nothing (static RSA key transport only).
   */
  signatureSchemes?: SignatureSchemeUse[];
  /** Whether the signature scheme list is proven complete. */
  signatureSchemesComplete?: boolean;
  /** Schemes that could be neither confirmed nor refused. */
  inconclusiveSignatureSchemes?: number[];
  /** Workarounds needed to get answers: 'retry', 'max-128-suites', 'max-64-suites', 'no-optional-extensions', 'real-key-share'. */
  workarounds: string[];
}

/** A certificate as parsed from the wire or from node:tls. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  notBefore: string;
  notAfter: string;
  /** 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'RSA-PSS' | 'unknown' */
  keyType: string;
  /** Modulus bits for RSA/DSA, curve bits for EC, 255/448 for EdDSA. */
  keyBits: number;
  /** Named curve for EC keys (NIST name: 'P-256'), else null. */
  curve: string | null;
  /** Signature algorithm name (e.g. 'sha256WithRSAEncryption') or the dotted OID when unknown. */
  signatureAlgorithm: string;
  /** Hash of the signature ('SHA-256', 'SHA-1', ...) or null when intrinsic (EdDSA) or unknown. */
  signatureHash: string | null;
  fingerprintSha256: string;
  selfSigned: boolean;
}

/** The chain one server sent, as seen with one protocol version. */
export interface CertificateChain {
  /** The highest version the chain was served with. */
  protocol: ProtocolName;
  /** Every version the chain was served with (absent in results of older versions). */
  protocols?: ProtocolName[];
  /** 'wire': parsed from our own probes (TLS 1.3 flights decrypted); 'tls': from a node:tls handshake. */
  source: 'wire' | 'tls';
  chain: CertificateInfo[];
}

export interface Features {
  /** TLS 1.2 extended_master_secret (RFC 7627): echoed by the server, and required by it. */
  extendedMasterSecret: { supported: Tri; required: Tri };
  /** renegotiation_info echoed (RFC 5746) in TLS <= 1.2. */
  secureRenegotiation: Tri;
  /** ALPN protocol the server selected from ours, if any. */
  alpn: string | null;
  /** The server asked for a client certificate (a TLS <= 1.2 CertificateRequest, or a TLS 1.3 certificate_required alert). */
  clientCertificateRequested: Tri;
  /** A handshake without a client certificate is refused. Absent in results of older versions. */
  clientCertificateRequired?: Tri;
  /** The CA names of the TLS 1.2 CertificateRequest, as `C=.., O=.., CN=..` lines (empty: any CA, or none asked). */
  clientCertificateCAs?: string[];
}

export interface ScanError {
  /** Stable code: ECONNREFUSED, ENOTFOUND, ETIMEDOUT_CONNECT, EDEADLINE, ENOTTLS, EOTHER_PROTOCOL, EABORTED, ... */
  code: string;
  message: string;
  /** EOTHER_PROTOCOL: the protocol the port answers in (`HTTP`, `SSH`, `an unknown protocol`). */
  protocol?: string;
}

/** A TLS port's answer to plaintext on a connection of its own: what a PERMISSIVE mesh port gives away. */
export interface PlaintextFinding {
  /** true: an application answered plaintext; false: refused (a close, a TLS alert, an HTTPS-only error page); null: no answer within the timeout. */
  accepted: Tri;
  /** What was sent: an HTTP/1.1 GET, or the HTTP/2 preface for a port that declares gRPC or h2c. */
  sent: 'HTTP/1.1' | 'HTTP/2';
  /** What answered: `HTTP/1.1`, `HTTP/2 without TLS (h2c)`, another protocol, `TLS`; null when nothing did. */
  protocol: string | null;
  /** The status line or first bytes (printable), or what happened instead. */
  evidence: string;
}

/** One SSH name-list per direction (RFC 4253 §7.1). */
export interface SshDirections {
  clientToServer: string[];
  serverToClient: string[];
}

/** What an SSH server offers in its KEXINIT (RFC 4253 §7.1), every list in the server's order. */
export interface SshFindings {
  /** The identification line without CR LF: `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3`. */
  identification: string;
  /** `2.0`, or `1.99` for a server that also speaks SSH-1. */
  protoVersion: string;
  software: string;
  comments: string | null;
  /** Lines the server sent before its identification (RFC 4253 §4.2 allows them). */
  preamble: string[];
  kex: string[];
  hostKey: string[];
  cipher: SshDirections;
  mac: SshDirections;
  compression: SshDirections;
  firstKexPacketFollows: boolean;
  /** The KEXINIT payload as sent, in hex: the evidence the lists were read from. */
  kexinitHex: string;
}

export interface ScanResult {
  /** 'ssh' for an ssh:// target (then `protocols` and `certificates` are empty); absent or 'tls' otherwise. */
  service?: 'tls' | 'ssh';
  /** The target as the user gave it. */
  target: string;
  host: string;
  port: number;
  /** The IP address the probes connected to (the first one that answered). */
  address: string | null;
  sni: string | null;
  startedAt: string;
  durationMs: number;
  /** TCP connections opened for this endpoint. */
  probes: number;
  /** Set when the endpoint could not be scanned at all. */
  error: ScanError | null;
  /** One entry per protocol, SSLv2 to TLSv1.3, always all six. */
  protocols: ProtocolResult[];
  certificates: CertificateChain[];
  features: Features;
  /** Things the server did that break the protocol (picked a suite it was not offered, ...). */
  protocolViolations: string[];
  /** The outcome of a real client's handshake; null when none was made (skipped, or no TLS 1.2/1.3). */
  negotiated?: Negotiated | null;
  /** SSH endpoints: what the server offers; null when it could not be read (`error` says why). */
  ssh?: SshFindings | null;
  /** TLS endpoints: the plaintext check; null when not made (no TLS, --starttls, skipped). */
  plaintext?: PlaintextFinding | null;
  /** scan --inspect-local: the pod (namespace/name) whose own port this is, which keeps the same 127.0.0.1:PORT of two pods apart. */
  pod?: string;
}

/** The result of one protocol version in a scan result (every result lists all six). */
export function protocolResult(result: Pick<ScanResult, 'protocols'>, protocol: ProtocolName): ProtocolResult {
  const found = result.protocols.find((p) => p.protocol === protocol);
  if (!found) throw new RangeError(`scan result without ${protocol}`);
  return found;
}

/** Puts one version's result in place of the one a scan result holds for that version. */
export function setProtocolResult(result: Pick<ScanResult, 'protocols'>, found: ProtocolResult): void {
  const at = result.protocols.findIndex((p) => p.protocol === found.protocol);
  if (at < 0) throw new RangeError(`scan result without ${found.protocol}`);
  result.protocols[at] = found;
}
