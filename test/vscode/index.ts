// Entry point VS Code loads as extensionTestsPath: runs the suite inside the extension host.
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  // The runner starts VS Code once trusted and once untrusted, and says which suite to run.
  const files = process.env.BLUEGREEN_TEST_SUITE === 'untrusted' ? ['untrusted.test.js'] : ['extension.test.js'];
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
