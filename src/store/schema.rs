//! The schema's migrations, in order; the schema version (`PRAGMA user_version`) is the number
//! applied. A migration is never edited once released: a change is a new migration.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/001_initial.sql")),
    M::up(include_str!("migrations/002_indexes.sql")),
];

/// The schema version this build writes.
pub const LATEST_VERSION: usize = MIGRATIONS.len();

/// Applies the missing migrations, each in its own transaction.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    Migrations::from_slice(MIGRATIONS).to_latest(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }
}
