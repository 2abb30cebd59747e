import * as assert from 'node:assert/strict';
import { draftNotes, nextVersion } from '../../src/core/git/bump';
import { isBlueGreenError } from '../../src/core/errors';

describe('version bump', () => {
  it('raises patch, minor and major', () => {
    assert.equal(nextVersion('2.4.1', 'patch'), '2.4.2');
    assert.equal(nextVersion('2.4.1', 'minor'), '2.5.0');
    assert.equal(nextVersion('2.4.1', 'major'), '3.0.0');
    assert.throws(() => nextVersion('2.4', 'patch'), (e: unknown) => isBlueGreenError(e, 'refused'));
  });

  it('drafts release notes from the commits since the last tag', () => {
    const notes = draftNotes({ workspace: '/w', from: '2.4.1', to: '2.4.2', tag: 'v2.4.2', previousTag: 'v2.4.1', commits: ['abc123 Fix login (Ann)', 'def456 Faster list (Bo)'], notesFile: '/w/release-notes/v2.4.2.md', branch: 'main', remote: 'origin' }, new Date('2026-11-23T10:00:00Z'));
    assert.equal(notes, '# v2.4.2 — 2026-11-23\n\nChanges since v2.4.1:\n\n- abc123 Fix login (Ann)\n- def456 Faster list (Bo)\n');
  });
});
