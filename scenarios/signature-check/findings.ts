import { defineFindings, fact, measure } from '../../harness/runs/vocabulary.js';

// What the vendor's scheme covers is its documented design, which the emulation signs exactly.
export const SIGNATURE_CHECK_FINDINGS = defineFindings({
  'signature.cases_count': fact('cases', 'attack cases sent'),
  'signature.cases_failed_count': measure(
    'cases',
    'cases whose answer was not the expected one',
    'lower',
    'exact',
    'run',
  ),
  'signature.forgeries_accepted_count': measure(
    'cases',
    'forgeries the receiver accepted (2xx)',
    'lower',
    'exact',
    'design',
  ),
  'signature.undetectable_count': measure(
    'cases',
    'forgeries the vendor’s scheme gives a receiver no way to detect',
    'lower',
    'count',
    'design',
  ),
  'signature.scheme_signed': measure(
    'bool',
    'deliveries carry a keyed signature over the body',
    'higher',
    'rate',
    'design',
  ),
  'signature.covers_timestamp': measure(
    'bool',
    'the signature covers a timestamp, so a captured delivery cannot be replayed later',
    'higher',
    'rate',
    'design',
  ),
  'signature.api_rejects_unknown_token': measure(
    'bool',
    'the vendor API refuses a token it never issued (401/403)',
    'higher',
    'rate',
    'design',
  ),
});

export type SignatureCheckFinding = keyof typeof SIGNATURE_CHECK_FINDINGS;
