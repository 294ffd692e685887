import { PocError } from '../harness/errors.js';
import type { EvidenceKind } from '../harness/runs/vocabulary.js';
import type { Catalog, Criterion } from './catalog.js';

/**
 * What can score a criterion (DESIGN.md, "Evidence kinds"): `design`, a documented fact the
 * emulation reproduces, so a mock run may score it ("documented, emulated"); `service`, the
 * vendor's service performance, scored from live runs only; `answer`, a person's answer with
 * its evidence (manual criteria).
 */
export type CriterionKind = 'design' | 'service' | 'answer';

/** criterion id -> what can score it. */
export type CriterionKinds = ReadonlyMap<string, CriterionKind>;

/** The evidence kind of one finding of a scenario; undefined for a finding poc does not have. */
export type EvidenceOf = (scenario: string, finding: string) => EvidenceKind | undefined;

/** How the workbook, the Markdown and the CLI name a kind. */
export const KIND_LABEL: Readonly<Record<CriterionKind, string>> = {
  design: 'design: documented, a mock run may score it',
  service: 'service: live runs only',
  answer: 'answer: answers.yaml, with evidence',
};

function kindOf(c: Criterion, evidenceOf: EvidenceOf, file: string): CriterionKind {
  const rule = c.measured;
  if (!rule) return 'answer';
  const keys = rule.finding ? [rule.finding] : [rule.ratio?.of ?? '', rule.ratio?.to ?? ''];
  const kinds = keys.map((key) => [key, evidenceOf(rule.scenario, key)] as const);
  const ofRun = kinds.find(([, kind]) => kind === 'run');
  if (ofRun) {
    // A fact of poc's own run (events it sent, a defect of its receiver) says nothing about the
    // vendor: scoring a vendor on it would rank vendors by poc's behaviour.
    throw new PocError(
      'POC_ERR_BAD_CONFIG',
      `${file}: criterion ${c.id}: ${ofRun[0]} is a fact of poc's own run, not of the vendor, and cannot score one; rest the criterion on a design or service finding (\`poc run ${rule.scenario} --help\` lists them) or drop it`,
    );
  }
  // A ratio with one performance side (measured throughput / documented limit) is performance.
  return kinds.some(([, kind]) => kind === 'service') ? 'service' : 'design';
}

/**
 * What can score each criterion of the catalog, read from the finding vocabulary (the findings
 * say what they are evidence of, so a catalog cannot claim otherwise). Throws POC_ERR_BAD_CONFIG
 * naming `file` when a criterion rests on a finding of kind `run`.
 */
export function criterionKinds(catalog: Catalog, evidenceOf: EvidenceOf, file = 'weights'): CriterionKinds {
  return new Map(catalog.criteria.map((c) => [c.id, kindOf(c, evidenceOf, file)]));
}
