import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../harness/package-root.js';
import { readYamlFile } from './yaml-file.js';

const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type BandOp = (typeof OPS)[number];

const when = z
  .string()
  .regex(
    /^\s*(<=|>=|==|!=|<|>)\s*-?\d+(\.\d+)?\s*$/,
    'must be an operator and a number, e.g. ">= 0.99" or "== 0"',
  )
  .transform((text) => {
    const m = /^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text) as RegExpExecArray;
    return { op: m[1] as BandOp, value: Number(m[2]), text: text.trim() };
  });

const score = z.number().int('must be a whole number 0..3').min(0, 'must be 0..3').max(3, 'must be 0..3');
const weight = z.number().int('must be a whole number 1..5').min(1, 'must be 1..5').max(5, 'must be 1..5');
const findingKey = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be a finding key such as webhook.loss_ratio');

const measured = z
  .object({
    scenario: z.string().min(1),
    finding: findingKey.optional(),
    /** A value derived from two findings of the same run, e.g. measured / documented. */
    ratio: z.object({ of: findingKey, to: findingKey }).strict().optional(),
    aggregate: z.enum(['worst', 'best', 'latest']).default('worst'),
    bands: z
      .array(z.object({ score, when: when.optional() }).strict())
      .min(1, 'needs at least one band')
      .refine((b) => b.slice(0, -1).every((band) => band.when !== undefined), {
        message: 'only the last band may omit `when` (it catches the rest)',
      })
      .refine((b) => b.at(-1)?.when === undefined, {
        message: 'the last band must omit `when`, e.g. `{ score: 0 }`, so every value gets a score',
      }),
  })
  .strict()
  .refine((m) => (m.finding === undefined) !== (m.ratio === undefined), {
    message: 'give either `finding` or `ratio`, not both or neither',
  });

const criterion = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be lowercase words joined by dots, e.g. webhooks.no_loss'),
    title: z.string().min(1),
    area: z.string().min(1),
    weight,
    measured: measured.optional(),
    manual: z
      .object({ guide: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((c) => (c.measured === undefined) !== (c.manual === undefined), {
    message: 'give either `measured` (a rule over findings) or `manual` (a score from answers.yaml)',
  });

const catalogSchema = z
  .object({
    areas: z.array(z.object({ id: z.string().min(1), title: z.string().min(1) }).strict()).min(1),
    criteria: z.array(criterion).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    const areas = new Set(c.areas.map((a) => a.id));
    const ids = new Set<string>();
    c.criteria.forEach((cr, i) => {
      if (!areas.has(cr.area))
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'area'],
          message: `"${cr.area}" is not an area; use one of ${[...areas].join(', ')}`,
        });
      if (ids.has(cr.id))
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'id'],
          message: `"${cr.id}" is used twice; ids must be unique`,
        });
      ids.add(cr.id);
    });
  });

export type Catalog = z.infer<typeof catalogSchema>;
export type Criterion = Catalog['criteria'][number];
export type MeasuredRule = NonNullable<Criterion['measured']>;
export type Band = MeasuredRule['bands'][number];

/** The catalog shipped with poc: what `poc scorecard init` copies for a team to edit. */
export function defaultCatalogPath(): string {
  return join(packageRoot(), 'scorecards', 'catalog.yaml');
}

/** The finding keys a scenario produces; undefined for a scenario poc does not have. */
export type FindingsOf = (scenario: string) => readonly string[] | undefined;

/**
 * Loads and validates a weights-and-rules file; errors name the file and the line. Every
 * measured rule must name a scenario and findings it really produces, so a renamed finding
 * can never turn a criterion silently into "not measured".
 */
export function loadCatalog(path = defaultCatalogPath(), findingsOf?: FindingsOf): Catalog {
  if (!findingsOf) return readYamlFile(path, catalogSchema, 'weights');
  const schema = catalogSchema.superRefine((c, ctx) => {
    c.criteria.forEach((cr, i) => {
      const rule = cr.measured;
      if (!rule) return;
      const keys = findingsOf(rule.scenario);
      if (keys === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'measured', 'scenario'],
          message: `"${rule.scenario}" is not a scenario; \`poc list scenarios\` lists them`,
        });
        return;
      }
      const named: [string, (string | number)[]][] = [];
      if (rule.finding) named.push([rule.finding, ['finding']]);
      if (rule.ratio) named.push([rule.ratio.of, ['ratio', 'of']], [rule.ratio.to, ['ratio', 'to']]);
      for (const [key, where] of named) {
        if (!keys.includes(key))
          ctx.addIssue({
            code: 'custom',
            path: ['criteria', i, 'measured', ...where],
            message: `"${key}" is not a finding of ${rule.scenario}; \`poc run ${rule.scenario} --help\` lists them`,
          });
      }
    });
  });
  return readYamlFile(path, schema, 'weights');
}
