/**
 * autoir's module boundaries, checked by `npm run lint` (docs/architecture.md):
 *
 *   faces (cli, api) → app → worker → stages → domain
 *   stages: ingest, detect, correlate, investigate, intel, respond — each imports the domain, the records leaf and
 *   its own files (its ports among them), never another stage; adapters (store, connectors) implement the stages'
 *   ports; the web UI speaks only the API, through its generated types.
 *
 * Tests (`*.test.ts`) may reach across: they set up real stores and real peers.
 */
const stages = '(ingest|detect|correlate|investigate|intel|respond)';
const test = '\\.test\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain holds pure types and rules: it imports no package, no Node.js module, no other folder.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: test },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'records-is-a-leaf',
      comment:
        'src/records reads raw records for every stage: it imports only the domain (no package, no Node.js).',
      severity: 'error',
      from: { path: '^src/records/', pathNot: test },
      to: { pathNot: '^src/(domain|records)/' },
    },
    {
      name: 'stage-imports-domain-and-its-own-ports',
      comment:
        'A stage imports the domain, the records leaf and its own files; what it needs of storage, connectors or ' +
        'another stage it declares in its own ports.ts and is handed by src/app.',
      severity: 'error',
      from: { path: `^src/${stages}/`, pathNot: test },
      to: {
        path: '^src/',
        pathNot: ['^src/(domain|records)/', `^src/$1/`, '^src/version\\.ts$'],
      },
    },
    {
      name: 'store-implements-ports',
      comment:
        "The store is an adapter: SQL and row mapping over the domain, implementing the stages' ports.",
      severity: 'error',
      from: { path: '^src/store/', pathNot: test },
      to: { path: '^src/', pathNot: ['^src/(domain|store)/', `^src/${stages}/ports\\.ts$`] },
    },
    {
      name: 'connectors-implement-the-connector-port',
      comment: 'Connectors are adapters: they implement respond/ports.ts and import nothing else of autoir.',
      severity: 'error',
      from: { path: '^src/connectors/', pathNot: test },
      to: { path: '^src/', pathNot: ['^src/(domain|connectors)/', '^src/respond/ports\\.ts$'] },
    },
    {
      name: 'agent-is-a-program-of-its-own',
      comment:
        'src/agent runs on the hosts autoir protects: it speaks the API over HTTP and imports only the domain and ' +
        'the action wire format (respond/ports.ts), never the store, the server or a stage.',
      severity: 'error',
      from: { path: '^src/agent/', pathNot: test },
      to: {
        path: '^src/',
        pathNot: ['^src/(domain|agent)/', '^src/respond/ports\\.ts$', '^src/version\\.ts$'],
      },
    },
    {
      name: 'app-composes-below-the-faces',
      comment: 'src/app builds services for the faces (cli, api); it never imports them.',
      severity: 'error',
      from: { path: '^src/app/', pathNot: test },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'api-is-not-the-cli',
      severity: 'error',
      from: { path: '^src/api/', pathNot: test },
      to: { path: '^src/cli/' },
    },
    {
      name: 'worker-composes-stages-only',
      comment: 'The worker loop runs the stages with what it is handed (app/services.ts builds it).',
      severity: 'error',
      from: { path: '^src/worker/', pathNot: test },
      to: { path: '^src/(app|api|cli|store|connectors)/' },
    },
    {
      name: 'web-speaks-only-the-api',
      comment:
        'The web UI imports nothing from src/: its types come from the OpenAPI document (web/src/generated).',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(src|bench|test)/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other are one module in disguise.',
      severity: 'error',
      from: { path: '^src/', pathNot: test },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
