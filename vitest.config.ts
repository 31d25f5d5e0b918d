import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts so the Remix plugin is not loaded for tests.
// Three projects (each `extends` the timeouts above), run one after another (groupOrder): `npm test` runs them all, `npm run test:unit` only the first.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        // Pure code, no services, no app build: files run in parallel.
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          pool: 'threads',
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        // Real PostgreSQL, Redis, child processes and the built app: one file at a time.
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        // Debian's `chromium` driven through playwright-core, against the built app.
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
