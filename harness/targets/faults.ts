// The fault model lives in harness/faults.ts, where the mock can import it without reaching
// harness/targets; this path stays for the CLI's `poc run`, which validates --fault with it.
export * from '../faults.js';
