ALTER TABLE "leaderboard_rows" ADD COLUMN "rank_low" integer;
--> statement-breakpoint
ALTER TABLE "leaderboard_rows" ADD COLUMN "rank_high" integer;
--> statement-breakpoint
CREATE TABLE "judge_calibrations" (
	"id" serial PRIMARY KEY NOT NULL,
	"release_id" integer NOT NULL REFERENCES "releases"("id") ON DELETE CASCADE,
	"judge_model" text NOT NULL,
	"judge_model_version" text NOT NULL,
	"judge_config_version" text NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"ratings" jsonb NOT NULL,
	"agreement" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "judge_calibrations_release" ON "judge_calibrations" ("release_id", "created_at");
