import { defineFindings, type FindingSpec } from '../../harness/runs/vocabulary.js';

const cases = (description: string, spec: Partial<FindingSpec> = {}): FindingSpec => ({
  unit: 'cases',
  description,
  better: 'none',
  evidence: 'run',
  ...spec,
});
// What the vendor's scheme covers is its documented design, which the emulation signs exactly.
const scheme = (description: string): FindingSpec => ({
  unit: 'bool',
  description,
  better: 'higher',
  noise: 'rate',
  evidence: 'design',
});

export const SIGNATURE_CHECK_FINDINGS = defineFindings({
  'signature.cases_count': cases('attack cases sent'),
  'signature.cases_failed_count': cases('cases whose answer was not the expected one', {
    better: 'lower',
    noise: 'exact',
  }),
  'signature.forgeries_accepted_count': cases('forgeries the receiver accepted (2xx)', {
    better: 'lower',
    noise: 'exact',
    evidence: 'design',
  }),
  'signature.undetectable_count': cases('forgeries the vendor’s scheme gives a receiver no way to detect', {
    better: 'lower',
    noise: 'count',
    evidence: 'design',
  }),
  'signature.scheme_signed': scheme('deliveries carry a keyed signature over the body'),
  'signature.covers_timestamp': scheme(
    'the signature covers a timestamp, so a captured delivery cannot be replayed later',
  ),
  'signature.api_rejects_unknown_token': scheme('the vendor API refuses a token it never issued (401/403)'),
});

export type SignatureCheckFinding = keyof typeof SIGNATURE_CHECK_FINDINGS;
