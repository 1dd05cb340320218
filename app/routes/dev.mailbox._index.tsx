import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { mailboxEnabled, mailboxMessages } from "~/mailbox/mailbox.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader() {
  if (!mailboxEnabled()) throw new Response("", { status: 404 });
  const messages = await mailboxMessages();
  return json(
    {
      messages: messages.map((m) => ({ id: m.id, to: m.to_address, subject: m.subject, createdAt: m.created_at.toISOString() })),
    },
    { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } },
  );
}

export const meta: MetaFunction = () => [{ title: "Development mailbox" }];

export default function Mailbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Development mailbox</h1>
      <p className="muted">
        No mail provider is configured, so email stays in the outbox. Newest first. Times in UTC.
      </p>
      {messages.length === 0 ? (
        <p>No email yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Queued (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id}>
                  <td>{message.to}</td>
                  <td>
                    <Link to={`/dev/mailbox/${message.id}`}>{message.subject}</Link>
                  </td>
                  <td>
                    <time dateTime={message.createdAt}>{message.createdAt.slice(0, 19).replace("T", " ")}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
