import { defineConfig, devices } from "@playwright/test";

/** Run through `npm test` (scripts/test.ts), which prepares the database and the port. */
const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: /phone\.spec\.ts/ },
    { name: "phone", use: { ...devices["Pixel 7"], channel: undefined }, testMatch: /phone\.spec\.ts/ },
  ],
  webServer: {
    command: "node scripts/start.mjs",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: baseURL,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      DEV_MAILBOX: "1",
      ADMIN_EMAILS: "organiser@example.org",
      SESSION_SECRET: "e2e-session-secret-e2e-session-secret",
      DATA_DIR: process.env.DATA_DIR ?? ".data/e2e",
      // The specs sign the organiser in some 25 times within the hour; the other limits stay as shipped.
      SIGN_IN_LINKS_PER_EMAIL_PER_HOUR: "100",
    },
  },
});
