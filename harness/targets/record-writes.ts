import type { CrmApi } from '../vendors/types.js';
import type { FirehoseInput, Target } from './types.js';

/**
 * Changes records inside the vendor. On the mock: its firehose, free of API limits and
 * backdated to `at` when given. Live: upserts through the public API in the vendor's batch size,
 * which costs calls and writes now; deletes and merges are made in the vendor's UI there.
 */
export async function writeRecords(
  ctx: { readonly target: Target },
  api: CrmApi,
  inputs: readonly FirehoseInput[],
  at?: number,
): Promise<void> {
  const admin = ctx.target.admin;
  if (admin) {
    for (let i = 0; i < inputs.length; i += 1000)
      await admin.firehose('contacts', inputs.slice(i, i + 1000), at);
    return;
  }
  const upserts = inputs.filter((i) => !i.deleted && i.mergeInto === undefined);
  const batch = ctx.target.vendor.profile.batchMax.value;
  for (let i = 0; i < upserts.length; i += batch)
    await api.batchUpsert('contacts', upserts.slice(i, i + batch));
}
