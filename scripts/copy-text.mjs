// tsc does not copy the .sh files the compiled code imports as text; put them beside it in out/.
import { cpSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

function copy(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(from);
    else if (entry.name.endsWith('.sh')) cpSync(from, path.join('out', from));
  }
}
copy('src');
