/** fipscan's version for the CLI (the constant lives with the result model: src/model/tool.ts). */
export { TOOL_VERSION } from '../model/tool.js';
