import type { Linter } from 'eslint';
/** ct's layering of src/ as an ESLint config block. */
export const srcLayers: Linter.Config;
declare const plugin: { meta: { name: string }; rules: Record<string, unknown> };
export default plugin;
