import path from "node:path";

/** Where the embedded database, uploaded documents and generated secrets live. */
export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR || ".data");
}

/** The configured external database, or null when the embedded server is used. */
export function configuredDatabaseUrl(): string | null {
  return process.env.DATABASE_URL?.trim() || null;
}
