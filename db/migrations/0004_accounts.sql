ALTER TABLE "users" ADD COLUMN "email" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;
--> statement-breakpoint
CREATE UNIQUE INDEX "users_email" ON "users" ("email");
--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "name_key" text;
--> statement-breakpoint
CREATE UNIQUE INDEX "teams_name_key" ON "teams" ("name_key");
--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "hidden_access_approved_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "created_by" text REFERENCES "users"("id") ON DELETE SET NULL;
--> statement-breakpoint
CREATE TABLE "email_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"purpose" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_invites" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL REFERENCES "teams"("id") ON DELETE CASCADE,
	"created_by" text REFERENCES "users"("id") ON DELETE SET NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" text REFERENCES "users"("id") ON DELETE SET NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sign_in_failures_key" ON "sign_in_failures" ("key", "created_at");
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "name_key" text;
--> statement-breakpoint
CREATE UNIQUE INDEX "models_team_name_key" ON "models" ("team_id", "name_key");
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "parameters_b" double precision;
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "base_model" text;
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "weights" text;
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "licence" text;
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "paper_url" text;
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "code_url" text;
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "weights_url" text;
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "card_updated_at" timestamp with time zone;
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"model_id" integer NOT NULL REFERENCES "models"("id") ON DELETE CASCADE,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_model_label" ON "model_versions" ("model_id", "label");
--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "model_version_id" integer REFERENCES "model_versions"("id");
--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "submitted_by" text REFERENCES "users"("id") ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE "evaluation_runs" ADD COLUMN "withdrawn_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "evaluation_runs" ADD COLUMN "withdrawn_by" text REFERENCES "users"("id") ON DELETE SET NULL;
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL REFERENCES "teams"("id") ON DELETE CASCADE,
	"created_by" text REFERENCES "users"("id") ON DELETE SET NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash" ON "api_tokens" ("token_hash");
