import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { database } from "~/database.server";
import { programmeTree } from "~/programmes/programmes.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader() {
  const programmes = await programmeTree(database());
  return json({
    programmes: programmes.map(({ slug, title, summary, depth }) => ({ slug, title, summary, depth })),
  });
}

export const meta: MetaFunction = () => [{ title: "Programmes" }];

export default function Programmes() {
  const { programmes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Programmes</h1>
      <p className="muted">Initiatives, working groups and topics under which meetings are held.</p>
      {programmes.length === 0 ? (
        <p>No programmes yet.</p>
      ) : (
        <ul className="tree">
          {programmes.map((programme) => (
            <li key={programme.slug} style={{ marginLeft: `${programme.depth * 1.5}rem` }}>
              <Link to={`/programmes/${programme.slug}`}>{programme.title}</Link>
              {programme.summary && <div className="muted">{programme.summary}</div>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
