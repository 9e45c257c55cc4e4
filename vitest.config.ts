import { defineConfig } from 'vitest/config'

// Three projects: pure modules (unit), API tests against a built Nitro server (nuxt), and
// headless Chromium tests (browser). The last two share one production build made by the global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'nuxt',
          sequence: { groupOrder: 1 },
          include: ['tests/nuxt/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          // A loaded CI machine (Chromium slowed 4×, two cores) can miss a beat once; a second failure is real.
          // .ci/run names every test that needed the second run, with what failed the first time.
          retry: process.env.CI ? 1 : 0,
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
