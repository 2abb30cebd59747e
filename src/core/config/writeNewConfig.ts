import { writeFile } from 'node:fs/promises';
import { BlueGreenError } from '../errors';

/** Creates the file, or refuses when one is there: a person's config is never overwritten. */
export async function writeNewConfig(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new BlueGreenError('refused', `${file} already exists; nothing was written. Move it away, or write elsewhere (--config FILE)`);
    throw e;
  }
}
