/**
 * deploy/: what can be checked without a container engine or a cluster, and nothing more. These
 * are text checks on the files as written: no YAML parser (the project has none), no
 * `docker build`, no `kubectl apply --dry-run`. They hold the security settings in place (non-root,
 * read-only root filesystem, no capabilities, RuntimeDefault seccomp, read-only RBAC), keep the
 * Indexed Job's shard count consistent, and check that the scan arguments are real fipscan options
 * and the paths the Dockerfile copies and runs exist in this repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { SCAN_OPTIONS } from '../../src/cli/options.js';
import { repoRoot } from '../helpers/servers.js';

const read = (name: string): string => readFileSync(join(repoRoot, 'deploy', name), 'utf8');
/** The lines of a file without comments and blank lines. */
const lines = (text: string): string[] => text.split('\n').map((l) => l.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '')).filter((l) => l.trim() !== '');
/** Every value of `key:` in the text (scalars and flow lists as written). */
const values = (text: string, key: string): string[] => lines(text).flatMap((l) => {
  const m = new RegExp(`^\\s*(?:- )?${key}:\\s*(.+)$`).exec(l);
  return m ? [m[1]!.trim()] : [];
});

t.test('Dockerfile: multi-stage npm ci + build, distroless runtime, numeric non-root user, entrypoint is the CLI', async (t) => {
  const text = read('Dockerfile');
  const from = lines(text).filter((l) => l.startsWith('FROM '));
  t.same(from, ['FROM node:${NODE_MAJOR}-slim AS build', 'FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian12:nonroot']);
  t.match(text, /^ARG NODE_MAJOR=24$/m);
  t.match(text, /^RUN npm ci /m);
  t.match(text, /^RUN npm run build$/m, 'built (tsc, then the bundle)');
  t.notMatch(text, /^COPY .*node_modules/m, 'the runtime needs no node_modules: the bundle holds the dependencies');
  t.match(text, /^USER 65532:65532$/m, 'a numeric non-root user');
  const entry = /^ENTRYPOINT \["\/nodejs\/bin\/node", "\/app\/(.+)"\]$/m.exec(text);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: { fipscan: string } };
  t.equal(entry?.[1], pkg.bin.fipscan, 'the entrypoint runs the package bin');
  for (const m of text.matchAll(/^COPY (?!--from)(\S+) /gm)) t.ok(existsSync(join(repoRoot, m[1]!)), `COPY ${m[1]} exists`);
  t.match(text, new RegExp(`^COPY --from=build /build/${pkg.bin.fipscan} \\./${pkg.bin.fipscan}$`, 'm'), 'the runtime copies the bin');
  const ignore = lines(read('Dockerfile.dockerignore'));
  t.same(ignore, ['**', '!package.json', '!package-lock.json', '!tsconfig.json', '!src/**', '!deploy/bundle.mjs'], 'only what the build copies is in the context');
});

t.test('rbac.yaml: get/list/watch on services and endpointslices, nothing else', async (t) => {
  const text = read('rbac.yaml');
  t.same(values(text, 'verbs'), ['["get", "list", "watch"]', '["get", "list", "watch"]']);
  t.same(values(text, 'resources'), ['["services"]', '["endpointslices"]']);
  t.same(values(text, 'apiGroups'), ['[""]', '["discovery.k8s.io"]']);
  t.notMatch(lines(text).join('\n'), /\*|secrets|pods|create|update|patch|delete|escalate|bind|impersonate/, 'no wildcard, no other resource or verb');
  t.same(values(text, 'kind'), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRole', 'ServiceAccount']);
  t.match(text, /pod-security\.kubernetes\.io\/enforce: restricted/);
});

t.test('cronjob.yaml: an Indexed Job whose shard count matches, hardened pods, scan arguments fipscan knows', async (t) => {
  const text = read('cronjob.yaml');
  t.same(values(text, 'completionMode'), ['Indexed']);
  const completions = values(text, 'completions');
  t.same(values(text, 'parallelism'), completions, 'parallelism = completions');
  const shards = /- name: FIPSCAN_SHARDS\n\s+value: "(\d+)"/.exec(text)?.[1];
  t.same([shards], completions, 'FIPSCAN_SHARDS = completions');
  t.same(values(text, 'runAsNonRoot'), ['true', 'true'], 'pod and container');
  t.same(values(text, 'readOnlyRootFilesystem'), ['true']);
  t.same(values(text, 'allowPrivilegeEscalation'), ['false']);
  t.same(values(text, 'drop'), ['["ALL"]']);
  t.same(values(text, 'type'), ['RuntimeDefault', 'RuntimeDefault'], 'seccomp on pod and container');
  t.same(values(text, 'serviceAccountName'), ['fipscan']);
  t.match(read('rbac.yaml'), /kind: ServiceAccount\nmetadata:\n  name: fipscan\n  namespace: fipscan/, 'the service account exists in rbac.yaml');
  t.match(text, /sidecar\.istio\.io\/inject: "false"/);
  t.same(values(text, 'restartPolicy'), ['Never'], 'required by podFailurePolicy');

  const args = /args:\n((?:\s+- .+\n)+)/.exec(text)?.[1]?.split('\n').map((l) => l.replace(/^\s*- /, '').trim()).filter((a) => a !== '') ?? [];
  t.equal(args[0], 'scan');
  t.ok(args.includes('--k8s-discover'));
  const known = new Set(SCAN_OPTIONS.flatMap((o) => o.flags.split(/[ ,|]+/).filter((f) => f.startsWith('-'))));
  for (const flag of args.filter((a) => a.startsWith('-'))) t.ok(known.has(flag), `${flag} is a fipscan scan option`);
  const output = args[args.indexOf('--output') + 1] ?? '';
  const mounts = values(text, 'mountPath');
  t.ok(mounts.some((m) => output.startsWith(`${m}/`)), `the report (${output}) is written to a mounted volume (${mounts.join(', ')})`);
  t.match(text, /fieldPath: metadata\.annotations\['batch\.kubernetes\.io\/job-completion-index'\]/);
});
