/**
 * haproxy.cfg written in ways HAProxy accepts, and what the app "shop" (frontend "web", slots
 * shop_blue and shop_green) must be read as. The unit tests check the reader against each; the
 * lab runs each through `haproxy -c`, so every case is one HAProxy itself accepts.
 */
export interface HaproxyCase {
  name: string;
  config: string;
  /** The environment `haproxy -c` needs for the case's variables. */
  env?: Record<string, string>;
  acl?: string;
  /** LIVE's backend and the 1-based lines of the rules that also route to a slot; or a refusal. */
  expect: { live: string; stray: number[] } | { refused: RegExp };
  /** The backend HAProxy sends the app's requests to, when a stray rule takes them all (else `live`). */
  servedBy?: string;
}

export const SLOT_BACKENDS = ['shop_blue', 'shop_green'];

const HEAD = `global
    log stdout format raw local0

defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
`;
const BACKENDS = `
backend shop_blue
    server b 127.0.0.1:3001
backend shop_green
    server g 127.0.0.1:3002
backend other
    server o 127.0.0.1:3009
`;
/** A config: HEAD (lines 1–8), then the given lines from line 9, then the backends. */
const cfg = (...lines: string[]) => `${HEAD}${lines.join('\n')}\n${BACKENDS}`;

export const HAPROXY_CASES: HaproxyCase[] = [
  { name: 'plain', config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_blue'), expect: { live: 'shop_blue', stray: [] } },
  { name: 'quoted routing line', config: cfg('frontend "web"', '    bind 127.0.0.1:18080', '    "default_backend" "shop_blue"'), expect: { live: 'shop_blue', stray: [] } },
  { name: 'escaped backend name', config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_gr\\x65en'), expect: { live: 'shop_green', stray: [] } },
  { name: 'name joined from quoted parts', config: cfg('frontend web', '    bind 127.0.0.1:18080', `    default_backend shop_'blu'"e"`), expect: { live: 'shop_blue', stray: [] } },
  {
    name: 'a comment mark inside quotes is not a comment',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    use_backend shop_green if { hdr(x-tag) -m str "a#b" }', '    default_backend shop_blue'),
    expect: { live: 'shop_blue', stray: [11] },
  },
  { name: 'double-quoted split', config: cfg('frontend web', '    bind 127.0.0.1:18080', '    use_backend "shop_green" if { path_beg /beta }', '    default_backend shop_blue'), expect: { live: 'shop_blue', stray: [11] } },
  { name: 'single-quoted split', config: cfg('frontend web', '    bind 127.0.0.1:18080', "    use_backend 'shop_green' if { path_beg /beta }", '    default_backend shop_blue'), expect: { live: 'shop_blue', stray: [11] } },
  { name: 'escaped split', config: cfg('frontend web', '    bind 127.0.0.1:18080', '    use_backend shop_gr\\x65en if { path_beg /beta }', '    default_backend shop_blue'), expect: { live: 'shop_blue', stray: [11] } },
  { name: 'quoted keyword split', config: cfg('frontend web', '    bind 127.0.0.1:18080', '    "use_backend" shop_green if { path_beg /beta }', '    default_backend shop_blue'), expect: { live: 'shop_blue', stray: [11] } },
  {
    name: 'split from an environment variable',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    use_backend "${BETA_BACKEND}" if { path_beg /beta }', '    default_backend shop_blue'),
    env: { BETA_BACKEND: 'shop_green' },
    expect: { live: 'shop_blue', stray: [11] },
  },
  {
    name: 'routing from an environment variable is refused',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend "${LIVE_BACKEND}"'),
    env: { LIVE_BACKEND: 'shop_blue' },
    expect: { refused: /environment variable \(\$\{LIVE_BACKEND\}, line 11\)/ },
  },
  {
    name: 'indented frontend header after another frontend',
    config: cfg('frontend api', '    bind 127.0.0.1:18081', '    default_backend shop_green', '    frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_blue'),
    expect: { live: 'shop_blue', stray: [11] },
  },
  {
    name: 'indented defaults header',
    config: cfg('  defaults', '    mode http', '    timeout connect 1s', '    timeout client 5s', '    timeout server 5s', '    default_backend shop_blue', 'frontend web', '    bind 127.0.0.1:18080').replace('    timeout server 5s\n', '    timeout server 5s\n    default_backend shop_green\n'),
    expect: { live: 'shop_blue', stray: [] },
  },
  {
    name: 'a second frontend routes to a slot',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_blue', 'frontend https_in', '    bind 127.0.0.1:18443', '    default_backend shop_green'),
    expect: { live: 'shop_blue', stray: [14] },
  },
  {
    name: 'a listen section routes to a slot',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_blue', 'listen admin', '    bind 127.0.0.1:18082', '    use_backend shop_green if { path_beg /admin }', '    server o 127.0.0.1:3009'),
    expect: { live: 'shop_blue', stray: [14] },
  },
  {
    name: 'another frontend inherits a slot as its default_backend',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_blue', 'frontend beta', '    bind 127.0.0.1:18083').replace('    timeout server 5s\n', '    timeout server 5s\n    default_backend shop_green\n'),
    expect: { live: 'shop_blue', stray: [9] },
  },
  {
    name: 'a slot written as a listen section with a bind of its own',
    config: `${HEAD}frontend web\n    bind 127.0.0.1:18080\n    default_backend shop_blue\nbackend shop_blue\n    server b 127.0.0.1:3001\nlisten shop_green\n    bind 127.0.0.1:18084\n    server g 127.0.0.1:3002\n`,
    expect: { live: 'shop_blue', stray: [15] },
  },
  {
    name: 'a carriage return before a rule is white space',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_blue', '\r    use_backend shop_green'),
    expect: { live: 'shop_blue', stray: [12] },
    servedBy: 'shop_green',
  },
  {
    name: 'a carriage return inside a line ends it',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    use_backend shop_green\rif { path_beg /x }', '    default_backend shop_blue'),
    expect: { live: 'shop_blue', stray: [11] },
    servedBy: 'shop_green',
  },
  {
    name: 'a backend named with a log-format flag may be a slot',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    use_backend %{+Q}[str(shop_green)] if { path_beg /beta }', '    default_backend shop_blue'),
    expect: { live: 'shop_blue', stray: [11] },
  },
  {
    name: 'a default_backend inherited through a chain of defaults sections',
    config: `${HEAD}defaults base\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n    default_backend shop_green\ndefaults beta from base\n    mode http\nfrontend web\n    bind 127.0.0.1:18080\n    default_backend shop_blue\nfrontend beta from beta\n    bind 127.0.0.1:18083\n${BACKENDS}`,
    expect: { live: 'shop_blue', stray: [14] },
  },
  {
    name: 'the app inherits its default_backend through a chain of defaults sections',
    config: `${HEAD}defaults base\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n    default_backend shop_blue\ndefaults web from base\n    mode http\nfrontend web from web\n    bind 127.0.0.1:18080\n${BACKENDS}`,
    expect: { live: 'shop_blue', stray: [] },
  },
  {
    name: 'a defaults section inside a conditional block is refused',
    config: `${HEAD}.if defined(HAPROXY_LOCALPEER)\ndefaults\n    mode http\n    default_backend shop_blue\n.else\ndefaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n    default_backend shop_green\n.endif\nfrontend web\n    bind 127.0.0.1:18080\n${BACKENDS}`,
    expect: { refused: /conditional block/ },
  },
  {
    name: 'a section header inside a conditional block is refused',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    default_backend shop_blue', 'frontend admin', '    bind 127.0.0.1:18081', '.if defined(NOT_SET_ANYWHERE)', 'backend debug', '    server d 127.0.0.1:3009', '.endif', '    default_backend shop_green'),
    expect: { refused: /conditional block/ },
  },
  {
    name: 'another app in a shared frontend is not a split',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    acl is_shop hdr(host) -i shop.example', '    acl is_blog hdr(host) -i blog.example', '    use_backend "shop_blue" if is_shop', '    use_backend other if is_blog'),
    acl: 'is_shop',
    expect: { live: 'shop_blue', stray: [] },
  },
  {
    name: 'a quoted ACL is still the app rule',
    config: cfg('frontend web', '    bind 127.0.0.1:18080', '    acl is_shop hdr(host) -i shop.example', '    use_backend shop_green if "is_shop"', '    default_backend other'),
    acl: 'is_shop',
    expect: { live: 'shop_green', stray: [] },
  },
];
