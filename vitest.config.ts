import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The browser tests wait on pages with expect.poll; on a busy 2-core CI machine 1 s is short.
    expect: { poll: { timeout: 10_000 } },
  },
})
