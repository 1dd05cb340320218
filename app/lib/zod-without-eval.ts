import { z } from "zod";

/**
 * Zod compiles object parsers with `new Function` when it may, and probes whether it may when its
 * first object schema is made. Under the pages' Content-Security-Policy (no 'unsafe-eval') the probe
 * is refused and reported as a violation; told so beforehand, Zod parses without compiling. Imported
 * first by app/root.tsx, so that it runs before any module of the page makes a schema. The server
 * keeps compiling.
 */
if (typeof document !== "undefined") z.config({ jitless: true });
