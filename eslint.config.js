// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Lower layers of the simulator never import upper ones (DESIGN.md: shell → commands → engine → kernel). */
const layer = (dir, forbidden) => ({
  files: [`src/sim/${dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((f) => ({
          group: [`**/${f}/*`, `../${f}/*`],
          message: `src/sim/${dir} must not import from the ${f} layer above it`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', '.astro/**', 'node_modules/**', '**/*.astro', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  layer('base', ['net', 'apps', 'docker', 'shell', 'snapshot', 'lab']),
  layer('net', ['apps', 'docker', 'shell', 'snapshot', 'lab']),
  layer('apps', ['docker', 'shell', 'snapshot', 'lab']),
  layer('docker', ['shell', 'snapshot', 'lab']),
  layer('shell', ['snapshot', 'lab']),
  {
    // The UI talks to the simulator only through its public API (src/sim/index.ts).
    files: ['src/components/**/*.ts', 'src/lib/**/*.ts', 'src/pages/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/sim/*/**'], message: 'the UI uses only src/sim/index.ts' }] }],
    },
  },
);
