// Runs the built `poc` binary as a user (and the e2e tests) would, for the benches that measure
// whole scenario runs: storm-rate.bench.js and probe-accuracy.bench.js.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const POC_BIN = join(dirname(dirname(fileURLToPath(import.meta.url))), 'bin', 'poc.js');

/**
 * Runs `poc <args> --json` and resolves with its exit code and parsed JSON output. Rejects when it
 * exits other than 0 or 99 (a failed threshold still measured everything).
 */
export function runPocJson(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [POC_BIN, ...args, '--json'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0 && code !== 99) {
        reject(new Error(`poc ${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr}`));
        return;
      }
      resolve({ code, json: JSON.parse(stdout) });
    });
  });
}

/** The median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
