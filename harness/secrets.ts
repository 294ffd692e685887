import { readFileSync } from 'node:fs';
import { PocError } from './errors.js';

/**
 * Reads a secret from `NAME` or from the file named by `NAME_FILE` (Docker/Kubernetes style).
 * Secrets are never accepted as flags: argv is visible to every process on the machine.
 */
export function readSecret(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = env[`${name}_FILE`];
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new PocError(
      'POC_ERR_MISSING_CREDENTIALS',
      `${name}_FILE: cannot read ${file} (${(err as Error).message})`,
    );
  }
}

export function requireSecret(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = readSecret(name, env);
  if (value === undefined) {
    throw new PocError('POC_ERR_MISSING_CREDENTIALS', `${name} is not set (nor ${name}_FILE)`);
  }
  return value;
}
