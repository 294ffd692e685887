import { z } from 'zod';
import { PocError } from '../harness/errors.js';
import { VENDORS } from '../harness/vendors/index.js';
import type { Catalog } from './catalog.js';
import { readYamlFile } from './yaml-file.js';

const score = z.number().int('must be a whole number 0..3').min(0, 'must be 0..3').max(3, 'must be 0..3');

// A blank score (`score:` or the whole entry left empty, as `poc scorecard init` writes it) is
// "not answered"; a blank evidence is an answer nobody can check, which the scorecard marks.
const answer = z
  .object({
    score: score.nullable().optional(),
    evidence: z.string().nullable().optional(),
    note: z.string().nullable().optional(),
  })
  .strict();
const answersSchema = z.record(z.string(), z.record(z.string(), answer.nullable()).nullable()).nullable();

/** One manual score a person gave, with where it comes from. */
export interface Answer {
  readonly score: number;
  readonly evidence: string;
  readonly note?: string;
  /** Why nobody can check it (evidence missing or a placeholder); undefined when it can be checked. */
  readonly unverified?: string;
}

/** vendor id -> criterion id -> answer. */
export type Answers = ReadonlyMap<string, ReadonlyMap<string, Answer>>;

const PLACEHOLDERS: readonly [RegExp, string][] = [
  [/^\s*$/, 'no evidence given'],
  [/(^|[/.@\s])example\.(com|org|net)\b/i, 'the evidence is an example.com/.org/.net placeholder'],
  [/\b(TODO|TBD|FIXME|XXX)\b/, 'the evidence is a TODO placeholder'],
  [/\breplace (it )?with\b/i, 'the evidence says "replace with ..."'],
  [/^\s*(n\/?a|none|-|\?+|\.\.\.|…)\s*$/i, 'the evidence is a placeholder'],
];

/**
 * Why an answer's evidence cannot be checked (missing, or a placeholder such as example.com,
 * "TODO", "replace with ..."), or undefined when it names something a reader can look up.
 */
export function unverifiedReason(evidence: string | null | undefined): string | undefined {
  if (evidence === null || evidence === undefined) return 'no evidence given';
  return PLACEHOLDERS.find(([pattern]) => pattern.test(evidence))?.[1];
}

/**
 * Loads answers.yaml and checks every answer names a manual criterion of the catalog. Entries
 * left blank are skipped (not answered); answers without checkable evidence are kept, marked
 * `unverified`.
 */
export function loadAnswers(path: string, catalog: Catalog): Answers {
  const raw = readYamlFile(path, answersSchema, 'answers') ?? {};
  const manual = new Set(catalog.criteria.filter((c) => c.manual).map((c) => c.id));
  const out = new Map<string, Map<string, Answer>>();
  for (const [vendor, answers] of Object.entries(raw)) {
    if (!(vendor in VENDORS)) {
      throw new PocError(
        'POC_ERR_BAD_CONFIG',
        `${path}: ${vendor}: not a vendor id; use one of ${Object.keys(VENDORS).join(', ')}`,
      );
    }
    const byId = new Map<string, Answer>();
    for (const [id, a] of Object.entries(answers ?? {})) {
      if (!manual.has(id)) {
        throw new PocError(
          'POC_ERR_BAD_CONFIG',
          `${path}: ${vendor}.${id}: not a manual criterion of the catalog; manual ones are ${[...manual].join(', ')}`,
        );
      }
      if (a?.score === null || a?.score === undefined) continue;
      const unverified = unverifiedReason(a.evidence);
      byId.set(id, {
        score: a.score,
        evidence: a.evidence ?? '',
        ...(a.note ? { note: a.note } : {}),
        ...(unverified ? { unverified } : {}),
      });
    }
    if (byId.size > 0) out.set(vendor, byId);
  }
  return out;
}

/**
 * The answers.yaml `poc scorecard init` writes: every manual criterion for every vendor, blank,
 * with its guide as a comment. Blank entries score nothing, so the template cannot change a total.
 */
export function answersTemplate(catalog: Catalog, vendors: readonly string[]): string {
  const manual = catalog.criteria.filter((c) => c.manual);
  return [
    '# poc scorecard answers: the criteria people score, per vendor, with the evidence they read.',
    '# Fill an entry as  { score: 0..3, evidence: "where a reader can check it", note: "optional" }',
    '#   score: 0 absent, 1 weak, 2 acceptable, 3 strong (each criterion’s guide is above it)',
    '#   evidence: a link to the page, a document and section, a contract clause, a quote number.',
    '# A blank entry is "not answered" and adds nothing to a total. An answer whose evidence is',
    '# missing or a placeholder (example.com, TODO, "replace with ...") is shown as "unverified"',
    '# and does not score either: every point in a total must rest on something a reader can check.',
    '# A vendor with no answer and no run is left out of the scorecard, not ranked at 0.',
    '',
    ...vendors.flatMap((v) => [
      `${v}:`,
      ...manual.flatMap((c) => [`  # ${c.title}`, `  #   ${c.manual?.guide}`, `  ${c.id}:`]),
      '',
    ]),
  ].join('\n');
}
