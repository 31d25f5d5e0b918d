-- The Ladder (docs/decisions/133-hidden-split-ladder.md): a hidden-split row is shown only when released.
ALTER TABLE "leaderboard_rows" ADD COLUMN "released" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "leaderboard_rows" ADD COLUMN "ladder" jsonb;
