/**
 * Module hooks (node:module register) for bench/probeSteps.ts: they rewrite four compiled probe
 * modules as they load (probe, the TLS 1.3 flight, the node:tls handshake, the plaintext check),
 * so that every connection a scan opens calls globalThis.__fipscanProbe(ctx, spec, stack) first. Nothing in src/ or dist/src changes on disk; only
 * the process that loads these hooks runs the rewritten modules. Each rewrite checks that its
 * anchor is still there: when src/ moves on, this fails loudly instead of counting nothing.
 */
interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

const HOOK = 'globalThis.__fipscanProbe?.(ctx, STEP_SPEC, new Error());';

/** file under dist/src/probe -> [anchor, replacement] pairs, and code appended to the module. */
const REWRITES: Record<string, { edits: [string, string][]; append?: string }> = {
  'probe.js': { edits: [['export async function probe(ctx, spec) {', `export async function probe(ctx, spec) {\n    ${HOOK.replace('STEP_SPEC', 'spec')}`]] },
  'flight13.js': { edits: [['export function probeFlight13(ctx, spec, shareGroups) {', `export function probeFlight13(ctx, spec, shareGroups) {\n    ${HOOK.replace('STEP_SPEC', '{ ...spec, flight13: true }')}`]] },
  'negotiate.js': { edits: [['async function attempt(ctx, identity) {', `async function attempt(ctx, identity) {\n    ${HOOK.replace('STEP_SPEC', 'null')}`]] },
  'plaintext.js': { edits: [['export function plaintextCheck(ctx, appProtocol) {', `export function plaintextCheck(ctx, appProtocol) {\n    ${HOOK.replace('STEP_SPEC', 'null')}`]] },
};

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const file = /\/dist\/src\/probe\/([A-Za-z0-9]+\.js)$/.exec(url)?.[1];
  const rewrite = file === undefined ? undefined : REWRITES[file];
  if (rewrite === undefined) return nextLoad(url, context);
  const loaded = await nextLoad(url, context);
  let source = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source as Uint8Array);
  for (const [anchor, replacement] of rewrite.edits) {
    if (!source.includes(anchor)) throw new Error(`bench/probeSteps: ${file} no longer contains ${JSON.stringify(anchor)}; update bench/probeSteps/hooks.ts`);
    source = source.replace(anchor, replacement);
  }
  return { format: 'module', source: source + (rewrite.append ?? ''), shortCircuit: true };
}
