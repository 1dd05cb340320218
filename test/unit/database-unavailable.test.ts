import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDatabaseUnavailable, unavailableResponse } from "../../app/lib/database-unavailable.server";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("knows a database that cannot be reached, is going away or timed out", () => {
    for (const error of [
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      withCode("terminating connection due to administrator command", "57P01"),
      withCode("the database system is starting up", "57P03"),
      withCode("canceling statement due to statement timeout", "57014"),
      withCode("connection failure", "08006"),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      new AggregateError([withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")], "connect failed"),
      new Error("query failed", { cause: withCode("read ECONNRESET", "ECONNRESET") }),
    ]) {
      assert.equal(isDatabaseUnavailable(error), true, error.message);
    }
  });

  it("leaves a wrong query, bad data or a programming error a 500", () => {
    for (const error of [
      withCode('duplicate key value violates unique constraint "registrations_pkey"', "23505"),
      withCode('relation "nowhere" does not exist', "42P01"),
      new TypeError("Cannot read properties of undefined"),
      "ECONNREFUSED",
      null,
    ]) {
      assert.equal(isDatabaseUnavailable(error), false, String(error));
    }
  });
});

describe("unavailableResponse", () => {
  it("answers the API in its JSON and anything else in plain text, 503 with Retry-After", async () => {
    const api = unavailableResponse(new Request("http://localhost/api/v1/meetings"));
    assert.equal(api.status, 503);
    assert.equal(api.headers.get("Retry-After"), "30");
    assert.match(api.headers.get("Content-Type") ?? "", /^application\/json/);
    assert.match((await api.json()).error, /cannot reach its database/);
    const feed = unavailableResponse(new Request("http://localhost/calendar.ics"));
    assert.equal(feed.status, 503);
    assert.match(feed.headers.get("Content-Type") ?? "", /^text\/plain/);
    assert.match(await feed.text(), /Please try again in a minute/);
  });
});
