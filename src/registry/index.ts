/**
 * The registry layer in one import: IANA TLS registries and the pre-standard codepoints servers
 * still use, as plain readonly data with lookups by codepoint. Nothing here does I/O or imports
 * node:, so wire/, probe/, policy/ and report/ can all depend on it.
 */

export * from './versions.js';
export * from './cipherSuites.js';
export * from './sslv2.js';
export * from './groups.js';
export * from './signatureSchemes.js';
export * from './alerts.js';
export * from './extensions.js';
export * from './modp.js';
export * from './handshake.js';
