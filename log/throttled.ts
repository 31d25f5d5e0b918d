/**
 * For errors that repeat while something is down (a Redis reconnect loop emits one per attempt): report the
 * first, then at most one per interval, saying how many were left out in between.
 */
export function throttledReporter<E>(intervalMs: number, report: (error: E, suppressed: number) => void, now = Date.now) {
  let last = -Infinity;
  let suppressed = 0;
  return (error: E) => {
    const t = now();
    if (t - last < intervalMs) {
      suppressed++;
      return;
    }
    report(error, suppressed);
    last = t;
    suppressed = 0;
  };
}
