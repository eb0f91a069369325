/**
 * The shapes of policies and verdicts. A policy is versioned data: for each kind of item
 * (protocol, suite, group, certificate property, TLS 1.2 feature) it says allow, warn or deny;
 * anything a list does not name is denied. Evaluation turns (ScanResult, Policy) into a
 * verdict with every violation named; the report layer marks each item with `disposition`.
 */
import type { ProtocolName } from '../model/scan.js';
import type { RuleId } from '../model/verdict.js';

/** What a policy says of one item. */
export type Disposition = 'allow' | 'warn' | 'deny';

/** How strongly a policy asks for TLS 1.2 extended_master_secret. */
export type EmsRequirement = 'off' | 'supported' | 'required';

/** Items with their disposition; an item in neither list is denied. */
export interface ItemRules {
  allow: readonly number[];
  warn: readonly number[];
}

export interface CertificateRules {
  /** Minimum modulus bits for RSA, RSA-PSS and DSA keys (all need 2048 for 112-bit security). */
  rsaMinBits: number;
  /** Allowed EC curves by NIST name ('P-256', 'P-384', 'P-521'). */
  ecCurves: readonly string[];
  /** Allowed key types ('RSA', 'RSA-PSS', 'EC', 'DSA', 'Ed25519', 'Ed448', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'). */
  keyTypes: readonly string[];
  /** Allowed signature hashes ('SHA-256', 'SHA-384', 'SHA-512'); intrinsic-hash schemes (EdDSA, ML-DSA) are judged by key type. */
  signatureHashes: readonly string[];
  /** Signature hashes allowed with a warning. */
  signatureHashesWarn: readonly string[];
  /** Apply to the leaf only, or to every certificate the server sent (default: chain). */
  scope: 'leaf' | 'chain';
}


/** SSH algorithm names of one category with their disposition; a name in neither list is denied. */
export interface SshNameRules {
  allow: readonly string[];
  warn: readonly string[];
}

/**
 * How a policy judges an SSH server's KEXINIT (RFC 4253 §7.1): each offered key exchange,
 * host-key, cipher and MAC algorithm by name, both directions.
 */
export interface SshPolicy {
  kex: SshNameRules;
  hostKey: SshNameRules;
  cipher: SshNameRules;
  mac: SshNameRules;
  /** Names in the key-exchange list that are signals, not algorithms (strict KEX, ext-info): never judged. */
  markers: readonly string[];
  /** Why an algorithm is denied or warned about, in plain words, shown after its finding. */
  reasons: Readonly<Record<string, string>>;
  /** Why markers and compression are never judged, with their sources. */
  notes: { readonly markers: string; readonly compression: string };
}

export interface Policy {
  /** Short id ('fips-strict'). */
  id: string;
  /** Policy data version, bumped whenever its lists change. */
  version: string;
  title: string;
  /** Where the lists come from (standards, products). */
  basis: string;
  protocols: Readonly<Record<ProtocolName, Disposition>>;
  /** Suites for SSLv3 to TLS 1.2 (codepoints). */
  tls12Suites: ItemRules;
  /** TLS 1.3 suites. */
  tls13Suites: ItemRules;
  /** Key-exchange groups (TLS 1.2 ECDHE curves and TLS 1.3 groups). */
  groups: ItemRules;
  /** Signature schemes the server signs its handshake with (TLS 1.2 ServerKeyExchange, TLS 1.3 CertificateVerify). */
  signatureSchemes: ItemRules;
  /** Minimum DHE prime size in bits when a DHE suite is accepted; 0 = no rule. */
  dhMinBits: number;
  /**
   * DHE only over an approved safe-prime group (RFC 7919 ffdhe or RFC 3526 MODP, SP 800-56A Rev. 3
   * Appendix D) of at least `dhMinBits`: a custom prime is a violation. false = no rule.
   */
  dhNamedGroupsOnly: boolean;
  certificate: CertificateRules;
  /** SSH endpoints (ssh:// targets): null when this policy does not judge SSH (its SSH endpoints are then `error`). */
  ssh: SshPolicy | null;
  /**
   * Where each rule comes from: the document, its section and date (or the code of the system a
   * profile mirrors, with its path and commit). Every built-in profile names every rule.
   */
  sources: Readonly<Record<RuleId, string>>;
  require: {
    /**
     * TLS 1.2 extended_master_secret (RFC 7627): 'supported' = the server echoes it (SP 800-52r2
     * §3.4.1 "shall support"); 'required' = it also refuses hellos without it, so no handshake
     * ever uses the non-EMS KDF (FIPS 140-3 IG D.Q "shall use"); 'off' = no rule.
     */
    extendedMasterSecret: EmsRequirement;
    /** TLS <= 1.2 servers must support secure renegotiation (RFC 5746). */
    secureRenegotiation: boolean;
    /** The server must offer TLS 1.3. */
    tls13: boolean;
  };
}
