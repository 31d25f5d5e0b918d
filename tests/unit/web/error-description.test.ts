import { describe, expect, it } from 'vitest';
import { describeError } from '../../../app/utils/error-description';

describe('describeError', () => {
  it("names what a loader did not find, in the title and the message", () => {
    const d = describeError({ status: 404, statusText: 'Not Found', data: 'No model #7.' }, '/models/7');
    expect(d).toMatchObject({ status: 404, heading: 'Not found', message: 'No model #7.' });
    expect(d.title).toBe('Not found: No model #7 · SpineBench Hub');
  });

  it("says which path has no page, never Remix's internal wording", () => {
    const d = describeError({ status: 404, statusText: 'Not Found', data: 'Error: No route matches URL "/nowhere"' }, '/nowhere');
    expect(d.message).toBe('No page at /nowhere.');
    expect(d.title).toBe('Not found: No page at /nowhere · SpineBench Hub');
  });

  it('keeps other refusals with their status, and hides the cause of server errors', () => {
    expect(describeError({ status: 405, statusText: 'Method Not Allowed', data: '' }, '/x')).toMatchObject({ heading: '405 Method Not Allowed' });
    const e = describeError(null, '/runs/1');
    expect(e.status).toBe(500);
    expect(e.title).toBe('Something went wrong · SpineBench Hub');
    expect(e.message).not.toMatch(/stack|Error:/);
  });
});
