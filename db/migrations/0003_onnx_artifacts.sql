ALTER TABLE "evaluation_runs" ADD COLUMN "runtime_info" jsonb;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "artifact_dir" text;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "artifact_manifest" jsonb;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "artifact_bytes" bigint;