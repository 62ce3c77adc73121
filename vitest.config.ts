import { defineConfig } from "vitest/config";

// Two projects: `unit` runs anywhere in seconds; `e2e` drives a real BuildKit (see scripts/lab-up.sh) and
// runs its files one at a time, because they share one daemon and one frontend image.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{grammar,llb,frontend}/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/e2e/**", "node_modules/**"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
          globalSetup: ["test/e2e/global-setup.ts"],
        },
      },
    ],
  },
});
