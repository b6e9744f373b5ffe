"""Many pages: records in (JSON Lines, folders, WARC), a process pool, records out (JSON Lines,
Parquet), and Spark for when one machine is not enough.

Modules, in the order a record passes through them: :mod:`~newsclean.bulk.records`
(the record shapes), :mod:`~newsclean.bulk.sources` (readers),
:mod:`~newsclean.bulk.pool` (``batch``, ``clean_record``), :mod:`~newsclean.bulk.sinks`
(writers), :mod:`~newsclean.bulk.spark`.
"""
