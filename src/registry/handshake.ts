/**
 * The numbers that frame a TLS conversation: record content types (IANA "TLS ContentType",
 * RFC 8446 §5.1), handshake message types (IANA "TLS HandshakeType", RFC 8446 §4 and
 * RFC 5246 §7.4), and the SSL 2.0 message types of its own record format (draft-hickman-
 * netscape-ssl-00 "SSL Protocol", 1995). The codec and the probes name them from here.
 */

/** Record content types (RFC 8446 §5.1, RFC 5246 §6.2.1). */
export const ContentType = Object.freeze({ changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const);

/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4, RFC 6066 §8 for certificate_status). */
export const HandshakeType = Object.freeze({
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  endOfEarlyData: 5,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
  certificateStatus: 22,
  keyUpdate: 24,
  /** The synthetic message that replaces ClientHello1 in the transcript after a HelloRetryRequest (RFC 8446 §4.4.1). */
  messageHash: 254,
} as const);

/** SSL 2.0 message types (draft-hickman-netscape-ssl-00, Appendix A). */
export const Sslv2MessageType = Object.freeze({ error: 0, clientHello: 1, serverHello: 4 } as const);
