"""The bridge to pyriver's Go library: the Python half of the contract whose
Go half is ``go/internal/protocol``.

Only this package names the library's methods or builds and reads their
requests and responses; the public modules call the typed functions of
:mod:`.calls` with a :class:`~.targets.Target` saying where an operation runs.

- :mod:`.transport` loads the library and makes one call (cffi, fork guard);
- :mod:`.methods` names the methods;
- :mod:`.values`, :mod:`.inserts`, :mod:`.rows`, :mod:`.config` translate
  Python's values to the wire and back (Python checks types, Go values);
- :mod:`.targets` are the handles calls run on;
- :mod:`.calls` is one typed function per method.
"""
