ALTER TABLE "leaderboard_rows" ADD COLUMN "views" jsonb;
