import { type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors, policyViolations, signIn } from "./support";

/**
 * The Content-Security-Policy in Chromium: a page whose scripts the policy blocked looks the same
 * but does nothing, so each page here must report no violation (failOnScriptErrors checks every
 * spec's pages for that) and have its script running (Remix's router is up). And "sign out
 * everywhere" from the browser.
 */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";

failOnScriptErrors();

async function expectScriptRunning(page: Page, where: string) {
  await expect
    .poll(() => page.evaluate(() => Boolean((window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized)), {
      message: `${where}: Remix's script is running`,
    })
    .toBe(true);
}

test("public and organiser pages run their scripts under the policy, also when a page is revalidated (304)", async ({ page }) => {
  const visit = async (url: string) => {
    const response = await page.goto(url);
    expect(response?.headers()["content-security-policy"], url).toMatch(/script-src 'self' 'nonce-/);
    await expectScriptRunning(page, url);
  };
  for (const url of ["/", "/meetings", "/programmes", `/meetings/${WORKSHOP}`, `/meetings/${WORKSHOP}/agenda`, `/meetings/${WORKSHOP}/register`, `/meetings/${WORKSHOP}/documents`]) {
    await visit(url);
  }

  // The browser has /programmes with its ETag: reloading revalidates, the server answers 304 without
  // a policy, and the stored page runs under the policy it came with.
  const etag = (await page.goto("/programmes"))?.headers().etag;
  expect(etag).toMatch(/^W\//);
  const revalidated = page.waitForResponse((response) => new URL(response.url()).pathname === "/programmes");
  await page.reload();
  const reloaded = await revalidated;
  expect(await reloaded.request().headerValue("if-none-match")).toBe(etag);
  expect(await reloaded.headerValue("content-security-policy"), "the 304 itself carries no policy").toBeNull();
  await expectScriptRunning(page, "/programmes after a 304");
  expect(policyViolations).toEqual([]);
  const injected = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true";
    document.body.append(script);
    return (window as { injected?: boolean }).injected === true;
  });
  expect(injected, "the stored policy still holds: a script without the nonce does not run").toBe(false);
  await expect.poll(() => policyViolations.length).toBe(1);
  expect(policyViolations.splice(0)[0], "the one violation expected").toMatch(/script-src-elem inline/);

  // Client-side navigation (fetching route modules and data) works under the policy.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Meetings" }).click();
  await expect(page).toHaveURL(/\/meetings$/);

  await signIn(page, "organiser@example.org");
  for (const url of ["/admin", `/admin/meetings/${WORKSHOP}`, `/admin/meetings/${WORKSHOP}/registrations`, `/admin/meetings/${WORKSHOP}/agenda`, `/admin/meetings/${WORKSHOP}/checkin`, "/my"]) {
    await visit(url);
  }
});

test("sign out everywhere: confirmed from /my, it signs out the other browser too", async ({ page, browser }) => {
  const email = `everywhere-${Date.now()}@example.org`;
  await signIn(page, email);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email);

  await page.goto("/my");
  await page.getByRole("link", { name: "Sign out everywhere…" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign out everywhere" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  await otherPage.goto("/my");
  await expect(otherPage).toHaveURL(/\/login\?redirectTo=%2Fmy/);
  await other.close();
});
