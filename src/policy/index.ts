/**
 * The policy layer in one import: built-in profiles, custom JSON policies, and evaluation of a
 * scan result against a policy. Pure: no I/O, no node: imports.
 */
export type * from './types.js';
export { BUILTIN_POLICIES, BUILTIN_VERSION, DEFAULT_POLICY_ID, builtinPolicy } from './profiles.js';
export { PolicyError, parsePolicy } from './parse.js';
export { policyDigest, policyToDocument, policyToJson, type PolicyDocument } from './document.js';
export { evaluate, groupDisposition, protocolDisposition, signatureSchemeDisposition, suiteDisposition } from './evaluate.js';
export { describeItem, describeSslv2Kind } from './names.js';
