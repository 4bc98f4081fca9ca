import { randomBase62 } from "~/lib/ids";

/** Ids shaped like OpenAI's (`file-…`, `vs_…`), so clients that check prefixes accept them. */
export const newFileId = () => `file-${randomBase62(24)}`;
export const newVectorStoreId = () => `vs_${randomBase62(24)}`;
