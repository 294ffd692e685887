/** The canonical field each change writes: tag:seq:intendedAt:sentAt. */
export const SEQ_FIELD = 'poc_seq';

/**
 * tag:seq:intendedAt:sentAt — the event carries its own timing, so nothing is stored per event.
 * The tag is this run's: late retries of an earlier run on the same sandbox are not ours.
 */
export function encodeSeq(tag: string, seq: number, intendedAt: number, sentAt: number): string {
  // The open-model schedule puts intended times between milliseconds; the wire carries whole ones.
  return `${tag}:${seq}:${Math.round(intendedAt)}:${Math.round(sentAt)}`;
}

export type DecodedSeq = [seq: number, intendedAt: number, sentAt: number];

/** The value's parts when it is one of this run's, below `issued`; undefined otherwise. */
export function decodeSeq(tag: string, value: string | undefined, issued: number): DecodedSeq | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(':');
  if (parts.length !== 4 || parts[0] !== tag) return undefined;
  const nums = parts.slice(1).map(Number) as DecodedSeq;
  // Only sequence numbers this run issued: a forged or garbled value must not grow the bitsets.
  return nums.every(Number.isSafeInteger) && nums[0] >= 0 && nums[0] < issued ? nums : undefined;
}
