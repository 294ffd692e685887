import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import { PocError } from '../harness/errors.js';

/**
 * Reads a YAML file a team edits and validates it, so that every error names the file, the
 * line and the fix: "weights.yaml:42: criteria[3].weight: must be 1..5 (got 7)".
 */
export function readYamlFile<T>(path: string, schema: ZodType<T>, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PocError('POC_ERR_BAD_OPTION', `${path}: cannot read the ${what} file; check the path`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw new PocError(
      'POC_ERR_BAD_CONFIG',
      `${path}:${line}: ${syntax.message.split('\n')[0]}; fix the YAML syntax`,
    );
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path_ = (issue?.path ?? []) as (string | number)[];
  // The deepest node that exists: a missing key is reported at its parent's line.
  let line = 1;
  for (let depth = path_.length; depth >= 0; depth--) {
    const node = doc.getIn(path_.slice(0, depth), true);
    if (isNode(node) && node.range) {
      line = lines.linePos(node.range[0]).line;
      break;
    }
  }
  const where = path_
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  throw new PocError(
    'POC_ERR_BAD_CONFIG',
    `${path}:${line}: ${where || 'file'}: ${issue?.message ?? 'invalid'}`,
  );
}
