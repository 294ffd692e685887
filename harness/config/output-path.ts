import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What stops a file from being written at `path` later (its folder missing, a folder in its place). */
export function outputPathProblem(path: string): string | undefined {
  const folder = dirname(resolve(path));
  if (!existsSync(folder))
    return `${path}: the folder ${folder} does not exist; create it or choose another path`;
  if (!statSync(folder).isDirectory()) return `${path}: ${folder} is not a folder`;
  if (existsSync(path) && statSync(path).isDirectory()) return `${path} is a folder; give a file name`;
  return undefined;
}
