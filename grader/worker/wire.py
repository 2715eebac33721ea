"""The data-only encoding between the judge and the child, and the calls it carries.

A message is one frame on a socket: an 8-byte header (the JSON part's length and the number of
binary parts), the JSON part, then each binary part with its 8-byte length. Values are JSON
with tags: arrays and NumPy scalars travel as ``.npy`` bytes (read with ``allow_pickle=False``,
so nothing is ever unpickled), floats keep nan and inf, and lists, tuples and dicts keep their
kind. What is not data (a function, a class, an object, an open file, a generator) stays on its
side behind a handle that the other side calls across: ``handle(x)`` sends a request and waits
for its reply, serving the other side's requests (a callback) meanwhile.

Arrays and ``numpy.random.Generator`` objects that cross are *shared*: each side remembers the
ones it holds, under one id, and every message carries the new contents of those that changed
since the last. So a function that modifies its argument in place, or draws from the caller's
generator, leaves the caller's own object changed, as it would in one process.
"""
from __future__ import annotations

import builtins
import io
import json
import socket
import struct
import sys
import traceback
import weakref

import numpy as np

FRAME_LIMIT = 1 << 30          # bytes in one message, all parts together
HEADER = struct.Struct(">II")  # JSON part length, number of binary parts
PART = struct.Struct(">Q")
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
# Attribute names a handle forwards although they are dunders.
FORWARDED_DUNDERS = {"__name__", "__qualname__", "__doc__", "__module__"}


class WireError(Exception):
    """The other side broke the protocol, closed the connection, or sent too much."""


class CannotCross(TypeError):
    """A value that is neither data nor something a handle can stand for."""


class PeerGone(WireError):
    """The other side's process ended (or closed its end) while a reply was awaited."""


# Frames -----------------------------------------------------------------------------------------

def send_frame(sock: socket.socket, message: dict, parts: list[bytes]) -> None:
    text = json.dumps(message, separators=(",", ":")).encode()
    chunks = [HEADER.pack(len(text), len(parts)), text]
    for part in parts:
        chunks += [PART.pack(len(part)), part]
    sock.sendall(b"".join(chunks))


def _read_exact(sock: socket.socket, count: int) -> bytes:
    buffer = bytearray(count)
    view, got = memoryview(buffer), 0
    while got < count:
        n = sock.recv_into(view[got:], count - got)
        if n == 0:
            raise PeerGone("the connection closed")
        got += n
    return bytes(buffer)


def recv_frame(sock: socket.socket) -> tuple[dict, list[bytes]]:
    size, count = HEADER.unpack(_read_exact(sock, HEADER.size))
    if size > FRAME_LIMIT or count > 1_000_000:
        raise WireError(f"a message of {size} bytes and {count} parts is larger than allowed")
    message = json.loads(_read_exact(sock, size))
    parts, total = [], size
    for _ in range(count):
        (length,) = PART.unpack(_read_exact(sock, PART.size))
        total += length
        if total > FRAME_LIMIT:
            raise WireError("a message is larger than allowed")
        parts.append(_read_exact(sock, length))
    if not isinstance(message, dict):
        raise WireError("a message is not a JSON object")
    return message, parts


def array_bytes(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()


def bytes_array(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


def pack_array(array: np.ndarray, parts: list[bytes]) -> dict:
    """An array's values as one binary part: raw bytes with dtype and shape for plain dtypes,
    `.npy` bytes for structured ones."""
    array = np.asarray(array)
    if array.dtype.fields is None and array.dtype.kind in "biufcmMSU":
        parts.append(np.ascontiguousarray(array).tobytes())
        return {"b": len(parts) - 1, "d": array.dtype.str, "sh": list(array.shape)}
    parts.append(array_bytes(array))
    return {"b": len(parts) - 1}


def unpack_array(data: dict, parts: list[bytes]) -> np.ndarray:
    blob = parts[data["b"]]
    if "d" not in data:
        return bytes_array(blob)
    dtype = np.dtype(str(data["d"]))
    if dtype.hasobject:
        raise WireError("an array of Python objects")
    shape = tuple(int(n) for n in data["sh"])
    return np.frombuffer(blob, dtype=dtype).reshape(shape).copy()


def _layout(array: np.ndarray) -> str:
    if array.flags.c_contiguous:
        return "C"
    return "F" if array.flags.f_contiguous else "S"


def _with_layout(array: np.ndarray, layout: str) -> np.ndarray:
    """`array`'s values in a fresh array of the given layout (S: a strided view)."""
    if layout == "F":
        return np.asfortranarray(array)
    if layout == "S" and array.ndim:
        room = np.empty(tuple(2 * n for n in array.shape), dtype=array.dtype)
        view = room[tuple(slice(None, None, 2) for _ in array.shape)]
        view[...] = array
        return view
    return np.ascontiguousarray(array) if array.ndim else array.copy()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _rng_state(generator: np.random.Generator):
    return generator.bit_generator.state


def _new_generator(state: dict) -> np.random.Generator:
    name = state.get("bit_generator")
    if name not in BIT_GENERATORS:
        raise WireError(f"unknown bit generator {name!r}")
    generator = np.random.Generator(getattr(np.random, name)())
    generator.bit_generator.state = state
    return generator


# The codec ---------------------------------------------------------------------------------------

class Codec:
    """Turns values into tagged JSON and binary parts and back, for one side of a connection.

    `side` is 0 for the judge and 1 for the child: ids a side gives are ≡ side (mod 2), so the
    two never collide. `stand_in(handle_id, kind, type_name)` makes this side's object for a
    handle of the other side.
    """

    def __init__(self, side: int, stand_in):
        self.side, self.stand_in = side, stand_in
        self._next = side
        self.arrays: dict[int, tuple] = {}      # id -> (weakref to the array, last content)
        self.array_ids: dict[int, int] = {}     # id(array) -> id
        self.generators: dict[int, list] = {}   # id -> [generator, last state]
        self.generator_ids: dict[int, int] = {}
        self.exported: dict[int, object] = {}   # handle id -> this side's object
        self.export_ids: dict[int, int] = {}
        self.remote = weakref.WeakValueDictionary()  # handle id -> stand-in
        self.pinned: list = []  # shared arrays that crossed since this side's last message

    def _new_id(self) -> int:
        self._next += 2
        return self._next

    def forget(self, keep: tuple[int, ...] = ()) -> None:
        """Drop every handle and generator (a new test begins); keep the handles `keep`."""
        self.exported = {k: v for k, v in self.exported.items() if k in keep}
        self.export_ids = {id(v): k for k, v in self.exported.items()}
        self.generators.clear()
        self.generator_ids.clear()
        self.remote = weakref.WeakValueDictionary(
            {k: v for k, v in self.remote.items() if k in keep})

    # Shared arrays and generators

    def _share_array(self, array: np.ndarray, sid: int | None = None) -> int:
        if sid is None:
            sid = self.array_ids.get(id(array))
            if sid is not None and self.arrays[sid][0]() is array:
                return sid
            sid = self._new_id()
        key = id(array)

        def gone(_, sid=sid, key=key):
            if self.array_ids.get(key) == sid:
                del self.array_ids[key]
            self.arrays.pop(sid, None)

        self.arrays[sid] = (weakref.ref(array, gone), array.copy())
        self.array_ids[key] = sid
        self.pinned.append(array)  # changes made before it is dropped still go across
        return sid

    def changes(self) -> tuple[list, list]:
        """The shared arrays and generators this side changed since the last message."""
        arrays, generators = [], []
        for sid, (ref, last) in list(self.arrays.items()):
            array = ref()
            if array is not None and not _same(array, last):
                arrays.append((sid, array))
        for sid, entry in self.generators.items():
            state = _rng_state(entry[0])
            if state != entry[1]:
                generators.append((sid, state))
        return arrays, generators

    # Encoding

    def encode(self, value, parts: list[bytes]):
        kind = type(value)
        if value is None or kind in (bool, int, float, str):
            return value
        if kind is list or kind is tuple:
            return {"$": "l" if kind is list else "t",
                    "v": [self.encode(v, parts) for v in value]}
        if kind is dict:
            return {"$": "d", "k": [self.encode(k, parts) for k in value],
                    "v": [self.encode(v, parts) for v in value.values()]}
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise CannotCross(f"a NumPy array of Python objects (dtype {value.dtype})")
            sid = self._share_array(value) if kind is np.ndarray else None
            if sid is not None:
                self.arrays[sid] = (self.arrays[sid][0], value.copy())
            return {"$": "a", "s": sid, **pack_array(value, parts), "l": _layout(value),
                    "w": bool(value.flags.writeable)}
        if isinstance(value, np.generic):
            if isinstance(value, np.object_) or value.dtype.hasobject:
                raise CannotCross("a NumPy object scalar")
            parts.append(array_bytes(np.asarray(value)))
            return {"$": "n", "b": len(parts) - 1}
        if kind is complex:
            return {"$": "c", "v": [value.real, value.imag]}
        if kind is bytes:
            parts.append(value)
            return {"$": "y", "b": len(parts) - 1}
        if kind is np.random.Generator:
            sid = self.generator_ids.get(id(value))
            if sid is None or self.generators[sid][0] is not value:
                sid = self._new_id()
                self.generator_ids[id(value)] = sid
            state = _rng_state(value)
            self.generators[sid] = [value, state]
            return {"$": "g", "s": sid, "v": self.encode(state, parts)}
        return self.encode_handle(value)

    def encode_handle(self, value):
        remote_id = getattr(type(value), "_wire_handle_of", None)
        if remote_id is not None and self.remote.get(value._wire_id) is value:
            return {"$": "h", "i": value._wire_id, "k": "", "n": ""}  # the other side's own
        hid = self.export_ids.get(id(value))
        if hid is None or self.exported.get(hid) is not value:
            hid = self._new_id()
            self.exported[hid], self.export_ids[id(value)] = value, hid
        kind = "c" if callable(value) else "o"
        return {"$": "h", "i": hid, "k": kind, "n": _type_name(value)}

    # Decoding

    def decode(self, data, parts: list[bytes]):
        if not isinstance(data, dict):
            if isinstance(data, (list, dict)):
                raise WireError("an untagged container")
            return data
        tag = data.get("$")
        if tag == "l":
            return [self.decode(v, parts) for v in data["v"]]
        if tag == "t":
            return tuple(self.decode(v, parts) for v in data["v"])
        if tag == "d":
            return {self.decode(k, parts): self.decode(v, parts)
                    for k, v in zip(data["k"], data["v"])}
        if tag == "a":
            return self._decode_array(data, parts)
        if tag == "n":
            return bytes_array(parts[data["b"]])[()]
        if tag == "c":
            return complex(*data["v"])
        if tag == "y":
            return bytes(parts[data["b"]])
        if tag == "g":
            return self._decode_generator(data["s"], self.decode(data["v"], parts))
        if tag == "h":
            return self._decode_handle(data)
        raise WireError(f"unknown tag {tag!r}")

    def _decode_array(self, data: dict, parts: list[bytes]) -> np.ndarray:
        content = unpack_array(data, parts)
        sid = data.get("s")
        if sid is not None:
            entry = self.arrays.get(sid)
            local = entry[0]() if entry else None
            if local is not None:
                self._update_array(sid, local, content)
                self.pinned.append(local)
                return local
        array = _with_layout(content, data.get("l", "C"))
        if not data.get("w", True):
            array.flags.writeable = False
        if sid is not None:
            self._share_array(array, sid)
        return array

    def _update_array(self, sid: int, local: np.ndarray, content: np.ndarray) -> None:
        if not _same(local, content) and local.shape == content.shape:
            if local.flags.writeable:
                local[...] = content
        self.arrays[sid] = (self.arrays[sid][0], local.copy())

    def _decode_generator(self, sid: int, state: dict) -> np.random.Generator:
        entry = self.generators.get(sid)
        if entry is None:
            generator = _new_generator(state)
            self.generators[sid] = [generator, state]
            self.generator_ids[id(generator)] = sid
            return generator
        if _rng_state(entry[0]) != state:
            entry[0].bit_generator.state = state
        entry[1] = state
        return entry[0]

    def _decode_handle(self, data: dict):
        hid = data["i"]
        if hid % 2 == self.side:  # one of ours, coming back
            try:
                return self.exported[hid]
            except KeyError:
                raise WireError("a handle to an object that is gone") from None
        existing = self.remote.get(hid)
        if existing is not None:
            return existing
        made = self.stand_in(hid, data.get("k", "o"), str(data.get("n", "object")))
        self.remote[hid] = made
        return made

    # Whole messages

    def pack(self, message: dict, values: dict) -> tuple[dict, list[bytes]]:
        """`message` with `values` encoded and this side's changes to shared state attached."""
        parts: list[bytes] = []
        encoded = {key: self.encode(value, parts) for key, value in values.items()}
        arrays, generators = self.changes()
        sync = []
        for sid, array in arrays:
            self.arrays[sid] = (self.arrays[sid][0], array.copy())
            sync.append([sid, pack_array(array, parts)])
        for sid, state in generators:
            self.generators[sid][1] = state
        gsync = [[sid, self.encode(state, parts)] for sid, state in generators]
        self.pinned = []
        return {**message, **encoded, "sync": sync, "gsync": gsync}, parts

    def unpack(self, message: dict, parts: list[bytes], keys: tuple[str, ...]) -> list:
        """Apply the other side's changes to shared state; the decoded values of `keys`."""
        for sid, data in message.get("sync", ()):
            entry = self.arrays.get(sid)
            local = entry[0]() if entry else None
            if local is not None:
                self._update_array(sid, local, unpack_array(data, parts))
        for sid, state in message.get("gsync", ()):
            entry = self.generators.get(sid)
            if entry is not None:
                self._decode_generator(sid, self.decode(state, parts))
        return [self.decode(message[key], parts) if key in message else None for key in keys]


def _type_name(value) -> str:
    if isinstance(value, type):
        return f"class {value.__name__}"
    kind = type(value)
    if kind.__name__ == "function" and getattr(value, "__name__", "") == "<lambda>":
        return "lambda"
    return kind.__name__


# Exceptions as data ------------------------------------------------------------------------------

def exception_data(error: BaseException, own_lines=lambda frames: frames) -> dict:
    """What crosses for an exception: its type's name and builtin bases, message, simple args,
    and the traceback lines `own_lines` keeps (the student's own)."""
    try:
        text = str(error)[:4000]
    except Exception:
        text = "(its message cannot be shown)"
    args = [a for a in getattr(error, "args", ()) if type(a) in (str, int, float, bool)
            or a is None]
    if len(args) != len(getattr(error, "args", ())):
        args = [text]
    frames = own_lines(traceback.extract_tb(error.__traceback__))
    return {"type": type(error).__name__,
            "bases": [c.__name__ for c in type(error).__mro__
                      if getattr(builtins, c.__name__, None) is c],
            "message": text, "args": args,
            "lines": "".join(traceback.format_list(frames)).rstrip(),
            "origin": getattr(error, "_wire_origin", None)}


def rebuild_exception(data: dict, special: dict | None = None) -> BaseException:
    """An exception of the nearest builtin type, carrying the remote traceback as `lines`."""
    special = special or {}
    cls = special.get(data.get("type"))
    if cls is None:
        for name in data.get("bases", ()):
            candidate = getattr(builtins, str(name), None)
            if isinstance(candidate, type) and issubclass(candidate, BaseException) \
                    and candidate not in (KeyboardInterrupt, GeneratorExit, BaseExceptionGroup
                                          if sys.version_info >= (3, 11) else GeneratorExit):
                cls = candidate
                break
        else:
            cls = Exception
    args = data.get("args") or [data.get("message", "")]
    try:
        error = cls(*args)
    except Exception:
        error = cls(str(data.get("message", "")))
    error.remote_type = str(data.get("type"))
    error.remote_lines = str(data.get("lines", ""))
    return error


# Handles: this side's stand-ins for the other side's objects -------------------------------------

class Remote:
    """An object of the other side: attribute access, indexing, iteration, `with` and `repr`
    go across as requests."""

    _wire_handle_of = True
    __slots__ = ("_wire_peer", "_wire_id", "_wire_methods", "__weakref__")

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__") and name not in FORWARDED_DUNDERS:
            return self._wire_peer.special_attribute(self, name)
        if name.startswith("_wire_"):
            raise AttributeError(name)
        methods = object.__getattribute__(self, "_wire_methods")
        if name in methods:  # a bound method is looked up once: `model.forward(X)` is one call
            return methods[name]
        value = self._wire_peer.request("getattr", self._wire_id, (name,))
        if type(value).__name__ == "method" and isinstance(value, RemoteCallable):
            methods[name] = value
        return value

    def __setattr__(self, name, value):
        if name.startswith("_wire_"):
            object.__setattr__(self, name, value)
        else:
            self._wire_methods.pop(name, None)
            self._wire_peer.request("setattr", self._wire_id, (name, value))

    def __getitem__(self, key):
        return self._wire_peer.request("getitem", self._wire_id, (key,))

    def __setitem__(self, key, value):
        self._wire_peer.request("setitem", self._wire_id, (key, value))

    def __len__(self):
        return self._wire_peer.request("len", self._wire_id)

    def __iter__(self):
        return self._wire_peer.request("iter", self._wire_id)

    def __next__(self):
        return self._wire_peer.request("next", self._wire_id)

    def __contains__(self, item):
        return self._wire_peer.request("contains", self._wire_id, (item,))

    def __bool__(self):
        return self._wire_peer.request("bool", self._wire_id)

    def __enter__(self):
        return self._wire_peer.request("enter", self._wire_id)

    def __exit__(self, *details):
        kind, error, _ = details
        shown = None if kind is None else (kind.__name__, str(error))
        return self._wire_peer.request("exit", self._wire_id, (shown,))

    def __repr__(self):
        try:
            return self._wire_peer.request("repr", self._wire_id)
        except Exception:
            return f"<{type(self).__name__} of the other process>"

    def __str__(self):
        try:
            return self._wire_peer.request("str", self._wire_id)
        except Exception:
            return repr(self)


class RemoteCallable(Remote):
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return self._wire_peer.request("call", self._wire_id, args, kwargs)


_CLASSES: dict[tuple[str, bool], type] = {}


def remote_class(type_name: str, is_callable: bool) -> type:
    """The class of stand-ins for the other side's objects of type `type_name` (so a message
    such as "returned generator" names what the other side really returned)."""
    key = (type_name, is_callable)
    if key not in _CLASSES:
        base = RemoteCallable if is_callable else Remote
        _CLASSES[key] = type(type_name, (base,), {"__slots__": ()})
    return _CLASSES[key]


# The request loop, the same on both sides ----------------------------------------------------------

class Peer:
    """One side of the connection: sends requests on handles and serves the other side's
    requests (callbacks) while it waits for a reply."""

    def __init__(self, sock: socket.socket, side: int, own_lines=lambda frames: frames,
                 special_errors: dict | None = None):
        self.sock, self.side = sock, side
        self.codec = Codec(side, self._stand_in)
        self.own_lines, self.special_errors = own_lines, special_errors or {}
        self.raised: dict[int, BaseException] = {}  # errors of this side sent across, by id
        self.depth = 0  # requests of ours awaiting a reply

    def _stand_in(self, hid: int, kind: str, type_name: str):
        made = remote_class(type_name, kind == "c").__new__(remote_class(type_name, kind == "c"))
        object.__setattr__(made, "_wire_peer", self)
        object.__setattr__(made, "_wire_id", hid)
        object.__setattr__(made, "_wire_methods", {})
        return made

    def forget(self, keep=()):
        self.codec.forget(keep)
        self.raised.clear()

    # Hooks a side may fill in
    def special_attribute(self, stand_in, name: str):
        raise AttributeError(name)

    def request_context(self, op: str) -> dict | None:
        return None

    def reply_context(self, message: dict) -> None:
        pass

    def receive(self) -> tuple[dict, list[bytes]]:
        return recv_frame(self.sock)

    def perform(self, op: str, target, args: list, kwargs: dict, message: dict):
        return perform(op, target, args, kwargs)

    # Requests

    def request(self, op: str, hid: int, args=(), kwargs=None):
        head = {"op": op, "h": hid}
        context = self.request_context(op)
        if context:
            head["x"] = context
        message, parts = self.codec.pack(head, {"a": list(args), "k": dict(kwargs or {})})
        send_frame(self.sock, message, parts)
        self.depth += 1
        try:
            return self._await()
        finally:
            self.depth -= 1

    def _await(self):
        while True:
            message, parts = self.receive()
            op = message.get("op")
            if op == "ret":
                (value,) = self.codec.unpack(message, parts, ("v",))
                self.reply_context(message)
                return value
            if op == "err":
                self.codec.unpack(message, parts, ())
                self.reply_context(message)
                raise self._error(message.get("e") or {})
            self.serve(message, parts)

    def _error(self, data: dict) -> BaseException:
        origin = data.get("origin")
        if isinstance(origin, int) and origin in self.raised:
            return self.raised[origin]
        error = rebuild_exception(data, self.special_errors)
        error._wire_origin = origin
        return error

    def reply_extra(self, message: dict) -> dict:
        return {}

    def serve(self, message: dict, parts: list[bytes]) -> None:
        """Perform one request of the other side and send the reply."""
        try:
            args, kwargs = self.codec.unpack(message, parts, ("a", "k"))
            hid = message.get("h")
            if hid not in self.codec.exported:
                raise LookupError("this object belongs to a test that has ended")
            value = self.perform(str(message.get("op")), self.codec.exported[hid], args or [],
                                 kwargs or {}, message)
            reply, parts = self.codec.pack({"op": "ret", **self.reply_extra(message)},
                                           {"v": value})
        except BaseException as error:  # all of it goes back as data
            if getattr(error, "_wire_origin", None) is None:
                key = self.codec._new_id()
                try:
                    error._wire_origin = key
                except Exception:
                    pass
                self.raised[key] = error
            data = exception_data(error, self.own_lines)
            if isinstance(error, CannotCross):
                data["type"] = "CannotCross"
            reply, parts = self.codec.pack({"op": "err", "e": data, **self.reply_extra(message)},
                                           {})
        send_frame(self.sock, reply, parts)


def perform(op: str, target, args: list, kwargs: dict):
    """Carry out one request on an object of this side."""
    if op == "call":
        return target(*args, **kwargs)
    if op == "getattr":
        name = str(args[0])
        if name.startswith("__") and name.endswith("__") and name not in FORWARDED_DUNDERS:
            raise AttributeError(name)
        return getattr(target, name)
    if op == "setattr":
        return setattr(target, str(args[0]), args[1])
    if op == "getitem":
        return target[args[0]]
    if op == "setitem":
        target[args[0]] = args[1]
        return None
    if op == "len":
        return len(target)
    if op == "iter":
        return iter(target)
    if op == "next":
        return next(target)
    if op == "contains":
        return args[0] in target
    if op == "bool":
        return bool(target)
    if op == "repr":
        return repr(target)[:4000]
    if op == "str":
        return str(target)[:4000]
    if op == "where":  # where a plain function is defined, for reading its source
        code = getattr(target, "__code__", None)
        return None if code is None else [code.co_filename, code.co_firstlineno, code.co_name]
    if op == "enter":
        return target.__enter__()
    if op == "exit":
        shown = args[0]
        if shown is None:
            return target.__exit__(None, None, None)
        error = rebuild_exception({"type": shown[0], "bases": [shown[0]], "message": shown[1]})
        return target.__exit__(type(error), error, None)
    raise WireError(f"unknown request {op!r}")
