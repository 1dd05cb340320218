import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";

const TITLES: Record<number, string> = {
  400: "That request could not be understood",
  403: "You do not have access to this page",
  404: "Page not found",
  503: "Temporarily unavailable",
};

/** The page shown for any error: what happened and where to go, never a stack trace. */
export function ErrorPage() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  const title = TITLES[status] ?? "Something went wrong";
  return (
    <section aria-labelledby="error-title">
      <p className="tag">Error {status}</p>
      <h1 id="error-title">{title}</h1>
      {detail && <p>{detail}</p>}
      {status === 404 && <p>The address may be mistyped, or the meeting may not be public.</p>}
      {status >= 500 && <p>It has been logged. Please try again in a moment.</p>}
      <p>
        <Link to="/meetings">See all meetings</Link>
      </p>
    </section>
  );
}
