"""A small Python binding of safeguard's C ABI (include/safeguard/safeguard.h), with ctypes.

    import safeguard_ctypes as sg
    rules = sg.Rules.load("rules/")
    result = rules.evaluate(snapshot_json, as_of="2024-06-03")   # a dict

The library is found through the SAFEGUARD_LIBRARY environment variable (a path to
libsafeguard.so), else the system's search path. Errors raise SafeguardError, whose
`diagnostics` list gives file, line, column, code and message for each problem.
"""

import ctypes
import ctypes.util
import json
import os

_OK = 0
_STATUS = {1: "argument", 2: "rules", 3: "snapshot", 4: "no-memory", 5: "internal"}
EXPLAIN, SHOW_VALUES, NO_VALIDATE, PRETTY = 1, 2, 4, 8
WARNINGS_AS_ERRORS = 1


def _load_library():
    path = os.environ.get("SAFEGUARD_LIBRARY") or ctypes.util.find_library("safeguard")
    if not path:
        raise OSError("libsafeguard not found: set SAFEGUARD_LIBRARY to its path")
    lib = ctypes.CDLL(path)
    p, u, sz = ctypes.c_void_p, ctypes.c_uint, ctypes.c_size_t
    pp = ctypes.POINTER(ctypes.c_void_p)
    signatures = {
        "safeguard_version": (ctypes.c_char_p, []),
        "safeguard_error_message": (ctypes.c_char_p, [p]),
        "safeguard_error_json": (ctypes.c_char_p, [p]),
        "safeguard_error_free": (None, [p]),
        "safeguard_rules_load_dir": (ctypes.c_int, [ctypes.c_char_p, u, pp, pp]),
        "safeguard_rules_load_files": (ctypes.c_int, [p, sz, u, pp, pp]),
        "safeguard_rules_load_dir_with": (ctypes.c_int, [ctypes.c_char_p, p, pp, pp]),
        "safeguard_load_options_create": (p, []),
        "safeguard_load_options_free": (None, [p]),
        "safeguard_load_options_set_flags": (ctypes.c_int, [p, u, pp]),
        "safeguard_load_options_set_limit": (ctypes.c_int, [p, ctypes.c_char_p, ctypes.c_uint64, pp]),
        "safeguard_load_options_add_calendar": (ctypes.c_int, [p, ctypes.c_char_p, sz,
                                                               ctypes.c_char_p, pp]),
        "safeguard_load_options_set_calendar": (ctypes.c_int, [p, ctypes.c_char_p, pp]),
        "safeguard_rules_name": (ctypes.c_char_p, [p]),
        "safeguard_rules_version": (ctypes.c_char_p, [p]),
        "safeguard_rules_fingerprint": (ctypes.c_char_p, [p]),
        "safeguard_rules_free": (None, [p]),
        # The result is returned as a raw pointer, so that it can be freed after copying.
        "safeguard_evaluate": (ctypes.c_int, [p, ctypes.c_char_p, sz, ctypes.c_char_p, u, pp,
                                              ctypes.POINTER(sz), pp]),
        "safeguard_string_free": (None, [p]),
        "safeguard_live_create": (ctypes.c_int, [p, pp, pp]),
        "safeguard_live_reload_dir": (ctypes.c_int, [p, ctypes.c_char_p, u, pp]),
        "safeguard_live_reload_dir_with": (ctypes.c_int, [p, ctypes.c_char_p, p, pp]),
        "safeguard_live_evaluate": (ctypes.c_int, [p, ctypes.c_char_p, sz, ctypes.c_char_p, u,
                                                   pp, ctypes.POINTER(sz), pp]),
        "safeguard_live_generation": (ctypes.c_uint64, [p]),
        "safeguard_live_free": (None, [p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


_lib = _load_library()


class SafeguardError(Exception):
    """A failed call: `status` ("rules", "snapshot", ...) and located `diagnostics`."""

    def __init__(self, status, message, diagnostics):
        super().__init__(message)
        self.status = status
        self.diagnostics = diagnostics


def _raise(status, error):
    if not error:
        raise SafeguardError(_STATUS.get(status, "unknown"), "safeguard failed", [])
    try:
        message = _lib.safeguard_error_message(error).decode()
        details = json.loads(_lib.safeguard_error_json(error))
    finally:
        _lib.safeguard_error_free(error)
    raise SafeguardError(details["status"], message, details["diagnostics"])


def version():
    return _lib.safeguard_version().decode()


def _evaluate(function, handle, snapshot, as_of, flags):
    data = snapshot.encode() if isinstance(snapshot, str) else snapshot
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    error = ctypes.c_void_p()
    status = function(handle, data, len(data), as_of.encode(), flags, ctypes.byref(out),
                      ctypes.byref(length), ctypes.byref(error))
    if status != _OK:
        _raise(status, error)
    try:
        text = ctypes.string_at(out, length.value).decode()
    finally:
        _lib.safeguard_string_free(out)
    return json.loads(text)


def _check(status, error):
    if status != _OK:
        _raise(status, error)


class LoadOptions:
    """Settings for loading: load flags, limits by their SECURITY.md names, calendars given
    as YAML text (a council's office closures; they may extend a built-in calendar), and the
    default calendar.

        options = LoadOptions(limits={"max_evaluation_steps": 20_000_000},
                              calendars=[open("council.yaml").read()], calendar="my-council")
        rules = Rules.load("rules/", options=options)
    """

    def __init__(self, flags=0, limits=None, calendars=(), calendar=None):
        self._handle = _lib.safeguard_load_options_create()
        if not self._handle:
            raise MemoryError("safeguard_load_options_create")
        error = ctypes.c_void_p()
        _check(_lib.safeguard_load_options_set_flags(self._handle, flags, ctypes.byref(error)),
               error)
        for name, value in (limits or {}).items():
            _check(_lib.safeguard_load_options_set_limit(self._handle, name.encode(), value,
                                                         ctypes.byref(error)), error)
        for number, text in enumerate(calendars):
            data = text.encode() if isinstance(text, str) else text
            _check(_lib.safeguard_load_options_add_calendar(
                self._handle, data, len(data), f"<calendar {number + 1}>".encode(),
                ctypes.byref(error)), error)
        if calendar is not None:
            _check(_lib.safeguard_load_options_set_calendar(self._handle, calendar.encode(),
                                                            ctypes.byref(error)), error)

    def close(self):
        if self._handle:
            _lib.safeguard_load_options_free(self._handle)
            self._handle = None

    __del__ = close


class Rules:
    """An immutable, compiled rule set. Evaluate from any number of threads."""

    def __init__(self, handle):
        self._handle = handle

    @classmethod
    def load(cls, directory, flags=0, options=None):
        """Loads a rule set directory, with load flags or a LoadOptions."""
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        if options is not None:
            status = _lib.safeguard_rules_load_dir_with(os.fsencode(directory), options._handle,
                                                        ctypes.byref(handle), ctypes.byref(error))
        else:
            status = _lib.safeguard_rules_load_dir(os.fsencode(directory), flags,
                                                   ctypes.byref(handle), ctypes.byref(error))
        if status != _OK:
            _raise(status, error)
        return cls(handle)

    @property
    def name(self):
        return _lib.safeguard_rules_name(self._handle).decode()

    @property
    def version(self):
        return _lib.safeguard_rules_version(self._handle).decode()

    @property
    def fingerprint(self):
        return _lib.safeguard_rules_fingerprint(self._handle).decode()

    def evaluate(self, snapshot, as_of, flags=0):
        """The result of one case snapshot (JSON text or bytes), as a dict."""
        return _evaluate(_lib.safeguard_evaluate, self._handle, snapshot, as_of, flags)

    def close(self):
        if self._handle:
            _lib.safeguard_rules_free(self._handle)
            self._handle = None

    __del__ = close


class Live:
    """The current rule set of a long-running service, reloaded atomically."""

    def __init__(self, rules):
        self._handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = _lib.safeguard_live_create(rules._handle, ctypes.byref(self._handle),
                                            ctypes.byref(error))
        if status != _OK:
            _raise(status, error)

    def reload(self, directory, flags=0, options=None):
        """Loads and swaps in a rule set; on failure raises, and the old one stays."""
        error = ctypes.c_void_p()
        if options is not None:
            status = _lib.safeguard_live_reload_dir_with(self._handle, os.fsencode(directory),
                                                         options._handle, ctypes.byref(error))
        else:
            status = _lib.safeguard_live_reload_dir(self._handle, os.fsencode(directory), flags,
                                                    ctypes.byref(error))
        if status != _OK:
            _raise(status, error)

    @property
    def generation(self):
        return _lib.safeguard_live_generation(self._handle)

    def evaluate(self, snapshot, as_of, flags=0):
        return _evaluate(_lib.safeguard_live_evaluate, self._handle, snapshot, as_of, flags)

    def close(self):
        if self._handle:
            _lib.safeguard_live_free(self._handle)
            self._handle = None

    __del__ = close
