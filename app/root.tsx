import "~/lib/zod-without-eval";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { headerUser, signedInUser } from "~/accounts/session.server";
import { ErrorPage } from "~/ui/error-page";
import { useScriptNonce } from "~/ui/script-nonce";
import styles from "~/ui/styles.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // A page kept for signed-in visitors is rendered once for a stand-in (app/meetings/kept-answers.server.ts).
  if (context.keptPageVisitor) return json({ user: context.keptPageVisitor });
  const user = await signedInUser(request);
  return json({ user: user ? headerUser(user) : null });
}

function SiteHeader() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <header className="site-header">
      <div className="inner">
        <Link to="/" className="brand">
          Meetings
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/meetings">Meetings</Link>
            </li>
            <li>
              <Link to="/programmes">Programmes</Link>
            </li>
            {user && (
              <li>
                <Link to="/my">My registrations</Link>
              </li>
            )}
            {user?.organiser && (
              <li>
                <Link to="/admin">Organisers</Link>
              </li>
            )}
            {user ? (
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button" title={`Signed in as ${user.email}`}>
                    Sign out
                  </button>
                </Form>
              </li>
            ) : (
              <li>
                <Link to="/login">Sign in</Link>
              </li>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useScriptNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main">{children}</main>
        <footer className="site-footer">
          <div className="inner">Every time on this site names its time zone.</div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
