import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { NOTIFY_EVENTS } from '../../src/core/config/types';
import { problemsOf, withThrowawayHome } from './configProblems';

const FILE = '/work/bluegreen.yaml';
const valid = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');
const schema = JSON.parse(readFileSync(path.join(__dirname, '../../../schema/bluegreen.schema.json'), 'utf8')) as { definitions: { notifyEvent: { enum: string[] } } };

/** The valid fixture with a top-level `notify:` (before apps:) and the app's own (its lines under the app). */
function withNotify(top: string[], app: string[] = []): string {
  const [head, apps] = valid.split(/^apps:\n/m);
  const topText = top.length ? `notify:\n${top.map((l) => `  ${l}\n`).join('')}` : '';
  const appText = app.length ? `    notify:\n${app.map((l) => `      ${l}\n`).join('')}` : '';
  return `${head}${topText}apps:\n${apps}${appText}`;
}

const SECRET = 'https://hooks.example.net/services/T000/B000/s3cr3tPathToken';

describe('config: notify', () => {
  withThrowawayHome();

  it('is empty unless written', () => {
    assert.deepEqual(parseConfig(valid, FILE).apps[0].notify, []);
  });

  it('names the same events as the schema', () => {
    assert.deepEqual([...NOTIFY_EVENTS], schema.definitions.notifyEvent.enum);
  });

  it('loads a webhook with json, every event and 5 s by default', () => {
    const app = parseConfig(withNotify([`- url: ${SECRET}`]), FILE).apps[0];
    assert.deepEqual(app.notify, [{ url: SECRET, format: 'json', timeoutSeconds: 5 }]);
  });

  it("adds an app's own webhooks to the top-level ones; the app's entry with a top-level url replaces it", () => {
    const text = withNotify(['- url: https://a.example/hook', '- { url: https://b.example/hook, format: slack }'], ['- { url: https://b.example/hook, events: [] }', '- { url: https://c.example/x, events: [release, rollback], timeoutSeconds: 2 }']);
    const config = parseConfig(text, FILE);
    assert.deepEqual(config.apps[0].notify, [
      { url: 'https://a.example/hook', format: 'json', timeoutSeconds: 5 },
      { url: 'https://b.example/hook', format: 'json', events: [], timeoutSeconds: 5 },
      { url: 'https://c.example/x', format: 'json', events: ['release', 'rollback'], timeoutSeconds: 2 },
    ]);
  });

  it('refuses bad input with its line:col, and never shows the url past its host', () => {
    const appLine = valid.split('\n').length;
    const cases: [string, number, RegExp][] = [
      [withNotify(['- format: slack']), 3, /notify\[0\] is missing "url"/],
      [withNotify(['- { url: "ftp://files.example/s3cr3tPathToken" }']), 3, /starts with ftp:\/\/; a webhook is posted to over http:\/\/ or https:\/\//],
      [withNotify(['- { url: "not a url s3cr3tPathToken" }']), 3, /not a URL a client can post to/],
      [withNotify(['- { url: https://a.example/h, format: teams }']), 3, /format must be one of: "json", "slack"/],
      [withNotify(['- { url: https://a.example/h, events: [released] }']), 3, /events\[0\] must be one of: "staging-passed"/],
      [withNotify(['- { url: https://a.example/h, timeoutSeconds: 120 }']), 3, /timeoutSeconds must be at most 30, not 120/],
      [withNotify(['- { url: https://a.example/h, secret: x }']), 3, /unknown key "secret"/],
      [withNotify([], [`- url: ${SECRET}`, `- url: ${SECRET}`]), appLine + 2, /apps\[0\]\.notify\[1\]\.url \(https:\/\/hooks\.example\.net\/\*\*\*\) is listed twice/],
      // The natural slip: the url alone, not under url:. Discord's and Mattermost's shapes are no pattern redact() knows.
      [withNotify([`- "${SECRET}"`]), 3, /notify\[0\] must be a mapping \(key: value lines\), not string "https:\/\/hooks\.example\.net\/\*\*\*"/],
      [withNotify(['- "https://discord.example/api/webhooks/123456/s3cr3tPathToken"']), 3, /not string "https:\/\/discord\.example\/\*\*\*"/],
      [withNotify(['- { url: https://a.example/h, timeoutSeconds: "https://b.example/s3cr3tPathToken" }']), 3, /timeoutSeconds must be a whole number, not string "https:\/\/b\.example\/\*\*\*"/],
    ];
    for (const [text, line, says] of cases) {
      const problems = problemsOf(text);
      assert.ok(
        problems.some((p) => p.line === line && says.test(p.message)),
        `expected ${says} at line ${line}, got ${JSON.stringify(problems)}`,
      );
      assert.ok(!problems.some((p) => p.message.includes('s3cr3tPathToken')), `a problem shows the url's secret: ${JSON.stringify(problems)}`);
    }
  });
});
