import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SCENARIOS } from '../../scenarios/index.js';
import { PocError } from '../errors.js';
import { defaultPlan } from '../playbook/default-plan.js';

/** `poc init`: the commented default plan, never over a file the team already edited. */
export async function initCommand(opts: { file: string; force: boolean }): Promise<string> {
  if (existsSync(opts.file) && !opts.force)
    throw new PocError('POC_ERR_BAD_OPTION', `--file: ${opts.file} exists; pass --force to overwrite it`);
  if (!existsSync(dirname(opts.file) || '.'))
    throw new PocError('POC_ERR_OUTPUT_PATH', `--file: the folder ${dirname(opts.file)} does not exist`);
  await writeFile(opts.file, defaultPlan(Object.values(SCENARIOS)));
  const plan = opts.file === 'poc.yaml' ? '' : ` ${opts.file}`;
  return `wrote ${opts.file}: 3 vendors (mocks) x ${Object.keys(SCENARIOS).length} scenarios, small sizes; edit it, then:\n  poc playbook${plan}\n`;
}
