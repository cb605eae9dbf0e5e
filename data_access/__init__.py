"""The only code in PAIR Atlas that touches files, the network or the database.

* :mod:`data_access.config` — where things live (environment variables and defaults).
* :mod:`data_access.sources` — the official datasets the reference store is built from.
* :mod:`data_access.build` — ``python -m data_access build``: the reference store.
* :mod:`data_access.store` — read access to the built store.
* :mod:`data_access.download` — fetch the official files from their publishers.
* :mod:`data_access.db` — SQLAlchemy engine, schema and migrations.
"""
