// The layers of src/, checked by `npm run lint` (dependency-cruiser). A module imports its own
// layer and the layers below it, never one above: data flows one way (adapter -> workflow ->
// ports -> Snapshot), and a lower layer that reached up would pull the adapters' concerns (and
// their weight: VS Code, the MCP SDK) into every bundle. test/, lab/, bench/ and soak/ are not
// checked: they may import anything.

/** Bottom first. */
const LAYERS = [
  { name: 'the leaf modules (src/core/*.ts: errors, shell, redact, format, signals)', path: '^src/core/[^/]+$' },
  { name: 'core/remote (the remote scripts)', path: '^src/core/remote/' },
  { name: 'core/ssh (the runner)', path: '^src/core/ssh/' },
  { name: 'core/config', path: '^src/core/config/' },
  { name: 'core/haproxy, core/state, core/git, core/migrations', path: '^src/core/(haproxy|state|git|migrations)/' },
  { name: 'core/status', path: '^src/core/status/' },
  { name: 'core/plan (the gates, preflight, the plan and its confirmation text)', path: '^src/core/plan/' },
  { name: 'core/workflows/parts (what operations are built from)', path: '^src/core/workflows/parts/' },
  { name: 'core/workflows (the operations)', path: '^src/core/workflows/[^/]+$' },
  { name: 'core/agent, core/approval', path: '^src/core/(agent|approval)/' },
  { name: "src/bin (the `bluegreen` launcher and what the CLI and MCP bundles share: options, exit codes)", path: '^src/bin/' },
  { name: 'the adapters (src/ui, src/commands, src/extension.ts; src/cli; src/mcp)', path: '^src/(ui|commands|cli|mcp)/|^src/extension\\.ts$' },
];

const order = LAYERS.map((l, i) => `${i + 1}. ${l.name}`).join('; ');

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layers: ${layer.name.split(' (')[0]}`,
  severity: 'error',
  comment: `${layer.name} may import only its own layer and those below it, never a higher one. Layers, bottom first: ${order}. Move what both need down to the lower layer instead.`,
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).map((l) => l.path) },
}));

/** The three front ends over the same core: each maps its medium to core calls, none uses another's code. */
const ADAPTERS = [
  { name: 'the extension (src/ui, src/commands, src/extension.ts)', path: '^src/(ui|commands)/|^src/extension\\.ts$' },
  { name: 'the CLI (src/cli)', path: '^src/cli/' },
  { name: 'the MCP server (src/mcp)', path: '^src/mcp/' },
];

const apart = ADAPTERS.map((adapter) => ({
  name: `adapters apart: ${adapter.name.split(' (')[0]}`,
  severity: 'error',
  comment: `${adapter.name} must not import another adapter (${ADAPTERS.filter((a) => a !== adapter).map((a) => a.name).join(', ')}): what two adapters share belongs in the core or src/bin, which all of them may import. src/bin/launcher.ts chooses the CLI or the MCP bundle by path.`,
  from: { path: adapter.path },
  to: { path: ADAPTERS.filter((a) => a !== adapter).map((a) => a.path) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules under src/ must not import each other in a loop (type imports count): a loop has no lower end to test or load on its own. Move what both sides use into a module of its own that both import.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...upward,
    ...apart,
  ],
  options: {
    // Type-only imports count: a layer that names a higher layer's types depends on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
