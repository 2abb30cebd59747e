import * as assert from 'node:assert/strict';
import { parseTargetCommit } from '../../src/core/workflows/parts/targetCommit';

const mark = '@@bluegreen-target';
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('what a deploy will land, read before the person confirms', () => {
  it("names the commit, git's line for it and package.json's version at it", () => {
    const out = `${mark} ${'c'.repeat(40)}\n${mark}-package ${b64('{"name":"demo","version":"1.3.0"}')}\nccccccc Faster home page (ann, 2 minutes ago)\n`;
    assert.deepEqual(parseTargetCommit(out), { commit: 'c'.repeat(40), oneLine: 'ccccccc Faster home page (ann, 2 minutes ago)', version: '1.3.0' });
  });

  it('no package.json, one that is not JSON or has no version: no version; no commit: nothing', () => {
    for (const pkg of ['', b64('{"name":'), b64('{"version":7}'), b64('[]')]) assert.equal(parseTargetCommit(`${mark} ${'c'.repeat(40)}\n${mark}-package ${pkg}\nccccccc x\n`)?.version, undefined, pkg);
    assert.equal(parseTargetCommit('ccccccc x\n'), undefined);
    assert.equal(parseTargetCommit(`${mark} cccc\n`), undefined);
  });

  it("a host's words reach the dialog on one line, without its control characters", () => {
    const out = `${mark} ${'c'.repeat(40)}\n${mark}-package ${b64('{"version":"1.0\\u202e.0"}')}\nccccccc Fix\u001b[2J it\n`;
    const target = parseTargetCommit(out)!;
    assert.equal(target.oneLine, 'ccccccc Fix [2J it');
    assert.equal(target.version, '1.0 .0');
  });
});
