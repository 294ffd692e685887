// Runs the built `poc` binary as a user (and the e2e tests) would, for the benches that measure
// whole scenario runs: storm-rate.bench.js and probe-accuracy.bench.js.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const POC_BIN = join(dirname(dirname(fileURLToPath(import.meta.url))), 'bin', 'poc.js');

/**
 * Runs `poc <args>` in `cwd` and resolves with its exit code, stdout, the tail of stderr and the
 * wall time in ms. `nodeArgs` go before the script (e.g. an --import that reports peak memory).
 */
export function runPoc(args, { env = {}, cwd = process.cwd(), nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeArgs, POC_BIN, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-8000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/**
 * Runs `poc <args> --json` and resolves with its exit code and parsed JSON output. Rejects when it
 * exits other than 0 or 99 (a failed threshold still measured everything).
 */
export async function runPocJson(args, env = {}) {
  const { code, stdout, stderr } = await runPoc([...args, '--json'], { env });
  if (code !== 0 && code !== 99)
    throw new Error(`poc ${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr.slice(-4000)}`);
  return { code, json: JSON.parse(stdout) };
}

/** The median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
