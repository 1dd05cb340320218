import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { mailboxEnabled, mailboxMessage } from "~/mailbox/mailbox.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ params }: LoaderFunctionArgs) {
  if (!mailboxEnabled()) throw new Response("", { status: 404 });
  const message = await mailboxMessage(params.id ?? "");
  if (!message) throw new Response("No such email.", { status: 404 });
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(message.html)?.[1] ?? message.html;
  return json(
    {
      to: message.to_address,
      subject: message.subject,
      html: body,
      text: message.text,
      headers: message.headers,
      attachments: message.attachments.map((file) => ({ filename: file.filename, href: `data:${file.contentType};base64,${file.contentBase64}` })),
    },
    { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.subject ?? "Email" }];

export default function MailboxMessage() {
  const message = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/mailbox">← Mailbox</Link>
      </p>
      <h1>{message.subject}</h1>
      <dl className="facts">
        <dt>To</dt>
        <dd>{message.to}</dd>
        {Object.entries(message.headers).map(([name, value]) => (
          <div key={name} style={{ display: "contents" }}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {message.attachments.length > 0 && (
        <>
          <h2>Attachments</h2>
          <ul>
            {message.attachments.map((file) => (
              <li key={file.filename}>
                <a href={file.href} download={file.filename}>
                  {file.filename}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>HTML</h2>
      {/* Our own templates, which escape everything they are given. */}
      <div className="mail-frame" dangerouslySetInnerHTML={{ __html: message.html }} />
      <h2>Plain text</h2>
      <pre className="mail-text">{message.text}</pre>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
