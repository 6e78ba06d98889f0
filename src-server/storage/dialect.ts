/** The two storage engines: SQLite for one node (the default), PostgreSQL for many. */
export type DialectName = 'sqlite' | 'postgres';
