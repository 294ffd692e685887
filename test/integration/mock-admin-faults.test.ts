import { afterEach, describe, expect, it } from 'vitest';
import { type StartedMock, startMockHubspot } from '../helpers/servers.js';

// PUT /__admin/faults names what is wrong with its body (it threw "specs.flatMap is not a
// function" for a spec that was a string) and leaves the faults as they were.

describe('PUT /__admin/faults with a bad body', () => {
  let mock: StartedMock;
  afterEach(async () => {
    await mock.close();
  });
  const put = (body: string) =>
    fetch(`${mock.url}/__admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it.each([
    [
      'a spec that is a string',
      { spec: 'duplicate=0.5' },
      /spec must be an array of fault specs \(strings\).*got "duplicate=0.5"/,
    ],
    ['a spec holding a number', { spec: [5] }, /spec must be an array of fault specs/],
    ['an unknown fault', { spec: ['nonsense=1'] }, /spec: unknown fault "nonsense"; known: /],
    ['a probability out of range', { spec: ['duplicate=2'] }, /spec: duplicate: "2" must be a probability/],
    [
      'a duplicate share out of range',
      { duplicate: 2 },
      /duplicate must be a probability from 0 to 1; got 2/,
    ],
    ['jitter that is not a number', { jitterMs: 'slow' }, /jitterMs must be a number of milliseconds/],
    ['a misspelt field', { spc: ['duplicate=0.1'] }, /unknown field "spc"; known: spec, duplicate/],
    ['a body that is not an object', ['duplicate=0.1'], /the body must be a JSON object/],
  ])('answers %s with a 400 naming the problem, and changes nothing', async (_what, body, message) => {
    mock = await startMockHubspot();
    const before = await (await fetch(`${mock.url}/__admin/faults`)).json();
    const res = await put(JSON.stringify(body));
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string };
    expect(answer.error).toMatch(/^PUT \/__admin\/faults: /);
    expect(answer.error).toMatch(message);
    expect(await (await fetch(`${mock.url}/__admin/faults`)).json()).toEqual(before);
  });

  it('answers a body that is not JSON in the admin API’s own shape, and still takes a good spec', async () => {
    mock = await startMockHubspot();
    const res = await put('{"spec": [');
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()) as object)).toEqual(['error']);
    const good = await put(JSON.stringify({ spec: ['duplicate=0.25'] }));
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ duplicate: 0.25 });
  });
});
