/**
 * TLS extension types (RFC 8446 §4.2), IANA names from the "TLS ExtensionType Values" registry,
 * plus Next Protocol Negotiation, which never reached the registry but servers still answer. The
 * codepoints are named constants so that the ClientHello builder and the ServerHello parser say
 * `ExtensionType.key_share`, never 51. This number space is separate from named groups: 23 is
 * extended_master_secret here and secp256r1 there.
 */

/** Extension codepoints by IANA name. */
export const ExtensionType = Object.freeze({
  server_name: 0, // RFC 6066 §3
  max_fragment_length: 1, // RFC 6066 §4
  client_certificate_url: 2, // RFC 6066 §5
  trusted_ca_keys: 3, // RFC 6066 §6
  truncated_hmac: 4, // RFC 6066 §7
  status_request: 5, // RFC 6066 §8
  user_mapping: 6, // RFC 4681
  client_authz: 7, // RFC 5878
  server_authz: 8, // RFC 5878
  cert_type: 9, // RFC 6091
  supported_groups: 10, // RFC 8422 §5.1.1, RFC 7919
  ec_point_formats: 11, // RFC 8422 §5.1.2
  srp: 12, // RFC 5054
  signature_algorithms: 13, // RFC 8446 §4.2.3
  use_srtp: 14, // RFC 5764
  heartbeat: 15, // RFC 6520
  application_layer_protocol_negotiation: 16, // RFC 7301
  status_request_v2: 17, // RFC 6961
  signed_certificate_timestamp: 18, // RFC 6962
  client_certificate_type: 19, // RFC 7250
  server_certificate_type: 20, // RFC 7250
  padding: 21, // RFC 7685
  encrypt_then_mac: 22, // RFC 7366
  extended_master_secret: 23, // RFC 7627
  token_binding: 24, // RFC 8472
  cached_info: 25, // RFC 7924
  tls_lts: 26, // draft-gutmann-tls-lts
  compress_certificate: 27, // RFC 8879
  record_size_limit: 28, // RFC 8449
  pwd_protect: 29, // RFC 8492
  pwd_clear: 30, // RFC 8492
  password_salt: 31, // RFC 8492
  ticket_pinning: 32, // RFC 8672
  tls_cert_with_extern_psk: 33, // RFC 8773
  delegated_credential: 34, // RFC 9345
  session_ticket: 35, // RFC 5077
  TLMSP: 36, // ETSI TS 103 523-2
  TLMSP_proxying: 37,
  TLMSP_delegate: 38,
  supported_ekt_ciphers: 39, // RFC 8870
  pre_shared_key: 41, // RFC 8446 §4.2.11
  early_data: 42, // RFC 8446 §4.2.10
  supported_versions: 43, // RFC 8446 §4.2.1
  cookie: 44, // RFC 8446 §4.2.2
  psk_key_exchange_modes: 45, // RFC 8446 §4.2.9
  certificate_authorities: 47, // RFC 8446 §4.2.4
  oid_filters: 48, // RFC 8446 §4.2.5
  post_handshake_auth: 49, // RFC 8446 §4.2.6
  signature_algorithms_cert: 50, // RFC 8446 §4.2.3
  key_share: 51, // RFC 8446 §4.2.8
  transparency_info: 52, // RFC 9162
  connection_id_deprecated: 53, // draft-ietf-tls-dtls-connection-id; IANA "connection_id (deprecated)"
  connection_id: 54, // RFC 9146
  external_id_hash: 55, // RFC 8844
  external_session_id: 56, // RFC 8844
  quic_transport_parameters: 57, // RFC 9001
  ticket_request: 58, // RFC 9149
  dnssec_chain: 59, // RFC 9102
  next_protocol_negotiation: 0x3374, // draft-agl-tls-nextprotoneg-04, not in the registry
  ech_outer_extensions: 0xfd00, // draft-ietf-tls-esni §5.1
  encrypted_client_hello: 0xfe0d, // draft-ietf-tls-esni §5
  renegotiation_info: 0xff01, // RFC 5746 §3.2
} as const);

export type ExtensionName = keyof typeof ExtensionType;

/** Extension names that differ from their ExtensionType key, as IANA prints them. */
const DISPLAY_NAMES: ReadonlyMap<number, string> = new Map([[ExtensionType.connection_id_deprecated, 'connection_id (deprecated)']]);

const BY_ID: ReadonlyMap<number, string> = new Map(
  Object.entries(ExtensionType).map(([name, id]) => [id, DISPLAY_NAMES.get(id) ?? name]),
);

/** A printable name for any extension type: its IANA name, or unknown_extension(N). */
export function extensionName(id: number): string {
  return BY_ID.get(id) ?? `unknown_extension(${id})`;
}

/** Extension types RFC 8701 reserves for GREASE: 0x0A0A, 0x1A1A, ... 0xFAFA. */
export function isGreaseExtension(id: number): boolean {
  return (id & 0x0f0f) === 0x0a0a && id >> 8 === (id & 0xff);
}
