/**
 * A growable bitset over sequence numbers: one bit per event, so loss and duplicate checks
 * over millions of events cost a few hundred KB, never an object per event.
 */
export class SeqSet {
  private bits = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Sets the bit; returns false if it was already set. */
  add(seq: number): boolean {
    const word = seq >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (seq & 31);
    const current = this.bits[word] ?? 0;
    if ((current & mask) !== 0) return false;
    this.bits[word] = current | mask;
    this.count++;
    return true;
  }

  has(seq: number): boolean {
    const word = seq >>> 5;
    return word < this.bits.length && ((this.bits[word] ?? 0) & (1 << (seq & 31))) !== 0;
  }

  /** How many members below `below` (all by default) there are. */
  sizeBelow(below: number): number {
    let n = 0;
    for (let w = 0; w < this.bits.length && w * 32 < below; w++)
      n += popcount((this.bits[w] ?? 0) & lowMask(w, below));
    return n;
  }

  /** How many members of this set (below `below`, all by default) are missing from `other`. */
  missingFrom(other: SeqSet, below = Number.POSITIVE_INFINITY): number {
    let missing = 0;
    for (let w = 0; w < this.bits.length && w * 32 < below; w++) {
      const mine = (this.bits[w] ?? 0) & lowMask(w, below);
      if (mine === 0) continue;
      const theirs = w < other.bits.length ? (other.bits[w] ?? 0) : 0;
      missing += popcount(mine & ~theirs);
    }
    return missing;
  }
}

/** The bits of word `w` that stand for sequence numbers below `below`. */
function lowMask(w: number, below: number): number {
  const inWord = below - w * 32;
  return inWord >= 32 ? 0xffffffff : (1 << inWord) - 1;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
