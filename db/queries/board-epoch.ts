import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import { boardEpoch } from '../schema';

/** The board epoch (migration 0013): moves on every change a public board may show. */
export async function readBoardEpoch(db: Database): Promise<number> {
  const [row] = await db.select({ epoch: boardEpoch.epoch }).from(boardEpoch).where(eq(boardEpoch.id, 1));
  return row?.epoch ?? 0;
}
