/** Jest in ESM mode: TypeScript is stripped by SWC; type checking is `npm run typecheck`. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  // TF.js runs 5-25x slower in Jest's VM context, where every global lookup is slow
  // (jestjs/jest#5163); injecting these globals into modules restores plain-Node speed.
  sandboxInjectedGlobals: ['Math', 'Array', 'Symbol', 'Object', 'Number', 'Float32Array', 'Int32Array', 'Uint8Array'],
  testTimeout: 120000,
  // Most end-to-end tests wait on a ct child process; two workers keep both cores busy
  // (Jest's default on 2 cores is one).
  maxWorkers: 2,
};
