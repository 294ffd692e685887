import type { ZodType } from 'zod';
import { readYamlDocument } from '../harness/config/yaml-document.js';
import { PocError } from '../harness/errors.js';

/**
 * Reads a YAML file a team edits and validates it, so that every error names the file, the
 * line and the fix: "weights.yaml:42: criteria[3].weight: must be 1..5 (got 7)".
 */
export function readYamlFile<T>(path: string, schema: ZodType<T>, what: string): T {
  const doc = readYamlDocument(path, `${what} file`);
  const parsed = schema.safeParse(doc.data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = (issue?.path ?? []) as (string | number)[];
  const where = keys
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  throw new PocError(
    'POC_ERR_BAD_CONFIG',
    `${path}:${doc.lineOf(keys)}: ${where || 'file'}: ${issue?.message ?? 'invalid'}`,
  );
}
