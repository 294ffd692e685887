import { describe, expect, it } from 'vitest';
import { SeqSet } from '../../harness/telemetry/seq-set.js';
import { InterimFindings } from '../../scenarios/webhook-storm/interim.js';
import { StormObserver } from '../../scenarios/webhook-storm/observer.js';

describe('SeqSet below a bound', () => {
  it('counts members and missing members under the bound only, across word edges', () => {
    const written = new SeqSet();
    const received = new SeqSet();
    for (let s = 0; s < 100; s++) written.add(s);
    for (let s = 0; s < 100; s += 2) received.add(s);
    expect(written.sizeBelow(0)).toBe(0);
    expect(written.sizeBelow(33)).toBe(33);
    expect(written.sizeBelow(1000)).toBe(100);
    expect(written.missingFrom(received, 33)).toBe(16);
    expect(written.missingFrom(received, 64)).toBe(32);
    expect(written.missingFrom(received)).toBe(50);
  });
});

describe('the storm’s interim findings', () => {
  it('counts an undelivered event as lost only once it is older than the grace', () => {
    let issued = 0;
    const observer = new StormObserver('abc123', () => issued);
    const interim = new InterimFindings(
      observer,
      1000,
      () => issued,
      () => ({
        writeErrors: 2,
        counters: { requests: 7, retries: 1, rateLimited: 0 },
      }),
    );
    // 10 events written at t=0, 6 of them delivered; 10 more at t=600.
    for (; issued < 10; issued++) observer.written.add(issued);
    for (let s = 0; s < 6; s++) observer.received.add(s);
    expect(interim.at(0)).toMatchObject({ 'webhook.loss_count': 0, 'webhook.events_sent_count': 10 });
    expect(interim.at(0)).not.toHaveProperty('webhook.loss_ratio');
    for (; issued < 20; issued++) observer.written.add(issued);
    expect(interim.at(600)).toMatchObject({ 'webhook.loss_count': 0 });
    // At t=1000 the events issued before t=0's mark (none) are judged; at 1100 the first 10 are.
    const first = interim.at(1100);
    expect(first).toMatchObject({
      'webhook.loss_count': 4,
      'webhook.loss_ratio': 0.4,
      'webhook.write_errors_count': 2,
      'api.requests_count': 7,
    });
    // Late deliveries take events off the interim loss; the second 10 are judged after 1600.
    for (let s = 6; s < 10; s++) observer.received.add(s);
    expect(interim.at(1200)).toMatchObject({ 'webhook.loss_count': 0 });
    expect(interim.at(1700)).toMatchObject({ 'webhook.loss_count': 10, 'webhook.loss_ratio': 0.5 });
    // No latency was measured: no latency finding rather than 0 ms.
    expect(first).not.toHaveProperty('webhook.latency_p99_ms');
  });
});
