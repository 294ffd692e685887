import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { PocError } from '../errors.js';

/** A YAML file a team edits, parsed, with the line of any node: errors name file:line. */
export interface YamlDocument {
  readonly path: string;
  readonly text: string;
  readonly data: unknown;
  /** The line of the deepest node of `path` that exists (a missing key: its parent's line). */
  lineOf(path: readonly (string | number)[]): number;
}

/** Reads and parses `path`; a missing file or a syntax error is POC_ERR_BAD_CONFIG naming the line. */
export function readYamlDocument(path: string, what: string): YamlDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PocError('POC_ERR_BAD_CONFIG', `${path}: cannot read the ${what}; check the path`);
  }
  return parseYamlDocument(path, text);
}

/** Parses text already read (a plan stored with its playbook). */
export function parseYamlDocument(path: string, text: string): YamlDocument {
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
  return {
    path,
    text,
    data: doc.toJS() ?? {},
    lineOf(keys) {
      for (let depth = keys.length; depth >= 0; depth--) {
        const node = doc.getIn(keys.slice(0, depth), true);
        if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
      }
      return 1;
    },
  };
}
