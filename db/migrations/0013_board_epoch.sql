-- One counter that moves whenever anything a public board shows may have changed (docs/decisions/262-board-etags.md):
-- a published or re-scored row, a rank, moderation, a withdrawal, a release's status, a model's or team's name.
-- Boards are served with an ETag built from it, so a client's If-None-Match is answered 304 without a render.
CREATE TABLE "board_epoch" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"epoch" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "board_epoch_single_row" CHECK ("id" = 1)
);--> statement-breakpoint
INSERT INTO "board_epoch" ("id", "epoch") VALUES (1, 1);--> statement-breakpoint
CREATE FUNCTION "bump_board_epoch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "board_epoch" SET "epoch" = "epoch" + 1 WHERE "id" = 1;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "leaderboard_rows_board_epoch" AFTER INSERT OR UPDATE OR DELETE ON "leaderboard_rows" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_epoch"();--> statement-breakpoint
CREATE TRIGGER "run_moderation_board_epoch" AFTER INSERT OR UPDATE OR DELETE ON "run_moderation" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_epoch"();--> statement-breakpoint
CREATE TRIGGER "evaluation_runs_withdrawn_board_epoch" AFTER UPDATE OF "withdrawn_at" ON "evaluation_runs" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_epoch"();--> statement-breakpoint
CREATE TRIGGER "releases_board_epoch" AFTER INSERT OR UPDATE OR DELETE ON "releases" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_epoch"();--> statement-breakpoint
CREATE TRIGGER "models_board_epoch" AFTER UPDATE OR DELETE ON "models" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_epoch"();--> statement-breakpoint
CREATE TRIGGER "teams_board_epoch" AFTER UPDATE OR DELETE ON "teams" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_epoch"();
