import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Published read contracts (docs/decisions/0013): a service's SQL names its own schema's tables; what it reads of
// another service is that service's `<service>_api` views, and only from `*.reader.ts` files.
const SERVICES = { 'catalog-api': 'catalog', matcher: 'matcher', reconciler: 'reconciler', dispatcher: 'dispatcher' };
const sqlNaming = (schemas) => `/(FROM|JOIN|INTO|UPDATE)\\s+"?(${schemas.join('|')})"?\\./`;
const inStrings = (regex, message) => [
  { selector: `Literal[value=${regex}]`, message },
  { selector: `TemplateElement[value.raw=${regex}]`, message },
];
const readContracts = Object.entries(SERVICES).flatMap(([app, own]) => {
  const others = Object.values(SERVICES).filter((s) => s !== own);
  const foreignTables = inStrings(sqlNaming(others), `SQL names another service's tables: read its published <service>_api views instead, from a *.reader.ts file (docs/decisions/0013).`);
  const views = inStrings(sqlNaming(Object.values(SERVICES).map((s) => `${s}_api`)), 'SQL reads a published <service>_api view outside a *.reader.ts file: move the query into a reader named for what it reads.');
  const files = [`apps/${app}/src/**/*.ts`];
  const ignores = ['**/migrations/**', '**/*.spec.ts'];
  return [
    { files, ignores, rules: { 'no-restricted-syntax': ['error', ...foreignTables, ...views] } },
    { files: [`apps/${app}/src/**/*.reader.ts`], ignores, rules: { 'no-restricted-syntax': ['error', ...foreignTables] } },
  ];
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tools/**', '**/dist/**', '**/generated/**', 'apps/web/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @fasit/config.' }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'packages/testing/**', 'packages/config/**', 'scripts/**', 'apps/web/test/**'],
    rules: { 'no-restricted-properties': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
  ...readContracts,
);
