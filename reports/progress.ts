import { SingleBar } from 'cli-progress';
import type { Progress } from '../harness/scenario.js';

/** Draws progress: a bar on a TTY; otherwise (CI logs) a line at each phase change and every few seconds. */
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
  let phase: string | undefined;
  return {
    update(p: Progress) {
      const now = Date.now();
      // A new phase is always worth a line; within one, a line every few seconds.
      if (p.phase === phase && now - last < everyMs) return;
      last = now;
      phase = p.phase;
      const pct = p.total > 0 ? Math.round((p.done / p.total) * 100) : 0;
      stream.write(`[${p.phase}] ${pct}% ${p.detail}\n`);
    },
    stop() {},
  };
}
