/**
 * TLS alert levels and descriptions (RFC 8446 §6, RFC 5246 §7.2), as listed in the IANA "TLS
 * Alerts" registry. A server's alert is a result fipscan reports, not an error, so every code
 * gets a printable name; the codes TLS 1.3 marks _RESERVED keep the names the older RFCs gave
 * them, because old servers still send them.
 */

export const ALERT_LEVEL_WARNING = 1;
export const ALERT_LEVEL_FATAL = 2;

export interface AlertDescription {
  readonly code: number;
  readonly name: string;
  /** Where the code is defined. */
  readonly reference: string;
}

function alert(code: number, name: string, reference: string): AlertDescription {
  return Object.freeze({ code, name, reference });
}

/** Every alert description code, sorted. */
export const ALERT_DESCRIPTIONS: readonly AlertDescription[] = Object.freeze([
  alert(0, 'close_notify', 'RFC 8446 §6.1'),
  alert(10, 'unexpected_message', 'RFC 8446 §6.2'),
  alert(20, 'bad_record_mac', 'RFC 8446 §6.2'),
  alert(21, 'decryption_failed', 'RFC 5246 §7.2.2'),
  alert(22, 'record_overflow', 'RFC 8446 §6.2'),
  alert(30, 'decompression_failure', 'RFC 5246 §7.2.2'),
  alert(40, 'handshake_failure', 'RFC 8446 §6.2'),
  alert(41, 'no_certificate', 'RFC 6101 §5.4.2'),
  alert(42, 'bad_certificate', 'RFC 8446 §6.2'),
  alert(43, 'unsupported_certificate', 'RFC 8446 §6.2'),
  alert(44, 'certificate_revoked', 'RFC 8446 §6.2'),
  alert(45, 'certificate_expired', 'RFC 8446 §6.2'),
  alert(46, 'certificate_unknown', 'RFC 8446 §6.2'),
  alert(47, 'illegal_parameter', 'RFC 8446 §6.2'),
  alert(48, 'unknown_ca', 'RFC 8446 §6.2'),
  alert(49, 'access_denied', 'RFC 8446 §6.2'),
  alert(50, 'decode_error', 'RFC 8446 §6.2'),
  alert(51, 'decrypt_error', 'RFC 8446 §6.2'),
  alert(52, 'too_many_cids_requested', 'RFC 9146'),
  alert(60, 'export_restriction', 'RFC 2246 §7.2.2'),
  alert(70, 'protocol_version', 'RFC 8446 §6.2'),
  alert(71, 'insufficient_security', 'RFC 8446 §6.2'),
  alert(80, 'internal_error', 'RFC 8446 §6.2'),
  alert(86, 'inappropriate_fallback', 'RFC 7507 §2'),
  alert(90, 'user_canceled', 'RFC 8446 §6.1'),
  alert(100, 'no_renegotiation', 'RFC 5246 §7.2.2'),
  alert(109, 'missing_extension', 'RFC 8446 §6.2'),
  alert(110, 'unsupported_extension', 'RFC 8446 §6.2'),
  alert(111, 'certificate_unobtainable', 'RFC 6066 §5'),
  alert(112, 'unrecognized_name', 'RFC 6066 §3'),
  alert(113, 'bad_certificate_status_response', 'RFC 6066 §8'),
  alert(114, 'bad_certificate_hash_value', 'RFC 6066 §5'),
  alert(115, 'unknown_psk_identity', 'RFC 4279 §2'),
  alert(116, 'certificate_required', 'RFC 8446 §6.2'),
  alert(117, 'general_error', 'RFC 8446bis §6.2'),
  alert(120, 'no_application_protocol', 'RFC 7301 §3.2'),
  alert(121, 'ech_required', 'draft-ietf-tls-esni'),
]);

/** The alert codes the scanner reasons about, by name. */
export const Alert = Object.freeze({
  closeNotify: 0,
  unexpectedMessage: 10,
  handshakeFailure: 40,
  illegalParameter: 47,
  decodeError: 50,
  protocolVersion: 70,
  insufficientSecurity: 71,
  internalError: 80,
  unrecognizedName: 112,
  unknownPskIdentity: 115,
  certificateRequired: 116,
});

/**
 * Alerts that say "nothing you offered is acceptable" (RFC 8446 §6.2, RFC 5246 §7.2.2):
 * handshake_failure, protocol_version, insufficient_security. Any other alert to a hello is a
 * stack's own way of objecting and proves nothing by itself.
 */
export const REFUSAL_ALERTS: ReadonlySet<number> = new Set([Alert.handshakeFailure, Alert.protocolVersion, Alert.insufficientSecurity]);

const BY_CODE: ReadonlyMap<number, AlertDescription> = new Map(ALERT_DESCRIPTIONS.map((a) => [a.code, a]));

/** The alert description with this code, or undefined. */
export function alertByCode(code: number): AlertDescription | undefined {
  return BY_CODE.get(code);
}

/** A printable name for any alert description code: its name, or unknown_alert(N). */
export function alertName(code: number): string {
  return BY_CODE.get(code)?.name ?? `unknown_alert(${code})`;
}

/** A printable name for an alert level. */
export function alertLevelName(level: number): string {
  if (level === ALERT_LEVEL_WARNING) return 'warning';
  if (level === ALERT_LEVEL_FATAL) return 'fatal';
  return `unknown_level(${level})`;
}
