import { SingleBar } from 'cli-progress';
import type { Progress } from '../harness/scenario.js';

/** Draws progress: a bar on a TTY, a plain line every few seconds otherwise (CI logs). */
export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr, everyMs = 5000) {
  if (stream.isTTY) {
    const bar = new SingleBar({
      format: '{phase} [{bar}] {percentage}% | {detail}',
      stream,
      hideCursor: true,
      clearOnComplete: true,
    });
    let started = false;
    return {
      update(p: Progress) {
        if (!started) {
          bar.start(p.total, p.done, { phase: p.phase, detail: p.detail });
          started = true;
        }
        bar.setTotal(p.total);
        bar.update(p.done, { phase: p.phase, detail: p.detail });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(p: Progress) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      const pct = p.total > 0 ? Math.round((p.done / p.total) * 100) : 0;
      stream.write(`[${p.phase}] ${pct}% ${p.detail}\n`);
    },
    stop() {},
  };
}
