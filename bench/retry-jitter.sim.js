// Why the outbound client retries with equal jitter, 8 times: a Monte Carlo of one API call
// against the storm test's fault mix (a 1 s outage inside an 8 s window, 20 % 5xx outside it,
// half the attempts 50 ms slower), for full and equal jitter at 6 and 8 retries.
//
//   node bench/retry-jitter.sim.js [--trials 200000]
import { parseOptions } from './options.js';

const USAGE = `usage: node bench/retry-jitter.sim.js [options]
  --trials N         simulated API calls per jitter and retry count (default 200000)`;
const trials = Number(parseOptions(USAGE, { trials: { type: 'string', default: '200000' } }).values.trials);

function failureRate(jitter, maxRetries) {
  let fails = 0;
  for (let t = 0; t < trials; t++) {
    let time = Math.random() * 8000;
    let ok = false;
    for (let r = 0; r <= maxRetries; r++) {
      const inOutage = time >= 3000 && time < 4000;
      time += 5 + (Math.random() < 0.5 ? 50 : 0);
      if (!inOutage && Math.random() >= 0.2) {
        ok = true;
        break;
      }
      const ceiling = Math.min(20_000, 250 * 2 ** r);
      time += jitter === 'full' ? Math.random() * ceiling : ceiling / 2 + (Math.random() * ceiling) / 2;
    }
    if (!ok) fails++;
  }
  return fails / trials;
}

for (const [jitter, retries] of [
  ['full', 6],
  ['equal', 6],
  ['full', 8],
  ['equal', 8],
]) {
  const f = failureRate(jitter, retries);
  console.log(
    `${jitter} jitter, ${retries} retries: ${f.toExponential(2)} of calls fail; a 30-call run fails ${((1 - (1 - f) ** 30) * 100).toFixed(2)} % of the time`,
  );
}
