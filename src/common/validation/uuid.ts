/** Any UUID PostgreSQL's `uuid` type takes in its canonical form, whatever its version: ids here come from several writers. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
