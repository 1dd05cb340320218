import { sql } from "kysely";
import { database } from "~/database.server";

export async function loader() {
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  try {
    await sql`select 1`.execute(database());
    return new Response(JSON.stringify({ ok: true }), { headers });
  } catch {
    return new Response(JSON.stringify({ ok: false }), { status: 503, headers });
  }
}
