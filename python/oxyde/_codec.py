"""MessagePack codec between Python values and the core (see ``docs/ir.md``).

Values MessagePack has no type for travel as extension types with fixed codes.
Packing and unpacking run with the GIL held, so both stay lean: one packer per
thread, one module-level ``ext_hook``, no closures per call.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import msgpack

__all__ = [
    "EXT_DATE",
    "EXT_DATETIME",
    "EXT_DATETIME_TZ",
    "EXT_DECIMAL",
    "EXT_DURATION",
    "EXT_JSON",
    "EXT_TIME",
    "EXT_UUID",
    "Json",
    "PackedIR",
    "encode_json",
    "encode_value",
    "pack_ir",
    "pack_plain",
    "placeholder",
    "unpack_result",
]

EXT_DECIMAL = 1
EXT_UUID = 2
EXT_DATE = 3
EXT_TIME = 4
EXT_DATETIME = 5
EXT_DATETIME_TZ = 6
EXT_DURATION = 7
EXT_JSON = 8

_I64_MIN = -(2**63)
_I64_MAX = 2**63 - 1
_ExtType = msgpack.ExtType


class Json:
    """Marks a value (dict, list, ...) to be sent as a JSON document."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Json({self.value!r})"


class PackedIR(dict[str, Any]):
    """An IR dict that carries its packed form (``pack_ir`` returns it): made
    together with it, and read only once handed on."""

    __slots__ = ("packed",)

    def __init__(self, ir: dict[str, Any], packed: bytes) -> None:
        super().__init__(ir)
        self.packed = packed


def _json_default(value: Any) -> Any:
    # values nested inside JSON documents: keep them readable text
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def encode_json(value: Any) -> msgpack.ExtType:
    """The JSON extension value for ``value`` (used for JSON columns)."""
    text = json.dumps(value, default=_json_default, separators=(",", ":"), ensure_ascii=False)
    return _ExtType(EXT_JSON, text.encode())


def _default(value: Any) -> Any:
    # Ordered by how often each type shows up in real payloads.
    cls = type(value)
    if cls is datetime:
        if value.tzinfo is not None and value.utcoffset() is not None:
            return _ExtType(EXT_DATETIME_TZ, value.isoformat().encode())
        return _ExtType(EXT_DATETIME, value.isoformat().encode())
    if cls is Decimal:
        return _ExtType(EXT_DECIMAL, str(value).encode())
    if cls is UUID:
        return _ExtType(EXT_UUID, value.bytes)
    if cls is date:
        return _ExtType(EXT_DATE, value.isoformat().encode())
    if cls is time:
        return _ExtType(EXT_TIME, value.isoformat().encode())
    if cls is timedelta:
        micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
        if not _I64_MIN <= micros <= _I64_MAX:
            raise ValueError(
                f"timedelta {value} is out of range: durations are stored as signed 64-bit microseconds "
                f"(about ±292,000 years)"
            )
        return _ExtType(EXT_DURATION, micros.to_bytes(8, "big", signed=True))
    if isinstance(value, Enum):
        return value.value
    if cls is Json:
        return encode_json(value.value)
    # subclasses (pendulum, custom UUIDs, ...) after the fast exact checks
    if isinstance(value, datetime):
        return _default(datetime.fromisoformat(value.isoformat()))
    if isinstance(value, date):
        return _ExtType(EXT_DATE, value.isoformat().encode())
    if isinstance(value, time):
        return _ExtType(EXT_TIME, value.isoformat().encode())
    if isinstance(value, Decimal):
        return _ExtType(EXT_DECIMAL, str(value).encode())
    if isinstance(value, UUID):
        return _ExtType(EXT_UUID, value.bytes)
    if isinstance(value, timedelta):
        return _default(timedelta(value.days, value.seconds, value.microseconds))
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, int):
        raise _out_of_range(value)  # msgpack hands over ints it cannot pack
    raise TypeError(f"Cannot encode a value of type {cls.__name__} for the database")


_local = threading.local()


def _packer() -> msgpack.Packer:
    packer: msgpack.Packer | None = getattr(_local, "packer", None)
    if packer is None:
        packer = msgpack.Packer(default=_default, use_bin_type=True, datetime=False)
        _local.packer = packer
    return packer


def _find_big_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if not (_I64_MIN <= value <= _I64_MAX) else None
    if isinstance(value, dict):
        items: Any = list(value.keys()) + list(value.values())
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return None
    for item in items:
        found = _find_big_int(item)
        if found is not None:
            return found
    return None


def _out_of_range(value: int) -> ValueError:
    return ValueError(f"Integer {value} is out of range: the database layer supports signed 64-bit integers only")


def pack_ir(ir: dict[str, Any]) -> bytes:
    """Pack a query IR dict into the bytes the core decodes."""
    if type(ir) is PackedIR:
        return ir.packed
    try:
        data: bytes = _packer().pack(ir)
    except OverflowError:
        _local.packer = None  # a failed pack may leave a half-written buffer behind
        big = _find_big_int(ir)
        raise _out_of_range(big if big is not None else 2**64) from None
    except BaseException:
        _local.packer = None
        raise
    # msgpack accepts unsigned values up to 2**64 - 1; the core does not
    if b"\xcf" in data:
        big = _find_big_int(ir)
        if big is not None:
            raise _out_of_range(big)
    return data


def pack_plain(value: bool | int | float | str) -> bytes | None:
    """One plain value, packed as ``pack_ir`` packs it inside an IR; ``None`` for an
    integer ``pack_ir`` refuses (outside the signed 64-bit range)."""
    if type(value) is int and not _I64_MIN <= value <= _I64_MAX:
        return None
    data: bytes = _packer().pack(value)
    return data


_EXT_PLACEHOLDER = 0x7E  # never sent to the core


def placeholder(index: int) -> tuple[Any, bytes]:
    """A value marking slot ``index`` of an IR template, and the bytes it packs to."""
    value = _ExtType(_EXT_PLACEHOLDER, index.to_bytes(2, "big"))
    return value, msgpack.packb(value)


def encode_value(value: Any) -> Any:
    """A value as the core receives it (ext types for temporal/decimal/UUID/...)."""
    if value is None or type(value) in (bool, int, float, str, bytes):
        return value
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return _default(value)


def _ext_hook(code: int, data: bytes) -> Any:
    if code == EXT_DATETIME or code == EXT_DATETIME_TZ:
        return datetime.fromisoformat(data.decode())
    if code == EXT_DECIMAL:
        return Decimal(data.decode())
    if code == EXT_UUID:
        return UUID(bytes=data)
    if code == EXT_DATE:
        return date.fromisoformat(data.decode())
    if code == EXT_TIME:
        return time.fromisoformat(data.decode())
    if code == EXT_DURATION:
        return timedelta(microseconds=int.from_bytes(data, "big", signed=True))
    if code == EXT_JSON:
        return json.loads(data)
    return _ExtType(code, data)


def unpack_result(data: bytes) -> tuple[list[str], list[list[Any]], int | None, int | None]:
    """Decode a core result: ``(columns, rows, rows_affected, last_insert_id)``.

    Select results carry only columns and rows; the last two are then ``None``.
    """
    out = msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False, use_list=True)
    if len(out) == 2:
        return out[0], out[1], None, None
    return out[0], out[1], out[2], out[3]
