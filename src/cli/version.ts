/** fipscan's version, kept equal to package.json's by a test (a constant survives bundling). */
export const TOOL_VERSION = '0.1.0';
