"""The UnitOfWork port on SQLAlchemy: SQLite (aiosqlite) by default, PostgreSQL (asyncpg) in its schema."""
