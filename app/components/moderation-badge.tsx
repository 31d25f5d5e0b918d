import type { PublicModeration } from '../../db/queries/moderation';

/**
 * A row's moderation as the public sees it: a "verified" badge, and a flag with the maintainers' public
 * reason. Boards and model pages render it beside the model name.
 */
export function ModerationBadge({ moderation }: { moderation: PublicModeration | null | undefined }) {
  if (!moderation) return null;
  return (
    <>
      {moderation.verified ? (
        <span className="badge verified" title="Maintainers checked this submission" data-testid="verified-badge">verified</span>
      ) : null}
      {moderation.flagReason ? (
        <span className="badge flagged" data-testid="flag-badge">
          flagged<span className="visually-hidden">:</span> <span className="flag-reason">{moderation.flagReason}</span>
        </span>
      ) : null}
    </>
  );
}

/** The board's sentence about runs maintainers hid: they are kept and audited, never silently dropped. */
export function HiddenRunsNote({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <p className="note" data-testid="hidden-runs-note">
      {count === 1 ? '1 run is' : `${count} runs are`} hidden from this board by the maintainers (kept on record, with the reason, in the
      audit log).
    </p>
  );
}
