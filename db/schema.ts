import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { StoredItem } from '../benchmark/item-schema';
import type { ReleaseManifest } from '../benchmark/release/manifest-schema';
import type { ItemScore } from '../evaluator/scoring/item-score';
import type { RunAdapterSettings } from './run-adapter-settings';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash'),
  role: text('role', { enum: ['user', 'maintainer'] }).notNull().default('user'),
  createdAt: createdAt(),
  /** Lower-cased sign-in address (app/auth); null only for rows made before accounts existed. */
  email: text('email'),
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
}, (t) => [uniqueIndex('users_email').on(t.email)]);

export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  isBaseline: boolean('is_baseline').notNull().default(false),
  createdAt: createdAt(),
  /** The name as compared (app/auth/name-key.ts): NFKC, case, invisible and look-alike letters folded. */
  nameKey: text('name_key'),
  /** Set when a maintainer grants hidden-split access by hand (HIDDEN_SPLIT_ACCESS). */
  hiddenAccessApprovedAt: timestamp('hidden_access_approved_at', { withTimezone: true }),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
}, (t) => [uniqueIndex('teams_name_key').on(t.nameKey)]);

export const memberships = pgTable(
  'memberships',
  {
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'member'] }).notNull().default('member'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.teamId] })],
);

/** Lucia's session table. */
export const authSessions = pgTable('auth_sessions', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Single-use e-mail tokens (verification, password reset); only their SHA-256 is stored. */
export const emailTokens = pgTable('email_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  purpose: text('purpose', { enum: ['verify-email', 'reset-password'] }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  createdAt: createdAt(),
});

/** Invite links to a team: single use, expiring; only their SHA-256 is stored. */
export const teamInvites = pgTable('team_invites', {
  tokenHash: text('token_hash').primaryKey(),
  teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  usedBy: text('used_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

/** Failed sign-ins, keyed `account:<email>` or `address:<ip>`: the sign-in throttle counts recent ones. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sign_in_failures_key').on(t.key, t.createdAt)],
);

/** Team API tokens: shown once, stored as SHA-256, scoped, revocable. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash)],
);

/**
 * Endpoint host verification (docs/decisions/253-endpoint-host-verification.md): a team proves it controls an
 * endpoint's origin by serving `token` at `<origin>/.well-known/spinebench-verification`.
 */
export const endpointHostVerifications = pgTable(
  'endpoint_host_verifications',
  {
    id: serial('id').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    /** scheme://host[:port], lower case. */
    origin: text('origin').notNull(),
    token: text('token').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    /** Set by the last successful check; cleared when a later check fails. */
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    checkedAt: timestamp('checked_at', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('endpoint_host_verifications_team_origin').on(t.teamId, t.origin)],
);

export const releases = pgTable(
  'releases',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    status: text('status', { enum: ['draft', 'published', 'deprecated'] }).notNull().default('draft'),
    contentHash: text('content_hash').notNull(),
    /** The release's manifest.json as imported. */
    manifest: jsonb('manifest').$type<ReleaseManifest>().notNull(),
    createdAt: createdAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('releases_name_version').on(t.name, t.version), index('releases_hash').on(t.contentHash)],
);

export const items = pgTable(
  'items',
  {
    id: serial('id').primaryKey(),
    releaseId: integer('release_id').notNull().references(() => releases.id, { onDelete: 'cascade' }),
    /** The item's id inside its release. */
    itemKey: text('item_key').notNull(),
    split: text('split', { enum: ['dev', 'test'] }).notNull(),
    task: text('task', { enum: ['mcq', 'report'] }).notNull(),
    ordinal: integer('ordinal').notNull(),
    /** The whole validated item (benchmark/item-schema), image files replaced by content hashes. */
    payload: jsonb('payload').$type<StoredItem>().notNull(),
  },
  (t) => [
    uniqueIndex('items_release_key').on(t.releaseId, t.itemKey),
    index('items_release_split').on(t.releaseId, t.split, t.ordinal),
  ],
);

export const models = pgTable(
  'models',
  {
    id: serial('id').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['endpoint', 'onnx'] }).notNull(),
    endpointUrl: text('endpoint_url'),
    /** The `model` field sent in each Chat Completions request. */
    endpointModel: text('endpoint_model'),
    /** Bearer token, encrypted at rest (never shown again). */
    endpointTokenEncrypted: text('endpoint_token_encrypted'),
    /** ONNX: folder of the extracted, validated bundle (DATA_DIR/models/<artifact id>, or under ONNX_SHARED_ROOT). */
    artifactDir: text('artifact_dir'),
    /** ONNX: the bundle's spinebench-manifest.json as validated. */
    artifactManifest: jsonb('artifact_manifest'),
    /** ONNX: bytes of the bundle's onnx/ folder (graphs + external data). */
    artifactBytes: bigint('artifact_bytes', { mode: 'number' }),
    isBaseline: boolean('is_baseline').notNull().default(false),
    createdAt: createdAt(),
    /** The name as compared within the team (app/auth/name-key.ts). */
    nameKey: text('name_key'),
    // The model card (required before a hidden-split run).
    /** Parameters in billions. */
    parametersB: doublePrecision('parameters_b'),
    baseModel: text('base_model'),
    weights: text('weights', { enum: ['open', 'closed'] }),
    licence: text('licence'),
    paperUrl: text('paper_url'),
    codeUrl: text('code_url'),
    weightsUrl: text('weights_url'),
    cardUpdatedAt: timestamp('card_updated_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('models_team_name').on(t.teamId, t.name), uniqueIndex('models_team_name_key').on(t.teamId, t.nameKey)],
);

/** A model's versions: a submission is one version of a model on one release. */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: serial('id').primaryKey(),
    modelId: integer('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('model_versions_model_label').on(t.modelId, t.label)],
);

export const submissions = pgTable('submissions', {
  id: serial('id').primaryKey(),
  modelId: integer('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
  releaseId: integer('release_id').notNull().references(() => releases.id),
  split: text('split', { enum: ['dev', 'test'] }).notNull(),
  createdAt: createdAt(),
  modelVersionId: integer('model_version_id').references(() => modelVersions.id),
  /** The account that submitted (null for built-in baselines and runs from before accounts). */
  submittedBy: text('submitted_by').references(() => users.id, { onDelete: 'set null' }),
});

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const evaluationRuns = pgTable(
  'evaluation_runs',
  {
    id: serial('id').primaryKey(),
    submissionId: integer('submission_id').notNull().references(() => submissions.id, { onDelete: 'cascade' }),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('queued'),
    totalItems: integer('total_items').notNull().default(0),
    doneItems: integer('done_items').notNull().default(0),
    /** Typed error code (evaluator/errors) and a message safe to show: never hidden item content. */
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** True when the platform, not the team, caused the failure (the run does not count against quota). */
    platformFault: boolean('platform_fault').notNull().default(false),
    scorerVersion: text('scorer_version').notNull(),
    /** What this run evaluates, fixed at submission: the worker's only source (db/run-adapter-settings.ts). */
    adapterSettings: jsonb('adapter_settings').$type<RunAdapterSettings>().notNull(),
    /** Endpoint runs: the team's bearer token as submitted, encrypted at rest (evaluator/secrets). */
    endpointTokenEncrypted: text('endpoint_token_encrypted'),
    /** ONNX runs: device and runtime versions the worker used (evaluator/onnx RuntimeInfo). */
    runtimeInfo: jsonb('runtime_info'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Withdrawn by its team: kept on record and on its model's page, left off the boards. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    withdrawnBy: text('withdrawn_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('runs_status').on(t.status)],
);

export const itemResults = pgTable(
  'item_results',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id').notNull().references(() => evaluationRuns.id, { onDelete: 'cascade' }),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    rawOutput: text('raw_output'),
    /** 0..1 for this item; null when the item errored. */
    score: doublePrecision('score'),
    /** The item's score with its detail (the extracted letter, levels, report check); null when the item errored. */
    detail: jsonb('detail').$type<ItemScore>(),
    errorCode: text('error_code'),
    scorerVersion: text('scorer_version').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('item_results_run_item').on(t.runId, t.itemId)],
);

/** What the Ladder decided for a hidden-split row (evaluator/scoring/ladder.ts). */
export interface LadderRecord {
  bestRunId: number;
  meanGain: number | null;
  threshold: number | null;
  z: number;
}

export const leaderboardRows = pgTable(
  'leaderboard_rows',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id').notNull().unique().references(() => evaluationRuns.id, { onDelete: 'cascade' }),
    releaseId: integer('release_id').notNull().references(() => releases.id),
    modelId: integer('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
    split: text('split', { enum: ['dev', 'test'] }).notNull(),
    /** Overall score, 0..100. */
    score: doublePrecision('score').notNull(),
    /** Rank on its board: 1 + models with a higher score (evaluator/scoring/ranking.ts RANK_RULE). */
    rank: integer('rank'),
    /** Simultaneous 95% rank interval (docs/decisions/130), stored with the rank at publish. */
    rankLow: integer('rank_low'),
    rankHigh: integer('rank_high'),
    nItems: integer('n_items').notNull(),
    /** Per-part and per-breakdown scores. */
    breakdown: jsonb('breakdown').notNull(),
    /** Per-skill board views (evaluator/scoring/board-views.ts); null for rows published before they existed. */
    views: jsonb('views'),
    scorerVersion: text('scorer_version').notNull(),
    releaseHash: text('release_hash').notNull(),
    createdAt: createdAt(),
    /**
     * Shown in public: false for a hidden-split run the Ladder withheld (it did not beat its team's best
     * released run significantly; evaluator/scoring/ladder.ts). Kept for maintainers, never shown elsewhere.
     */
    released: boolean('released').notNull().default(true),
    /** The Ladder's decision: { bestRunId, meanGain, threshold, z }; null where it did not apply. */
    ladder: jsonb('ladder').$type<LadderRecord | null>(),
  },
  (t) => [index('leaderboard_release_split').on(t.releaseId, t.split)],
);

/**
 * Agreement between the configured LLM judge and clinicians on a set of rated reports (docs/judge-calibration.md,
 * docs/decisions/134). `ratings` holds the paired ratings (report text excluded), `agreement` the per-dimension
 * Spearman and quadratic-weighted kappa with bootstrap intervals. `synthetic` marks the demo's made-up set.
 */
export const judgeCalibrations = pgTable(
  'judge_calibrations',
  {
    id: serial('id').primaryKey(),
    releaseId: integer('release_id').notNull().references(() => releases.id, { onDelete: 'cascade' }),
    judgeModel: text('judge_model').notNull(),
    judgeModelVersion: text('judge_model_version').notNull(),
    judgeConfigVersion: text('judge_config_version').notNull(),
    synthetic: boolean('synthetic').notNull().default(false),
    ratings: jsonb('ratings').notNull(),
    agreement: jsonb('agreement').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('judge_calibrations_release').on(t.releaseId, t.createdAt)],
);

/**
 * Append-only record of maintainer and team actions (publish, deprecate, re-score, moderate, withdraw, quota
 * change, token creation). A database trigger refuses UPDATE, DELETE and TRUNCATE (db/migrations/0008).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Who: `maintainer:<name>`, `team:<name>`, `user:<name>` or `system`. */
    actor: text('actor').notNull(),
    /** What, as `area.verb` (db/queries/audit.ts AUDIT_ACTIONS). */
    action: text('action').notNull(),
    /** On what: `release:<name>@<version>`, `run:<id>`, `team:<name>`, ... */
    subject: text('subject').notNull(),
    /** Why, as the actor gave it. */
    reason: text('reason'),
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_action').on(t.action, t.at)],
);

/** Maintainers' moderation of a run: a verified badge, a public flag reason, or hidden from the boards (kept). */
export const runModeration = pgTable('run_moderation', {
  runId: integer('run_id').primaryKey().references(() => evaluationRuns.id, { onDelete: 'cascade' }),
  verified: boolean('verified').notNull().default(false),
  /** Shown on the public board beside the row. */
  flagReason: text('flag_reason'),
  hidden: boolean('hidden').notNull().default(false),
  /** Kept for maintainers and the audit log; the public board says only that a run is hidden. */
  hiddenReason: text('hidden_reason'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * One counter that triggers move whenever anything a board shows may have changed (migration 0013): the boards'
 * ETags and in-process cache are keyed by it (docs/decisions/262-board-etags.md).
 */
export const boardEpoch = pgTable('board_epoch', {
  id: integer('id').primaryKey().default(1),
  epoch: bigint('epoch', { mode: 'number' }).notNull().default(1),
});

/** How a leaderboard row stood before or after a re-score (workers/rescore-changelog.ts). */
export interface BoardRowState {
  runId: number;
  modelId: number;
  split: 'dev' | 'test';
  score: number;
  ci: [number, number] | null;
  rank: number | null;
  rankLow: number | null;
  rankHigh: number | null;
  released: boolean;
  scorerVersion: string;
  /** db/queries/leaderboard.ts reportScoringOf: `judge:<config>`, `deterministic` or `none`. */
  reportScoring: string;
}

/**
 * A release re-score started by a maintainer (docs/decisions/282-rescore-changelog.md): the runs fixed at start,
 * those done so far (a killed job resumes after them), and the board rows as the public saw them before.
 */
export const rescoreJobs = pgTable(
  'rescore_jobs',
  {
    id: serial('id').primaryKey(),
    releaseId: integer('release_id').notNull().references(() => releases.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['queued', 'running', 'finished', 'failed'] }).notNull().default('queued'),
    startedBy: text('started_by').notNull(),
    reason: text('reason'),
    runIds: jsonb('run_ids').$type<number[]>().notNull(),
    doneRunIds: jsonb('done_run_ids').$type<number[]>().notNull().default(sql`'[]'::jsonb`),
    before: jsonb('before').$type<BoardRowState[]>().notNull(),
    /** The scorer the job re-scores with (evaluator/scoring SCORER_VERSION when it started). */
    scorerVersion: text('scorer_version').notNull(),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('rescore_jobs_release').on(t.releaseId, t.createdAt)],
);

/** One leaderboard row a re-score moved: old and new score, interval, rank and why (the public changelog). */
export const rescoreChanges = pgTable(
  'rescore_changes',
  {
    id: serial('id').primaryKey(),
    jobId: integer('job_id').notNull().references(() => rescoreJobs.id, { onDelete: 'cascade' }),
    runId: integer('run_id').notNull().references(() => evaluationRuns.id, { onDelete: 'cascade' }),
    modelId: integer('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
    split: text('split', { enum: ['dev', 'test'] }).notNull(),
    oldScore: doublePrecision('old_score'),
    newScore: doublePrecision('new_score'),
    oldCi: jsonb('old_ci').$type<[number, number] | null>(),
    newCi: jsonb('new_ci').$type<[number, number] | null>(),
    oldRank: integer('old_rank'),
    newRank: integer('new_rank'),
    oldRankLow: integer('old_rank_low'),
    oldRankHigh: integer('old_rank_high'),
    newRankLow: integer('new_rank_low'),
    newRankHigh: integer('new_rank_high'),
    oldReleased: boolean('old_released').notNull(),
    newReleased: boolean('new_released').notNull(),
    oldScorerVersion: text('old_scorer_version'),
    newScorerVersion: text('new_scorer_version'),
    oldReportScoring: text('old_report_scoring'),
    newReportScoring: text('new_report_scoring'),
    /** Why it moved, in words (workers/rescore-changelog.ts changeReasons). */
    reasons: jsonb('reasons').$type<string[]>().notNull(),
  },
  (t) => [index('rescore_changes_job').on(t.jobId), index('rescore_changes_model').on(t.modelId)],
);

/** A team's daily hidden-split quota set by a maintainer, in place of DAILY_TEST_RUNS (docs/decisions/284). */
export const teamQuotaOverrides = pgTable('team_quota_overrides', {
  teamId: integer('team_id').primaryKey().references(() => teams.id, { onDelete: 'cascade' }),
  dailyTestRuns: integer('daily_test_runs').notNull(),
  reason: text('reason'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
