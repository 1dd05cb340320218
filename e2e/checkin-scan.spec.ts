import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { devices, expect, test } from "@playwright/test";
import { type QrModules, qrImage, readPdf } from "../test/support/pdf-qr";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const DESK = `/admin/meetings/${WORKSHOP}/checkin`;

/**
 * Scanning a printed badge with the phone's camera: Chromium's fake camera plays a video file,
 * which the test writes from the QR code of the badge PDF the desk links to, before the camera opens.
 */
const CAMERA_FILE = path.resolve("test-results", "fake-camera-badge.y4m");
const WIDTH = 640;
const HEIGHT = 480;

/** One grey frame of YUV 4:2:0 video with the QR code in its middle, as a Y4M file Chromium loops. */
function writeCameraFile(modules: QrModules) {
  const { side, luma } = qrImage(modules, 6);
  const y = new Uint8Array(WIDTH * HEIGHT).fill(235);
  const left = Math.floor((WIDTH - side) / 2);
  const top = Math.floor((HEIGHT - side) / 2);
  for (let row = 0; row < side; row++) y.set(luma.subarray(row * side, (row + 1) * side), (top + row) * WIDTH + left);
  const chroma = new Uint8Array((WIDTH / 2) * (HEIGHT / 2)).fill(128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma, chroma]);
  writeFileSync(CAMERA_FILE, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

// The file must exist when Chromium starts; the test replaces its frames before opening the camera.
mkdirSync(path.dirname(CAMERA_FILE), { recursive: true });
writeCameraFile([[true]]);

const { viewport, deviceScaleFactor, isMobile, hasTouch, userAgent } = devices["Pixel 7"];
test.use({
  viewport,
  deviceScaleFactor,
  isMobile,
  hasTouch,
  userAgent,
  permissions: ["camera"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${CAMERA_FILE}`,
    ],
  },
});

test.describe("scanning a badge with the phone's camera", () => {
  failOnScriptErrors();

  test("the desk reads the printed badge's QR code and checks the person in at once", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(`${DESK}?q=${encodeURIComponent("Internet Society")}`);
    const person = page.getByRole("list", { name: "Search results" }).getByRole("listitem").filter({ hasText: "Not checked in" }).first();
    const name = ((await person.getByRole("heading").textContent()) ?? "").trim();
    expect(name).not.toBe("");

    // The badge as printed: its PDF, from the desk's own link.
    const href = await person.getByRole("link", { name: `Badge of ${name} (PDF)` }).getAttribute("href");
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    const [badge] = await readPdf(new Uint8Array(await pdf.body()));
    expect(badge!.qrModules).toHaveLength(1);
    writeCameraFile(badge!.qrModules[0]!);

    const before = (await page.locator(".desk-count").textContent()) ?? "";
    await page.getByRole("button", { name: "Scan badge" }).tap();
    const outcome = page.getByRole("status").filter({ hasText: `Checked in: ${name}` });
    await expect(outcome).toBeVisible({ timeout: 15_000 });
    await expect(outcome).toContainText("Internet Society");
    await expect(outcome).toContainText("badge scanned");
    await expect(page.locator(".desk-count")).not.toHaveText(before);

    await page.getByRole("button", { name: "Stop scanning" }).tap();
    await expect(page.getByRole("button", { name: "Scan badge" })).toBeVisible();
  });
});

test.describe("scanning with the browser's own barcode reader", () => {
  failOnScriptErrors();

  test("where the browser has BarcodeDetector, the desk uses it rather than jsQR", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(`${DESK}?q=${encodeURIComponent("Ministry")}`);
    const person = page.getByRole("list", { name: "Search results" }).getByRole("listitem").filter({ hasText: "Not checked in" }).first();
    const name = ((await person.getByRole("heading").textContent()) ?? "").trim();
    const href = await person.getByRole("link", { name: `Badge of ${name} (PDF)` }).getAttribute("href");
    const [badge] = await readPdf(new Uint8Array(await (await page.request.get(href!)).body()));
    expect(badge!.qrCodes).toHaveLength(1);
    // Chromium on Linux has no BarcodeDetector (Android's has): this one reads the badge from any frame, and says it was used.
    await page.evaluate((code) => {
      class FakeBarcodeDetector {
        static async getSupportedFormats() {
          return ["qr_code"];
        }
        async detect() {
          document.body.dataset.barcodeDetector = "used";
          return [{ rawValue: code }];
        }
      }
      (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = FakeBarcodeDetector;
    }, badge!.qrCodes[0]!);

    await page.getByRole("button", { name: "Scan badge" }).tap();
    await expect(page.getByRole("status").filter({ hasText: `Checked in: ${name}` })).toBeVisible({ timeout: 15_000 });
    await expect(page.locator("body")).toHaveAttribute("data-barcode-detector", "used");
    await page.getByRole("button", { name: "Stop scanning" }).tap();
  });
});
