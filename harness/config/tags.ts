import { z } from 'zod';

/**
 * Labels poc already puts on its series, or that Prometheus gives meaning to: a tag spelled
 * like one would overwrite it (or be overwritten) and split or merge series silently.
 */
export const RESERVED_TAGS = [
  'run',
  'run_id',
  'vendor',
  'scenario',
  'target',
  'job',
  'instance',
  'status',
  'reason',
  'operation',
  'finding',
  'unit',
  'check',
  'le',
  'quantile',
] as const;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** What is wrong with one `--tag key=value`, or undefined when it can label a series. */
export function tagProblem(text: string): string | undefined {
  const at = text.indexOf('=');
  if (at < 0) return `"${text}" is not key=value, e.g. team=integrations`;
  const key = text.slice(0, at);
  const value = text.slice(at + 1);
  if (!LABEL_NAME.test(key))
    return `"${key}" is not a Prometheus label name (letters, digits and _, not starting with a digit), e.g. ${key.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(\d)/, '_$1') || 'team'}=${value}`;
  if (key.startsWith('__')) return `"${key}": names starting with __ are Prometheus’ own; choose another key`;
  if ((RESERVED_TAGS as readonly string[]).includes(key))
    return `"${key}" is a label poc or Prometheus already sets (${RESERVED_TAGS.join(', ')}); choose another key, e.g. poc_${key}=${value}`;
  if (value === '') return `"${key}=" has no value; an empty label is no label in Prometheus`;
  return undefined;
}

/** `--tag key=value`, repeatable, held as { key: value }; each key once. */
export function runTags() {
  return z
    .array(z.string())
    .default([])
    .superRefine((tags, ctx) => {
      const seen = new Set<string>();
      for (const tag of tags) {
        const problem = tagProblem(tag);
        if (problem) {
          ctx.addIssue({ code: 'custom', message: problem });
          continue;
        }
        const key = tag.slice(0, tag.indexOf('='));
        if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is tagged twice; keep one` });
        seen.add(key);
      }
    })
    .transform(
      (tags): Record<string, string> =>
        Object.fromEntries(tags.map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)])),
    );
}
