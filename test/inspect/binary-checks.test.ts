import t from 'tap';
import { analyzeBinary } from '../../src/inspect/analyze.js';
import { binaryChecks } from '../../src/inspect/binaryChecks.js';
import { bytesSource } from '../../src/inspect/elf.js';
import { buildElf, goBuildInfoBlob, type SectionSpec } from './elfBuilder.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** The checks of a synthetic binary with these Go build settings and these strings in .rodata. */
function judge(opts: { go?: string; rodata?: string; env?: Record<string, string> }): Record<string, { status: string; message: string }> {
  const sections: SectionSpec[] = [{ name: '.rodata', type: 1, data: enc(`\0${opts.rodata ?? ''}\0`) }];
  if (opts.go !== undefined) sections.push({ name: '.go.buildinfo', type: 1, data: goBuildInfoBlob('go1.24.2', `path\tx\n${opts.go}`) });
  const a = analyzeBinary(bytesSource(buildElf({ sections }).bytes, 'synthetic'));
  return Object.fromEntries(binaryChecks('synthetic', a, { libraries: [], env: opts.env ?? null }).map((c) => [c.id, { status: c.status, message: c.message }]));
}

t.test('Go Cryptographic Module: GOFIPS140 with a frozen version passes, latest does not', async (t) => {
  t.match(judge({ go: 'build\tGOFIPS140=v1.0.0\n' })['go.crypto'], { status: 'ok', message: /Go Cryptographic Module v1\.0\.0/ });
  t.match(judge({ go: 'build\tGOFIPS140=latest\n' })['go.crypto'], { status: 'fail', message: /not a frozen validated version/ });
  t.match(judge({ go: 'build\tDefaultGODEBUG=fips140=only\n' })['go.fipsonly'], { status: 'ok', message: /fips140=only/ });
  t.match(judge({ go: '', env: { GODEBUG: 'x=1,fips140=only' } })['go.fipsonly'], { status: 'ok', message: /GODEBUG fips140=only/ });
  t.match(judge({ go: 'build\tGOEXPERIMENT=systemcrypto\n' })['go.crypto'], { status: 'ok', message: /routed to OpenSSL/ });
});

t.test('OpenSSL versions: 3.x and 1.0.2-fips are FIPS-capable, 1.1.1 is not', async (t) => {
  t.match(judge({ rodata: 'OpenSSL 3.2.1 30 Jan 2024' })['openssl.library'], { status: 'ok' });
  t.match(judge({ rodata: 'OpenSSL 1.0.2k-fips  26 Jan 2017' })['openssl.library'], { status: 'ok' });
  t.match(judge({ rodata: 'OpenSSL 1.1.1w  11 Sep 2023' })['openssl.library'], { status: 'fail', message: /1\.1\.1w: no FIPS module/ });
  t.match(judge({ rodata: 'OpenSSL 1.1.1w  11 Sep 2023' })['crypto.module'], { status: 'fail' });
});

t.test('BoringSSL: the FIPS build (Envoy prints BoringSSL-FIPS) passes, plain BoringSSL fails', async (t) => {
  t.match(judge({ rodata: '1.28.0/Clean/RELEASE/BoringSSL-FIPS\0error:%08x:%s:OPENSSL_internal:%s' })['boringssl.fips'], { status: 'ok' });
  t.match(judge({ rodata: 'error:%08x:%s:OPENSSL_internal:%s' })['boringssl.fips'], { status: 'fail', message: /without its FIPS module/ });
});

t.test('no crypto at all: every check is n/a, and crypto.module says so', async (t) => {
  const checks = judge({ rodata: 'hello world' });
  t.same(Object.values(checks).map((c) => c.status), ['n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
  t.match(checks['crypto.module']!.message, /no crypto module found/);
});
