/**
 * The app's way to the database. Route modules import it from here: Remix keeps `app/**\/*.server.ts`
 * out of the browser bundle, but not modules outside `app/`.
 */
export { database } from "../db/connection.server";
