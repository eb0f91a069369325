/**
 * What a scan of one endpoint is asked to do (the probing layer's input). What it finds is the
 * result model in src/model/scan.ts.
 */
import type { ProtocolName } from '../model/scan.js';
import type { StarttlsProtocol } from './starttls.js';

export type { StarttlsProtocol };

/** What a scan of one endpoint is asked to do. Every field has a default. */
export interface ScanOptions {
  /** server_name to send; `null` sends none. Default: the host when it is a name, none for an IP. */
  sni?: string | null;
  /** ALPN protocols offered on every probe (Envoy picks filter chains by SNI and ALPN). */
  alpn?: readonly string[];
  /** Per-connection timeout in milliseconds (connect + answer). Default 5000. */
  timeoutMs?: number;
  /** Whole-endpoint deadline in milliseconds. Default 60000. */
  deadlineMs?: number;
  /** Connections at once to this endpoint. Default 2. */
  concurrency?: number;
  /** Only these protocol versions are probed; the others are reported as not probed (offered null). */
  protocols?: readonly ProtocolName[];
  /** Abort the scan (SIGINT, a fleet deadline). */
  signal?: AbortSignal;
  /**
   * Skip the full node:tls handshakes: the certificate retrieval for TLS 1.3-only servers, the
   * `negotiated` record and the client-certificate checks.
   */
  skipTlsCertificate?: boolean;
  /**
   * Skip the signature-scheme steps (for benchmarks that measure their cost). A result without
   * them is not judged on signature schemes, so a scan for a verdict never sets this.
   */
  skipSignatureSchemes?: boolean;
  /** Skip the plaintext check of a TLS port (one connection; for benchmarks that measure the sweep alone). */
  skipPlaintextCheck?: boolean;
  /** Speak this protocol's plaintext preamble and upgrade (STARTTLS) on every connection before the hello. */
  starttls?: StarttlsProtocol;
  /**
   * Reach the endpoint through an HTTP CONNECT proxy, `http://host:port`. The proxy resolves the
   * target's name, so `address` stays null in the result.
   */
  proxy?: string;
  /** Client certificate, key and CA (PEM) for the full handshakes; never needed for the sweep itself. */
  clientIdentity?: ClientIdentity;
}

/** A client identity in PEM: certificate (chain), private key, and the CA the server's chain is checked against. */
export interface ClientIdentity {
  cert: string;
  key: string;
  ca?: string;
}

