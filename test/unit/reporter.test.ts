import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { BlueGreenError, errorMessage } from '../../src/core/errors';
import { LineRedactor, redact } from '../../src/core/redact';
import { failedStepOutput, WorkflowError } from '../../src/core/workflows/parts/operation';
import { snapshotApp } from '../../src/core/status/refresh';
import { lineReporter, withoutColours } from '../../src/core/workflows/parts/reporter';
import { LocalRunner } from './localRunner';

describe('output hygiene', () => {
  it('redacts credentials in URLs, key=value pairs, auth headers and private keys', () => {
    assert.equal(redact('cloning https://deploy:s3cret@git.example/app.git'), 'cloning https://deploy:***@git.example/app.git'.replace('deploy:***', '***'));
    assert.equal(redact('DATABASE_PASSWORD=hunter2 PORT=3000'), 'DATABASE_PASSWORD=*** PORT=3000');
    assert.equal(redact('api_key: "abc123"'), 'api_key: "***"');
    assert.equal(redact('Authorization: Bearer eyJhbGciOi'), 'Authorization: Bearer ***');
    assert.equal(redact('-----BEGIN OPENSSH PRIVATE KEY-----abc-----END OPENSSH PRIVATE KEY-----'), '[private key redacted]');
    assert.equal(redact('npm run build'), 'npm run build');
  });

  it('hardening: redacts the forms the review found (RELIABILITY row 24)', () => {
    const cases: [string, string][] = [
      ['remote: https://ghp_abcdef123456@github.com/org/app.git', 'remote: https://***@github.com/org/app.git'],
      ['postgres://app:pa/ss:w0rd@db:5432/app', 'postgres://***@db:5432/app'],
      ["password: 'hunter2'", "password: '***'"],
      ['{"user": "app", "password": "hunter2"}', '{"user": "app", "password": "***"}'],
      ['MYSQL_PWD=hunter2 mysql -u app', 'MYSQL_PWD=*** mysql -u app'],
      ['export GITHUB_TOKEN=ghp_abc STRIPE_SECRET=sk_live_1 AWS_SECRET_ACCESS_KEY=abc/def SSH_KEY=x', 'export GITHUB_TOKEN=*** STRIPE_SECRET=*** AWS_SECRET_ACCESS_KEY=*** SSH_KEY=***'],
      ['db_password: s3cret', 'db_password: ***'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAKC\n-----END RSA PRIVATE KEY-----\nnext', '[private key redacted]\nnext'],
    ];
    for (const [raw, shown] of cases) assert.equal(redact(raw), shown, raw);
    // What is not a credential stays as it is.
    for (const plain of ['GET https://registry.npmjs.org/@types/node', 'PWD=/home/app', 'primary key (id)', 'see https://example.com/a@b']) assert.equal(redact(plain), plain, plain);
  });

  it('hardening: every credential form the agent review found is redacted, and its look-alike stays', () => {
    const table: [string, string, string][] = [
      ['DB_PASS=hunter2', 'DB_PASS=***', 'DB_PASSTHROUGH=yes'],
      ['mysql --password hunter2 -u app', 'mysql --password *** -u app', 'mysql --password-file /run/pw -u app'],
      ['curl -u deploy:hunter2 https://x', 'curl -u deploy:*** https://x', 'sudo -u deploy pm2 list'],
      ['Server=db;Uid=app;Pwd=hunter2;', 'Server=db;Uid=app;Pwd=***;', 'PWD=/home/app'],
      ['{"Authorization": "Bearer abc.def"}', '{"Authorization": "Bearer ***"}', '{"authorization_required": true}'],
      ['https://user:p@ss@db.example/x', 'https://***@db.example/x', 'see https://example.com/a@b'],
      ['-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----', '[private key redacted]', '-----BEGIN PGP PUBLIC KEY BLOCK-----'],
      ['PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAAC3Nz\nPrivate-MAC: 0f1e', 'PuTTY-User-Key-File-3: ssh-ed25519\n[private key redacted]', 'Public-Lines: 2'],
    ];
    for (const [secret, redacted, lookAlike] of table) {
      assert.equal(redact(secret), redacted, secret);
      assert.equal(redact(lookAlike), lookAlike, lookAlike);
    }
  });

  it('hardening: the formats a second review found in deploy commands and their output are redacted, and their look-alikes stay', () => {
    const table: [string, string, string][] = [
      ['mysqldump -uapp -phunter2 shop', 'mysqldump -uapp -p*** shop', 'mysql -u app -p shop'],
      ["mysqldump -uapp -p'hunter2' shop", "mysqldump -uapp -p'***' shop", 'mkdir -p /srv/app'],
      ['docker login -u ci -p hunter2 registry.example', 'docker login -u ci -p *** registry.example', 'docker run -p3000:3000 app'],
      ['sshpass -p hunter2 ssh app@web1', 'sshpass -p *** ssh app@web1', 'ssh -p 2222 app@web1'],
      ['redis-cli -a hunter2 ping', 'redis-cli -a *** ping', 'docker login --password-stdin'],
      ['mongodump --uri mongodb://app:hunter2@db1:27017,db2:27017/shop', 'mongodump --uri mongodb://***@db1:27017,db2:27017/shop', 'see https://example.com/a@b'],
      ['connect (postgres://u:hunter2@db) failed', 'connect (postgres://***@db) failed', 'mail (ops@example.com) done'],
      ['mysql://u:hunter2@[::1]:3306/app', 'mysql://***@[::1]:3306/app', 'http://[::1]:3000/health'],
      ['DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=aGVsbG8=;', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;', 'AccountName=acct'],
      ['GET /blob?sv=2022&sig=abc%2Fdef', 'GET /blob?sv=2022&sig=***', 'GET /blob?sv=2022&signal=1'],
      ['Cookie: session=abc123', 'Cookie: session=***', 'balance by cookie:SERVERID'],
      ['token ghp_0123456789abcdefghijABCDEFGHIJ012345 used', 'token *** used', 'commit 0123456789abcdef0123456789abcdef01234567'],
      ['glpat-abcdefghij0123456789 and xoxb-1234567890-abcdef', '*** and ***', 'a bare ghp_ prefix'],
      ['key sk_live_0123456789abcdefABCD', 'key ***', 'sk_live_ alone'],
      ['https://hooks.slack.com/services/T000/B000/XXXX', 'https://hooks.slack.com/services/***', 'https://hooks.slack.com/'],
      ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU', 'jwt ***', 'eyJ alone'],
      ['//registry.example/:_auth=dXNlcjpwYXNz', '//registry.example/:_auth=***', 'author=ann'],
      ['{"auths": {"registry.example": {"auth": "dXNlcjpwYXNz"}}}', '{"auths": {"registry.example": {"auth": "***"}}}', '{"authorization_required": true}'],
      ['Authorization: Digest username="ci", response="6629fae4"', 'Authorization: Digest ***', 'Authorization header missing'],
    ];
    for (const [secret, redacted, lookAlike] of table) {
      assert.equal(redact(secret), redacted, secret);
      assert.equal(redact(redacted), redacted, `again: ${secret}`);
      assert.equal(redact(lookAlike), lookAlike, lookAlike);
    }
  });

  it('hardening: a private key printed over many lines shows as one redacted line, nothing of its body', () => {
    const r = new LineRedactor();
    const lines = ['before', '-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA', 'QyNTUxOQAAACDw', '-----END OPENSSH PRIVATE KEY-----', 'after'].map((l) => r.line(l));
    assert.deepEqual(lines.filter((l) => l !== undefined), ['before', '[private key redacted]', 'after']);
  });

  it('a private key cut off before its END line (truncated output) is redacted to the end of the text, PEM or PuTTY', () => {
    assert.equal(redact('key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACDw'), 'key:\n[private key redacted]');
    assert.equal(redact('PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAAC3Nz'), 'PuTTY-User-Key-File-3: ssh-ed25519\n[private key redacted]');
    // The line count written without a space after the colon is a key too.
    assert.equal(redact('Private-Lines:12\nAAAAC3Nz\nPrivate-MAC: 0f1e\nnext'), '[private key redacted]\nnext');
  });

  it('a PuTTY key followed line by line is one redacted line from its Private-Lines line, with or without a space', () => {
    for (const begin of ['Private-Lines: 1', 'Private-Lines:1']) {
      const r = new LineRedactor();
      const lines = ['Public-Lines: 2', begin, 'AAAAC3Nz', 'Private-MAC: 0f1e', 'after'].map((l) => r.line(l));
      assert.deepEqual(lines.filter((l) => l !== undefined), ['Public-Lines: 2', '[private key redacted]', 'after'], begin);
    }
  });

  it('a password given after --password is hidden whatever its spacing and quoting', () => {
    assert.equal(redact('mysql --password  hunter2 -u app'), 'mysql --password  *** -u app');
    assert.equal(redact('mysql --password "correct horse" -u app'), 'mysql --password "***" -u app');
    assert.equal(redact("mysql --password 'correct horse' -u app"), "mysql --password '***' -u app");
    // A quote inside an unquoted value is part of the value, not a quoting of it.
    assert.equal(redact('mysql --password ab"cd -u app'), 'mysql --password *** -u app');
  });

  it("a connection string's Pwd= is hidden with spaces around the = sign and in either quotes", () => {
    assert.equal(redact('Server=db; Pwd = hunter2;'), 'Server=db; Pwd = ***;');
    assert.equal(redact('Server=db;Pwd="hunter 2";'), 'Server=db;Pwd="***";');
    assert.equal(redact("Server=db;Pwd='hunter 2';"), "Server=db;Pwd='***';");
  });

  it("curl's -u user:password is hidden at the very start of a text and in quotes", () => {
    assert.equal(redact('-u deploy:hunter2 https://x'), '-u deploy:*** https://x');
    assert.equal(redact('curl -u "deploy:hunter2" https://x'), 'curl -u "deploy:***" https://x');
    assert.equal(redact('curl -u  deploy:hunter2 https://x'), 'curl -u  deploy:*** https://x');
    assert.equal(redact('curl --user=deploy:hunter2 https://x'), 'curl --user=deploy:*** https://x');
  });

  it('an Authorization header is hidden whatever the spacing around its colon or equals sign and its scheme', () => {
    assert.equal(redact('authorization = Bearer abc.def'), 'authorization = Bearer ***');
    assert.equal(redact('authorization=bearer abc.def'), 'authorization=bearer ***');
    assert.equal(redact('Authorization: Bearer  abc.def'), 'Authorization: Bearer  ***');
  });

  it('hardening: errors, the last output of a failed step, and reporter lines never carry a credential', () => {
    assert.equal(new BlueGreenError('step-failed', 'git fetch https://u:pw@git.example failed').message, 'git fetch https://***@git.example failed');
    const e = new WorkflowError('step-failed', 'Fetch', 'lab-green', 'exit 1', 'LIVE is unchanged.', ['fatal: https://tok3n@git.example: 403', 'DB_PASSWORD=x']);
    assert.deepEqual(e.lastLines, ['fatal: https://***@git.example: 403', 'DB_PASSWORD=***']);
    // A step that printed only blank lines (a lock that failed at once) has no last output to show.
    const blank = new WorkflowError('locked', 'Lock', 'lab-lb', 'held', 'LIVE is unchanged.', ['', '  ', '\r']);
    assert.deepEqual(blank.lastLines, []);
    assert.equal(failedStepOutput(blank), undefined);
    assert.equal(errorMessage(new Error('connect postgres://a:b@db failed')), 'connect postgres://***@db failed');
    const written: string[] = [];
    const reporter = lineReporter((_level, text) => written.push(text));
    reporter.info('verify https://user:pw@app.example/api/health');
    reporter.line('lb', 'TOKEN=abc', 'stdout');
    assert.deepEqual(written, ['verify https://***@app.example/api/health', '[lb] TOKEN=***']);
  });

  it('strips terminal colour codes', () => {
    assert.equal(withoutColours('\u001b[1m\u001b[36mhost metrics\u001b[39m\u001b[22m | cpu: 0%'), 'host metrics | cpu: 0%');
  });
});

describe('the Snapshot', () => {
  it('hardening: shows a slot URL with credentials without them, in every field (status --json)', async () => {
    const valid = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');
    const config = parseConfig(valid.replace('url: "http://10.92.3.22:3001"', 'url: "http://admin:s3cret@10.92.3.22:3001"'), '/work/bluegreen.yaml');
    const runner = new LocalRunner();
    try {
      const app = await snapshotApp(runner, config.apps[0]);
      const json = JSON.stringify(app);
      assert.ok(!json.includes('s3cret'), json);
      assert.equal(app.slots.blue.url, 'http://***@10.92.3.22:3001');
    } finally {
      runner.dispose();
    }
  });
});
