ALTER TABLE "evaluation_runs" ADD COLUMN "endpoint_token_encrypted" text;--> statement-breakpoint
ALTER TABLE "evaluation_runs" ALTER COLUMN "adapter_settings" DROP DEFAULT;--> statement-breakpoint
UPDATE "evaluation_runs" AS r SET
  "adapter_settings" = CASE
    WHEN m."is_baseline" THEN jsonb_build_object('kind', 'baseline', 'model', m."endpoint_model")
    WHEN m."kind" = 'onnx' THEN jsonb_build_object(
      'kind', 'onnx', 'artifactDir', m."artifact_dir",
      'timeoutMs', coalesce(r."adapter_settings"->'timeoutMs', '120000'::jsonb),
      'memoryLimitMb', coalesce(r."adapter_settings"->'memoryLimitMb', '16384'::jsonb),
      'decoding', 'greedy'
    ) || jsonb_strip_nulls(jsonb_build_object('maxNewTokens', r."adapter_settings"->'maxNewTokens', 'dtype', r."adapter_settings"->'dtype'))
    ELSE jsonb_build_object(
      'kind', 'endpoint', 'url', m."endpoint_url", 'model', m."endpoint_model",
      'timeoutMs', coalesce(r."adapter_settings"->'timeoutMs', '120000'::jsonb),
      'attempts', coalesce(r."adapter_settings"->'attempts', '3'::jsonb),
      'temperature', 0
    )
  END,
  "endpoint_token_encrypted" = CASE WHEN m."kind" = 'endpoint' AND NOT m."is_baseline" THEN m."endpoint_token_encrypted" END
FROM "submissions" AS s
JOIN "models" AS m ON m."id" = s."model_id"
WHERE s."id" = r."submission_id";
