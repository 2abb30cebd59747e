import * as assert from 'node:assert/strict';
import { cleanLine, redact } from '../../src/core/workflows/reporter';

describe('output hygiene', () => {
  it('redacts credentials in URLs, key=value pairs, auth headers and private keys', () => {
    assert.equal(redact('cloning https://deploy:s3cret@git.example/app.git'), 'cloning https://deploy:***@git.example/app.git');
    assert.equal(redact('DATABASE_PASSWORD=hunter2 PORT=3000'), 'DATABASE_PASSWORD=*** PORT=3000');
    assert.equal(redact('api_key: "abc123"'), 'api_key: "***"');
    assert.equal(redact('Authorization: Bearer eyJhbGciOi'), 'Authorization: Bearer ***');
    assert.equal(redact('-----BEGIN OPENSSH PRIVATE KEY-----abc-----END OPENSSH PRIVATE KEY-----'), '[private key redacted]');
    assert.equal(redact('npm run build'), 'npm run build');
  });

  it('strips terminal colour codes', () => {
    assert.equal(cleanLine('\u001b[1m\u001b[36mhost metrics\u001b[39m\u001b[22m | cpu: 0%'), 'host metrics | cpu: 0%');
  });
});
