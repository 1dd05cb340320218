import { Form } from "@remix-run/react";
import type { FeedScope } from "../../db/schema";
import { SubscribeLinks } from "./calendar-buttons";

/** The person's private calendar feed at /my: make it, choose what it shows, get a new address, turn it off. */
export function FeedSettings({ feed }: { feed: { url: string | null; scope: FeedScope } }) {
  return (
    <section aria-labelledby="feed-heading">
      <h2 id="feed-heading">Your calendar feed</h2>
      <p className="muted">
        One private address for your calendar app: it keeps your meetings and their agendas current, with the joining links of online
        meetings you are confirmed for, from the last twelve months onwards. Keep it to yourself; anyone with it can read it.
      </p>
      {feed.url === null ? (
        <Form method="post">
          <button type="submit" name="intent" value="feed-create" className="button">
            Make my calendar feed
          </button>
        </Form>
      ) : (
        <>
          <SubscribeLinks feedUrl={feed.url} name="My meetings" label="Subscribe to my feed" />
          <Form method="post" className="stacked">
            <fieldset>
              <legend>The feed shows</legend>
              <label>
                <input type="radio" name="scope" value="registrations" defaultChecked={feed.scope === "registrations"} /> the meetings I am
                confirmed for, with their whole agendas
              </label>
              <br />
              <label>
                <input type="radio" name="scope" value="starred" defaultChecked={feed.scope === "starred"} /> only the agenda items I starred
              </label>
            </fieldset>
            <button type="submit" name="intent" value="feed-scope" className="button secondary">
              Save
            </button>
          </Form>
          <Form method="post" className="inline-actions">
            <button type="submit" name="intent" value="feed-create" className="button secondary">
              Give me a new address (the old one stops working)
            </button>{" "}
            <button type="submit" name="intent" value="feed-revoke" className="button secondary">
              Turn my feed off
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
