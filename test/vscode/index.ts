// Entry point VS Code loads as extensionTestsPath: runs the suite inside the extension host.
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  // The runner starts VS Code once trusted and once untrusted, and says which suite to run. VS
  // Code's own MCP client is tested only in the current code-server: 1.100 has no provider API.
  const trusted = process.env.BLUEGREEN_CODE_SERVER === 'current' ? ['extension.test.js', 'staging.test.js', 'mcpClient.test.js'] : ['extension.test.js', 'staging.test.js'];
  const files = process.env.BLUEGREEN_TEST_SUITE === 'untrusted' ? ['untrusted.test.js'] : trusted;
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
