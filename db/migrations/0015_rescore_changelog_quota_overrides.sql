-- Release re-scores started from the maintainer console (docs/decisions/282-rescore-changelog.md): a job with the
-- runs it re-scores fixed at start, the ones done so far (a killed job resumes after them) and the board as it
-- stood before, so that the changelog compares against the numbers the public saw.
CREATE TABLE "rescore_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"release_id" integer NOT NULL REFERENCES "releases"("id") ON DELETE CASCADE,
	"status" text DEFAULT 'queued' NOT NULL,
	"started_by" text NOT NULL,
	"reason" text,
	"run_ids" jsonb NOT NULL,
	"done_run_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"before" jsonb NOT NULL,
	"scorer_version" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "rescore_jobs_status" CHECK ("status" IN ('queued', 'running', 'finished', 'failed'))
);--> statement-breakpoint
CREATE INDEX "rescore_jobs_release" ON "rescore_jobs" ("release_id", "created_at");--> statement-breakpoint
-- What one re-score moved: a row per leaderboard row whose score, interval, rank or visibility changed.
CREATE TABLE "rescore_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"job_id" integer NOT NULL REFERENCES "rescore_jobs"("id") ON DELETE CASCADE,
	"run_id" integer NOT NULL REFERENCES "evaluation_runs"("id") ON DELETE CASCADE,
	"model_id" integer NOT NULL REFERENCES "models"("id") ON DELETE CASCADE,
	"split" text NOT NULL,
	"old_score" double precision,
	"new_score" double precision,
	"old_ci" jsonb,
	"new_ci" jsonb,
	"old_rank" integer,
	"new_rank" integer,
	"old_rank_low" integer,
	"old_rank_high" integer,
	"new_rank_low" integer,
	"new_rank_high" integer,
	"old_released" boolean NOT NULL,
	"new_released" boolean NOT NULL,
	"old_scorer_version" text,
	"new_scorer_version" text,
	"old_report_scoring" text,
	"new_report_scoring" text,
	"reasons" jsonb NOT NULL
);--> statement-breakpoint
CREATE INDEX "rescore_changes_job" ON "rescore_changes" ("job_id");--> statement-breakpoint
CREATE INDEX "rescore_changes_model" ON "rescore_changes" ("model_id");--> statement-breakpoint
-- A team's daily hidden-split quota set by a maintainer (docs/decisions/284-quota-overrides.md), in place of
-- DAILY_TEST_RUNS for that team.
CREATE TABLE "team_quota_overrides" (
	"team_id" integer PRIMARY KEY NOT NULL REFERENCES "teams"("id") ON DELETE CASCADE,
	"daily_test_runs" integer NOT NULL,
	"reason" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_quota_overrides_nonnegative" CHECK ("daily_test_runs" >= 0)
);
