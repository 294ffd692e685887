import type { OutgoingDelivery } from './forgeries.js';

/** Posts a delivery as given, repeated headers included; answers the status (0 if no answer). */
export async function sendDelivery(url: string, delivery: OutgoingDelivery): Promise<number> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(delivery.headers)) {
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: delivery.body,
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
