import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PocError } from './errors.js';

/** The folder holding package.json and bin/poc.js, from the sources or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'poc.js'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new PocError(
        'POC_ERR_MOCK_START',
        'cannot find bin/poc.js above harness/: is the package complete?',
      );
    dir = parent;
  }
  return dir;
}
