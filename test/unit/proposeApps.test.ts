import * as assert from 'node:assert/strict';
import { proposeApps } from '../../src/core/haproxy/proposeApps';

/** The lab's haproxy.cfg: one app on its own frontend and on the shared one, and a backend of another app. */
const LAB = `global
    stats socket /run/admin.sock mode 600 level admin

defaults
    mode http
    timeout connect 2s

frontend demo
    bind 127.77.0.1:8080
    default_backend demo_blue

frontend shared
    bind 127.77.0.1:8081
    acl is_demo hdr_beg(host) -i demo.lab
    acl is_other hdr_beg(host) -i other.lab
    use_backend other_app if is_other
    use_backend demo_shared_green if is_demo
    default_backend other_app

backend demo_blue
    option httpchk GET /api/health
    server blue 127.77.0.2:3001 check

backend demo_green
    server green 127.77.0.3:3001 check

backend demo_shared_blue
    server blue 127.77.0.2:3001 check

backend demo_shared_green
    server green 127.77.0.3:3001 check

backend other_app
    http-request return status 200 content-type text/plain string "other app"
`;

describe('proposeApps: apps read from a haproxy.cfg', () => {
  it("reads the health check's path of the routed backend and the global stats socket", () => {
    const { apps, statsSocket } = proposeApps(LAB);
    assert.deepEqual([apps[0].healthPath, apps[1].healthPath, statsSocket], ['/api/health', undefined, '/run/admin.sock']);
    const forms = (line: string) => proposeApps(`frontend f\n    default_backend a_blue\nbackend a_blue\n    ${line}\n    server s 10.0.0.1:80\nbackend a_green\n    server s 10.0.0.2:80\n`).apps[0].healthPath;
    assert.deepEqual(
      ['option httpchk /up', 'option httpchk HEAD /ready HTTP/1.1', 'http-check send meth GET uri /healthz ver HTTP/1.1', 'option httpchk', 'option httpchk GET relative', 'option tcplog'].map(forms),
      ['/up', '/ready', '/healthz', undefined, undefined, undefined],
    );
    assert.equal(proposeApps('global\n    stats socket ipv4@127.0.0.1:9999 level admin\n').statsSocket, undefined);
  });


  it("proposes the lab's app on its own frontend and on the shared one (by its ACL), with each slot's servers and which is LIVE", () => {
    const { apps, unpaired } = proposeApps(LAB);
    assert.deepEqual(
      apps.map((a) => [a.name, a.frontend, a.acl, a.backends.blue, a.backends.green, a.live, a.pairedBy]),
      [
        ['demo', 'demo', undefined, 'demo_blue', 'demo_green', 'blue', 'names ending blue/green'],
        ['demo-shared', 'shared', 'is_demo', 'demo_shared_blue', 'demo_shared_green', 'green', 'names ending blue/green'],
      ],
    );
    assert.deepEqual(apps[0].servers, { blue: [{ name: 'blue', address: '127.77.0.2', port: 3001 }], green: [{ name: 'green', address: '127.77.0.3', port: 3001 }] });
    // other_app is routed twice and has no partner: said, not guessed.
    assert.deepEqual(unpaired, ['shared if is_other → other_app: no other backend looks like its second slot (a name ending blue/green, a/b or 1/2)', 'shared → other_app: no other backend looks like its second slot (a name ending blue/green, a/b or 1/2)']);
  });

  it('proposes every app of a shared frontend, named by its ACL', () => {
    const text = `frontend www
    bind :80
    acl host_shop hdr(host) -i shop.example
    acl is_blog hdr(host) -i blog.example
    use_backend shop-b if host_shop
    use_backend blog1 if is_blog

backend shop-a
    server s1 app1.internal:3000 check
backend shop-b
    server s1 app2.internal:3000 check
backend blog1
    server b1 [2001:db8::1]:8080
    server b2 [2001:db8::2]:8080
backend blog2
    server b1 [2001:db8::3]:8080
    server b2 [2001:db8::4]:8080
`;
    const { apps, unpaired } = proposeApps(text);
    assert.deepEqual(apps.map((a) => [a.name, a.acl, a.backends, a.live, a.pairedBy]), [
      ['shop', 'host_shop', { blue: 'shop-a', green: 'shop-b' }, 'green', 'names ending a/b'],
      ['blog', 'is_blog', { blue: 'blog1', green: 'blog2' }, 'blue', 'names ending 1/2'],
    ]);
    assert.deepEqual(apps[1].servers.green, [{ name: 'b1', address: '2001:db8::3', port: 8080 }, { name: 'b2', address: '2001:db8::4', port: 8080 }]);
    assert.deepEqual(unpaired, []);
  });

  it('pairs two backends of one server each when nothing else routes to the other, and only then', () => {
    const two = `frontend web
    default_backend current
backend current
    server a 10.0.0.1:3000
backend spare
    server b 10.0.0.2:3000
`;
    assert.deepEqual(proposeApps(two).apps.map((a) => [a.name, a.backends, a.pairedBy]), [['web', { blue: 'current', green: 'spare' }, 'two backends with one server each']]);
    const three = `${two}backend another
    server c 10.0.0.3:3000
`;
    assert.deepEqual(proposeApps(three).apps, []);
    assert.equal(proposeApps(three).unpaired.length, 1);
  });

  it('keeps the case of the ending (WEB_BLUE with WEB_GREEN), and ignores rules with more than one condition or a backend that is not there', () => {
    const text = `frontend f
    use_backend API_GREEN if is_api
    use_backend api_blue if is_api !is_internal
    use_backend ghost_blue if is_ghost
backend API_BLUE
    server a 10.0.0.1:80
backend API_GREEN
    server b 10.0.0.2:80
backend api_blue
    server c 10.0.0.3:80
`;
    assert.deepEqual(proposeApps(text).apps.map((a) => [a.name, a.backends, a.live]), [['api', { blue: 'API_BLUE', green: 'API_GREEN' }, 'green']]);
  });
});
