/** fipscan's version, as reports and the SSH identification line carry it; kept equal to package.json's by a test (a constant survives bundling). */
export const TOOL_VERSION = '0.1.0';
