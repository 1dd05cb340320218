/**
 * One of something per database (its Kysely), made when first asked for: a cache or a writer that
 * must not mix two databases' rows. The app has one database; tests run several in a process.
 */
export function perDatabase<Db extends object, T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = make(db)));
    return value;
  };
}
