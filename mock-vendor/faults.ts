// The fault model is shared with `poc run`, which validates --fault before starting the mock;
// it lives in harness/ so the CLI never imports the mock.
export * from '../harness/faults.js';
