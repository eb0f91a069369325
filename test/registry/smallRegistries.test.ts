/**
 * The small registries: protocol versions and their wire numbers, SSLv2 cipher kinds, alert
 * names, extension types (a namespace apart from groups), and the index re-exports.
 */

import t from 'tap';
import { ALERT_DESCRIPTIONS, alertByCode, alertLevelName, alertName } from '../../src/registry/alerts.js';
import { ExtensionType, extensionName, isGreaseExtension } from '../../src/registry/extensions.js';
import { groupById } from '../../src/registry/groups.js';
import * as registry from '../../src/registry/index.js';
import { SSLV2_CIPHER_KINDS, sslv2CipherById } from '../../src/registry/sslv2.js';
import { PROTOCOLS, protocolByWire, wireVersion } from '../../src/registry/versions.js';

t.test('protocol versions are ordered and map both ways to their wire numbers', async (t) => {
  t.same(
    PROTOCOLS.map((p) => [p.name, p.wire]),
    [
      ['SSLv2', 0x0002],
      ['SSLv3', 0x0300],
      ['TLSv1.0', 0x0301],
      ['TLSv1.1', 0x0302],
      ['TLSv1.2', 0x0303],
      ['TLSv1.3', 0x0304],
    ],
  );
  for (const p of PROTOCOLS) {
    t.equal(wireVersion(p.name), p.wire);
    t.equal(protocolByWire(p.wire), p);
  }
  t.equal(protocolByWire(0x7f1c), undefined, 'a TLS 1.3 draft version is not a protocol');
  t.throws(() => wireVersion('TLSv1.4' as never), RangeError);
});

t.test('SSLv2 cipher kinds carry their 24-bit values and OpenSSL names', async (t) => {
  const ids = SSLV2_CIPHER_KINDS.map((k) => k.id);
  t.same(ids, [...ids].sort((a, b) => a - b));
  t.equal(new Set(ids).size, ids.length);
  t.ok(ids.every((id) => id >= 0 && id <= 0xffffff));
  t.match(sslv2CipherById(0x010080), { name: 'SSL_CK_RC4_128_WITH_MD5', openssl: 'RC4-MD5', encryption: 'RC4', bits: 128, export: false });
  t.match(sslv2CipherById(0x020080), { openssl: 'EXP-RC4-MD5', bits: 40, export: true });
  t.match(sslv2CipherById(0x040080), { openssl: 'EXP-RC2-CBC-MD5', encryption: 'RC2', mode: 'CBC', bits: 40, export: true });
  t.match(sslv2CipherById(0x060040), { openssl: 'DES-CBC-MD5', encryption: 'DES', bits: 56 });
  t.match(sslv2CipherById(0x0700c0), { name: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', openssl: 'DES-CBC3-MD5', encryption: '3DES', bits: 168 });
  t.match(sslv2CipherById(0x0701c0), { name: 'SSL_CK_DES_192_EDE3_CBC_WITH_SHA', mac: 'SHA' });
  t.match(sslv2CipherById(0x080080), { openssl: 'RC4-64-MD5', bits: 64 });
  t.equal(sslv2CipherById(0x0700c1), undefined, 'ssl2.h has 0x0701C0, not 0x0700C1');
});

t.test('alert descriptions have names, including the ones TLS 1.3 retired', async (t) => {
  const codes = ALERT_DESCRIPTIONS.map((a) => a.code);
  t.same(codes, [...codes].sort((a, b) => a - b));
  t.equal(new Set(codes).size, codes.length);
  const names: [number, string][] = [
    [0, 'close_notify'],
    [10, 'unexpected_message'],
    [20, 'bad_record_mac'],
    [21, 'decryption_failed'],
    [40, 'handshake_failure'],
    [47, 'illegal_parameter'],
    [70, 'protocol_version'],
    [71, 'insufficient_security'],
    [80, 'internal_error'],
    [86, 'inappropriate_fallback'],
    [90, 'user_canceled'],
    [100, 'no_renegotiation'],
    [109, 'missing_extension'],
    [112, 'unrecognized_name'],
    [116, 'certificate_required'],
    [120, 'no_application_protocol'],
    [121, 'ech_required'],
  ];
  for (const [code, name] of names) t.equal(alertName(code), name, `${code}`);
  t.equal(alertByCode(86)?.reference, 'RFC 7507 §2');
  t.equal(alertName(255), 'unknown_alert(255)');
  t.equal(alertLevelName(1), 'warning');
  t.equal(alertLevelName(2), 'fatal');
  t.equal(alertLevelName(3), 'unknown_level(3)');
});

t.test('extension types keep their own namespace', async (t) => {
  const expected: [keyof typeof ExtensionType, number][] = [
    ['server_name', 0],
    ['status_request', 5],
    ['supported_groups', 10],
    ['ec_point_formats', 11],
    ['signature_algorithms', 13],
    ['application_layer_protocol_negotiation', 16],
    ['padding', 21],
    ['encrypt_then_mac', 22],
    ['extended_master_secret', 23],
    ['session_ticket', 35],
    ['pre_shared_key', 41],
    ['supported_versions', 43],
    ['cookie', 44],
    ['psk_key_exchange_modes', 45],
    ['signature_algorithms_cert', 50],
    ['key_share', 51],
    ['encrypted_client_hello', 0xfe0d],
    ['renegotiation_info', 0xff01],
  ];
  for (const [name, id] of expected) {
    t.equal(ExtensionType[name], id, name);
    t.equal(extensionName(id), name);
  }
  const ids = Object.values(ExtensionType);
  t.equal(new Set(ids).size, ids.length, 'one name per codepoint');
  t.equal(extensionName(53), 'connection_id (deprecated)');
  t.equal(extensionName(0x0a0a), 'unknown_extension(2570)');
  t.equal(extensionName(23), 'extended_master_secret');
  t.equal(groupById(23)?.name, 'secp256r1', '23 means something else among groups');
  t.ok(isGreaseExtension(0x0a0a) && isGreaseExtension(0xfafa));
  t.notOk(isGreaseExtension(0x0a1a) || isGreaseExtension(0x000a) || isGreaseExtension(0xff01));
});

t.test('index re-exports every registry', async (t) => {
  for (const name of ['PROTOCOLS', 'CIPHER_SUITES', 'cipherSuiteById', 'suitesForVersion', 'SSLV2_CIPHER_KINDS', 'NAMED_GROUPS', 'groupsForVersion', 'ffdheGroupForPrime', 'FFDHE_PRIME_BITS', 'SIGNATURE_SCHEMES', 'OFFERED_SIGNATURE_SCHEMES', 'alertName', 'ExtensionType', 'extensionName', 'TLS_FALLBACK_SCSV']) {
    t.ok(name in registry, name);
  }
});
