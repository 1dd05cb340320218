import { useEffect, useRef, useState } from "react";

/**
 * "Scan badge": the phone's back camera in the browser, each frame read for a QR code (the
 * browser's own BarcodeDetector where it has one, as Android's Chrome does; jsQR elsewhere).
 * Shown only once the page's script runs and the browser has a camera API; without them the
 * desk's "Badge code" field does the same. The camera stays open for the next badge; the same
 * badge read again within a few seconds is ignored, so one badge held up is one scan.
 */

const SAME_BADGE_PAUSE_MS = 4000;

/** The Shape Detection API's barcode reader, which TypeScript's DOM types do not include yet. */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorClass = { new (options: { formats: string[] }): BarcodeDetectorLike; getSupportedFormats(): Promise<string[]> };

/** A reader of the QR code in the video's current frame: the browser's when it reads QR codes, else jsQR on a canvas copy. */
async function qrReader(): Promise<(video: HTMLVideoElement) => Promise<string | null>> {
  const Detector = (window as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  const native = Detector && (await Detector.getSupportedFormats().catch((): string[] => [])).includes("qr_code");
  if (Detector && native) {
    const detector = new Detector({ formats: ["qr_code"] });
    return async (video) => (await detector.detect(video).catch((): { rawValue: string }[] => []))[0]?.rawValue ?? null;
  }
  const { default: jsQR } = await import("jsqr");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    if (!context) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" })?.data || null;
  };
}

function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "The camera was not allowed. Allow this site to use the camera in the browser's settings, or type the badge code below.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return "No camera was found on this device. Type the badge code below, or use a hardware scanner.";
  }
  if (name === "NotReadableError") return "The camera is in use by another app. Close it and try again, or type the badge code below.";
  return "The camera could not be started. Type the badge code below instead.";
}

export function BadgeScanner({ onScan }: { onScan: (text: string) => void }) {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const latest = useRef(onScan);
  latest.current = onScan;

  useEffect(() => {
    setAvailable(window.isSecureContext && typeof navigator.mediaDevices?.getUserMedia === "function");
  }, []);

  useEffect(() => {
    if (!open) return;
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    let last = { text: "", at: 0 };

    async function start() {
      try {
        const readQr = await qrReader();
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        if (stopped || !video.current) return stream.getTracks().forEach((track) => track.stop());
        video.current.srcObject = stream;
        await video.current.play();
        const read = async () => {
          if (stopped) return;
          const element = video.current;
          if (element && element.readyState >= element.HAVE_ENOUGH_DATA && element.videoWidth > 0) {
            const text = await readQr(element);
            const now = Date.now();
            if (stopped) return;
            if (text && (text !== last.text || now - last.at > SAME_BADGE_PAUSE_MS)) {
              last = { text, at: now };
              latest.current(text);
            } else if (text) last.at = now;
          }
          frame = requestAnimationFrame(() => void read());
        };
        frame = requestAnimationFrame(() => void read());
      } catch (error) {
        if (!stopped) {
          setProblem(cameraProblem(error));
          setOpen(false);
        }
      }
    }
    setProblem(null);
    void start();
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [open]);

  if (available === null) return null;
  if (!available) {
    return (
      <p className="muted small">
        Scanning with the camera needs a secure (https) connection and a browser with camera access: type or scan the badge code below instead.
      </p>
    );
  }
  return (
    <div className="badge-scanner">
      <button type="button" className="button scan-button" aria-pressed={open} onClick={() => setOpen(!open)}>
        {open ? "Stop scanning" : "Scan badge"}
      </button>
      {problem && (
        <p className="notice cancelled" role="alert">
          {problem}
        </p>
      )}
      {open && (
        <figure className="scanner-view">
          <video ref={video} playsInline muted aria-label="Camera view: hold the badge's QR code in the frame" />
          <figcaption className="muted small">Hold the badge's QR code in the frame; each badge read is checked in at once.</figcaption>
        </figure>
      )}
    </div>
  );
}
